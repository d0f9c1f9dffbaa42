/** The troubleshooting time range: its label and the picker. */
import * as vscode from 'vscode';
import { estimateBytes, formatBytes } from '../../core/insights/cost';

export function rangeLabel(minutes: number): string {
  if (minutes % 60 !== 0) return `last ${minutes} minutes`;
  if (minutes > 1440 && minutes % 1440 === 0) return `last ${minutes / 1440} days`;
  const hours = minutes / 60;
  return hours === 1 ? 'last hour' : `last ${hours} hours`;
}

/** `last`: what the previous query scanned over its range, for an estimate of each choice (Insights bills by bytes scanned). */
export async function pickRange(last?: { bytesScanned: number; rangeMinutes: number }): Promise<number | undefined> {
  const item = (label: string, minutes: number) => {
    const bytes = minutes ? estimateBytes(last, minutes) : undefined;
    return { label, minutes, description: bytes !== undefined ? vscode.l10n.t('about {0} to scan, from the last query', formatBytes(bytes)) : undefined };
  };
  const picked = await vscode.window.showQuickPick(
    [
      item(vscode.l10n.t('Last 15 minutes'), 15),
      item(vscode.l10n.t('Last hour'), 60),
      item(vscode.l10n.t('Last 6 hours'), 360),
      item(vscode.l10n.t('Last 24 hours'), 1440),
      item(vscode.l10n.t('Last 7 days'), 10080),
      item(vscode.l10n.t('Last 30 days'), 43200),
      item(vscode.l10n.t('Custom...'), 0),
    ],
    { placeHolder: last ? vscode.l10n.t('Time range (the last query scanned {0})', formatBytes(last.bytesScanned)) : vscode.l10n.t('Time range'), ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  if (picked.minutes) return picked.minutes;
  const text = await vscode.window.showInputBox({
    prompt: vscode.l10n.t('How far back, in minutes (up to 43200, 30 days)'),
    validateInput: (v) => (/^\d+$/.test(v.trim()) && +v > 0 && +v <= 43200 ? undefined : vscode.l10n.t('Enter a number of minutes between 1 and 43200')),
  });
  return text ? Number(text.trim()) : undefined;
}
