/**
 * The emulator's in-memory world: identities, clusters with their access configuration, aws-auth ConfigMaps and
 * authenticator log events. Scenarios are JSON files that describe it with times relative to start-up, so the demo
 * always shows recent log events.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Binding } from '../src/core/access/explain';
import type { ScenarioWorkload } from './workloadScenario';

export interface Identity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  arn: string;
  userId: string;
}

export interface AccessScope {
  type: 'cluster' | 'namespace';
  namespaces?: string[];
}

export interface AssociatedPolicy {
  policyArn: string;
  accessScope: AccessScope;
  associatedAt: number;
  modifiedAt: number;
}

export interface AccessEntry {
  principalArn: string;
  type: string;
  username: string;
  kubernetesGroups: string[];
  createdAt: number;
  modifiedAt: number;
  tags: Record<string, string>;
  policies: AssociatedPolicy[];
}

export interface LogEvent {
  timestamp: number;
  ingestionTime: number;
  logStreamName: string;
  message: string;
}

export interface LogGroup {
  name: string;
  region: string;
  createdAt: number;
  streams: Map<string, LogEvent[]>;
}

export interface ClusterUpdate {
  id: string;
  type: string;
  status: 'InProgress' | 'Successful' | 'Failed' | 'Cancelled';
  params: { type: string; value: string }[];
  createdAt: number;
  completesAt: number;
  errors: { errorCode: string; errorMessage: string }[];
}

/** The whole object, as an API server keeps it: a PUT replaces everything but the server-owned fields. */
export interface ConfigMapObject {
  data: Record<string, string>;
  binaryData?: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  resourceVersion: number;
  uid: string;
  creationTimestamp: string;
}

export interface Cluster {
  name: string;
  region: string;
  accountId: string;
  status: string;
  version: string;
  platformVersion: string;
  authenticationMode: string;
  bootstrapClusterCreatorAdminPermissions: boolean;
  logging: string[];
  oidcIssuer: string;
  vpcId: string;
  subnetIds: string[];
  endpointPublicAccess: boolean;
  endpointPrivateAccess: boolean;
  publicAccessCidrs: string[];
  roleArn: string;
  createdAt: number;
  nodegroups: { name: string; nodeRole: string; amiType: string; status: string }[];
  fargateProfiles: { name: string; podExecutionRoleArn: string; namespaces: string[] }[];
  accessEntries: Map<string, AccessEntry>;
  awsAuth?: ConfigMapObject;
  updates: Map<string, ClusterUpdate>;
  rbac: RbacBinding[];
  /** Set once the Kubernetes endpoint for this cluster is listening. */
  kube?: { endpoint: string; caData: string };
}

export type RbacBinding = Binding;

