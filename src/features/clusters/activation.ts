/** The cluster explorer: the tree view, the aws-auth files, and the actions on clusters and access entries. */
import * as vscode from 'vscode';
import type { Services } from '../../services';
import { registerAccessEntryCommands } from './accessEntryCommands';
import { registerAwsAuthFiles } from './awsAuthFs';
import { registerClusterSettingsCommands } from './clusterSettingsCommands';
import { registerSetupCommands } from './setupCommands';
import { ClusterTreeProvider } from './treeProvider';
import { registerViewCommands } from './viewCommands';

export function activate(context: vscode.ExtensionContext, services: Services): ClusterTreeProvider {
  const tree = new ClusterTreeProvider(services);
  const view = vscode.window.createTreeView('eksAuth.clusters', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(
    tree,
    view,
    // One profile is drawn as its regions: its identity goes in the view's title bar instead.
    tree.onDidChangeSoleIdentity((arn) => (view.description = arn ? vscode.l10n.t('signed in as {0}', arn) : undefined)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('eksAuth.profiles') || e.affectsConfiguration('eksAuth.regions') || e.affectsConfiguration('eksAuth.endpoints')) tree.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void tree.refresh()),
    ...registerViewCommands(services, tree),
    ...registerClusterSettingsCommands(services),
    ...registerAccessEntryCommands(services),
    ...registerAwsAuthFiles(services),
    ...registerSetupCommands(context, services),
  );
  return tree;
}
