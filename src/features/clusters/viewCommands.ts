/** The explorer's own actions: refresh, logs, copy ARN, open in the console, load more access entries. */
import * as vscode from 'vscode';
import { COMMANDS } from '../../core/commands';
import { consoleUrl } from '../../core/clusters/model';
import { ExplorerNode, LoadMoreNode } from '../../core/explorer/nodes';
import { pickCluster } from '../../services/clusterPicker';
import type { Services } from '../../services';
import { registerGuarded } from '../../shared/commands';
import type { ClusterTreeProvider } from './treeProvider';

export function registerViewCommands({ log, clusters }: Services, tree: ClusterTreeProvider): vscode.Disposable[] {
  return [
    registerGuarded(log, COMMANDS.clusters.refresh, () => tree.refresh(), { offline: true }),
    registerGuarded(log, COMMANDS.clusters.refreshNode, (node?: ExplorerNode) => tree.refresh(node), { offline: true }),
    registerGuarded(log, COMMANDS.clusters.showLogs, () => log.show(), { offline: true }),
    registerGuarded(log, COMMANDS.clusters.copyArn, async (node?: ExplorerNode) => {
      if (!node?.arn) return;
      await vscode.env.clipboard.writeText(node.arn);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', node.arn), 3000);
    }, { offline: true }),
    registerGuarded(log, COMMANDS.clusters.openConsole, async (node?: unknown) => {
      const c = await pickCluster(clusters, node);
      if (!c) return;
      const url = consoleUrl(c.ref.region, c.ref.cluster, c.summary.arn);
      if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
      else void vscode.window.showInformationMessage(vscode.l10n.t('{0} is in partition {1}, which has no public AWS console: open it from your partition\'s console.', c.ref.cluster, c.summary.arn?.split(':')[1] ?? 'unknown'));
    }),
    registerGuarded(log, COMMANDS.accessEntries.loadMore, async (node: LoadMoreNode) => {
      if (!(node instanceof LoadMoreNode)) return;
      await vscode.window.withProgress({ location: { viewId: 'eksAuth.clusters' } }, () => node.owner.loadPage());
      tree.redraw(node.owner);
    }),
  ];
}
