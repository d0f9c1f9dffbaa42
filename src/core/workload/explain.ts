/**
 * Why a pod gets, or does not get, its IAM role: the four steps of docs/workload-identity.md.
 *
 * 1. Which mechanism applies: an EKS Pod Identity association for the namespace and service account, the IRSA
 *    annotation, both or neither. The webhook injects container credentials when an association exists and web
 *    identity only otherwise (aws/amazon-eks-pod-identity-webhook pkg/handler/handler.go, buildPodPatchConfig:
 *    "Container credentials method takes precedence"); when a pod carries both sets of variables the SDKs read the web
 *    identity token first (the default chain: environment, SSO, shared config, process, web identity token file, then
 *    container credentials, then IMDS; @aws-sdk/credential-provider-node defaultProvider.js and remoteProvider.js).
 * 2. Whether the pod was given it: the env and projected volume the webhook adds at admission (so only to pods created
 *    after the association or annotation), the Pod Identity Agent on the node, `hostNetwork`.
 * 3. Whether AWS lets it in: the IAM OIDC provider and the trust policy (IRSA), or the trust policy for
 *    pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession, and a target role's trust (Pod Identity).
 * 4. What the pod ends up with: the role, or the fallback and the message the SDK shows.
 */
import type { PodIdentityAssociationInfo, Step, WorkloadExplanation, WorkloadInputs } from './model';
import { awsTrustSteps } from './awsTrust';
import { agentStep, injectionSteps } from './injectionStep';
import { mechanismSteps } from './mechanismStep';
import { outcome, sdkStep } from './outcome';
import { SOURCES } from './sources';
import { subjectOf } from './subject';
import type { PolicyCache } from './trustSteps';

// The steps' vocabulary keeps its import surface here, so consumers import from one module.
export { irsaSettings } from './mechanismStep';
export { SDK_MESSAGES, SOURCES } from './sources';
export { issuerHostPath, parseRoleArn } from './subject';
export type { PolicyCache } from './trustSteps';

/** Explains one service account (and, if given, one of its pods) through the whole chain. */
export function explainWorkload(inputs: WorkloadInputs, cache: PolicyCache = new Map()): WorkloadExplanation {
  const steps: Step[] = [];
  const s = subjectOf(inputs);
  const { sa, who } = s;

  for (const u of inputs.unreadable ?? []) {
    steps.push({ id: 'read', verdict: 'unknown', kind: 'not-permitted', title: `Could not read ${u.what}`, evidence: [u.detail], fix: `Allow ${u.permission} to explain this step too.`, source: SOURCES.permissions });
  }
  if (inputs.serviceAccountMissing) {
    steps.push({ id: 'mechanism', verdict: 'fail', kind: 'service-account-missing', title: `Service account ${who} does not exist`, evidence: ['a pod that names a missing service account is refused at admission'], fix: `kubectl create serviceaccount -n ${sa.namespace} ${sa.name}`, source: SOURCES.irsaTrust });
  }

  mechanismSteps(s, steps);
  injectionSteps(s, steps);
  agentStep(s, steps);
  const trust = awsTrustSteps(s, steps, cache);
  sdkStep(inputs, s.mechanism, steps);
  return outcome(inputs, s.mechanism, steps, trust);
}

/**
 * Explains many service accounts of one cluster: associations are indexed once by namespace/name and each trust
 * policy is parsed once, so the work grows with the number of service accounts, not with its square.
 */
export function explainServiceAccounts(
  base: Omit<WorkloadInputs, 'serviceAccount' | 'association' | 'pod'>,
  serviceAccounts: WorkloadInputs['serviceAccount'][],
  associations: PodIdentityAssociationInfo[] | undefined,
): { serviceAccount: string; explanation: WorkloadExplanation }[] {
  const index = new Map<string, PodIdentityAssociationInfo>();
  for (const a of associations ?? []) index.set(`${a.namespace}/${a.serviceAccount}`, a);
  const cache: PolicyCache = new Map();
  return serviceAccounts.map((sa) => {
    const key = `${sa.namespace}/${sa.name}`;
    const association = associations ? (index.get(key) ?? null) : undefined;
    return { serviceAccount: key, explanation: explainWorkload({ ...base, serviceAccount: sa, association }, cache) };
  });
}
