/**
 * The aws-auth ConfigMap read from and written to a cluster's API server with `@kubernetes/client-node`,
 * authenticated by an EKS bearer token built in-process.
 */
import { ApiException, CoreV1Api, KubeConfig, RbacAuthorizationV1Api, V1ConfigMap } from '@kubernetes/client-node';
import type { Binding } from '../access/explain';
import { getEksToken, TokenCredentials } from './token';

export interface KubeTarget {
  clusterName: string;
  region: string;
  endpoint: string;
  /** Base64 PEM from DescribeCluster's certificateAuthority.data. */
  caData: string;
  credentials: () => Promise<TokenCredentials>;
}

export interface AwsAuthObject {
  data: Record<string, string>;
  resourceVersion: string;
  /** The whole object as the API server returned it. */
  raw: V1ConfigMap;
}

/** Raised when a save lost the race with another writer: nothing was written. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

export interface KubeGateway {
  /** Undefined when the cluster has no aws-auth ConfigMap. */
  getAwsAuth(): Promise<AwsAuthObject | undefined>;
  /**
   * Writes new `data` over the object as it was read: labels, annotations (kubectl's last-applied-configuration,
   * Helm's ownership), ownerReferences and binaryData stay; the read resourceVersion makes a concurrent change a
   * ConflictError instead of a lost update.
   */
  replaceAwsAuth(read: AwsAuthObject, data: Record<string, string>): Promise<AwsAuthObject>;
  /** Every ClusterRoleBinding and RoleBinding, to find what a user or its groups are granted. */
  listRbacBindings(): Promise<Binding[]>;
}

const NAMESPACE = 'kube-system';
const NAME = 'aws-auth';

/**
 * An EKS token is a credential for about 15 minutes, valid against any cluster that trusts the caller: it goes only
 * to the endpoint DescribeCluster named for that cluster, over TLS verified with the CA DescribeCluster returned.
 */
export function checkKubeTarget(target: Pick<KubeTarget, 'clusterName' | 'endpoint' | 'caData'>): void {
  let url: URL;
  try {
    url = new URL(target.endpoint);
  } catch {
    throw new Error(`Cluster ${target.clusterName} has no valid endpoint (${JSON.stringify(target.endpoint)}): no token was sent.`);
  }
  if (url.protocol !== 'https:') throw new Error(`Cluster ${target.clusterName} names an endpoint that is not HTTPS (${url.origin}): no token was sent.`);
  if (!target.caData) throw new Error(`Cluster ${target.clusterName} has no certificate authority: its endpoint cannot be verified, so no token was sent.`);
}

export class ClientNodeKubeGateway implements KubeGateway {
  constructor(private readonly target: KubeTarget) {
    checkKubeTarget(target);
  }

  private async config(): Promise<KubeConfig> {
    const token = await getEksToken(this.target.clusterName, this.target.region, await this.target.credentials());
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: this.target.clusterName, server: this.target.endpoint, caData: this.target.caData, skipTLSVerify: false }],
      users: [{ name: 'eks-auth-explorer', token }],
      contexts: [{ name: 'ctx', cluster: this.target.clusterName, user: 'eks-auth-explorer' }],
      currentContext: 'ctx',
    });
    return kc;
  }

  private async api(): Promise<CoreV1Api> {
    return (await this.config()).makeApiClient(CoreV1Api);
  }

  async listRbacBindings(): Promise<Binding[]> {
    const rbac = (await this.config()).makeApiClient(RbacAuthorizationV1Api);
    try {
      const [cluster, namespaced] = await Promise.all([rbac.listClusterRoleBinding(), rbac.listRoleBindingForAllNamespaces()]);
      const shape = (kind: Binding['kind'], b: { metadata?: { name?: string; namespace?: string }; roleRef: { kind: string; name: string }; subjects?: { kind: string; name: string }[] }): Binding => ({
        kind,
        name: b.metadata?.name ?? '',
        namespace: b.metadata?.namespace,
        roleRef: { kind: b.roleRef.kind, name: b.roleRef.name },
        subjects: (b.subjects ?? []).map((x) => ({ kind: x.kind, name: x.name })),
      });
      return [...cluster.items.map((b) => shape('ClusterRoleBinding', b)), ...namespaced.items.map((b) => shape('RoleBinding', b))];
    } catch (e) {
      throw kubeError(e, 'read', 'RBAC bindings');
    }
  }

  async getAwsAuth(): Promise<AwsAuthObject | undefined> {
    const api = await this.api();
    try {
      return toObject(await api.readNamespacedConfigMap({ name: NAME, namespace: NAMESPACE }));
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return undefined;
      throw kubeError(e, 'read');
    }
  }

  async replaceAwsAuth(read: AwsAuthObject, data: Record<string, string>): Promise<AwsAuthObject> {
    const api = await this.api();
    // managedFields left out keeps the server's own record of field owners unchanged.
    const metadata = { ...read.raw.metadata };
    delete metadata.managedFields;
    const body: V1ConfigMap = { ...read.raw, apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...metadata, name: NAME, namespace: NAMESPACE, resourceVersion: read.resourceVersion }, data };
    try {
      return toObject(await api.replaceNamespacedConfigMap({ name: NAME, namespace: NAMESPACE, body }));
    } catch (e) {
      if (e instanceof ApiException && e.code === 409) throw new ConflictError(statusMessage(e) ?? 'the object has been modified');
      throw kubeError(e, 'write');
    }
  }
}

function toObject(cm: V1ConfigMap): AwsAuthObject {
  return { data: cm.data ?? {}, resourceVersion: cm.metadata?.resourceVersion ?? '', raw: cm };
}

function statusMessage(e: ApiException<unknown>): string | undefined {
  const body = e.body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message;
    } catch {
      return body.slice(0, 200);
    }
  }
  return (body as { message?: string } | undefined)?.message;
}

/** Turns API server errors into messages that say what to do next. */
export function kubeError(e: unknown, verb: 'read' | 'write', what = 'kube-system/aws-auth'): Error {
  if (e instanceof ApiException) {
    const detail = statusMessage(e) ?? `HTTP ${e.code}`;
    if (e.code === 401) return new Error(`The cluster rejected the token (401 Unauthorized): this identity is not mapped by an access entry or aws-auth, or the clock is off. Run "EKS: Troubleshoot Authentication" to see why.`);
    if (e.code === 403) return new Error(`Kubernetes RBAC refused to ${verb} ${what} (403 Forbidden): ${detail}`);
    return new Error(`Could not ${verb} ${what}: ${detail}`);
  }
  return e instanceof Error ? e : new Error(String(e));
}
