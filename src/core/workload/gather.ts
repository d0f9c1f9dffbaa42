/**
 * Reads what the explanation needs from AWS and the cluster, in parallel where the calls do not depend on each
 * other. A call the identity may not make (AccessDenied, 403) leaves its input unread and says which permission is
 * missing; what can still be explained is explained.
 */
import { mapLimit } from '../concurrency';
import { explainServiceAccounts, parseRoleArn } from './explain';
import { IRSA_ANNOTATIONS, type PodIdentityAssociationInfo, type ServiceAccountInfo, type WorkloadInputs } from './model';
import type { WorkloadEksGateway, WorkloadIamGateway, WorkloadKubeGateway } from './workloadGateway';

export interface WorkloadGateways {
  eks: WorkloadEksGateway;
  iam: WorkloadIamGateway;
  kube: WorkloadKubeGateway;
}

export type WorkloadTarget = { serviceAccount: { namespace: string; name: string } } | { pod: { namespace: string; name: string } };

/** Whether an error is a refusal by IAM policy or Kubernetes RBAC, as opposed to a fault worth raising. */
export function isPermissionError(e: unknown): boolean {
  const err = e as { name?: string; code?: number; $metadata?: { httpStatusCode?: number } };
  return ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation'].includes(err?.name ?? '') || err?.code === 403;
}

/** The Kubernetes permission a 403 names, for the message. */
const KUBE = {
  getServiceAccount: 'Kubernetes get serviceaccounts',
  listPods: 'Kubernetes list pods in kube-system',
  getPod: 'Kubernetes get pods',
};

export async function gatherWorkload(gw: WorkloadGateways, cluster: WorkloadInputs['cluster'] & { name: string }, target: WorkloadTarget): Promise<WorkloadInputs> {
  const unreadable: NonNullable<WorkloadInputs['unreadable']> = [];
  async function attempt<T>(what: string, permission: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (e) {
      if (!isPermissionError(e)) throw e;
      unreadable.push({ what, permission, detail: (e as Error).message ?? String(e) });
      return undefined;
    }
  }

  const pod = 'pod' in target ? await attempt(`pod ${target.pod.namespace}/${target.pod.name}`, KUBE.getPod, () => gw.kube.getPod(target.pod.namespace, target.pod.name)) : undefined;
  // Without the pod its service account is unknown, and guessing one would explain the wrong thing.
  if ('pod' in target && pod === undefined) {
    throw new Error(unreadable.length ? `Cannot read pod ${target.pod.namespace}/${target.pod.name} (${KUBE.getPod} is not allowed): name its service account instead.` : `No pod ${target.pod.namespace}/${target.pod.name} in cluster ${cluster.name}.`);
  }
  const namespace = 'pod' in target ? (pod?.namespace ?? target.pod.namespace) : target.serviceAccount.namespace;
  const name = 'pod' in target ? (pod?.serviceAccountName ?? 'default') : target.serviceAccount.name;

  const [sa, association, agent, oidcProviders] = await Promise.all([
    attempt(`service account ${namespace}/${name}`, KUBE.getServiceAccount, () => gw.kube.getServiceAccount(namespace, name)),
    attempt<PodIdentityAssociationInfo | null>('the Pod Identity associations', 'eks:ListPodIdentityAssociations and eks:DescribePodIdentityAssociation', async () => {
      const [first] = await gw.eks.listPodIdentityAssociations(cluster.name, { namespace, serviceAccount: name });
      return first ? gw.eks.describePodIdentityAssociation(cluster.name, first.associationId) : null;
    }),
    attempt('the eks-pod-identity-agent add-on', 'eks:DescribeAddon', () => gw.eks.describeAgentAddon(cluster.name)),
    attempt('the IAM OIDC providers', 'iam:ListOpenIDConnectProviders and iam:GetOpenIDConnectProvider', () => gw.iam.listOidcProviders()),
  ]);

  // Roles in the cluster's account can be read with GetRole; a role in another account needs that account's credentials.
  const roles = new Set<string>();
  const annotated = sa?.annotations?.[IRSA_ANNOTATIONS.roleArn];
  const podRole = pod?.containers.flatMap((c) => c.env ?? []).find((e) => e.name === 'AWS_ROLE_ARN')?.value;
  for (const r of [association?.roleArn, association?.targetRoleArn, annotated, podRole]) if (r) roles.add(r);
  const trustPolicies: Record<string, string> = {};
  const missingRoles: string[] = [];
  await Promise.all(
    [...roles].map(async (roleArn) => {
      const account = parseRoleArn(roleArn)?.account;
      if (cluster.accountId && account !== cluster.accountId) return;
      const text = await attempt(`the trust policy of ${roleArn}`, 'iam:GetRole', () => gw.iam.getRoleTrustPolicy(roleArn));
      if (text !== undefined) trustPolicies[roleArn] = text;
      else if (!unreadable.some((u) => u.what === `the trust policy of ${roleArn}`)) missingRoles.push(roleArn);
    }),
  );

  const ready = pod?.nodeName && association && agent?.addonStatus && agent.addonStatus !== 'absent' ? await attempt('the agent pods', KUBE.listPods, () => gw.kube.agentReadyOnNode(pod.nodeName!)) : undefined;
  return {
    cluster,
    serviceAccount: sa ?? { namespace, name },
    serviceAccountMissing: sa === undefined && !unreadable.some((u) => u.permission === KUBE.getServiceAccount) ? true : undefined,
    association: association === undefined ? undefined : association,
    trustPolicies,
    missingRoles,
    oidcProviders,
    pod,
    agent: agent ? { ...agent, runningOnNode: ready } : undefined,
    unreadable,
  };
}

