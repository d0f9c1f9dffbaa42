/** "Associate Access Policy": the policy, then its scope (the cluster, or some namespaces). */
import * as vscode from 'vscode';
import { diffAccess } from '../../core/access/accessDiff';
import type { EksGateway } from '../../core/aws/eksGateway';
import type { ClusterAccessService, ClusterRef } from '../../core/clusters/clusterAccess';
import { ChangeSafety, withEntry } from '../../services/changeSafety';

export interface PolicyChoice {
  arn: string;
  label: string;
  accessScope: { type: 'cluster' } | { type: 'namespace'; namespaces?: string[] };
}

/**
 * Asks for a policy and its scope (the cluster, or some namespaces). Returns 'none' when `optional` and the user
 * picks "No policy now", undefined when the user cancels. Calls nothing that writes.
 */
export async function pickPolicy(eks: Pick<EksGateway, 'listAccessPolicies'>, principalArn: string, optional = false): Promise<PolicyChoice | 'none' | undefined> {
  const policies = await eks.listAccessPolicies();
  const items = policies.map((p) => ({ label: p.name ?? '', description: p.arn, arn: p.arn! }));
  const policy = await vscode.window.showQuickPick(optional ? [{ label: vscode.l10n.t('No policy now'), description: '', arn: '' }, ...items] : items, { placeHolder: vscode.l10n.t('Access policy to associate with {0}', principalArn) });
  if (!policy) return undefined;
  if (!policy.arn) return 'none';
  const scope = await vscode.window.showQuickPick([{ label: 'cluster', description: vscode.l10n.t('the whole cluster') }, { label: 'namespace', description: vscode.l10n.t('only some namespaces') }], { placeHolder: vscode.l10n.t('Scope') });
  if (!scope) return undefined;
  if (scope.label === 'cluster') return { arn: policy.arn, label: policy.label, accessScope: { type: 'cluster' } };
  const text = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Namespaces, comma-separated'), validateInput: (v) => (v.split(/[\s,]+/).filter(Boolean).length ? undefined : vscode.l10n.t('Enter at least one namespace')) });
  if (!text) return undefined;
  return { arn: policy.arn, label: policy.label, accessScope: { type: 'namespace', namespaces: text.split(/[\s,]+/).filter(Boolean) } };
}

/** Returns whether a policy was associated. */
export async function associatePolicyWizard(clusters: ClusterAccessService, ref: ClusterRef, principalArn: string, safety: ChangeSafety): Promise<boolean> {
  const eks = await clusters.gateways.eksFor(ref.profile, ref.region);
  const policy = await pickPolicy(eks, principalArn);
  if (!policy || policy === 'none') return false;
  const before = await clusters.currentState(ref);
  const entry = before.accessEntries.find((e) => e.principalArn === principalArn) ?? { principalArn };
  const after = withEntry(before, principalArn, { ...entry, policies: [...(entry.policies ?? []).filter((p) => p.policyArn !== policy.arn), { policyArn: policy.arn, accessScope: policy.accessScope }] });
  if (!(await safety.confirm({ cluster: ref.cluster, action: vscode.l10n.t('Associate {0} with {1}', policy.label, principalArn), confirmLabel: vscode.l10n.t('Associate'), diff: diffAccess(before, after) }))) return false;
  await eks.associateAccessPolicy(ref.cluster, principalArn, policy.arn, policy.accessScope);
  void vscode.window.showInformationMessage(vscode.l10n.t('Associated {0} with {1}.', policy.label, principalArn));
  return true;
}
