/**
 * Carrying out a doctor's fix: `aws sso login` and `aws eks update-kubeconfig` in an integrated terminal, the
 * exec-block rewrite behind a diff preview and a backup, and the access fixes through the cluster commands.
 */
import * as vscode from 'vscode';
import type { DoctorFix } from '../../core/kubeconfig/doctor';
import { fixArgv } from '../../core/kubeconfig/fixCommands';
import { terminalCommand } from '../../shared/terminal';
import { rewriteCluster, rewriteExec, type RewriteResult } from '../../core/kubeconfig/rewriteExec';
import { runAccessFix } from '../../shared/accessFixes';
import { loadSettledWrite } from '../../shared/lazy';
import type { ReadOnlyDocuments } from '../../shared/readOnlyDocuments';
import { reportPath } from './reportDocuments';

/** What became of a fix: `applied` means the kubeconfig changed, so the context should be checked again. */
export type FixOutcome = 'applied' | 'started' | 'cancelled' | 'failed';

/**
 * A fix carried out, or started: a terminal command or an editor finishes after the fix returns, so `done` says
 * when (the kubeconfig file written, aws-auth saved), and the context is then checked again without being asked.
 */
export interface FixResult {
  outcome: FixOutcome;
  /** Resolves true once the started fix has written what it writes; false when it did not within the time. */
  done?: (signal: AbortSignal) => Promise<boolean>;
  /** What the user is told to finish before the check (shown with Check Again). */
  waitingFor?: string;
}

/** How long a started fix is watched for: a terminal command may wait for a browser sign-in or MFA. */
const WATCH_MS = 15 * 60_000;

/**
 * Resolves true once the command has written the file and is done with it (kubeconfigWriteSettled: awscli truncates,
 * then writes). Polled, as the file may be outside the workspace.
 */
function kubeconfigWritten(file: vscode.Uri, before: string | undefined, context: string): (signal: AbortSignal) => Promise<boolean> {
  return async (signal) => {
    // Reading a kubeconfig needs the Kubernetes client, which is loaded on first use, not at activation.
    const { kubeconfigWriteSettled } = await loadSettledWrite();
    let previous = before;
    for (const started = Date.now(); !signal.aborted && Date.now() - started < WATCH_MS; ) {
      await new Promise((r) => setTimeout(r, 500));
      const read = await readText(file).catch(() => before);
      if (kubeconfigWriteSettled(before, previous, read, context)) return true;
      previous = read;
    }
    return false;
  };
}

/** Resolves true when the document is saved (aws-auth, written to the cluster by its save); false when it is closed. */
function documentSaved(uri: vscode.Uri): (signal: AbortSignal) => Promise<boolean> {
  return (signal) =>
    new Promise<boolean>((resolve) => {
      const finish = (saved: boolean) => {
        saves.dispose();
        closes.dispose();
        clearTimeout(timer);
        resolve(saved);
      };
      const saves = vscode.workspace.onDidSaveTextDocument((d) => d.uri.toString() === uri.toString() && finish(true));
      const closes = vscode.workspace.onDidCloseTextDocument((d) => d.uri.toString() === uri.toString() && finish(false));
      const timer = setTimeout(() => finish(false), WATCH_MS);
      signal.addEventListener('abort', () => finish(false), { once: true });
    });
}

/**
 * Shows the exact command line and runs it in a terminal only when the user says so. The line is quoted for the shell
 * the terminal is opened with (src/shared/terminal.ts), so a name from a kubeconfig stays one argument.
 */
