import * as vscode from 'vscode';
import { explainAwsError, formatExplained } from '../core/aws/errors';

/**
 * Registers a command whose failures become an error message with the cause and the next step (and a log entry),
 * never an unhandled rejection.
 */
export function registerGuarded<A extends unknown[], R>(log: vscode.LogOutputChannel, id: string, fn: (...args: A) => R | Thenable<R>): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A): Promise<R | undefined> => {
    try {
      return await fn(...args);
    } catch (e) {
      const message = formatExplained(explainAwsError(e));
      log.error(`${id} failed: ${message}`, e);
      void vscode.window.showErrorMessage(message, vscode.l10n.t('Show Logs')).then((a) => a && log.show());
      return undefined;
    }
  });
}
