/**
 * The cluster a command runs on: the one its argument belongs to (a tree node, a ClusterRef), or one the user picks
 * from every configured profile and region: profile, then region, then cluster, each step skipped when there is
 * only one choice.
 */
import * as vscode from 'vscode';
import { ClusterAccessService, ClusterRef, clusterRefOf } from '../core/clusters/clusterAccess';
import type { ClusterSummary } from '../core/clusters/model';

export interface PickedCluster {
  ref: ClusterRef;
  summary: ClusterSummary;
}

export async function pickCluster(clusters: ClusterAccessService, arg?: unknown): Promise<PickedCluster | undefined> {
  const given = clusterRefOf(arg);
  if (given) return { ref: given, summary: await clusters.summary(given) };
  let all = await vscode.window.withProgress({ location: { viewId: 'eksAuth.clusters' } }, () => clusters.listAll());
  if (!all.length) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No EKS clusters found. Check the AWS profile and regions in the EKS Auth Explorer view.'));
    return undefined;
  }
  const narrow = async (key: (c: PickedCluster) => string, placeHolder: string) => {
    const choices = [...new Set(all.map(key))];
    if (choices.length < 2) return true;
    const picked = await vscode.window.showQuickPick(
      choices.map((label) => ({ label, description: vscode.l10n.t('{0} clusters', all.filter((c) => key(c) === label).length) })),
      { placeHolder, ignoreFocusOut: true },
    );
    if (!picked) return false;
    all = all.filter((c) => key(c) === picked.label);
    return true;
  };
  if (!(await narrow((c) => c.ref.profile ?? 'default credentials', vscode.l10n.t('AWS profile')))) return undefined;
  if (!(await narrow((c) => c.ref.region, vscode.l10n.t('Region')))) return undefined;
  const picked = await vscode.window.showQuickPick(
    all.map((c) => ({ label: c.ref.cluster, description: `${c.summary.mode} · ${c.summary.version}`, cluster: c })),
    { placeHolder: vscode.l10n.t('EKS cluster'), ignoreFocusOut: true },
  );
  return picked?.cluster;
}
