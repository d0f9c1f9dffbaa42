/**
 * Carrying out a doctor's fix: `aws sso login` and `aws eks update-kubeconfig` in an integrated terminal, the
 * exec-block rewrite behind a diff preview and a backup, and the access fixes through the cluster commands.
 */
import * as vscode from 'vscode';
import type { DoctorFix } from '../../core/kubeconfig/doctor';
import { rewriteExec } from '../../core/kubeconfig/rewriteExec';
import { runAccessFix } from '../../shared/accessFixes';
import type { ReportDocuments } from './reportDocuments';

/** What became of a fix: `applied` means the kubeconfig changed, so the context should be checked again. */
export type FixOutcome = 'applied' | 'started' | 'cancelled' | 'failed';

function runInTerminal(name: string, command: string): FixOutcome {
  const terminal = vscode.window.createTerminal({ name });
  terminal.show();
  terminal.sendText(command);
  return 'started';
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A backup name next to the file that no earlier backup has taken. */
async function backupUri(file: vscode.Uri): Promise<vscode.Uri> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const candidate = file.with({ path: `${file.path}.eks-auth-backup-${stamp}${n ? `-${n}` : ''}` });
    try {
      await vscode.workspace.fs.stat(candidate);
    } catch {
      return candidate;
    }
  }
}

async function rewriteExecBlock(fix: Extract<DoctorFix, { kind: 'rewriteExec' }>, previews: ReportDocuments): Promise<FixOutcome> {
  const file = vscode.Uri.file(fix.file);
  const read = async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  const original = await read();
  const result = rewriteExec(original, fix.user, fix.exec);
  if (!result.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The exec block of user {0} in {1} was not changed: {2}', fix.user, fix.file, result.reason));
    return 'failed';
  }
  const proposed = previews.set(`proposed/${fix.user}`, result.text);
  await vscode.commands.executeCommand('vscode.diff', file, proposed, vscode.l10n.t('{0}: proposed exec block for {1}', fix.file, fix.user), { preview: true });
  const apply = vscode.l10n.t('Rewrite');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Rewrite the exec block of user {0} in {1}? The diff shows every change; the file is copied to a backup first and nothing else in it changes.', fix.user, fix.file),
    { modal: true },
    apply,
  );
  if (answer !== apply) return 'cancelled';
  // Another tool (aws eks update-kubeconfig, kubectl config) may have written the file while the diff was open.
  if ((await read()) !== original) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} changed while the diff was open: nothing was written. Run the fix again.', fix.file));
    return 'failed';
  }
  const backup = await backupUri(file);
  await vscode.workspace.fs.copy(file, backup, { overwrite: false });
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(result.text));
  void vscode.window.showInformationMessage(vscode.l10n.t('Rewrote the exec block of user {0}. The previous file is at {1}.', fix.user, backup.fsPath));
  return 'applied';
}

export async function applyFix(fix: DoctorFix, previews: ReportDocuments): Promise<FixOutcome> {
  switch (fix.kind) {
    case 'ssoLogin':
      return runInTerminal('aws sso login', `aws sso login --profile ${shellQuote(fix.profile)}`);
    case 'updateKubeconfig':
      return runInTerminal('aws eks update-kubeconfig', fix.command);
    case 'rewriteExec':
      return rewriteExecBlock(fix, previews);
    case 'createAccessEntry':
    case 'openAwsAuth':
      await runAccessFix(fix.cluster, fix.kind, fix.principalArn);
      return 'started';
  }
}
