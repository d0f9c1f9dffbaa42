/** Changes to the cluster itself: its authentication mode and its authenticator log type. */
import * as vscode from 'vscode';
import { COMMANDS } from '../../core/commands';
import { diffAccess } from '../../core/access/accessDiff';
import { allowedModeChanges, AuthenticationMode } from '../../core/clusters/model';
import { enableAuthenticatorLogging, followUpdate } from '../../services/clusterUpdates';
import { pickCluster } from '../../services/clusterPicker';
import type { Services } from '../../services';
import { registerGuarded } from '../../shared/commands';

export function registerClusterSettingsCommands({ log, clusters, changeSafety }: Services): vscode.Disposable[] {
  return [
    registerGuarded(log, COMMANDS.clusters.changeAuthenticationMode, async (node?: unknown) => {
      const c = await pickCluster(clusters, node);
      if (!c) return;
      const summary = await clusters.summary(c.ref, true);
      const choices = allowedModeChanges(summary.mode);
      if (!choices.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} already uses authentication mode API; there is no way back.', c.ref.cluster));
        return;
      }
      if (summary.status !== 'ACTIVE') {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} is {1}: EKS takes one update at a time. Wait until it is ACTIVE, then try again.', c.ref.cluster, summary.status));
        return;
      }
      const picked = await vscode.window.showQuickPick(
        choices.map((m) => ({ label: m, description: m === 'API' ? 'access entries only; aws-auth is ignored' : 'access entries and aws-auth (API mode is a second step, later)' })),
        { placeHolder: summary.mode === 'CONFIG_MAP' ? vscode.l10n.t('Change {0} from CONFIG_MAP to... (EKS goes one step at a time: API_AND_CONFIG_MAP first, then API)', c.ref.cluster) : vscode.l10n.t('Change {0} from {1} to...', c.ref.cluster, summary.mode) },
      );
      if (!picked) return;
      const mode = picked.label as AuthenticationMode;
      const before = await clusters.currentState(c.ref);
      const confirmed = await changeSafety.confirm(
        {
          cluster: c.ref.cluster,
          action: vscode.l10n.t('Change the authentication mode of {0} from {1} to {2}', c.ref.cluster, summary.mode, mode),
          confirmLabel: vscode.l10n.t('Change to {0}', mode),
          diff: diffAccess(before, { ...before, mode }),
          extra: [vscode.l10n.t('This cannot be undone: EKS never changes the authentication mode back.{0}', mode === 'API' ? ' ' + vscode.l10n.t('The aws-auth ConfigMap will be ignored: make sure access entries cover every node role and person first.') : '')],
        },
      );
      if (!confirmed) return;
      const eks = await clusters.gateways.eksFor(c.ref.profile, c.ref.region);
      try {
        const update = await eks.updateAuthenticationMode(c.ref.cluster, mode);
        await followUpdate(eks, c.ref, update, vscode.l10n.t('Changing {0} to {1}', c.ref.cluster, picked.label));
      } finally {
        await clusters.invalidate(c.ref);
      }
    }),
    registerGuarded(log, COMMANDS.clusters.enableAuthenticatorLogging, async (node?: unknown) => {
      const c = await pickCluster(clusters, node);
      if (!c) return;
      // EKS answers "No changes needed" for a log type that is already on: say so instead of calling.
      if ((await clusters.summary(c.ref, true)).authenticatorLogging) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Authenticator logging is already on for {0}.', c.ref.cluster));
        return;
      }
      await enableAuthenticatorLogging(clusters, c.ref);
    }),
  ];
}
