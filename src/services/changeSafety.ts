/**
 * The confirmation every change to cluster access goes through: the before-and-after diff from the authenticator
 * model, a modal that names who gains cluster-admin, and for a lockout a modal that names who and what loses
 * access and then asks for the cluster name to be typed.
 */
import * as vscode from 'vscode';
import { AccessDiff, AccessState, diffText } from '../core/access/accessDiff';
import type { AccessEntryInfo } from '../core/auth/authenticator';

export interface ChangeConfirmation {
  cluster: string;
  /** What the change is, for the modal: "Delete the access entry for X". */
  action: string;
  /** The button of a plain confirmation. */
  confirmLabel: string;
  diff: AccessDiff;
  /** Other losses the diff cannot see (sections the authenticator would drop), named in the modal too. */
  extra?: string[];
  /** Ask even when the change only changes access (deletions and mode changes always ask). */
  alwaysConfirm?: boolean;
}

const MAX_LINES = 25;

/** Returns whether the user confirmed; a lockout is confirmed only by typing the cluster name. */
export async function confirmAccessChange(c: ChangeConfirmation, log?: vscode.LogOutputChannel): Promise<boolean> {
  const { diff } = c;
  const table = diffText(diff, MAX_LINES);
  log?.info(`${c.action} on ${c.cluster}: ${diff.severity}\n${table}`);
  const extra = c.extra ?? [];
  const detail = [...extra, table].join('\n');
  if (diff.severity === 'lockout') {
    const proceed = vscode.l10n.t('Type the Cluster Name to Continue...');
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('{0} would lock people or nodes out of {1}.', c.action, c.cluster), { modal: true, detail }, proceed);
    if (answer !== proceed) return false;
    const typed = await vscode.window.showInputBox({
      prompt: vscode.l10n.t('This change leaves {0} without: {1}. Type the cluster name to confirm.', c.cluster, diff.lockouts.join('; ')),
      placeHolder: c.cluster,
      ignoreFocusOut: true,
      validateInput: (v) => (v === '' || v === c.cluster ? undefined : vscode.l10n.t('Type {0} exactly, or press Escape to cancel', c.cluster)),
    });
    return typed === c.cluster;
  }
  if (diff.severity === 'escalation' || extra.length || c.alwaysConfirm) {
    const title = diff.severity === 'escalation' ? vscode.l10n.t('{0}: {1}.', c.action, diff.escalations.join('; ')) : vscode.l10n.t('{0} on {1}?', c.action, c.cluster);
    const answer = await vscode.window.showWarningMessage(title, { modal: true, detail }, c.confirmLabel);
    return answer === c.confirmLabel;
  }
  return true;
}

/** An access state with one access entry put in (replacing the principal's) or taken out. */
export function withEntry(state: AccessState, principalArn: string, entry?: AccessEntryInfo): AccessState {
  const rest = state.accessEntries.filter((e) => e.principalArn !== principalArn);
  return { ...state, accessEntries: entry ? [...rest, entry] : rest };
}
