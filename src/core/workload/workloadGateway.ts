/**
 * The live side of the workload identity explanation: EKS (ListPodIdentityAssociations,
 * DescribePodIdentityAssociation, DescribeAddon), IAM (GetRole, ListOpenIDConnectProviders,
 * GetOpenIDConnectProvider) and Kubernetes (service accounts, pods, the agent's pods), each behind an interface so the
 * gathering is tested with fakes and the gateways against the real SDKs.
 */
import { DescribeAddonCommand, DescribePodIdentityAssociationCommand, EKSClient, paginateListPodIdentityAssociations, type PodIdentityAssociation } from '@aws-sdk/client-eks';
import { GetOpenIDConnectProviderCommand, GetRoleCommand, IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { ApiException, CoreV1Api, type V1Container, type V1Pod } from '@kubernetes/client-node';
import { type AwsTarget, clientConfig } from '../aws/clients';
import { kubeConfigFor, type KubeTarget, checkKubeTarget } from '../aws/kubeGateway';
import { mapLimit } from '../concurrency';
import { AGENT_ADDON, keptEnv, type AgentInfo, type OidcProviderInfo, type PodIdentityAssociationInfo, type PodInfo, type ServiceAccountInfo } from './model';
import { parseRoleArn } from './explain';

export interface PodIdentityAssociationSummaryInfo {
  associationId: string;
  namespace: string;
  serviceAccount: string;
}

export interface WorkloadEksGateway {
  listPodIdentityAssociations(cluster: string, filter?: { namespace?: string; serviceAccount?: string }): Promise<PodIdentityAssociationSummaryInfo[]>;
  describePodIdentityAssociation(cluster: string, associationId: string): Promise<PodIdentityAssociationInfo>;
  /** `absent` when the cluster has no eks-pod-identity-agent add-on. */
  describeAgentAddon(cluster: string): Promise<AgentInfo>;
}

export interface WorkloadIamGateway {
  /** The trust policy as GetRole returns it (URL-encoded), or undefined when the role does not exist. */
  getRoleTrustPolicy(roleArn: string): Promise<string | undefined>;
  listOidcProviders(): Promise<OidcProviderInfo[]>;
}

export interface WorkloadKubeGateway {
  getServiceAccount(namespace: string, name: string): Promise<ServiceAccountInfo | undefined>;
  listServiceAccounts(): Promise<ServiceAccountInfo[]>;
  getPod(namespace: string, name: string): Promise<PodInfo | undefined>;
  /** Whether a ready eks-pod-identity-agent pod runs on the node. */
  agentReadyOnNode(nodeName: string): Promise<boolean>;
}

/** The DaemonSet's selector label (aws/eks-pod-identity-agent charts/eks-pod-identity-agent/templates/_helpers.tpl). */
export const AGENT_SELECTOR = 'app.kubernetes.io/name=eks-pod-identity-agent';
export { AGENT_ADDON } from './model';

const isNotFound = (e: unknown) => ['ResourceNotFoundException', 'NoSuchEntity', 'NoSuchEntityException'].includes((e as { name?: string }).name ?? '');

export function associationInfo(a: PodIdentityAssociation): PodIdentityAssociationInfo {
  return {
    associationId: a.associationId,
    associationArn: a.associationArn,
    clusterName: a.clusterName,
    namespace: a.namespace ?? '',
    serviceAccount: a.serviceAccount ?? '',
    roleArn: a.roleArn ?? '',
    targetRoleArn: a.targetRoleArn,
    disableSessionTags: a.disableSessionTags === true,
    externalId: a.externalId,
    createdAt: a.createdAt?.toISOString(),
    modifiedAt: a.modifiedAt?.toISOString(),
  };
}

export class SdkWorkloadEksGateway implements WorkloadEksGateway {
  constructor(
    readonly target: AwsTarget,
    private readonly client = new EKSClient(clientConfig(target, 'eks')),
  ) {}

  async listPodIdentityAssociations(cluster: string, filter: { namespace?: string; serviceAccount?: string } = {}): Promise<PodIdentityAssociationSummaryInfo[]> {
    const out: PodIdentityAssociationSummaryInfo[] = [];
    for await (const page of paginateListPodIdentityAssociations({ client: this.client }, { clusterName: cluster, ...filter })) {
      for (const a of page.associations ?? []) out.push({ associationId: a.associationId ?? '', namespace: a.namespace ?? '', serviceAccount: a.serviceAccount ?? '' });
    }
    return out;
  }

  async describePodIdentityAssociation(cluster: string, associationId: string): Promise<PodIdentityAssociationInfo> {
    const out = await this.client.send(new DescribePodIdentityAssociationCommand({ clusterName: cluster, associationId }));
    return associationInfo(out.association!);
  }

  async describeAgentAddon(cluster: string): Promise<AgentInfo> {
    try {
      const out = await this.client.send(new DescribeAddonCommand({ clusterName: cluster, addonName: AGENT_ADDON }));
      return { addonStatus: out.addon?.status };
    } catch (e) {
      if (isNotFound(e)) return { addonStatus: 'absent' };
      throw e;
    }
  }
}

export class SdkWorkloadIamGateway implements WorkloadIamGateway {
  constructor(
    readonly target: AwsTarget,
    private readonly client = new IAMClient({ ...clientConfig(target, 'iam'), region: target.region }),
  ) {}

  async getRoleTrustPolicy(roleArn: string): Promise<string | undefined> {
    const role = parseRoleArn(roleArn);
    if (!role) return undefined;
    try {
      return (await this.client.send(new GetRoleCommand({ RoleName: role.name }))).Role?.AssumeRolePolicyDocument;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async listOidcProviders(): Promise<OidcProviderInfo[]> {
    const list = (await this.client.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? [];
    // ListOpenIDConnectProviders names ARNs only; the client IDs come from GetOpenIDConnectProvider, a few at a time.
    return mapLimit(list, 4, async (p) => {
      const arn = p.Arn ?? '';
      try {
        const got = await this.client.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
        return { arn, url: got.Url ?? arn.slice(arn.indexOf('oidc-provider/') + 'oidc-provider/'.length), clientIds: got.ClientIDList ?? [] };
      } catch (e) {
        if (isNotFound(e)) return { arn, url: arn.slice(arn.indexOf('oidc-provider/') + 'oidc-provider/'.length) };
        throw e;
      }
    });
  }
}

/** A pod as the model reads it: env names, and values of the AWS variables only; never a value from a secret. */
export function podInfo(p: V1Pod): PodInfo {
  const containers = (list: V1Container[]) =>
    list.map((c) => ({ name: c.name, env: (c.env ?? []).map((e) => keptEnv(e.name, e.value)), volumeMounts: (c.volumeMounts ?? []).map((m) => ({ name: m.name, mountPath: m.mountPath })) }));
  return {
    name: p.metadata?.name ?? '',
    namespace: p.metadata?.namespace ?? 'default',
    uid: p.metadata?.uid,
    creationTimestamp: p.metadata?.creationTimestamp instanceof Date ? p.metadata.creationTimestamp.toISOString() : (p.metadata?.creationTimestamp as string | undefined),
    annotations: p.metadata?.annotations,
    serviceAccountName: p.spec?.serviceAccountName ?? 'default',
    hostNetwork: p.spec?.hostNetwork === true,
    nodeName: p.spec?.nodeName,
    containers: containers(p.spec?.containers ?? []),
    initContainers: containers(p.spec?.initContainers ?? []),
    volumes: (p.spec?.volumes ?? []).map((v) => ({
      name: v.name,
      projected: v.projected ? { sources: (v.projected.sources ?? []).map((s) => ({ serviceAccountToken: s.serviceAccountToken ? { audience: s.serviceAccountToken.audience, expirationSeconds: s.serviceAccountToken.expirationSeconds, path: s.serviceAccountToken.path } : undefined })) } : undefined,
    })),
  };
}

export class ClientNodeWorkloadKubeGateway implements WorkloadKubeGateway {
  constructor(private readonly target: KubeTarget) {
    checkKubeTarget(target);
  }

  private async api(): Promise<CoreV1Api> {
    return (await kubeConfigFor(this.target)).makeApiClient(CoreV1Api);
  }

  async getServiceAccount(namespace: string, name: string): Promise<ServiceAccountInfo | undefined> {
    try {
      const sa = await (await this.api()).readNamespacedServiceAccount({ namespace, name });
      return { namespace, name, annotations: sa.metadata?.annotations };
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return undefined;
      throw e;
    }
  }

  async listServiceAccounts(): Promise<ServiceAccountInfo[]> {
    const api = await this.api();
    const out: ServiceAccountInfo[] = [];
    let next: string | undefined;
    do {
      const page = await api.listServiceAccountForAllNamespaces({ limit: 500, _continue: next });
      for (const sa of page.items) out.push({ namespace: sa.metadata?.namespace ?? '', name: sa.metadata?.name ?? '', annotations: sa.metadata?.annotations });
      next = page.metadata?._continue || undefined;
    } while (next);
    return out;
  }

  async getPod(namespace: string, name: string): Promise<PodInfo | undefined> {
    try {
      return podInfo(await (await this.api()).readNamespacedPod({ namespace, name }));
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return undefined;
      throw e;
    }
  }

  async agentReadyOnNode(nodeName: string): Promise<boolean> {
    const pods = await (await this.api()).listNamespacedPod({ namespace: 'kube-system', labelSelector: AGENT_SELECTOR, fieldSelector: `spec.nodeName=${nodeName}` });
    return pods.items.some((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  }
}
