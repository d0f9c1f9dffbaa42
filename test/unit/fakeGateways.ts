/** Hand-written fakes of the gateways, for the tree nodes and the cluster service: data in, calls counted. */
import type { AccessEntry, AssociatedAccessPolicy, Cluster, EksGateway, FargateProfile, Nodegroup, Page } from '../../src/core/aws/eksGateway';
import type { KubeGateway } from '../../src/core/aws/kubeGateway';
import type { StsGateway } from '../../src/core/aws/stsGateway';
import type { ClusterRef, GatewaySource, Identity } from '../../src/core/clusters/clusterAccess';
import type { WorkloadConnection } from '../../src/core/workload/fixGateway';

export interface FakeCluster {
  name: string;
  mode?: 'CONFIG_MAP' | 'API_AND_CONFIG_MAP' | 'API';
  entries?: { arn: string; policies?: AssociatedAccessPolicy[]; type?: string; username?: string; groups?: string[] }[];
  awsAuth?: Record<string, string>;
  nodegroups?: Nodegroup[];
  fargate?: FargateProfile[];
  /** DescribeCluster's identity.oidc.issuer. */
  oidcIssuer?: string;
  /** Make DescribeCluster fail with this error. */
  describeError?: Error;
  /** Make ListNodegroups or ListFargateProfiles fail with this error. */
  nodegroupsError?: Error;
  fargateError?: Error;
}

export interface FakeWorld {
  identities: Identity[];
  callerArn?: string;
  /** Clusters per region. */
  clusters: Record<string, FakeCluster[]>;
  /** Make ListClusters fail in this region. */
  listError?: Record<string, Error>;
  /** DescribeCluster answers with what it read first, once this resolves: a slow answer that goes stale. */
  describeGate?: Promise<void>;
  /** The workload identity gateways of every cluster; the tree's Workload identity section reads them. */
  workload?: (ref: ClusterRef) => WorkloadConnection;
  calls: string[];
}

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403 } });
}

export function accessDenied(action: string): Error {
  return awsError('AccessDeniedException', `User: arn:aws:iam::111122223333:user/dev is not authorized to perform: ${action}`);
}

function clusterOf(c: FakeCluster, region: string): Cluster {
  return {
    name: c.name,
    arn: `arn:aws:eks:${region}:111122223333:cluster/${c.name}`,
    version: '1.31',
    platformVersion: 'eks.12',
    status: 'ACTIVE',
    endpoint: 'https://example.invalid',
    certificateAuthority: { data: 'Y2E=' },
    accessConfig: { authenticationMode: c.mode ?? 'API_AND_CONFIG_MAP' },
    logging: { clusterLogging: [{ types: ['authenticator'], enabled: true }] },
    resourcesVpcConfig: { vpcId: 'vpc-1', subnetIds: ['a', 'b'] },
    identity: c.oidcIssuer ? { oidc: { issuer: c.oidcIssuer } } : undefined,
  };
}

export function fakeSource(world: FakeWorld): GatewaySource & { resets: number } {
  const find = (region: string, name: string) => {
    const c = world.clusters[region]?.find((x) => x.name === name);
    if (!c) throw awsError('ResourceNotFoundException', `No cluster found for name: ${name}.`);
    return c;
  };
  const eks = (region: string): EksGateway => ({
    async *listClusters() {
      world.calls.push(`ListClusters ${region}`);
      const error = world.listError?.[region];
      if (error) throw error;
      for (const c of world.clusters[region] ?? []) yield c.name;
    },
    async describeCluster(name) {
      world.calls.push(`DescribeCluster ${name}`);
      const c = find(region, name);
      if (c.describeError) throw c.describeError;
      const answer = clusterOf(c, region);
      await world.describeGate;
      return answer;
    },
    async listNodegroups(name) {
      const c = find(region, name);
      if (c.nodegroupsError) throw c.nodegroupsError;
      return c.nodegroups ?? [];
    },
    async listFargateProfiles(name) {
      const c = find(region, name);
      if (c.fargateError) throw c.fargateError;
      return c.fargate ?? [];
    },
    async listAccessEntries(name, nextToken, maxResults = 100): Promise<Page<string>> {
      world.calls.push(`ListAccessEntries ${name} ${nextToken ?? ''}`);
      const all = (find(region, name).entries ?? []).map((e) => e.arn);
      const start = nextToken ? Number(nextToken) : 0;
      const items = all.slice(start, start + maxResults);
      return { items, nextToken: start + maxResults < all.length ? String(start + maxResults) : undefined };
    },
    async describeAccessEntry(name, arn): Promise<AccessEntry> {
      const e = find(region, name).entries!.find((x) => x.arn === arn)!;
      return { principalArn: e.arn, type: e.type ?? 'STANDARD', username: e.username ?? 'user', kubernetesGroups: e.groups ?? [] };
    },
    async listAssociatedAccessPolicies(name, arn) {
      return find(region, name).entries!.find((x) => x.arn === arn)?.policies ?? [];
    },
    async listAccessPolicies() {
      return [];
    },
    createAccessEntry: notUsed,
    deleteAccessEntry: notUsed,
    associateAccessPolicy: notUsed,
    disassociateAccessPolicy: notUsed,
    updateAuthenticationMode: notUsed,
    setLogging: notUsed,
    describeUpdate: notUsed,
  });
  const sts: StsGateway = {
    async getCallerIdentity() {
      world.calls.push('GetCallerIdentity');
      return { arn: world.callerArn ?? 'arn:aws:sts::111122223333:assumed-role/Admin/me', account: '111122223333', userId: 'AROA:me' };
    },
    async getCredentials() {
      return { accessKeyId: 'AKIA', secretAccessKey: 's' };
    },
  };
  const kube = (ref: ClusterRef): KubeGateway => ({
    async getAwsAuth() {
      world.calls.push(`GetConfigMap ${ref.cluster}`);
      const data = find(ref.region, ref.cluster).awsAuth;
      return data ? { data, resourceVersion: '1', raw: {} } : undefined;
    },
    replaceAwsAuth: notUsed,
    async listRbacBindings() {
      return [];
    },
  });
  const source = {
    resets: 0,
    async identities() {
      return world.identities;
    },
    async eksFor(_profile: string | undefined, region: string) {
      return eks(region);
    },
    async stsFor() {
      return sts;
    },
    async logsFor(): Promise<never> {
      throw new Error('logs are not faked');
    },
    async iamFor(): Promise<never> {
      throw new Error('IAM is not faked');
    },
    async kubeFor(ref: ClusterRef) {
      return kube(ref);
    },
    async workloadFor(ref: ClusterRef): Promise<WorkloadConnection> {
      if (!world.workload) throw new Error('workload identity is not faked');
      return world.workload(ref);
    },
    reset() {
      source.resets++;
    },
  };
  return source;
}

async function notUsed(): Promise<never> {
  throw new Error('not used by these tests');
}
