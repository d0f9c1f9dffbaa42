/**
 * The fixes a workload identity explanation offers, as plans: what each would send, decided from the failing steps'
 * kinds (never their wording), and carried out only through {@link applyWorkloadFix} after the user confirmed.
 *
 * - `oidc-provider-missing`: CreateOpenIDConnectProvider for the issuer with client ID sts.amazonaws.com (EKS User
 *   Guide, enable-iam-roles-for-service-accounts), plus the service account's `eks.amazonaws.com/audience` when it
 *   names another, so the cluster's other service accounts (default audience) work too. Only in the cluster's
 *   account: a role in another account needs that account's provider (cross-account-access), not offered here. No ThumbprintList: it is optional, IAM fetches the thumbprint
 *   itself, and for an EKS issuer it verifies the JWKS endpoint with its own trusted CAs (IAM API Reference,
 *   CreateOpenIDConnectProvider and UpdateOpenIDConnectProviderThumbprint).
 * - `oidc-client-id-missing`: AddClientIDToOpenIDConnectProvider with the service account's audience (IAM API
 *   Reference: the client ID is the audience; idempotent). It keeps the service account as its owner annotated it; the
 *   other way, removing the `eks.amazonaws.com/audience` annotation so the webhook asks for its default
 *   sts.amazonaws.com and restarting the pods, is named in the confirmation when the provider lists that default.
 * - a trust step that fails on its principal, action, conditions or sts:TagSession: UpdateAssumeRolePolicy with the
 *   corrected document (trustFix.ts).
 * - `no-mechanism`, `association-missing`: CreatePodIdentityAssociation, for a role the user names in the cluster's
 *   account (iam:PassRole; EKS User Guide, pod-id-association prerequisites and pod-id-assign-target-role).
 * - `pod-created-before`, `not-injected`, `injected-other-role`, `association-changed`: restart the stale pods of the
 *   service account as `kubectl rollout restart` does (restartPlan.ts); the webhook mutates pods only when they are
 *   created (pod-id-how-it-works).
 * - `agent-missing`: CreateAddon eks-pod-identity-agent (pod-id-agent-setup).
 */
import { irsaProviderOf } from './awsTrust';
import type { AssociationRequest, ClientIdRequest, OidcProviderRequest, OwnedPod, WorkloadFixGateway } from './fixGateway';
import { AGENT_ADDON, DEFAULT_IRSA_AUDIENCE, ENV, IRSA_ANNOTATIONS, type FindingKind, type WorkloadExplanation, type WorkloadInputs } from './model';
import { envOf, irsaRoleInUse, issuerHostPath, mutatedContainers, parseRoleArn, subjectOf, time } from './subject';
import { applyRestart, planRestart, restartDetails, withWorkloads, type RestartPlan } from './restartPlan';
import { CORRECTABLE_TRUST, correctTrustPolicy, type TrustCorrection } from './trustFix';

interface FixBase {
  /** The button that offers it. */
  label: string;
  /** The confirmation's question: "Create the IAM OIDC provider for https://...". */
  action: string;
  /** The confirmation's button. */
  confirmLabel: string;
  /** What will be sent, one line each, for the confirmation. */
  details: string[];
}

export type WorkloadFix =
  | (FixBase & { kind: 'create-oidc-provider'; request: OidcProviderRequest })
  | (FixBase & { kind: 'add-client-id'; request: ClientIdRequest })
  | (FixBase & { kind: 'update-trust-policy'; correction: TrustCorrection })
  | (FixBase & { kind: 'create-association'; request: Omit<AssociationRequest, 'roleArn'> & { roleArn?: string }; /** The role must be in it (iam:PassRole). */ clusterAccount?: string })
  | (FixBase & { kind: 'restart-pods'; plan: RestartPlan; /** Every stale pod, restarted or not. */ stale: OwnedPod[] })
  | (FixBase & { kind: 'install-agent'; clusterName: string; addonName: string });

export const RESTART_KINDS: FindingKind[] = ['pod-created-before', 'not-injected', 'injected-other-role', 'association-changed'];

/** Whether the fixes need the service account's pods (the restart fix lists them). */
export function needsPods(explanation: WorkloadExplanation): boolean {
  return explanation.steps.some((s) => s.verdict !== 'ok' && s.kind !== undefined && RESTART_KINDS.includes(s.kind));
}

/** The pods of the service account that lack what the webhook would inject now, or predate a changed association. */
function podsToRestart(inputs: WorkloadInputs, explanation: WorkloadExplanation, pods: OwnedPod[]): OwnedPod[] {
  const sa = inputs.serviceAccount;
  const changedAt = explanation.steps.some((s) => s.kind === 'association-changed') ? time(inputs.association?.modifiedAt) : undefined;
  const role = sa.annotations?.[IRSA_ANNOTATIONS.roleArn]?.trim();
  return pods.filter((p) => {
    if (p.namespace !== sa.namespace || (p.serviceAccountName ?? 'default') !== sa.name) return false;
    const containers = mutatedContainers(p);
    const created = time(p.creationTimestamp);
    if (changedAt !== undefined && created !== undefined && created < changedAt) return true;
    if (inputs.association) return !envOf(containers, ENV.containerFullUri).present;
    return role !== undefined && envOf(containers, ENV.roleArn).value !== role;
  });
}

