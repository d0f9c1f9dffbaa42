/**
 * What the cluster explorer shows, computed from EKS and Kubernetes answers: plain data and labels, so the tree
 * glue only formats and the logic is unit-tested.
 */
import type { Cluster } from '@aws-sdk/client-eks';
import { parse } from 'yaml';
import { stripRolePath, shortName } from '../auth/arn';
import { isEmptySection } from '../auth/awsAuth';

export type AuthenticationMode = 'CONFIG_MAP' | 'API_AND_CONFIG_MAP' | 'API';

export interface ClusterSummary {
  name: string;
  arn?: string;
  status: string;
  version: string;
  platformVersion: string;
  mode: AuthenticationMode;
  authenticatorLogging: boolean;
  enabledLogTypes: string[];
  supportsAccessEntries: boolean;
  oidcIssuer?: string;
  vpcId?: string;
  subnetCount: number;
  endpoint?: string;
  endpointPublicAccess: boolean;
  endpointPrivateAccess: boolean;
  roleArn?: string;
  caData?: string;
}

const MIN_PLATFORM: Record<string, number> = { '1.23': 17, '1.24': 15, '1.25': 12, '1.26': 11, '1.27': 10, '1.28': 6, '1.29': 1, '1.30': 2 };

/** Access entries need these platform versions; Kubernetes versions after 1.30 always have them. */
export function supportsAccessEntries(version: string, platformVersion: string): boolean {
  const min = MIN_PLATFORM[version];
  if (min === undefined) {
    const [major, minor] = version.split('.').map(Number);
    return major > 1 || minor > 30;
  }
  return Number(platformVersion.replace(/^eks\./, '')) >= min;
}

export function summarizeCluster(c: Cluster): ClusterSummary {
  const enabledLogTypes = (c.logging?.clusterLogging ?? []).filter((l) => l.enabled).flatMap((l) => (l.types ?? []) as string[]);
  const version = c.version ?? '';
  const platformVersion = c.platformVersion ?? '';
  return {
    name: c.name ?? '',
    arn: c.arn,
    status: c.status ?? 'UNKNOWN',
    version,
    platformVersion,
    mode: (c.accessConfig?.authenticationMode ?? 'CONFIG_MAP') as AuthenticationMode,
    authenticatorLogging: enabledLogTypes.includes('authenticator'),
    enabledLogTypes,
    supportsAccessEntries: supportsAccessEntries(version, platformVersion),
    oidcIssuer: c.identity?.oidc?.issuer,
    vpcId: c.resourcesVpcConfig?.vpcId,
    subnetCount: c.resourcesVpcConfig?.subnetIds?.length ?? 0,
    endpoint: c.endpoint,
    endpointPublicAccess: c.resourcesVpcConfig?.endpointPublicAccess ?? false,
    endpointPrivateAccess: c.resourcesVpcConfig?.endpointPrivateAccess ?? false,
    roleArn: c.roleArn,
    caData: c.certificateAuthority?.data,
  };
}

export const MODE_LABELS: Record<AuthenticationMode, string> = {
  CONFIG_MAP: 'aws-auth only',
  API_AND_CONFIG_MAP: 'access entries + aws-auth',
  API: 'access entries only',
};

/** A one-paragraph answer to "who can get in", for the cluster's tooltip. */
export function whoCanGetIn(s: ClusterSummary): string {
  switch (s.mode) {
    case 'CONFIG_MAP':
      return `Authentication mode CONFIG_MAP: only the aws-auth ConfigMap maps IAM identities, plus the IAM principal that created the cluster, which has invisible cluster-admin rights.${s.supportsAccessEntries ? '' : ` Platform ${s.version} ${s.platformVersion} is too old for access entries.`}`;
    case 'API_AND_CONFIG_MAP':
      return 'Authentication mode API_AND_CONFIG_MAP: access entries and the aws-auth ConfigMap both map IAM identities; where both name the same principal, the access entry wins.';
    case 'API':
      return 'Authentication mode API: only access entries map IAM identities; the aws-auth ConfigMap is ignored.';
  }
}

export interface Mapping {
  section: 'mapRoles' | 'mapUsers' | 'mapAccounts';
  arn: string;
  username?: string;
  groups: string[];
}

