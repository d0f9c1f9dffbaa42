/** "Associate Access Policy": the policy, then its scope (the cluster, or some namespaces). */
import * as vscode from 'vscode';
import type { ClusterAccessService, ClusterRef } from '../../core/clusters/clusterAccess';

/** Returns whether a policy was associated; `optional` offers "No policy now" first. */
export async function associatePolicyWizard(clusters: ClusterAccessService, ref: ClusterRef, principalArn: string, optional = false): Promise<boolean> {
  const eks = await clusters.gateways.eksFor(ref.profile, ref.region);
  const policies = await eks.listAccessPolicies();
  const items = policies.map((p) => ({ label: p.name ?? '', description: p.arn, arn: p.arn! }));
  const policy = await vscode.window.showQuickPick(optional ? [{ label: vscode.l10n.t('No policy now'), description: '', arn: '' }, ...items] : items, { placeHolder: vscode.l10n.t('Access policy to associate with {0}', principalArn) });
  if (!policy?.arn) return false;
  const scope = await vscode.window.showQuickPick([{ label: 'cluster', description: vscode.l10n.t('the whole cluster') }, { label: 'namespace', description: vscode.l10n.t('only some namespaces') }], { placeHolder: vscode.l10n.t('Scope') });
  if (!scope) return false;
  let namespaces: string[] | undefined;
  if (scope.label === 'namespace') {
    const text = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Namespaces, comma-separated'), validateInput: (v) => (v.split(/[\s,]+/).filter(Boolean).length ? undefined : vscode.l10n.t('Enter at least one namespace')) });
    if (!text) return false;
    namespaces = text.split(/[\s,]+/).filter(Boolean);
  }
  await eks.associateAccessPolicy(ref.cluster, principalArn, policy.arn, scope.label === 'cluster' ? { type: 'cluster' } : { type: 'namespace', namespaces });
  void vscode.window.showInformationMessage(vscode.l10n.t('Associated {0} with {1}.', policy.label, principalArn));
  return true;
}
