/** The kubeconfig doctor: the kubectl contexts view, the status bar item and the Diagnose command. */
import * as vscode from 'vscode';
import { COMMANDS } from '../../core/commands';
import type { Services } from '../../services';
import { addContextCommand } from './addContextCommand';
import { ContextsView } from './contextsView';
import { diagnoseCommand } from './diagnoseCommand';
import { REPORT_SCHEME } from './reportDocuments';
import { ReadOnlyDocuments } from '../../shared/readOnlyDocuments';
import { registerStatusBar } from './statusBar';
import { registerGuarded } from '../../shared/commands';

export function activate(context: vscode.ExtensionContext, services: Services): void {
  const view = new ContextsView(services);
  const previews = new ReadOnlyDocuments(REPORT_SCHEME);
  const commands = diagnoseCommand(services, previews);
  context.subscriptions.push(
    view,
    services.doctor,
    vscode.window.createTreeView('eksAuth.kubeconfig', { treeDataProvider: view }),
    previews,
    // Guarded as every other command: off in Restricted Mode (naming what is off), and a failure is shown with its cause.
    registerGuarded(services.log, COMMANDS.kubeconfig.diagnose, commands.run, { action: vscode.l10n.t('Diagnosing kubectl access') }),
    registerGuarded(services.log, COMMANDS.kubeconfig.fix, commands.fixContext, { action: vscode.l10n.t('Fixing kubectl access') }),
    registerGuarded(services.log, COMMANDS.kubeconfig.addContext, addContextCommand(services, previews, (name) => commands.run(name)), { action: vscode.l10n.t('Writing a kubectl context') }),
    // Reads the kubeconfig again; each context keeps its last verdict, with when it was checked.
    vscode.commands.registerCommand(COMMANDS.kubeconfig.refresh, () => view.refresh()),
    vscode.commands.registerCommand(COMMANDS.kubeconfig.openFile, async () => {
      const [first] = await services.doctor.paths();
      try {
        await vscode.workspace.fs.stat(vscode.Uri.file(first));
      } catch {
        void vscode.window.showInformationMessage(vscode.l10n.t('There is no kubeconfig at {0} yet: write one with EKS: Add kubectl Context... or aws eks update-kubeconfig --name CLUSTER --region REGION.', first));
        return;
      }
      await vscode.window.showTextDocument(vscode.Uri.file(first));
    }),
    ...registerStatusBar(services),
  );
}
