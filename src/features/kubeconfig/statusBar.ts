/** The status bar item for the current kubectl context: its verdict once checked, and the SSO session's expiry. */
import * as vscode from 'vscode';
import { COMMANDS } from '../../core/commands';
import type { Services } from '../../services';
import { formatAge } from '../../core/kubeconfig/doctorTypes';

const ICON = { ok: '$(pass)', fail: '$(error)', warn: '$(warning)', 'not-eks': '$(circle-outline)' } as const;

export function registerStatusBar(services: Services): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('eksAuth.kubeconfig.current', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('kubectl context (EKS Auth Explorer)');
  item.command = { command: COMMANDS.kubeconfig.diagnose, title: vscode.l10n.t('Diagnose kubectl Access'), arguments: [] };
  let current: string | undefined;
  const render = async () => {
    try {
      const { config } = await services.doctor.read();
      current = config.currentContext;
    } catch {
      current = undefined;
    }
    if (!current) {
      item.hide();
      return;
    }
    item.command = { command: COMMANDS.kubeconfig.diagnose, title: vscode.l10n.t('Diagnose kubectl Access'), arguments: [current] };
    const report = services.doctor.report(current);
    const sso = report?.ssoSessionExpiresAt;
    const ssoText = sso === undefined ? '' : sso === null ? ` · ${vscode.l10n.t('no SSO session')}` : ` · SSO ${formatAge(Date.parse(sso) - Date.now())}`;
    item.text = `${report ? ICON[report.verdict] : '$(kubernetes)'} ${current}${ssoText}`;
    item.tooltip = report ? `${current}: ${report.summary}` : vscode.l10n.t('kubectl context {0}: click to check it', current);
    item.show();
  };
  // Only once the user has looked at kubectl access: reading the kubeconfig loads the Kubernetes client.
  const subscription = services.doctor.onDidChange(() => void render());
  return [item, subscription];
}