/** What every EKS cluster has: cluster-admin for system:masters, and the node bindings. */
const DEFAULT_BINDINGS: RbacBinding[] = [
  { kind: 'ClusterRoleBinding', name: 'cluster-admin', roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:masters' }] },
  { kind: 'ClusterRoleBinding', name: 'eks:node-bootstrapper', roleRef: { kind: 'ClusterRole', name: 'eks:node-bootstrapper' }, subjects: [{ kind: 'Group', name: 'system:bootstrappers' }, { kind: 'Group', name: 'system:nodes' }] },
];

export interface AccessPolicy {
  name: string;
  arn: string;
}

export interface EmulatorState {
  accountId: string;
  /** IAM role and user ARNs, with their paths, for GetRole and GetUser. */
  /** Maps, since they are looked up by request data (a RoleArn, an account and role name). */
  iam: { roles: string[]; users: string[]; trust: Map<string, string[]> };
  sso: { tokens: string[]; roles: Map<string, { roleArn: string; sessionName: string }> };
  identities: Identity[];
  clusters: Cluster[];
  accessPolicies: AccessPolicy[];
  logGroups: Map<string, LogGroup>;
}

/** Shape of a scenario file; see emulator/scenarios/demo.json. */
export interface Scenario {
  accountId: string;
  /** `trust`: role ARN -> the principal ARNs its trust policy lets call sts:AssumeRole. */
  iam?: { roles?: string[]; users?: string[]; trust?: Record<string, string[]> };
  /**
   * The IAM Identity Center portal: the access tokens a valid SSO cache holds, and for each `ACCOUNT/PERMISSION_SET`
   * the role its credentials are for and the session name (the SSO user).
   */
  sso?: { tokens: string[]; roles: Record<string, { roleArn: string; sessionName: string }> };
  identities: Identity[];
  accessPolicies?: AccessPolicy[];
  clusters: ScenarioCluster[];
  /** IRSA and EKS Pod Identity: OIDC providers, trust policies, associations, service accounts, pods. */
  workload?: ScenarioWorkload;
}

export interface ScenarioCluster {
  name: string;
  region: string;
  status?: string;
  version?: string;
  platformVersion?: string;
  authenticationMode?: string;
  bootstrapClusterCreatorAdminPermissions?: boolean;
  logging?: string[];
  vpcId?: string;
  subnetIds?: string[];
  endpointPublicAccess?: boolean;
  endpointPrivateAccess?: boolean;
  roleArn?: string;
  nodegroups?: { name: string; nodeRole: string; amiType?: string }[];
  fargateProfiles?: { name: string; podExecutionRoleArn: string; namespaces?: string[] }[];
  accessEntries?: {
    principalArn: string;
    type?: string;
    username?: string;
    kubernetesGroups?: string[];
    policies?: { policyArn: string; accessScope: AccessScope }[];
  }[];
  /** RBAC bindings besides the defaults every cluster has. */
  rbac?: RbacBinding[];
  /** aws-auth data; omitted means the ConfigMap does not exist. */
  awsAuth?: Record<string, string>;
  /** aws-auth labels and annotations (what eksctl, Helm and kubectl apply leave there). */
  awsAuthMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /** Authenticator log lines, `minutesAgo` before emulator start. */
  authenticatorLogs?: { minutesAgo: number; stream?: string; message: string }[];
  /** That many generated authenticator events spread over the last `days` (for benchmarks: a busy cluster). */
  syntheticAuthenticatorLogs?: { count: number; days: number };
}

export const DEFAULT_ACCESS_POLICIES: AccessPolicy[] = [
  'AmazonEKSAdminPolicy',
  'AmazonEKSAdminViewPolicy',
  'AmazonEKSClusterAdminPolicy',
  'AmazonEKSEditPolicy',
  'AmazonEKSViewPolicy',
  'AmazonEKSAutoNodePolicy',
  'AmazonEKSBlockStoragePolicy',
  'AmazonEKSComputePolicy',
  'AmazonEKSLoadBalancingPolicy',
  'AmazonEKSNetworkingPolicy',
].map((name) => ({ name, arn: `arn:aws:eks::aws:cluster-access-policy/${name}` }));

export const SCENARIO_DIR = path.join(__dirname, 'scenarios');

export function loadScenarioFile(nameOrPath: string): Scenario {
  const isPath = nameOrPath.endsWith('.json') || nameOrPath.includes('/');
  const file = isPath ? nameOrPath : path.join(resolveScenarioDir(), `${nameOrPath}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Scenario;
}

/** Scenarios live beside the sources; compiled code runs from out/emulator, so look there first. */
function resolveScenarioDir(): string {
  const candidates = [path.join(__dirname, '..', '..', 'emulator', 'scenarios'), SCENARIO_DIR];
  return candidates.find((dir) => fs.existsSync(dir)) ?? SCENARIO_DIR;
}

export function defaultUsername(principalArn: string, type: string): string {
  if (type.startsWith('EC2')) return 'system:node:{{EC2PrivateDNSName}}';
  if (type === 'FARGATE_LINUX' || type === 'HYBRID_LINUX' || type === 'HYPERPOD_LINUX') return 'system:node:{{SessionName}}';
  const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  if (role) return `arn:${role[1]}:sts::${role[2]}:assumed-role/${role[3]}/{{SessionName}}`;
  return principalArn;
}

export function buildState(scenario: Scenario, now = Date.now()): EmulatorState {
  const nowSeconds = Math.floor(now / 1000);
  const state: EmulatorState = {
    accountId: scenario.accountId,
    iam: { roles: [...(scenario.iam?.roles ?? [])], users: [...(scenario.iam?.users ?? [])], trust: new Map(Object.entries(scenario.iam?.trust ?? {})) },
    sso: { tokens: [...(scenario.sso?.tokens ?? [])], roles: new Map(Object.entries(scenario.sso?.roles ?? {})) },
    identities: scenario.identities,
    accessPolicies: scenario.accessPolicies ?? DEFAULT_ACCESS_POLICIES,
    clusters: [],
    logGroups: new Map(),
  };
  for (const c of scenario.clusters) {
    const cluster: Cluster = {
      name: c.name,
      region: c.region,
      accountId: scenario.accountId,
      status: c.status ?? 'ACTIVE',
      version: c.version ?? '1.31',
      platformVersion: c.platformVersion ?? 'eks.12',
      authenticationMode: c.authenticationMode ?? 'API_AND_CONFIG_MAP',
      bootstrapClusterCreatorAdminPermissions: c.bootstrapClusterCreatorAdminPermissions ?? true,
      logging: c.logging ?? ['api', 'audit', 'authenticator'],
      oidcIssuer: `https://oidc.eks.${c.region}.amazonaws.com/id/${hexId(c.name, 32).toUpperCase()}`,
      vpcId: c.vpcId ?? `vpc-${hexId(c.name, 17)}`,
      subnetIds: c.subnetIds ?? [0, 1, 2].map((i) => `subnet-${hexId(c.name + i, 17)}`),
      endpointPublicAccess: c.endpointPublicAccess ?? true,
      endpointPrivateAccess: c.endpointPrivateAccess ?? false,
      publicAccessCidrs: ['0.0.0.0/0'],
      roleArn: c.roleArn ?? `arn:aws:iam::${scenario.accountId}:role/${c.name}-cluster-role`,
      createdAt: nowSeconds - 86400 * 90,
      nodegroups: (c.nodegroups ?? []).map((n) => ({ amiType: 'AL2023_x86_64_STANDARD', status: 'ACTIVE', ...n })),
      fargateProfiles: (c.fargateProfiles ?? []).map((f) => ({ namespaces: ['default'], ...f })),
      accessEntries: new Map(),
      updates: new Map(),
      rbac: [...DEFAULT_BINDINGS, ...(c.rbac ?? [])],
    };
    for (const e of c.accessEntries ?? []) {
      const type = e.type ?? 'STANDARD';
      cluster.accessEntries.set(e.principalArn, {
        principalArn: e.principalArn,
        type,
        username: e.username ?? defaultUsername(e.principalArn, type),
        kubernetesGroups: e.kubernetesGroups ?? [],
        createdAt: nowSeconds - 86400,
        modifiedAt: nowSeconds - 86400,
        tags: {},
        policies: (e.policies ?? []).map((p) => ({ ...p, associatedAt: nowSeconds - 86400, modifiedAt: nowSeconds - 86400 })),
      });
    }
    if (c.awsAuth) {
      cluster.awsAuth = { data: { ...c.awsAuth }, ...structuredClone(c.awsAuthMetadata ?? {}), resourceVersion: 1000, uid: uuidLike(c.name), creationTimestamp: new Date(now - 86400_000 * 90).toISOString() };
    }
    if (c.syntheticAuthenticatorLogs) {
      const group = ensureLogGroup(state, `/aws/eks/${c.name}/cluster`, c.region, now - 86400_000 * c.syntheticAuthenticatorLogs.days);
      const { count, days } = c.syntheticAuthenticatorLogs;
      const span = days * 86400_000;
      // Written as the release EKS runs today words them (aws-iam-authenticator v0.7.7 and later,
      // pkg/errutil/errors.go ErrNotMapped); one cluster runs one release, so its log never mixes wordings.
      for (let i = 0; i < count; i++) {
        const timestamp = now - Math.floor((i * span) / count);
        const time = new Date(timestamp).toISOString().replace(/\.\d+Z$/, 'Z');
        const message = i % 10 === 0
          ? `time="${time}" level=warning msg="access denied" arn="arn:aws:iam::${state.accountId}:role/Denied-${i % 40}" client="10.1.${i % 200}.${i % 250}:443" error="identity is not mapped" method=POST path=/authenticate`
          : `time="${time}" level=info msg="access granted" arn="arn:aws:iam::${state.accountId}:role/Team-${i % 300}" client="10.0.${i % 200}.${i % 250}:443" groups="[team-${i % 37}]" method=POST path=/authenticate uid="aws-iam-authenticator:${state.accountId}:AROA${i % 300}" username="team-${i % 300}"`;
        appendEvent(group, `authenticator-${hexId(`${c.name}${i % 4}`, 32)}`, { timestamp, ingestionTime: timestamp + 500, message });
      }
    }
    if (c.authenticatorLogs && c.logging?.includes('authenticator') !== false) {
      const group = ensureLogGroup(state, `/aws/eks/${c.name}/cluster`, c.region, now - 86400_000);
      for (const line of c.authenticatorLogs) {
        const timestamp = now - Math.round(line.minutesAgo * 60_000);
        const message = line.message.replace('__TIME__', new Date(timestamp).toISOString().replace(/\.\d+Z$/, 'Z'));
        appendEvent(group, line.stream ?? `authenticator-${hexId(c.name + (line.minutesAgo > 12 ? 'old' : ''), 32)}`, { timestamp, ingestionTime: timestamp + 500, message });
      }
    }
    state.clusters.push(cluster);
  }
  return state;
}

