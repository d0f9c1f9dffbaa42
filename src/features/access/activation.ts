/** "Explain Access for Principal" and "Migrate aws-auth to Access Entries". */
import * as vscode from 'vscode';
import { COMMANDS } from '../../core/commands';
import type { Services } from '../../services';
import { registerGuarded } from '../../shared/commands';
import { ReadOnlyDocuments } from '../../shared/readOnlyDocuments';
import { explainCommand } from './explainCommand';
import { migrateCommand } from './migrateCommand';

export function activate(context: vscode.ExtensionContext, services: Services): void {
  // Explanations, migration plans and the planned entries, read-only.
  const views = new ReadOnlyDocuments('eks-auth-view');
  context.subscriptions.push(
    views,
    registerGuarded(services.log, COMMANDS.access.explain, explainCommand(services, views)),
    registerGuarded(services.log, COMMANDS.access.migrate, migrateCommand(services, views)),
  );
}
