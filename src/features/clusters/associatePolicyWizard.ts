/** "Associate Access Policy": the policy, then its scope (the cluster, or some namespaces). */
import * as vscode from 'vscode';
import { diffAccess } from '../../core/access/accessDiff';
import type { ClusterAccessService, ClusterRef } from '../../core/clusters/clusterAccess';
import { ChangeSafety, withEntry } from '../../services/changeSafety';

/** Returns whether a policy was associated; `optional` offers "No policy now" first. */
export async function associatePolicyWizard(clusters: ClusterAccessService, ref: ClusterRef, principalArn: string, safety: ChangeSafety, optional = false): Promise<boolean> {
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
  const accessScope = scope.label === 'cluster' ? { type: 'cluster' as const } : { type: 'namespace' as const, namespaces };
  const before = await clusters.currentState(ref);
  const entry = before.accessEntries.find((e) => e.principalArn === principalArn) ?? { principalArn };
  const after = withEntry(before, principalArn, { ...entry, policies: [...(entry.policies ?? []).filter((p) => p.policyArn !== policy.arn), { policyArn: policy.arn, accessScope }] });
  if (!(await safety.confirm({ cluster: ref.cluster, action: vscode.l10n.t('Associate {0} with {1}', policy.label, principalArn), confirmLabel: vscode.l10n.t('Associate'), diff: diffAccess(before, after) }))) return false;
  await eks.associateAccessPolicy(ref.cluster, principalArn, policy.arn, accessScope);
  void vscode.window.showInformationMessage(vscode.l10n.t('Associated {0} with {1}.', policy.label, principalArn));
  return true;
}
