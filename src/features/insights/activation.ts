/** "EKS: Troubleshoot Authentication" and the Logs Insights query editor. */
import * as vscode from 'vscode';
import { COMMANDS } from '../../core/commands';
import { enableAuthenticatorLogging } from '../../services/clusterUpdates';
import { pickCluster } from '../../services/clusterPicker';
import type { Services } from '../../services';
import { registerGuarded } from '../../shared/commands';
import type { PanelState } from '../../webview/insights/protocol';
import { TroubleshootPanel, TroubleshootPanels, VIEW_TYPE } from './panel';
import { pickRange } from './range';

export function activate(context: vscode.ExtensionContext, services: Services): void {
  const panels = new TroubleshootPanels(context, services);

  const troubleshoot = async (node?: unknown, rangeMinutes?: number): Promise<TroubleshootPanel | undefined> => {
    const cluster = await pickCluster(services.clusters, node);
    if (!cluster) return undefined;
    const minutes = rangeMinutes ?? (await pickRange());
    if (!minutes) return undefined;
    // Described again: logging may have been turned on since the tree loaded.
    const summary = await services.clusters.summary(cluster.ref, true);
    if (!summary.authenticatorLogging) {
      const enable = vscode.l10n.t('Enable Authenticator Logging');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} does not send authenticator logs to CloudWatch, so the query can only come back empty. Enable the authenticator log type (CloudWatch charges apply), reproduce the problem, then troubleshoot again.', cluster.ref.cluster),
        enable,
      );
      if (answer === enable) await enableAuthenticatorLogging(services.clusters, cluster.ref);
      return undefined;
    }
    const state: PanelState = { profile: cluster.ref.profile, region: cluster.ref.region, cluster: cluster.ref.cluster, rangeMinutes: minutes };
    const panel = panels.createOrShow(state);
    await panel.run();
    return panel;
  };

  context.subscriptions.push(
    registerGuarded(services.log, COMMANDS.insights.troubleshoot, troubleshoot),
    registerGuarded(services.log, COMMANDS.insights.editQuery, async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'eks-auth-insights', content: vscode.workspace.getConfiguration('eksAuth').get<string>('insights.query') ?? '' });
      await vscode.window.showTextDocument(doc);
    }, { offline: true }),
    registerGuarded(services.log, COMMANDS.insights.runQueryDocument, async (uri?: vscode.Uri) => {
      const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!doc) return undefined;
      const panel = panels.lastActive ?? (await vscode.commands.executeCommand<TroubleshootPanel | undefined>(COMMANDS.insights.troubleshoot));
      if (!panel) return undefined;
      panel.panel.reveal(undefined, true);
      return panel.run(doc.getText());
    }),
    vscode.languages.registerCodeLensProvider({ language: 'eks-auth-insights' }, {
      provideCodeLenses(doc) {
        const target = panels.lastActive?.state;
        const title = target ? vscode.l10n.t('$(play) Run query on {0}', target.cluster) : vscode.l10n.t('$(play) Run query...');
        return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: COMMANDS.insights.runQueryDocument, arguments: [doc.uri] })];
      },
    }),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: PanelState | undefined) {
        if (!state?.cluster || !state.region || !state.rangeMinutes) {
          panel.dispose();
          return;
        }
        const restored = panels.adopt(panel, { profile: state.profile, region: state.region, cluster: state.cluster, rangeMinutes: state.rangeMinutes });
        // Not awaited: the workbench shows the webview only once this returns, and the run waits for the webview.
        void restored.run();
      },
    }),
  );
}
