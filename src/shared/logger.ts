import * as vscode from 'vscode';

/** The one output channel, "EKS Auth Explorer"; extension.ts creates it and passes it to every feature. */
export function createLogger(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('EKS Auth Explorer', { log: true });
}
