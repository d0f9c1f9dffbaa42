/** Workload identity: "Explain Workload Identity..." and the fixes it offers. */
import * as vscode from 'vscode';
import { COMMANDS } from '../../core/commands';
import type { Services } from '../../services';
import { registerGuarded } from '../../shared/commands';
import { ReadOnlyDocuments } from '../../shared/readOnlyDocuments';
import { explainWorkloadCommand } from './explainWorkloadCommand';

export function activate(context: vscode.ExtensionContext, services: Services): void {
  const views = new ReadOnlyDocuments('eks-auth-workload');
  context.subscriptions.push(views, registerGuarded(services.log, COMMANDS.workload.explain, explainWorkloadCommand(services, views)));
}
