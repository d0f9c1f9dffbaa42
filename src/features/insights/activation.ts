/** "EKS: Troubleshoot Authentication" and the Logs Insights query editor. */
import * as vscode from 'vscode';
import { summarizeCluster } from '../../core/clusters/model';
import { registerGuarded } from '../../shared/commands';
import type { PanelState } from '../../webview/insights/protocol';
import { clusterTree, enableAuthenticatorLogging, pickCluster } from '../clusters/activation';
import { Connections } from '../clusters/connections';
import type { ExplorerNode } from '../clusters/nodes';
import { pickRange, TroubleshootPanel, VIEW_TYPE } from './panel';

export function activate(context: vscode.ExtensionContext): void {
  const connections = () => clusterTree?.connections ?? new Connections();

  const troubleshoot = async (node?: ExplorerNode, rangeMinutes?: number): Promise<TroubleshootPanel | undefined> => {
    const cluster = await pickCluster(node);
    if (!cluster) return undefined;
    const minutes = rangeMinutes ?? (await pickRange());
    if (!minutes) return undefined;
    const eks = await connections().eksFor(cluster.ref.profile, cluster.ref.region);
    const summary = summarizeCluster(await eks.describeCluster(cluster.ref.cluster));
    if (!summary.authenticatorLogging) {
      const enable = vscode.l10n.t('Enable Authenticator Logging');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} does not send authenticator logs to CloudWatch, so the query can only come back empty. Enable the authenticator log type (CloudWatch charges apply), reproduce the problem, then troubleshoot again.', cluster.ref.cluster),
        enable,
      );
      if (answer === enable) await enableAuthenticatorLogging(connections(), cluster.ref);
      return undefined;
    }
    const state: PanelState = { profile: cluster.ref.profile, region: cluster.ref.region, cluster: cluster.ref.cluster, rangeMinutes: minutes };
    const panel = TroubleshootPanel.createOrShow(context, connections(), state);
    await panel.run();
    return panel;
  };

  context.subscriptions.push(
    registerGuarded('eksAuth.insights.troubleshoot', troubleshoot),
    vscode.commands.registerCommand('eksAuth.insights.editQuery', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'eks-auth-insights', content: vscode.workspace.getConfiguration('eksAuth').get<string>('insights.query') ?? '' });
      await vscode.window.showTextDocument(doc);
    }),
    vscode.commands.registerCommand('eksAuth.insights.runQueryDocument', async (uri?: vscode.Uri) => {
      const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!doc) return undefined;
      const panel = TroubleshootPanel.lastActive ?? (await vscode.commands.executeCommand<TroubleshootPanel | undefined>('eksAuth.insights.troubleshoot'));
      if (!panel) return undefined;
      panel.panel.reveal(undefined, true);
      return panel.run(doc.getText());
    }),
    vscode.languages.registerCodeLensProvider({ language: 'eks-auth-insights' }, {
      provideCodeLenses(doc) {
        const target = TroubleshootPanel.lastActive?.state;
        const title = target ? vscode.l10n.t('$(play) Run query on {0}', target.cluster) : vscode.l10n.t('$(play) Run query...');
        return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: 'eksAuth.insights.runQueryDocument', arguments: [doc.uri] })];
      },
    }),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: PanelState | undefined) {
        if (!state?.cluster || !state.region || !state.rangeMinutes) {
          panel.dispose();
          return;
        }
        const restored = new TroubleshootPanel(panel, context, connections(), state);
        // Not awaited: the workbench shows the webview only once this returns, and the run waits for the webview.
        void restored.run();
      },
    }),
  );
}
