/** Cluster updates every feature may start (mode changes, log types), followed to their end with progress. */
import * as vscode from 'vscode';
import type { EksGateway, Update } from '../core/aws/eksGateway';
import type { ClusterAccessService, ClusterRef } from '../core/clusters/clusterAccess';

/** Polls DescribeUpdate until the update ends, with progress; cancelling stops waiting, not the update. */
export async function followUpdate(eks: EksGateway, ref: ClusterRef, update: Update, title: string): Promise<void> {
  const final = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    let current = update;
    let delay = 500;
    while (current.status === 'InProgress' && !token.isCancellationRequested) {
      progress.report({ message: vscode.l10n.t('update {0}: {1}', current.id ?? '', current.status ?? '') });
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
      current = await eks.describeUpdate(ref.cluster, current.id!);
    }
    return current;
  });
  if (final.status === 'Successful') void vscode.window.showInformationMessage(vscode.l10n.t('{0}: done.', title));
  else if (final.status === 'InProgress') void vscode.window.showInformationMessage(vscode.l10n.t('{0}: still in progress (update {1}); refresh later.', title, final.id ?? ''));
  else throw new Error(`${title}: update ${final.id} ended ${final.status}: ${(final.errors ?? []).map((e) => e.errorMessage).join('; ') || 'no detail'}`);
}

/** Turns on the authenticator log type, waits for it, and tells every view the cluster changed. */
export async function enableAuthenticatorLogging(clusters: ClusterAccessService, ref: ClusterRef): Promise<void> {
  const eks = await clusters.gateways.eksFor(ref.profile, ref.region);
  try {
    const update = await eks.setLogging(ref.cluster, ['authenticator'], true);
    await followUpdate(eks, ref, update, vscode.l10n.t('Enabling authenticator logging on {0}', ref.cluster));
  } finally {
    await clusters.invalidate(ref);
  }
}
