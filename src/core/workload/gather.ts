/**
 * Reads what the explanation needs from AWS and the cluster, in parallel where the calls do not depend on each
 * other. A call the identity may not make (AccessDenied, 403) leaves its input unread and says which permission is
 * missing; what can still be explained is explained.
 */
import { mapLimit } from '../concurrency';
import { explainServiceAccounts, parseRoleArn } from './explain';
import { IRSA_ANNOTATIONS, type PodIdentityAssociationInfo, type ServiceAccountInfo, type WorkloadInputs } from './model';
import type { OtherAccountReader } from './otherAccounts';
import type { WorkloadEksGateway, WorkloadIamGateway, WorkloadKubeGateway } from './workloadGateway';

export interface WorkloadGateways {
  eks: WorkloadEksGateway;
  iam: WorkloadIamGateway;
  kube: WorkloadKubeGateway;
  /** The user's configured profiles in other accounts, for a target role's trust policy (otherAccounts.ts). */
  otherAccounts?: OtherAccountReader;
}

/** `NAMESPACE/NAME` with Kubernetes' name rules (a DNS label, then a DNS subdomain); groups 1 and 3 are the parts. */
export const NAMESPACED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/;

export type WorkloadTarget = { serviceAccount: { namespace: string; name: string } } | { pod: { namespace: string; name: string } };

/** Whether an error is a refusal by IAM policy or Kubernetes RBAC, as opposed to a fault worth raising. */
export function isPermissionError(e: unknown): boolean {
  const err = e as { name?: string; code?: number };
  return ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation'].includes(err?.name ?? '') || err?.code === 403;
}

/** The Kubernetes permissions each read needs, as a refused read names them. */
const KUBE = {
  getServiceAccount: 'Kubernetes get serviceaccounts',
  listPods: 'Kubernetes list pods in kube-system',
  getPod: 'Kubernetes get pods',
};

/** Calls in flight at once per cluster: enough to hide latency, few enough to stay under the services' rate limits. */
const CONCURRENCY = 16;

/** One explanation's reads: refusals recorded with their permission, each role's trust policy read once. */
class Reads {
  readonly unreadable: NonNullable<WorkloadInputs['unreadable']> = [];
  readonly trustPolicies: Record<string, string> = {};
  readonly missingRoles: string[] = [];
  readonly otherAccountRoles: NonNullable<WorkloadInputs['otherAccountRoles']> = {};
  private readonly requested = new Set<string>();

  constructor(
    private readonly iam: WorkloadGateways['iam'],
    private readonly accountId: string | undefined,
  ) {}

  async attempt<T>(what: string, permission: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (e) {
      if (!isPermissionError(e)) throw e;
      this.unreadable.push({ what, permission, detail: (e as Error).message ?? String(e) });
      return undefined;
    }
  }

  /** Reads the trust policies of roles in the cluster's account; a role in another account needs that account's credentials. */
  readRoles(arns: (string | undefined)[]): Promise<unknown> {
    const fresh: string[] = [];
    for (const a of arns) {
      if (!a || this.requested.has(a) || (this.accountId && parseRoleArn(a)?.account !== this.accountId)) continue;
      this.requested.add(a);
      fresh.push(a);
    }
    return mapLimit(fresh, CONCURRENCY, (arn) => this.readRole(arn, 'iam:GetRole', this.iam));
  }

  /** One role's trust policy: kept when read, a missing role when IAM has none, a refusal recorded with its permission. */
  private async readRole(arn: string, permission: string, iam: Pick<WorkloadGateways['iam'], 'getRoleTrustPolicy'>): Promise<void> {
    const what = `the trust policy of ${arn}`;
    const text = await this.attempt(what, permission, () => iam.getRoleTrustPolicy(arn));
    if (text !== undefined) this.trustPolicies[arn] = text;
    else if (!this.unreadable.some((u) => u.what === what)) this.missingRoles.push(arn);
  }

