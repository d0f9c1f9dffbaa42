/**
 * EKS access entries and their access policies: create, describe, update and delete an entry, associate and
 * disassociate a policy, and list the policies AWS offers. Each needs the cluster in API or API_AND_CONFIG_MAP mode.
 * The validation rules are the emulator's own (accessEntryRules.ts), apart from the extension's.
 */
import { entryRefusal, groupsRefusal, policyRefusal, usernameRefusal, type Directory } from './accessEntryRules';
import { EksContext, EksRequest, listPage, partitionOf, requireCluster, stableId } from './eksRequest';
import { ServiceError, requireString } from './http';
import { AccessEntry, AccessScope, Cluster, EmulatorState, defaultUsername } from './state';

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

export function listAccessEntries(req: EksRequest, [name]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
  requireApiMode(c);
  const policy = req.query.get('associatedPolicyArn');
  const arns = [...c.accessEntries.values()].filter((e) => !policy || e.policies.some((p) => p.policyArn === policy)).map((e) => e.principalArn);
  const { page, nextToken } = listPage(arns, req);
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

export function createAccessEntry(req: EksRequest, [name]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
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

export function describeAccessEntry(req: EksRequest, [name, arn]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
  requireApiMode(c);
  return { accessEntry: entryShape(c, entry(c, arn)) };
}

export function updateAccessEntry(req: EksRequest, [name, arn]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
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

export function deleteAccessEntry(req: EksRequest, [name, arn]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
  requireApiMode(c);
  entry(c, arn);
  c.accessEntries.delete(arn);
  return {};
}

export function listAssociated(req: EksRequest, [name, arn]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
  requireApiMode(c);
  const e = entry(c, arn);
  const { page, nextToken } = listPage(e.policies, req);
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

export function associatePolicy(req: EksRequest, [name, arn]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
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

export function disassociatePolicy(req: EksRequest, [name, arn, policyArn]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
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

export function listAccessPolicies(req: EksRequest, _m: string[], ctx: EksContext) {
  const policies = ctx.state.accessPolicies.map((p) => ({ ...p, arn: inPartition(p.arn, req.region) }));
  const { page, nextToken } = listPage(policies, req);
  return { accessPolicies: page, nextToken };
}

