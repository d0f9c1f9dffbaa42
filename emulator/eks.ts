/** Amazon EKS over REST-JSON: the routes and validation rules the extension relies on. */
import { awsEndpointFunctions } from '@aws-sdk/core/client';
import { createHash, randomUUID } from 'crypto';
import { entryRefusal, groupsRefusal, policyRefusal, usernameRefusal, type Directory } from './accessEntryRules';
import { ServiceError, paginate, requireString } from './http';
import { AccessEntry, AccessScope, Cluster, EmulatorState, defaultUsername, ensureLogGroup } from './state';

export interface EksRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  region: string;
}

export interface EksContext {
  state: EmulatorState;
  /** Starts (once) the cluster's Kubernetes endpoint and returns it. */
  kubeFor(cluster: Cluster): Promise<{ endpoint: string; caData: string }>;
  updateDelayMs: number;
}

type Handler = (req: EksRequest, m: string[], ctx: EksContext) => Promise<unknown> | unknown;

const ROUTES: { method: string; pattern: RegExp; operation: string; handler: Handler }[] = [
  { method: 'GET', pattern: /^\/clusters$/, operation: 'ListClusters', handler: listClusters },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)$/, operation: 'DescribeCluster', handler: describeCluster },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/node-groups$/, operation: 'ListNodegroups', handler: listNodegroups },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/node-groups\/([^/]+)$/, operation: 'DescribeNodegroup', handler: describeNodegroup },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/fargate-profiles$/, operation: 'ListFargateProfiles', handler: listFargateProfiles },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/fargate-profiles\/([^/]+)$/, operation: 'DescribeFargateProfile', handler: describeFargateProfile },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/access-entries$/, operation: 'ListAccessEntries', handler: listAccessEntries },
  { method: 'POST', pattern: /^\/clusters\/([^/]+)\/access-entries$/, operation: 'CreateAccessEntry', handler: createAccessEntry },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/access-entries\/([^/]+)$/, operation: 'DescribeAccessEntry', handler: describeAccessEntry },
  { method: 'POST', pattern: /^\/clusters\/([^/]+)\/access-entries\/([^/]+)$/, operation: 'UpdateAccessEntry', handler: updateAccessEntry },
  { method: 'DELETE', pattern: /^\/clusters\/([^/]+)\/access-entries\/([^/]+)$/, operation: 'DeleteAccessEntry', handler: deleteAccessEntry },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/access-entries\/([^/]+)\/access-policies$/, operation: 'ListAssociatedAccessPolicies', handler: listAssociated },
  { method: 'POST', pattern: /^\/clusters\/([^/]+)\/access-entries\/([^/]+)\/access-policies$/, operation: 'AssociateAccessPolicy', handler: associatePolicy },
  { method: 'DELETE', pattern: /^\/clusters\/([^/]+)\/access-entries\/([^/]+)\/access-policies\/([^/]+)$/, operation: 'DisassociateAccessPolicy', handler: disassociatePolicy },
  { method: 'GET', pattern: /^\/access-policies$/, operation: 'ListAccessPolicies', handler: listAccessPolicies },
  { method: 'POST', pattern: /^\/clusters\/([^/]+)\/update-config$/, operation: 'UpdateClusterConfig', handler: updateClusterConfig },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/updates\/([^/]+)$/, operation: 'DescribeUpdate', handler: describeUpdate },
];

/** A UUID-shaped id that is a function of what it names, so ARNs are the same on every call. */
function stableId(of: string): string {
  const h = createHash('sha256').update(of).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const partitionOf = (region: string) => (awsEndpointFunctions.partition(region) as { name: string }).name;

/** The EKS operations the emulator serves. */
export const EKS_OPERATIONS: readonly string[] = ROUTES.map((r) => r.operation);

/** Finds the operation for a request, or undefined when the path is no EKS route. */
export function matchEksRoute(method: string, path: string): { operation: string; params: string[]; handler: Handler } | undefined {
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (m && route.method === method) return { operation: route.operation, params: m.slice(1).map(decodeURIComponent), handler: route.handler };
  }
  return undefined;
}


/** Access entries exist from these platform versions on; later Kubernetes versions always have them. */
const ACCESS_ENTRY_MIN_PLATFORM = new Map(Object.entries({ '1.23': 17, '1.24': 15, '1.25': 12, '1.26': 11, '1.27': 10, '1.28': 6, '1.29': 1, '1.30': 2 }));

