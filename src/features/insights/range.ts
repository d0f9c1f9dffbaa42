/** The troubleshooting time range: its label and the picker. */
import * as vscode from 'vscode';

export function rangeLabel(minutes: number): string {
  if (minutes % 60 !== 0) return `last ${minutes} minutes`;
  const hours = minutes / 60;
  return hours === 1 ? 'last hour' : `last ${hours} hours`;
}

export async function pickRange(): Promise<number | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Last 15 minutes'), minutes: 15 },
      { label: vscode.l10n.t('Last hour'), minutes: 60 },
      { label: vscode.l10n.t('Last 6 hours'), minutes: 360 },
      { label: vscode.l10n.t('Last 24 hours'), minutes: 1440 },
      { label: vscode.l10n.t('Custom...'), minutes: 0 },
    ],
    { placeHolder: vscode.l10n.t('Time range'), ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  if (picked.minutes) return picked.minutes;
  const text = await vscode.window.showInputBox({
    prompt: vscode.l10n.t('How far back, in minutes (up to 43200, 30 days)'),
    validateInput: (v) => (/^\d+$/.test(v.trim()) && +v > 0 && +v <= 43200 ? undefined : vscode.l10n.t('Enter a number of minutes between 1 and 43200')),
  });
  return text ? Number(text.trim()) : undefined;
}
