/**
 * The confirmation every change to cluster access goes through: the before-and-after diff from the authenticator
 * model, a modal that names who gains cluster-admin, and for a lockout a modal that names who and what loses
 * access and then asks for the cluster name to be typed. The modal's detail holds the first lines; the whole
 * table opens as a Markdown preview beside the editor, and the question then waits in a notification (not a modal
 * over the table) until the user comes back to it.
 */
import * as vscode from 'vscode';
import { AccessDiff, AccessState, diffText } from '../core/access/accessDiff';
import { formatDiffReport } from '../core/access/diffReport';
import { markdownText } from '../core/markdown';
import type { AccessEntryInfo } from '../core/auth/authenticator';
import { ReadOnlyDocuments } from '../shared/readOnlyDocuments';

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

/** A change outside cluster access, described by the calls it makes. */
export interface PlannedChange {
  cluster: string;
  action: string;
  confirmLabel: string;
  /** What will be sent, one line each. */
  details: string[];
  /** A document the change replaces (a trust policy), shown old and new side by side on request. */
  document?: { name: string; before: string; after: string };
}

const MAX_LINES = 25;
const SCHEME = 'eks-auth-diff';

export class ChangeSafety implements vscode.Disposable {
  private readonly documents = new ReadOnlyDocuments(SCHEME);

  constructor(private readonly log?: vscode.LogOutputChannel) {}

  /** Returns whether the user confirmed; a lockout is confirmed only by typing the cluster name. */
  async confirm(c: ChangeConfirmation): Promise<boolean> {
    const { diff } = c;
    this.log?.info(`${c.action} on ${c.cluster}: ${diff.severity}\n${diffText(diff)}`);
    // Each fact once: an escalation is named in the title, so the detail does not repeat it.
    const table = diffText(diff, MAX_LINES, { findings: diff.severity !== 'escalation' });
    const extra = c.extra ?? [];
    const detail = [...extra, table].join('\n');
    const showTable = diff.principals.length || diff.nodeRoles.some((r) => r.before !== r.after) ? vscode.l10n.t('Show Before and After') : undefined;
    const ask = (title: string, button: string) => this.ask(title, button, detail, showTable ? { label: showTable, open: () => this.showTable(c) } : undefined);
    if (diff.severity === 'lockout') {
      if (!(await ask(vscode.l10n.t('{0} would lock people or nodes out of {1}.', c.action, c.cluster), vscode.l10n.t('Type the Cluster Name to Continue...')))) return false;
      const typed = await vscode.window.showInputBox({
        prompt: vscode.l10n.t('This change leaves {0} without: {1}. Type the cluster name to confirm.', c.cluster, diff.lockouts.join('; ')),
        placeHolder: c.cluster,
        ignoreFocusOut: true,
        validateInput: (v) => (v === '' || v === c.cluster ? undefined : vscode.l10n.t('Type {0} exactly, or press Escape to cancel', c.cluster)),
      });
      return typed === c.cluster;
    }
    // What the diff could not check (node roles behind a denied ListNodegroups) is asked about, never passed as safe.
    if (diff.severity === 'escalation' || extra.length || c.alwaysConfirm || diff.unchecked.length) {
      const title =
        diff.severity === 'escalation'
          ? vscode.l10n.t('{0}: {1}.', c.action, diff.escalations.join('; '))
          : diff.unchecked.length
            ? vscode.l10n.t('{0} on {1}? Whether nodes can still join could not be checked.', c.action, c.cluster)
            : vscode.l10n.t('{0} on {1}?', c.action, c.cluster);
      return ask(title, c.confirmLabel);
    }
    return true;
  }

  /**
   * The same confirmation for a change that is not to cluster access (a workload identity fix): one modal naming
   * every call it makes, with the document before and after side by side when there is one. Nothing is written
   * unless this returns true.
   */
  async confirmChange(c: PlannedChange): Promise<boolean> {
    this.log?.info(`${c.action} on ${c.cluster}:\n${c.details.join('\n')}`);
    const doc = c.document;
    const show = doc ? { label: vscode.l10n.t('Show Old and New'), open: () => this.showDocuments(c.cluster, doc) } : undefined;
    return this.ask(vscode.l10n.t('{0} on {1}?', c.action, c.cluster), c.confirmLabel, c.details.slice(0, MAX_LINES).join('\n'), show);
  }

  /**
   * Asks in a modal; when the user opens what the modal summarises, the question then waits in a notification (not
   * a modal over it) until the user comes back to it.
   */
  private async ask(title: string, button: string, detail: string, show?: { label: string; open(): Promise<void> }): Promise<boolean> {
    let shown = false;
    for (;;) {
      const answer = shown
        ? await vscode.window.showWarningMessage(title, button, vscode.l10n.t('Cancel'))
        : await vscode.window.showWarningMessage(title, { modal: true, detail }, ...[button, show?.label].filter((b): b is string => !!b));
      if (shown || !show || answer !== show.label) return answer === button;
      await show.open();
      shown = true;
    }
  }

  private async showDocuments(cluster: string, doc: NonNullable<PlannedChange['document']>): Promise<void> {
    const before = this.documents.set(`/${cluster}/${doc.name}.before.json`, doc.before);
    const after = this.documents.set(`/${cluster}/${doc.name}.after.json`, doc.after);
    await vscode.commands.executeCommand('vscode.diff', before, after, vscode.l10n.t('{0}: now ↔ after the change', doc.name));
  }

  /** Every principal's access before and after, as the Markdown table `eks-auth diff --format markdown` prints. */
  private async showTable(c: ChangeConfirmation): Promise<void> {
    const uri = this.documents.set(`/${c.cluster}/access-diff.md`, `# ${markdownText(c.action)}\n\n${formatDiffReport([{ cluster: c.cluster, diff: c.diff, notes: c.extra }], 'markdown')}`);
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  }

  dispose(): void {
    this.documents.dispose();
  }
}

/** An access state with one access entry put in (replacing the principal's) or taken out. */
export function withEntry(state: AccessState, principalArn: string, entry?: AccessEntryInfo): AccessState {
  const rest = state.accessEntries.filter((e) => e.principalArn !== principalArn);
  return { ...state, accessEntries: entry ? [...rest, entry] : rest };
}