function supportsAccessEntries(cluster: Cluster): boolean {
  const min = ACCESS_ENTRY_MIN_PLATFORM.get(cluster.version);
  if (min === undefined) return Number(cluster.version.split('.')[1] ?? 0) > 30 || Number(cluster.version.split('.')[0]) > 1;
  return Number(cluster.platformVersion.replace(/^eks\./, '')) >= min;
}

function cluster(ctx: EksContext, req: EksRequest, name: string): Cluster {
  const found = ctx.state.clusters.find((c) => c.region === req.region && c.name === name);
  if (!found) throw new ServiceError('ResourceNotFoundException', `No cluster found for name: ${name}.`, 404);
  return found;
}

function requireApiMode(c: Cluster): void {
  if (c.authenticationMode === 'CONFIG_MAP') {
    throw new ServiceError('InvalidRequestException', "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.");
  }
}

function entry(c: Cluster, principalArn: string): AccessEntry {
  const found = c.accessEntries.get(principalArn);
  if (!found) {
    throw new ServiceError('ResourceNotFoundException', "The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.", 404);
  }
  return found;
}

function listClusters(req: EksRequest, _m: string[], ctx: EksContext) {
  const names = ctx.state.clusters.filter((c) => c.region === req.region).map((c) => c.name).sort();
  const { page, nextToken } = paginate(names, req.query.get('maxResults') ?? undefined, req.query.get('nextToken'), 100, 100);
  return { clusters: page, nextToken };
}

async function describeCluster(req: EksRequest, [name]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  const kube = await ctx.kubeFor(c);
  const allTypes = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
  const enabled = allTypes.filter((t) => c.logging.includes(t));
  const disabled = allTypes.filter((t) => !c.logging.includes(t));
  return {
    cluster: {
      name: c.name,
      arn: `arn:${partitionOf(c.region)}:eks:${c.region}:${c.accountId}:cluster/${c.name}`,
      createdAt: c.createdAt,
      version: c.version,
      endpoint: kube.endpoint,
      roleArn: c.roleArn,
      resourcesVpcConfig: {
        subnetIds: c.subnetIds,
        securityGroupIds: [],
        clusterSecurityGroupId: `sg-${c.vpcId.slice(4, 21)}`,
        vpcId: c.vpcId,
        endpointPublicAccess: c.endpointPublicAccess,
        endpointPrivateAccess: c.endpointPrivateAccess,
        publicAccessCidrs: c.publicAccessCidrs,
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: '10.100.0.0/16', ipFamily: 'ipv4' },
      logging: {
        clusterLogging: [
          ...(enabled.length ? [{ types: enabled, enabled: true }] : []),
          ...(disabled.length ? [{ types: disabled, enabled: false }] : []),
        ],
      },
      identity: { oidc: { issuer: c.oidcIssuer } },
      status: c.status,
      certificateAuthority: { data: kube.caData },
      platformVersion: c.platformVersion,
      tags: {},
      health: { issues: [] },
      accessConfig: {
        authenticationMode: c.authenticationMode,
        ...(c.bootstrapClusterCreatorAdminPermissions !== undefined ? { bootstrapClusterCreatorAdminPermissions: c.bootstrapClusterCreatorAdminPermissions } : {}),
      },
    },
  };
}

function listNodegroups(req: EksRequest, [name]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  const { page, nextToken } = paginate(c.nodegroups.map((n) => n.name), req.query.get('maxResults') ?? undefined, req.query.get('nextToken'), 100, 100);
  return { nodegroups: page, nextToken };
}

function describeNodegroup(req: EksRequest, [name, ng]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  const n = c.nodegroups.find((x) => x.name === ng);
  if (!n) throw new ServiceError('ResourceNotFoundException', `No node group found for name: ${ng}.`, 404);
  return {
    nodegroup: {
      nodegroupName: n.name,
      nodegroupArn: `arn:${partitionOf(c.region)}:eks:${c.region}:${c.accountId}:nodegroup/${c.name}/${n.name}/${stableId(`${c.name}/${n.name}`)}`,
      clusterName: c.name,
      version: c.version,
      status: n.status,
      nodeRole: n.nodeRole,
      amiType: n.amiType,
      capacityType: 'ON_DEMAND',
      scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
      subnets: c.subnetIds,
      createdAt: c.createdAt,
    },
  };
}

function listFargateProfiles(req: EksRequest, [name]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  const { page, nextToken } = paginate(c.fargateProfiles.map((f) => f.name), req.query.get('maxResults') ?? undefined, req.query.get('nextToken'), 100, 100);
  return { fargateProfileNames: page, nextToken };
}

