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
import { whenTrusted } from '../../shared/trust';

export function activate(context: vscode.ExtensionContext, services: Services): void {
  const view = new ContextsView(services);
  const previews = new ReadOnlyDocuments(REPORT_SCHEME);
  const commands = diagnoseCommand(services, previews);
  context.subscriptions.push(
    view,
    services.doctor,
    vscode.window.createTreeView('eksAuth.kubeconfig', { treeDataProvider: view }),
    previews,
    vscode.commands.registerCommand(COMMANDS.kubeconfig.diagnose, whenTrusted(vscode.l10n.t('Diagnosing kubectl access'), commands.run)),
    vscode.commands.registerCommand(COMMANDS.kubeconfig.fix, whenTrusted(vscode.l10n.t('Fixing kubectl access'), commands.fixContext)),
    vscode.commands.registerCommand(COMMANDS.kubeconfig.addContext, whenTrusted(vscode.l10n.t('Writing a kubectl context'), addContextCommand(services, previews, (name) => commands.run(name)))),
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