/**
 * A role session's temporary credentials (ASIA key, AROA id), kept as an identity so they sign later requests, as
 * STS AssumeRole, AssumeRoleWithWebIdentity and the SSO portal hand them out.
 */
export function roleSession(state: EmulatorState, partition: string, account: string, roleName: string, sessionName: string): Identity {
  const suffix = randomUUID().replace(/-/g, '').toUpperCase();
  const session: Identity = { accessKeyId: `ASIA${suffix.slice(0, 16)}`, secretAccessKey: randomUUID(), sessionToken: Buffer.from(randomUUID()).toString('base64'), arn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`, userId: `AROA${suffix.slice(16, 33)}:${sessionName}` };
  state.identities.push(session);
  return session;
}

export function ensureLogGroup(state: EmulatorState, name: string, region: string, createdAt = Date.now()): LogGroup {
  const key = `${region}|${name}`;
  let group = state.logGroups.get(key);
  if (!group) {
    group = { name, region, createdAt, streams: new Map() };
    state.logGroups.set(key, group);
  }
  return group;
}

export function appendEvent(group: LogGroup, stream: string, event: Omit<LogEvent, 'logStreamName'>): void {
  const events = group.streams.get(stream) ?? [];
  events.push({ ...event, logStreamName: stream });
  group.streams.set(stream, events);
}

/** Stable pseudo-random hex so scenario ids look real and stay the same between runs. */
export function hexId(seed: string, length: number): string {
  let out = '';
  let h = 2166136261;
  while (out.length < length) {
    for (const ch of seed + out.length) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

function uuidLike(seed: string): string {
  const h = hexId(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