export interface ClusterWorkloads {
  cluster: WorkloadInputs['cluster'] & { name: string };
  oidcProviders?: NonNullable<WorkloadInputs['oidcProviders']>;
  agent?: NonNullable<WorkloadInputs['agent']>;
  associations?: PodIdentityAssociationInfo[];
  /** Service accounts with an IRSA annotation or a Pod Identity association, each explained. */
  rows: { serviceAccount: string; explanation: ReturnType<typeof explainServiceAccounts>[number]['explanation'] }[];
  unreadable: NonNullable<WorkloadInputs['unreadable']>;
}

/** Calls in flight at once per cluster: enough to hide latency, few enough to stay under the services' rate limits. */
const CONCURRENCY = 16;

/**
 * The workload identity section of one cluster: every service account that uses IRSA or Pod Identity, explained.
 * Associations are described and trust policies read at most {@link CONCURRENCY} at a time, each role once.
 */
export async function gatherCluster(gw: WorkloadGateways, cluster: WorkloadInputs['cluster'] & { name: string }): Promise<ClusterWorkloads> {
  const unreadable: NonNullable<WorkloadInputs['unreadable']> = [];
  async function attempt<T>(what: string, permission: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (e) {
      if (!isPermissionError(e)) throw e;
      unreadable.push({ what, permission, detail: (e as Error).message ?? String(e) });
      return undefined;
    }
  }
  const trustPolicies: Record<string, string> = {};
  const missingRoles: string[] = [];
  const requested = new Set<string>();
  const readRoles = (arns: (string | undefined)[]) => {
    const fresh: string[] = [];
    for (const a of arns) {
      if (!a || requested.has(a) || (cluster.accountId && parseRoleArn(a)?.account !== cluster.accountId)) continue;
      requested.add(a);
      fresh.push(a);
    }
    return mapLimit(fresh, CONCURRENCY, async (arn) => {
      const text = await attempt(`the trust policy of ${arn}`, 'iam:GetRole', () => gw.iam.getRoleTrustPolicy(arn));
      if (text !== undefined) trustPolicies[arn] = text;
      else if (!unreadable.some((u) => u.what === `the trust policy of ${arn}`)) missingRoles.push(arn);
    });
  };

  // The service accounts' IRSA roles are read while the associations are being described.
  const serviceAccountsThenRoles = attempt('the service accounts', 'Kubernetes list serviceaccounts', () => gw.kube.listServiceAccounts()).then(async (sas) => {
    await readRoles((sas ?? []).map((sa) => sa.annotations?.[IRSA_ANNOTATIONS.roleArn]));
    return sas;
  });
  const associationsThenRoles = attempt('the Pod Identity associations', 'eks:ListPodIdentityAssociations and eks:DescribePodIdentityAssociation', async () => {
    const list = await gw.eks.listPodIdentityAssociations(cluster.name);
    return mapLimit(list, CONCURRENCY, (a) => gw.eks.describePodIdentityAssociation(cluster.name, a.associationId));
  }).then(async (assocs) => {
    await readRoles((assocs ?? []).flatMap((a) => [a.roleArn, a.targetRoleArn]));
    return assocs;
  });
  const [serviceAccounts, associations, agent, oidcProviders] = await Promise.all([
    serviceAccountsThenRoles,
    associationsThenRoles,
    attempt('the eks-pod-identity-agent add-on', 'eks:DescribeAddon', () => gw.eks.describeAgentAddon(cluster.name)),
    attempt('the IAM OIDC providers', 'iam:ListOpenIDConnectProviders and iam:GetOpenIDConnectProvider', () => gw.iam.listOidcProviders()),
  ]);

  const byKey = new Map((serviceAccounts ?? []).map((sa) => [`${sa.namespace}/${sa.name}`, sa]));
  const wanted = new Map<string, ServiceAccountInfo>();
  for (const sa of serviceAccounts ?? []) if (sa.annotations?.[IRSA_ANNOTATIONS.roleArn]) wanted.set(`${sa.namespace}/${sa.name}`, sa);
  for (const a of associations ?? []) {
    const key = `${a.namespace}/${a.serviceAccount}`;
    wanted.set(key, byKey.get(key) ?? { namespace: a.namespace, name: a.serviceAccount });
  }
  const rows = explainServiceAccounts({ cluster, trustPolicies, missingRoles, oidcProviders, agent, unreadable: [] }, [...wanted.values()], associations);
  return { cluster, oidcProviders, agent, associations, rows, unreadable };
}