/**
 * The service account's stale pods, each with the Deployment behind its ReplicaSet, for {@link planWorkloadFixes}:
 * only these pods' ReplicaSets are read.
 */
export async function podsForRestart(gw: WorkloadFixGateway, inputs: WorkloadInputs, explanation: WorkloadExplanation, listed?: OwnedPod[]): Promise<OwnedPod[]> {
  const pods = listed ?? (await gw.listPods(inputs.serviceAccount.namespace));
  return withWorkloads(podsToRestart(inputs, explanation, pods), gw);
}

function issuerUrl(issuer: string): string {
  return `https://${issuerHostPath(issuer)}`;
}

/** AddClientIDToOpenIDConnectProvider for the audience the service account asks for, and what else the user should know. */
function addClientIdFix(inputs: WorkloadInputs, explanation: WorkloadExplanation): Extract<WorkloadFix, { kind: 'add-client-id' }> | undefined {
  const s = subjectOf(inputs);
  const { provider, providerArn, otherAccount } = irsaProviderOf(s);
  const arn = provider?.arn ?? providerArn;
  // A provider in another account is not one the cluster account's credentials can change.
  if (!arn || otherAccount) return undefined;
  const request = { providerArn: arn, clientId: s.audience };
  const trust = explanation.steps.find((st) => st.id === 'trust');
  const details = [`iam:AddClientIDToOpenIDConnectProvider OpenIDConnectProviderArn=${arn} ClientID=${s.audience}`];
  if (provider?.clientIds?.includes(DEFAULT_IRSA_AUDIENCE)) {
    details.push(`instead: remove the ${IRSA_ANNOTATIONS.audience} annotation from ${s.who} and restart its pods; the webhook then asks for ${DEFAULT_IRSA_AUDIENCE}, which the provider lists`);
  }
  if (trust?.verdict === 'fail') details.push(`the trust policy of ${irsaRoleInUse(s) ?? 'the role'} does not accept this token either; the explanation offers to correct it next`);
  return { kind: 'add-client-id', label: 'Add the Client ID to the OIDC Provider', action: `Add ${s.audience} as a client ID of the OIDC provider ${arn}`, confirmLabel: 'Add Client ID', details, request };
}

