/**
 * "Create Access Entry": type, principal, username and groups, then (for STANDARD) an optional policy. The whole
 * change (the entry and its policy) is shown in one confirmation before the first call: cancelling it, or any step
 * before it, leaves the cluster as it was.
 */
import * as vscode from 'vscode';
import { diffAccess } from '../../core/access/accessDiff';
import type { ClusterAccessService, ClusterRef } from '../../core/clusters/clusterAccess';
import { ChangeSafety, withEntry } from '../../services/changeSafety';
import { groupsProblem, parseGroups, principalProblem, usernameProblem, WIZARD_ENTRY_TYPES } from '../../core/access/accessEntryRules';
import { pickPolicy } from './associatePolicyWizard';

/** Returns whether an entry was created. */
export async function createAccessEntryWizard(clusters: ClusterAccessService, ref: ClusterRef, safety: ChangeSafety, prefill?: string, presetType?: string): Promise<boolean> {
  // Node types need a role of the cluster's own account (the cluster ARN names it).
  const clusterAccount = (await clusters.summary(ref)).arn?.split(':')[4];
  const type = presetType ?? (await vscode.window.showQuickPick(WIZARD_ENTRY_TYPES, { placeHolder: vscode.l10n.t('Access entry type') }));
  if (!type) return false;
  // A node role from the tree comes with its type and ARN: nothing to ask but the confirmation.
  const fromNode = presetType !== undefined && prefill !== undefined;
  const problem = fromNode ? principalProblem(prefill, presetType, clusterAccount) : undefined;
  if (problem) throw new Error(vscode.l10n.t('{0} cannot have an access entry of type {1}: {2}', prefill!, presetType!, problem));
  const principalArn = fromNode ? prefill : await vscode.window.showInputBox({
    prompt: vscode.l10n.t('IAM principal ARN (role or user)'),
    placeHolder: 'arn:aws:iam::123456789012:role/NAME',
    value: prefill,
    ignoreFocusOut: true,
    validateInput: (v) => principalProblem(v, type, clusterAccount),
  });
  if (!principalArn) return false;
  let username: string | undefined;
  let kubernetesGroups: string[] | undefined;
  if (type === 'STANDARD') {
    username = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Kubernetes username (empty: the EKS default)'), ignoreFocusOut: true, validateInput: (v) => (v ? usernameProblem(v, type) : undefined) });
    if (username === undefined) return false;
    const groups = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Kubernetes groups, comma-separated (optional)'), ignoreFocusOut: true, validateInput: (v) => groupsProblem(parseGroups(v), type) });
    if (groups === undefined) return false;
    kubernetesGroups = parseGroups(groups);
  }
  const eks = await clusters.gateways.eksFor(ref.profile, ref.region);
  const input = { principalArn: principalArn.trim(), type, username: username || undefined, kubernetesGroups: kubernetesGroups?.length ? kubernetesGroups : undefined };
  // Only STANDARD entries take policies (EKS user guide, access policies); the choice is made before anything is written.
  const policy = type === 'STANDARD' ? await pickPolicy(eks, input.principalArn, true) : 'none';
  if (!policy) return false;
  const policies = policy === 'none' ? [] : [{ policyArn: policy.arn, accessScope: policy.accessScope }];
  // A new entry wins over the principal's aws-auth mapping in API_AND_CONFIG_MAP: it can take access away too.
  const before = await clusters.currentState(ref);
  const action = policy === 'none' ? vscode.l10n.t('Create the access entry for {0}', input.principalArn) : vscode.l10n.t('Create the access entry for {0} with {1}', input.principalArn, policy.label);
  if (!(await safety.confirm({ cluster: ref.cluster, action, confirmLabel: vscode.l10n.t('Create'), diff: diffAccess(before, withEntry(before, input.principalArn, { ...input, policies })) }))) return false;
  await eks.createAccessEntry(ref.cluster, input);
  if (policy === 'none') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Created the access entry for {0} on {1}.', input.principalArn, ref.cluster));
    return true;
  }
  try {
    await eks.associateAccessPolicy(ref.cluster, input.principalArn, policy.arn, policy.accessScope);
  } catch (e) {
    // The entry exists without its policy: say so, so the user can associate it again or delete the entry.
    throw new Error(vscode.l10n.t('Created the access entry for {0}, but associating {1} failed: {2}', input.principalArn, policy.label, (e as Error).message));
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('Created the access entry for {0} with {1} on {2}.', input.principalArn, policy.label, ref.cluster));
  return true;
}
