import * as vscode from 'vscode';
import { explainAwsError, formatExplained } from '../core/aws/errors';
import { isUntrustedWorkspaceError, showUntrusted, UntrustedWorkspaceError } from './trust';

/**
 * Registers a command whose failures become an error message with the cause and the next step (and a log entry),
 * never an unhandled rejection. Commands call AWS, Kubernetes or a program unless registered `offline`: in Restricted
 * Mode such a command does not start, and says why with the Trust action.
 */
export function registerGuarded<A extends unknown[], R>(
  log: vscode.LogOutputChannel,
  id: string,
  fn: (...args: A) => R | Thenable<R>,
  /** `action` names what is off in Restricted Mode ("Diagnosing kubectl access"); "This command" otherwise. */
  options: { offline?: boolean; action?: string } = {},
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A): Promise<R | undefined> => {
    try {
      if (!options.offline && !vscode.workspace.isTrusted) throw new UntrustedWorkspaceError(options.action ?? vscode.l10n.t('This command'));
      return await fn(...args);
    } catch (e) {
      if (isUntrustedWorkspaceError(e)) {
        log.info(`${id}: ${e.message}`);
        void showUntrusted(e);
        return undefined;
      }
      const message = formatExplained(explainAwsError(e));
      log.error(`${id} failed: ${message}`, e);
      void vscode.window.showErrorMessage(message, vscode.l10n.t('Show Logs')).then((a) => a && log.show());
      return undefined;
    }
  });
}