/** aws-auth mappings as the authenticator loads them: a section that fails to parse contributes nothing. */
export function readMappings(data: Record<string, string>): { mappings: Mapping[]; errors: string[] } {
  const mappings: Mapping[] = [];
  const errors: string[] = [];
  for (const section of ['mapRoles', 'mapUsers', 'mapAccounts'] as const) {
    const raw = data[section];
    if (raw === undefined || isEmptySection(raw)) continue;
    let parsed: unknown;
    try {
      parsed = parse(raw);
    } catch (e) {
      errors.push(`${section}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    if (!Array.isArray(parsed)) {
      errors.push(`${section} is not a list`);
      continue;
    }
    for (const item of parsed) {
      if (section === 'mapAccounts') {
        mappings.push({ section, arn: String(item), groups: [] });
        continue;
      }
      if (typeof item !== 'object' || item === null) continue;
      const lower = Object.fromEntries(Object.entries(item as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
      const arn = lower[section === 'mapRoles' ? 'rolearn' : 'userarn'];
      if (typeof arn !== 'string') continue;
      const groups = Array.isArray(lower.groups) ? lower.groups.filter((g): g is string => typeof g === 'string') : [];
      mappings.push({ section, arn, username: typeof lower.username === 'string' ? lower.username : undefined, groups });
    }
  }
  return { mappings, errors };
}

export interface NodeRoleStatus {
  mapped: boolean;
  by?: 'access entry' | 'aws-auth';
  reason: string;
}

const NODE_ENTRY_TYPES = ['EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'EC2', 'HYPERPOD_LINUX'];

/** Whether nodes (or Fargate pods) with this role can join, under the cluster's authentication mode. */
export function nodeRoleStatus(
  roleArn: string,
  mode: AuthenticationMode,
  accessEntries: { principalArn: string; type?: string }[],
  mappings: Mapping[],
): NodeRoleStatus {
  const target = stripRolePath(roleArn).toLowerCase();
  if (mode !== 'CONFIG_MAP') {
    const entry = accessEntries.find((e) => e.principalArn.toLowerCase() === roleArn.toLowerCase());
    if (entry) {
      return NODE_ENTRY_TYPES.includes(entry.type ?? '')
        ? { mapped: true, by: 'access entry', reason: `access entry of type ${entry.type}` }
        : { mapped: false, by: 'access entry', reason: `access entry of type ${entry.type ?? 'STANDARD'}: node roles need a node type such as EC2_LINUX` };
    }
  }
  if (mode !== 'API') {
    const m = mappings.find((x) => x.section === 'mapRoles' && x.arn.trim().toLowerCase() === target);
    if (m) {
      const missing = ['system:bootstrappers', 'system:nodes'].filter((g) => !m.groups.includes(g));
      return missing.length ? { mapped: false, by: 'aws-auth', reason: `aws-auth entry lacks ${missing.join(', ')}` } : { mapped: true, by: 'aws-auth', reason: 'aws-auth mapRoles entry' };
    }
  }
  return { mapped: false, reason: mode === 'API' ? 'no access entry: nodes cannot join' : mode === 'CONFIG_MAP' ? 'not in aws-auth: nodes cannot join' : 'no access entry and not in aws-auth: nodes cannot join' };
}

/** Whether an aws-auth mapping is shadowed by an access entry (API_AND_CONFIG_MAP). */
export function shadowedBy(mapping: Mapping, accessEntryArns: string[]): string | undefined {
  if (mapping.section === 'mapAccounts') return undefined;
  const target = mapping.arn.trim().toLowerCase();
  return accessEntryArns.find((a) => stripRolePath(a).toLowerCase() === target);
}

export function principalLabel(arn: string): string {
  return shortName(arn);
}

export function accessPolicyName(policyArn: string): string {
  return policyArn.split('/').pop() ?? policyArn;
}

export function scopeLabel(scope: { type?: string; namespaces?: string[] } | undefined): string {
  if (!scope || scope.type === 'cluster') return 'cluster-wide';
  return `namespaces: ${(scope.namespaces ?? []).join(', ')}`;
}

/** The AWS console page for a cluster's access configuration. */
export function consoleUrl(region: string, cluster: string): string {
  return `https://${region}.console.aws.amazon.com/eks/home?region=${region}#/clusters/${encodeURIComponent(cluster)}?selectedTab=cluster-access-management-tab`;
}

/** The allowed authentication mode changes: forward only, never back. */
export function allowedModeChanges(current: string | undefined): AuthenticationMode[] {
  const order: AuthenticationMode[] = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];
  const i = order.indexOf((current ?? 'CONFIG_MAP') as AuthenticationMode);
  return i < 0 ? [] : order.slice(i + 1);
}
