/**
 * Carrying out a doctor's fix: `aws sso login` and `aws eks update-kubeconfig` in an integrated terminal, the
 * exec-block rewrite behind a diff preview and a backup, and the access fixes through the cluster commands.
 */
import * as vscode from 'vscode';
import { fixArgv, type DoctorFix } from '../../core/kubeconfig/doctor';
import { terminalCommand } from '../../shared/terminal';
import { rewriteExec } from '../../core/kubeconfig/rewriteExec';
import { runAccessFix } from '../../shared/accessFixes';
import type { ReportDocuments } from './reportDocuments';

/** What became of a fix: `applied` means the kubeconfig changed, so the context should be checked again. */
export type FixOutcome = 'applied' | 'started' | 'cancelled' | 'failed';

/** Shows the exact command line, asks, and only then runs it in a terminal whose shell the line was quoted for. */
async function runInTerminal(name: string, argv: string[]): Promise<FixOutcome> {
  const command = terminalCommand(argv);
  if (!command) {
    void vscode.window.showErrorMessage(vscode.l10n.t('This command cannot be passed safely to your terminal\'s shell, so it was not run: {0}', argv.join(' ')));
    return 'failed';
  }
  const run = vscode.l10n.t('Run');
  if ((await vscode.window.showWarningMessage(vscode.l10n.t('Run this command in a terminal?'), { modal: true, detail: command.line }, run)) !== run) return 'cancelled';
  const terminal = vscode.window.createTerminal({ name, shellPath: command.shellPath });
  terminal.show();
  terminal.sendText(command.line);
  return 'started';
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

/**
 * Shows the change as a diff, asks, and writes only what was shown: the file is backed up first, and a file that
 * changed while the diff was open is not written.
 */
export async function writeAfterReview(file: vscode.Uri, original: string | undefined, proposed: string, previews: ReportDocuments, title: string, question: string, confirm: string): Promise<FixOutcome> {
  const proposedUri = previews.set(`proposed${file.path}`, proposed, '.yaml');
  const left = original === undefined ? previews.set(`empty${file.path}`, '', '.yaml') : file;
  await vscode.commands.executeCommand('vscode.diff', left, proposedUri, title, { preview: true });
  if ((await vscode.window.showWarningMessage(question, { modal: true }, confirm)) !== confirm) return 'cancelled';
  const now = await readText(file);
  if (now !== original) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} changed while the diff was open: nothing was written. Run the command again.', file.fsPath));
    return 'failed';
  }
  let backup: vscode.Uri | undefined;
  if (original !== undefined) {
    backup = await backupUri(file);
    await vscode.workspace.fs.copy(file, backup, { overwrite: false });
  }
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(proposed));
  void vscode.window.showInformationMessage(backup ? vscode.l10n.t('Wrote {0}. The previous file is at {1}.', file.fsPath, backup.fsPath) : vscode.l10n.t('Wrote {0}.', file.fsPath));
  return 'applied';
}

/** The file's text, or undefined when it does not exist. */
export async function readText(file: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    throw e;
  }
}

async function rewriteExecBlock(fix: Extract<DoctorFix, { kind: 'rewriteExec' }>, previews: ReportDocuments): Promise<FixOutcome> {
  const file = vscode.Uri.file(fix.file);
  const original = await readText(file);
  const result = original === undefined ? { ok: false as const, reason: 'the file no longer exists' } : rewriteExec(original, fix.user, fix.exec);
  if (!result.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The exec block of user {0} in {1} was not changed: {2}', fix.user, fix.file, result.reason));
    return 'failed';
  }
  return writeAfterReview(
    file,
    original,
    result.text,
    previews,
    vscode.l10n.t('{0}: proposed exec block for {1}', fix.file, fix.user),
    vscode.l10n.t('Rewrite the exec block of user {0} in {1}? The diff shows every change; the file is copied to a backup first and nothing else in it changes.', fix.user, fix.file),
    vscode.l10n.t('Rewrite'),
  );
}

export async function applyFix(fix: DoctorFix, previews: ReportDocuments): Promise<FixOutcome> {
  switch (fix.kind) {
    case 'ssoLogin':
    case 'updateKubeconfig':
      return runInTerminal(fix.kind === 'ssoLogin' ? 'aws sso login' : 'aws eks update-kubeconfig', fixArgv(fix)!);
    case 'rewriteExec':
      return rewriteExecBlock(fix, previews);
    case 'createAccessEntry':
    case 'openAwsAuth':
      await runAccessFix(fix.cluster, fix.kind, fix.principalArn);
      return 'started';
  }
}