async function runInTerminal(name: string, argv: string[], question = vscode.l10n.t('Run this command in a terminal?'), beforeRun?: () => Promise<void>): Promise<FixOutcome> {
  const command = terminalCommand(argv);
  if (!command) {
    void vscode.window.showErrorMessage(vscode.l10n.t('This command cannot be passed safely to your terminal\'s shell, so it was not run: {0}', argv.join(' ')));
    return 'failed';
  }
  const run = vscode.l10n.t('Run in Terminal');
  const answer = await vscode.window.showWarningMessage(question, { modal: true, detail: command.line }, run);
  if (answer !== run) return 'cancelled';
  await beforeRun?.();
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
export async function writeAfterReview(file: vscode.Uri, original: string | undefined, proposed: string, previews: ReadOnlyDocuments, title: string, question: string, confirm: string): Promise<FixOutcome> {
  const proposedUri = previews.set(reportPath(`proposed${file.path}`, '.yaml'), proposed);
  const left = original === undefined ? previews.set(reportPath(`empty${file.path}`, '.yaml'), '') : file;
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

/** One in-place edit of a kubeconfig file: computed from the file as it is now, then the diff, the modal and the backup. */
async function editInPlace(
  path: string,
  edit: (text: string) => RewriteResult,
  words: { notChanged: string; title: string; question: string; confirm: string },
  previews: ReadOnlyDocuments,
): Promise<FixOutcome> {
  const file = vscode.Uri.file(path);
  const original = await readText(file);
  const result = original === undefined ? { ok: false as const, reason: 'the file no longer exists' } : edit(original);
  if (!result.ok) {
    void vscode.window.showErrorMessage(`${words.notChanged}: ${result.reason}`);
    return 'failed';
  }
  return writeAfterReview(file, original, result.text, previews, words.title, words.question, words.confirm);
}

function rewriteExecBlock(fix: Extract<DoctorFix, { kind: 'rewriteExec' }>, previews: ReadOnlyDocuments): Promise<FixOutcome> {
  return editInPlace(
    fix.file,
    (text) => rewriteExec(text, fix.user, fix.exec),
    {
      notChanged: vscode.l10n.t('The exec block of user {0} in {1} was not changed', fix.user, fix.file),
      title: vscode.l10n.t('{0}: proposed exec block for {1}', fix.file, fix.user),
      question: vscode.l10n.t('Rewrite the exec block of user {0} in {1}? The diff shows every change; the file is copied to a backup first and nothing else in it changes.', fix.user, fix.file),
      confirm: vscode.l10n.t('Rewrite'),
    },
    previews,
  );
}

function repairClusterEntry(fix: Extract<DoctorFix, { kind: 'repairCluster' }>, previews: ReadOnlyDocuments): Promise<FixOutcome> {
  return editInPlace(
    fix.file,
    (text) => rewriteCluster(text, fix.cluster, fix.server, fix.caData),
    {
      notChanged: vscode.l10n.t('Cluster {0} in {1} was not changed', fix.cluster, fix.file),
      title: vscode.l10n.t('{0}: cluster {1} with the endpoint and CA EKS gives', fix.file, fix.cluster),
      question: vscode.l10n.t('Point cluster {0} in {1} at {2}? The diff shows every change; the file is copied to a backup first and nothing else in it changes.', fix.cluster, fix.file, fix.server),
      confirm: vscode.l10n.t('Repair'),
    },
    previews,
  );
}

export async function applyFix(fix: DoctorFix, previews: ReadOnlyDocuments): Promise<FixResult> {
  switch (fix.kind) {
    case 'ssoLogin':
      // The aws the plugin runs, so that the login lands in the cache that awscli reads.
      return { outcome: await runInTerminal('aws sso login', fixArgv(fix)!), waitingFor: vscode.l10n.t('When aws sso login has finished in the terminal') };
    case 'installAwsCli':
      await vscode.env.openExternal(vscode.Uri.parse(fix.url));
      return { outcome: 'started', waitingFor: vscode.l10n.t('When the AWS CLI is installed') };
    case 'updateKubeconfig': {
      // Watched from before the command runs, so a quick command is not missed.
      const file = vscode.Uri.file(fix.file);
      const before = await readText(file);
      // awscli's KubeconfigAppender sets current-context and its KubeconfigWriter dumps the whole file (kubeconfig.py).
      const question = vscode.l10n.t('Run this command in a terminal? awscli makes {0} the current context, and rewrites all of {1} from a YAML dump: its comments and formatting are lost. The file is copied to a backup first.', fix.context, fix.file);
      // awscli writes the file itself, so the backup is taken here, once the user has said yes and before it runs.
      const backUp = async () => {
        if (before !== undefined) await vscode.workspace.fs.copy(file, await backupUri(file), { overwrite: false });
      };
      return { outcome: await runInTerminal('aws eks update-kubeconfig', fixArgv(fix)!, question, backUp), done: kubeconfigWritten(file, before, fix.context), waitingFor: vscode.l10n.t('When aws eks update-kubeconfig has written {0}', fix.file) };
    }
    case 'rewriteExec':
      return { outcome: await rewriteExecBlock(fix, previews) };
    case 'repairCluster':
      return { outcome: await repairClusterEntry(fix, previews) };
    case 'createAccessEntry':
      // The wizard's command answers whether the entry was created: only then is there something to check.
      return { outcome: (await runAccessFix(fix.cluster, fix.kind, fix.principalArn)) === true ? 'applied' : 'cancelled' };
    case 'openAwsAuth': {
      await runAccessFix(fix.cluster, fix.kind, fix.principalArn);
      const opened = vscode.window.activeTextEditor?.document.uri;
      return opened?.scheme === 'eks-auth' ? { outcome: 'started', done: documentSaved(opened), waitingFor: vscode.l10n.t('When you have saved aws-auth') } : { outcome: 'failed' };
    }
  }
}