function describeFargateProfile(req: EksRequest, [name, fp]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  const f = c.fargateProfiles.find((x) => x.name === fp);
  if (!f) throw new ServiceError('ResourceNotFoundException', `No Fargate Profile found with name: ${fp}.`, 404);
  return {
    fargateProfile: {
      fargateProfileName: f.name,
      fargateProfileArn: `arn:${partitionOf(c.region)}:eks:${c.region}:${c.accountId}:fargateprofile/${c.name}/${f.name}/${stableId(`${c.name}/fargate/${f.name}`)}`,
      clusterName: c.name,
      podExecutionRoleArn: f.podExecutionRoleArn,
      selectors: f.namespaces.map((namespace) => ({ namespace })),
      status: 'ACTIVE',
      createdAt: c.createdAt,
    },
  };
}

function listAccessEntries(req: EksRequest, [name]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  requireApiMode(c);
  const policy = req.query.get('associatedPolicyArn');
  const arns = [...c.accessEntries.values()].filter((e) => !policy || e.policies.some((p) => p.policyArn === policy)).map((e) => e.principalArn);
  const { page, nextToken } = paginate(arns, req.query.get('maxResults') ?? undefined, req.query.get('nextToken'), 100, 100);
  return { accessEntries: page, nextToken };
}

function entryShape(c: Cluster, e: AccessEntry) {
  return {
    clusterName: c.name,
    principalArn: e.principalArn,
    kubernetesGroups: e.kubernetesGroups,
    // The real form: access-entry/CLUSTER/role|user/ACCOUNT/NAME/ID, the same on every call.
    accessEntryArn: `arn:${partitionOf(c.region)}:eks:${c.region}:${c.accountId}:access-entry/${c.name}/${e.principalArn.includes(':user/') ? 'user' : 'role'}/${e.principalArn.split(':')[4]}/${e.principalArn.split('/').pop()}/${stableId(`${c.name}/${e.principalArn}/${e.createdAt}`)}`,
    createdAt: e.createdAt,
    modifiedAt: e.modifiedAt,
    tags: e.tags,
    username: e.username,
    type: e.type,
  };
}

/** The scenario's IAM roles and users (with their paths), compared as IAM compares names: without case. */
function iamDirectory(state: EmulatorState): Directory {
  const known = new Set([...state.iam.roles, ...state.iam.users].map((a) => a.toLowerCase()));
  return { exists: (arn) => known.has(arn.toLowerCase()) };
}