/** The fixes for the explanation's failing steps, in the order of the steps, each once. */
export function planWorkloadFixes(inputs: WorkloadInputs, explanation: WorkloadExplanation, pods: OwnedPod[] = []): WorkloadFix[] {
  const out: WorkloadFix[] = [];
  const has = (kind: WorkloadFix['kind']) => out.some((f) => f.kind === kind);
  const cluster = inputs.cluster.name ?? '';
  const sa = inputs.serviceAccount;
  const who = `${sa.namespace}/${sa.name}`;
  // An audience the provider does not list breaks the chain first; trusting that audience too would only hide it.
  const clientIdMissing = explanation.steps.some((s) => s.kind === 'oidc-client-id-missing');
  for (const step of explanation.steps) {
    if (step.verdict === 'ok' || !step.kind) continue;
    const kind = step.kind;
    if (kind === 'oidc-provider-missing' && inputs.cluster.oidcIssuer && !irsaProviderOf(subjectOf(inputs)).otherAccount && !has('create-oidc-provider')) {
      const audience = sa.annotations?.[IRSA_ANNOTATIONS.audience]?.trim() || DEFAULT_IRSA_AUDIENCE;
      // The provider serves every service account of the cluster: those without the annotation ask for the default.
      const request = { url: issuerUrl(inputs.cluster.oidcIssuer), clientIds: [...new Set([DEFAULT_IRSA_AUDIENCE, audience])] };
      out.push({ kind: 'create-oidc-provider', label: 'Create the IAM OIDC Provider', action: `Create an IAM OIDC provider for ${request.url}`, confirmLabel: 'Create', details: [`iam:CreateOpenIDConnectProvider Url=${request.url} ClientIDList=${request.clientIds.join(',')}`, 'no thumbprint: IAM verifies the EKS issuer with its own trusted CAs'], request });
    } else if (kind === 'oidc-client-id-missing' && !has('add-client-id')) {
      const fix = addClientIdFix(inputs, explanation);
      if (fix) out.push(fix);
    } else if (step.id === 'trust' && CORRECTABLE_TRUST.includes(kind) && !clientIdMissing && !has('update-trust-policy')) {
      const correction = correctTrustPolicy(inputs, explanation);
      if (correction) {
        out.push({ kind: 'update-trust-policy', label: 'Correct the Trust Policy...', action: `Update the trust policy of ${correction.roleArn}`, confirmLabel: 'Update', details: [`iam:UpdateAssumeRolePolicy RoleName=${correction.roleName}`, ...correction.changes], correction });
      }
    } else if ((kind === 'no-mechanism' || kind === 'association-missing') && cluster && !has('create-association')) {
      const request = { clusterName: cluster, namespace: sa.namespace, serviceAccount: sa.name };
      out.push({ kind: 'create-association', label: 'Create a Pod Identity Association...', action: `Create a Pod Identity association for ${who}`, confirmLabel: 'Create', details: [`eks:CreatePodIdentityAssociation clusterName=${cluster} namespace=${sa.namespace} serviceAccount=${sa.name}`, 'needs iam:PassRole on the role, which must be in the cluster\'s account'], request, clusterAccount: inputs.cluster.accountId });
    } else if (RESTART_KINDS.includes(kind) && !has('restart-pods')) {
      const stale = podsToRestart(inputs, explanation, pods);
      const restart = planRestart(stale);
      const counts = [restart.workloads.length && `${restart.workloads.length} workload${restart.workloads.length === 1 ? '' : 's'}`, restart.deletes.length && `${restart.deletes.length} pod${restart.deletes.length === 1 ? '' : 's'}`].filter(Boolean);
      if (counts.length) {
        out.push({ kind: 'restart-pods', label: 'Restart the Pods...', action: `Restart ${counts.join(' and ')} of ${who} so the webhook admits new pods`, confirmLabel: 'Restart', details: restartDetails(restart), plan: restart, stale });
      }
    } else if (kind === 'agent-missing' && cluster && !has('install-agent')) {
      out.push({ kind: 'install-agent', label: 'Install the Pod Identity Agent', action: `Install the ${AGENT_ADDON} add-on on ${cluster}`, confirmLabel: 'Install', details: [`eks:CreateAddon clusterName=${cluster} addonName=${AGENT_ADDON}`], clusterName: cluster, addonName: AGENT_ADDON });
    }
  }
  return out;
}

/** The association fix with the role the user named; the confirmation then shows the whole request. */
export function withAssociationRole(fix: Extract<WorkloadFix, { kind: 'create-association' }>, roleArn: string): Extract<WorkloadFix, { kind: 'create-association' }> {
  return { ...fix, request: { ...fix.request, roleArn }, details: [`${fix.details[0]} roleArn=${roleArn}`, ...fix.details.slice(1)] };
}

/**
 * Why a role cannot be the association's: not a role ARN, or in another account than the cluster's. EKS passes the
 * role with iam:PassRole, so it must be in the cluster's account (EKS User Guide, pod-id-assign-target-role); another
 * account is reached with a target role.
 */
export function associationRoleProblem(fix: Extract<WorkloadFix, { kind: 'create-association' }>, roleArn: string): { kind: 'not-a-role' } | { kind: 'other-account'; roleAccount: string; clusterAccount: string } | undefined {
  const role = parseRoleArn(roleArn.trim());
  if (!role) return { kind: 'not-a-role' };
  if (fix.clusterAccount && role.account !== fix.clusterAccount) return { kind: 'other-account', roleAccount: role.account, clusterAccount: fix.clusterAccount };
  return undefined;
}

/** Carries out a confirmed fix; returns what was done, one line each. */
export async function applyWorkloadFix(fix: WorkloadFix, gw: WorkloadFixGateway): Promise<string[]> {
  switch (fix.kind) {
    case 'create-oidc-provider':
      return [`created ${(await gw.createOidcProvider(fix.request)) ?? `the OIDC provider for ${fix.request.url}`}`];
    case 'add-client-id':
      await gw.addClientIdToOidcProvider(fix.request);
      return [`added client ID ${fix.request.clientId} to ${fix.request.providerArn}`];
    case 'update-trust-policy':
      await gw.updateAssumeRolePolicy(fix.correction.roleName, fix.correction.after);
      return [`updated the trust policy of ${fix.correction.roleArn}`];
    case 'create-association': {
      const { roleArn } = fix.request;
      if (!roleArn) throw new Error('The association needs a role: name one first.');
      const id = await gw.createPodIdentityAssociation({ ...fix.request, roleArn });
      return [`created association ${id ?? ''} for ${fix.request.namespace}/${fix.request.serviceAccount} with ${roleArn}`.replace('  ', ' ')];
    }
    case 'restart-pods':
      return applyRestart(fix.plan, gw);
    case 'install-agent':
      await gw.createAddon(fix.clusterName, fix.addonName);
      return [`created add-on ${fix.addonName} on ${fix.clusterName}`];
  }
}