  /**
   * Reads a role in another account with the user's configured profile in that account, if there is one; for an IRSA
   * role also that account's OIDC providers, where STS looks for the cluster's issuer (EKS User Guide, cross-account-access).
   */
  async readOtherAccountRole(arn: string | undefined, other: OtherAccountReader | undefined, withProviders = false): Promise<void> {
    const account = arn ? parseRoleArn(arn)?.account : undefined;
    // Without the user's profiles (the CLI), the step says only that the policy was not given, as for any role.
    if (!other || !arn || !account || !this.accountId || account === this.accountId || this.requested.has(arn)) return;
    this.requested.add(arn);
    const entry: NonNullable<WorkloadInputs['otherAccountRoles']>[string] = { account };
    this.otherAccountRoles[arn] = entry;
    try {
      const reader = await other.forAccount(account);
      if (!reader) return;
      entry.profile = reader.profile;
      const listProviders = withProviders ? reader.iam.listOidcProviders?.bind(reader.iam) : undefined;
      await Promise.all([
        this.readRole(arn, `iam:GetRole for profile ${reader.profile} (account ${account})`, reader.iam),
        listProviders &&
          this.attempt(`the IAM OIDC providers of account ${account}`, `iam:ListOpenIDConnectProviders and iam:GetOpenIDConnectProvider for profile ${reader.profile} (account ${account})`, listProviders).then((p) => {
            entry.oidcProviders = p;
          }),
      ]);
    } catch (e) {
      // Another account's profile (expired SSO, a failing credential_process) leaves this one step unknown, not the explanation.
      entry.failed = (e as Error).message ?? String(e);
    }
  }
}

/** The cluster as the explanation reads it, from its name, region and what DescribeCluster said. */
export function workloadCluster(name: string, region: string, described: { arn?: string; oidcIssuer?: string }): WorkloadInputs['cluster'] & { name: string } {
  return { name, arn: described.arn, region, accountId: described.arn?.split(':')[4], oidcIssuer: described.oidcIssuer };
}

export async function gatherWorkload(gw: WorkloadGateways, cluster: WorkloadInputs['cluster'] & { name: string }, target: WorkloadTarget): Promise<WorkloadInputs> {
  const reads = new Reads(gw.iam, cluster.accountId);
  const attempt = reads.attempt.bind(reads);
  const unreadable = reads.unreadable;
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

  const podRole = pod?.containers.flatMap((c) => c.env ?? []).find((e) => e.name === 'AWS_ROLE_ARN')?.value;
  const irsaRole = sa?.annotations?.[IRSA_ANNOTATIONS.roleArn]?.trim();
  await Promise.all([
    reads.readRoles([association?.roleArn, association?.targetRoleArn, irsaRole, podRole]),
    reads.readOtherAccountRole(association?.targetRoleArn ?? undefined, gw.otherAccounts),
    reads.readOtherAccountRole(podRole ?? irsaRole, gw.otherAccounts, true),
  ]);

  const ready = pod?.nodeName && association && agent?.addonStatus && agent.addonStatus !== 'absent' ? await attempt('the agent pods', KUBE.listPods, () => gw.kube.agentReadyOnNode(pod.nodeName!)) : undefined;
  return {
    cluster,
    serviceAccount: sa ?? { namespace, name },
    serviceAccountMissing: sa === undefined && !unreadable.some((u) => u.permission === KUBE.getServiceAccount) ? true : undefined,
    association,
    trustPolicies: reads.trustPolicies,
    missingRoles: reads.missingRoles,
    otherAccountRoles: Object.keys(reads.otherAccountRoles).length ? reads.otherAccountRoles : undefined,
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
  rows: { serviceAccount: string; explanation: ReturnType<typeof explainServiceAccounts>[number]['explanation']; /** The association's role, else the annotation's. */ roleArn?: string }[];
  unreadable: NonNullable<WorkloadInputs['unreadable']>;
}

/**
 * The workload identity section of one cluster: every service account that uses IRSA or Pod Identity, explained.
 * Associations are described and trust policies read at most {@link CONCURRENCY} at a time, each role once.
 */
export async function gatherCluster(gw: WorkloadGateways, cluster: WorkloadInputs['cluster'] & { name: string }): Promise<ClusterWorkloads> {
  const reads = new Reads(gw.iam, cluster.accountId);
  const attempt = reads.attempt.bind(reads);
  const readRoles = reads.readRoles.bind(reads);

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
  const roles = new Map([...wanted].map(([key, sa]) => [key, sa.annotations?.[IRSA_ANNOTATIONS.roleArn]]));
  for (const a of associations ?? []) roles.set(`${a.namespace}/${a.serviceAccount}`, a.roleArn);
  const rows = explainServiceAccounts({ cluster, trustPolicies: reads.trustPolicies, missingRoles: reads.missingRoles, oidcProviders, agent, unreadable: [] }, [...wanted.values()], associations).map((r) => ({ ...r, roleArn: roles.get(r.serviceAccount) }));
  return { cluster, oidcProviders, agent, associations, rows, unreadable: reads.unreadable };
}
