/**
 * Workspace trust. In Restricted Mode the offline features (lint, hovers, completions, quick fixes) work; everything
 * that calls AWS or Kubernetes, runs a program or writes a kubeconfig is off, and says why with the Trust action.
 * The gate sits where those things start (the gateways, the doctor, the terminal), not in each command.
 */
import * as vscode from 'vscode';

/** Raised by anything that would call AWS or Kubernetes, run a program or write a kubeconfig in Restricted Mode. */
export class UntrustedWorkspaceError extends Error {
  readonly kind = 'untrusted-workspace';
  constructor(readonly action: string) {
    super(`${action} needs a trusted workspace`);
    this.name = 'UntrustedWorkspaceError';
  }
}

export function isUntrustedWorkspaceError(e: unknown): e is UntrustedWorkspaceError {
  return (e as { kind?: unknown } | undefined)?.kind === 'untrusted-workspace';
}

/** Throws UntrustedWorkspaceError unless the workspace is trusted. */
export function requireTrust(action: string): void {
  if (!vscode.workspace.isTrusted) throw new UntrustedWorkspaceError(action);
}

/** Says why the action is off, with the action that trusts the workspace. */
export async function showUntrusted(e: UntrustedWorkspaceError): Promise<void> {
  const manage = vscode.l10n.t('Manage Workspace Trust');
  const message = vscode.l10n.t('{0} is off in Restricted Mode: EKS Auth Explorer calls AWS and Kubernetes with your credentials, runs programs and writes your kubeconfig only in a trusted workspace. Linting aws-auth still works here.', e.action);
  if ((await vscode.window.showInformationMessage(message, manage)) === manage) await vscode.commands.executeCommand('workbench.trust.manage');
}