function createAccessEntry(req: EksRequest, [name]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  requireApiMode(c);
  const principalArn = requireString(req.body, 'principalArn');
  const type = typeof req.body.type === 'string' ? req.body.type : 'STANDARD';
  const username = req.body.username;
  const groups = req.body.kubernetesGroups;
  if (username !== undefined && typeof username !== 'string') throw new ServiceError('InvalidParameterException', 'username must be a string');
  if (groups !== undefined && (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string'))) throw new ServiceError('InvalidParameterException', 'kubernetesGroups must be a list of strings');
  // EKS's rules, written for the emulator apart from the extension's (see accessEntryRules.ts), and the principal must
  // exist in IAM: EKS stores the role or user id it resolves the ARN to.
  const refused = entryRefusal({ principalArn, type, username: username as string | undefined, kubernetesGroups: groups as string[] | undefined }, c.accountId, iamDirectory(ctx.state));
  if (refused) throw new ServiceError('InvalidParameterException', refused);
  if (c.accessEntries.has(principalArn)) {
    throw new ServiceError('ResourceInUseException', 'The specified access entry resource is already in use on this cluster.', 409);
  }
  const now = Math.floor(Date.now() / 1000);
  const e: AccessEntry = {
    principalArn,
    type,
    username: (username as string | undefined) || defaultUsername(principalArn, type),
    kubernetesGroups: (groups as string[] | undefined) ?? [],
    createdAt: now,
    modifiedAt: now,
    tags: (req.body.tags as Record<string, string>) ?? {},
    policies: [],
  };
  c.accessEntries.set(principalArn, e);
  return { accessEntry: entryShape(c, e) };
}

function describeAccessEntry(req: EksRequest, [name, arn]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  requireApiMode(c);
  return { accessEntry: entryShape(c, entry(c, arn)) };
}

function updateAccessEntry(req: EksRequest, [name, arn]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  requireApiMode(c);
  const e = entry(c, arn);
  if (e.type !== 'STANDARD' && (req.body.kubernetesGroups !== undefined || req.body.username !== undefined)) {
    throw new ServiceError('InvalidParameterException', `Access entries of type ${e.type} cannot be updated with a username or Kubernetes groups`);
  }
  const username = req.body.username;
  const groups = req.body.kubernetesGroups;
  if (username !== undefined && typeof username !== 'string') throw new ServiceError('InvalidParameterException', 'username must be a string');
  if (groups !== undefined && (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string'))) throw new ServiceError('InvalidParameterException', 'kubernetesGroups must be a list of strings');
  const problem = (typeof username === 'string' && username !== '' ? usernameRefusal(username, e.type) : undefined) ?? groupsRefusal((groups as string[] | undefined) ?? [], e.type);
  if (problem) throw new ServiceError('InvalidParameterException', problem);
  if (typeof username === 'string') e.username = username;
  if (groups !== undefined) e.kubernetesGroups = groups as string[];
  e.modifiedAt = Math.floor(Date.now() / 1000);
  return { accessEntry: entryShape(c, e) };
}

function deleteAccessEntry(req: EksRequest, [name, arn]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  requireApiMode(c);
  entry(c, arn);
  c.accessEntries.delete(arn);
  return {};
}

function listAssociated(req: EksRequest, [name, arn]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  requireApiMode(c);
  const e = entry(c, arn);
  const { page, nextToken } = paginate(e.policies, req.query.get('maxResults') ?? undefined, req.query.get('nextToken'), 100, 100);
  return { clusterName: c.name, principalArn: e.principalArn, associatedAccessPolicies: page, nextToken };
}

function parseScope(value: unknown): AccessScope {
  const scope = value as AccessScope | undefined;
  if (!scope || (scope.type !== 'cluster' && scope.type !== 'namespace')) {
    throw new ServiceError('InvalidParameterException', "accessScope.type must be one of [cluster, namespace]");
  }
  if (scope.type === 'namespace' && (!Array.isArray(scope.namespaces) || scope.namespaces.length === 0)) {
    throw new ServiceError('InvalidParameterException', 'At least one namespace is required when the access scope type is namespace');
  }
  if (scope.type === 'cluster' && scope.namespaces?.length) {
    throw new ServiceError('InvalidParameterException', 'Namespaces cannot be specified when the access scope type is cluster');
  }
  return scope.type === 'cluster' ? { type: 'cluster' } : { type: 'namespace', namespaces: scope.namespaces };
}

function associatePolicy(req: EksRequest, [name, arn]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  requireApiMode(c);
  const e = entry(c, arn);
  const policyArn = requireString(req.body, 'policyArn');
  if (!ctx.state.accessPolicies.some((p) => inPartition(p.arn, c.region) === policyArn)) {
    throw new ServiceError('ResourceNotFoundException', `The specified policyArn could not be found: ${policyArn}`, 404);
  }
  const refused = policyRefusal(policyArn, e.type);
  if (refused) throw new ServiceError('InvalidParameterException', refused);
  const accessScope = parseScope(req.body.accessScope);
  const now = Math.floor(Date.now() / 1000);
  const existing = e.policies.find((p) => p.policyArn === policyArn);
  if (existing) {
    existing.accessScope = accessScope;
    existing.modifiedAt = now;
  } else {
    e.policies.push({ policyArn, accessScope, associatedAt: now, modifiedAt: now });
  }
  e.modifiedAt = now;
  return { clusterName: c.name, principalArn: e.principalArn, associatedAccessPolicy: e.policies.find((p) => p.policyArn === policyArn) };
}

function disassociatePolicy(req: EksRequest, [name, arn, policyArn]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  requireApiMode(c);
  const e = entry(c, arn);
  const index = e.policies.findIndex((p) => p.policyArn === policyArn);
  if (index < 0) throw new ServiceError('ResourceNotFoundException', `The specified policy ${policyArn} is not associated with this access entry.`, 404);
  e.policies.splice(index, 1);
  return {};
}

/** Access policy ARNs are in the partition of the region that answers (`arn:aws-cn:eks::aws:...` in China). */
function inPartition(arn: string, region: string): string {
  return arn.replace(/^arn:[^:]+:/, `arn:${partitionOf(region)}:`);
}

function listAccessPolicies(req: EksRequest, _m: string[], ctx: EksContext) {
  const policies = ctx.state.accessPolicies.map((p) => ({ ...p, arn: inPartition(p.arn, req.region) }));
  const { page, nextToken } = paginate(policies, req.query.get('maxResults') ?? undefined, req.query.get('nextToken'), 100, 100);
  return { accessPolicies: page, nextToken };
}

const MODE_ORDER = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];

function updateClusterConfig(req: EksRequest, [name]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  const accessConfig = req.body.accessConfig as { authenticationMode?: unknown } | undefined;
  const logging = req.body.logging as { clusterLogging?: { types?: string[]; enabled?: boolean }[] } | undefined;
  const kinds = ['accessConfig', 'logging', 'resourcesVpcConfig', 'upgradePolicy', 'zonalShiftConfig', 'computeConfig', 'kubernetesNetworkConfig', 'storageConfig', 'remoteNetworkConfig'].filter((k) => req.body[k] !== undefined);
  if (kinds.length > 1) throw new ServiceError('InvalidParameterException', 'Only one type of update can be allowed.');
  if (!accessConfig && !logging) throw new ServiceError('InvalidParameterException', 'No changes needed for the logging config provided');
  const running = [...c.updates.values()].find((u) => u.status === 'InProgress');
  if (running) throw new ServiceError('ResourceInUseException', `Cannot update cluster ${c.name} while update ${running.id} is in progress`, 409);
  const now = Date.now();
  const id = randomUUID();
  let apply: () => void;
  let update: Omit<import('./state').ClusterUpdate, 'id' | 'createdAt' | 'completesAt'>;
  if (accessConfig) {
    const target = accessConfig.authenticationMode;
    if (typeof target !== 'string' || !MODE_ORDER.includes(target)) {
      throw new ServiceError('InvalidParameterException', `Invalid authentication mode: ${String(target)}. Valid values are ${MODE_ORDER.join(', ')}`);
    }
    // One step at a time, forward only: CONFIG_MAP -> API_AND_CONFIG_MAP -> API.
    if (MODE_ORDER.indexOf(target) !== MODE_ORDER.indexOf(c.authenticationMode) + 1) {
      throw new ServiceError('InvalidParameterException', `Unsupported authentication mode update from ${c.authenticationMode} to ${target}`);
    }
    if (!supportsAccessEntries(c)) {
      throw new ServiceError('InvalidParameterException', `Cluster platform version ${c.platformVersion} does not support access entries; update the cluster to a newer platform version first`);
    }
    update = { type: 'AccessConfigUpdate', status: 'InProgress', params: [{ type: 'AuthenticationMode', value: target }], errors: [] };
    apply = () => {
      c.authenticationMode = target;
    };
  } else {
    const changes = logging?.clusterLogging ?? [];
    const next = new Set(c.logging);
    for (const change of changes) {
      for (const t of change.types ?? []) {
        if (change.enabled) next.add(t);
        else next.delete(t);
      }
    }
    if (next.size === c.logging.length && [...next].every((t) => c.logging.includes(t))) throw new ServiceError('InvalidParameterException', 'No changes needed for the logging config provided');
    update = {
      type: 'LoggingUpdate',
      status: 'InProgress',
      params: [{ type: 'ClusterLogging', value: JSON.stringify({ clusterLogging: changes }) }],
      errors: [],
    };
    apply = () => {
      c.logging = [...next];
      if (next.has('authenticator')) ensureLogGroup(ctx.state, `/aws/eks/${c.name}/cluster`, c.region);
    };
  }
  const record = { ...update, id, createdAt: Math.floor(now / 1000), completesAt: now + ctx.updateDelayMs };
  c.updates.set(id, record);
  // The cluster shows UPDATING until the update finishes.
  c.status = 'UPDATING';
  setTimeout(() => {
    apply();
    record.status = 'Successful';
    c.status = 'ACTIVE';
  }, ctx.updateDelayMs).unref();
  return { update: shapeUpdate(record) };
}

function shapeUpdate(u: import('./state').ClusterUpdate) {
  return { id: u.id, status: u.status, type: u.type, params: u.params, createdAt: u.createdAt, errors: u.errors };
}

function describeUpdate(req: EksRequest, [name, id]: string[], ctx: EksContext) {
  const c = cluster(ctx, req, name);
  const u = c.updates.get(id);
  if (!u) throw new ServiceError('ResourceNotFoundException', `No update found for ID: ${id}.`, 404);
  return { update: shapeUpdate(u) };
}
