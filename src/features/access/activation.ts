/** "Explain Access for Principal" and "Migrate aws-auth to Access Entries". */
import * as vscode from 'vscode';
import type { Services } from '../../services';
import { registerGuarded } from '../../shared/commands';
import { explainCommand } from './explainCommand';
import { MemoryDocuments } from './memoryDocuments';
import { migrateCommand } from './migrateCommand';

export function activate(context: vscode.ExtensionContext, services: Services): void {
  const views = new MemoryDocuments();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider('eks-auth-view', views),
    registerGuarded(services.log, 'eksAuth.access.explain', explainCommand(services, views)),
    registerGuarded(services.log, 'eksAuth.access.migrate', migrateCommand(services, views)),
  );
}
