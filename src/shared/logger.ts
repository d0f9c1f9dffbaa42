import * as vscode from 'vscode';

/** The one output channel, "EKS Auth Explorer"; created at activation. */
export let log: vscode.LogOutputChannel;

export function createLogger(): vscode.LogOutputChannel {
  log = vscode.window.createOutputChannel('EKS Auth Explorer', { log: true });
  return log;
}
