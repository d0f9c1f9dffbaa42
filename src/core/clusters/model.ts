/**
 * What the cluster explorer shows, computed from EKS and Kubernetes answers: plain data and labels, so the tree
 * glue only formats and the logic is unit-tested.
 */
import type { Cluster } from '@aws-sdk/client-eks';
import { shortName } from '../auth/arn';
import { AccessEntryInfo, accessEntryMatches, AUTHENTICATION_MODES, AuthenticationMode, AwsAuthModel, DecodedItem, loadAwsAuth, nodeRoleJoins, SECTION_KEYS } from '../auth/authenticator';

export type { AuthenticationMode };

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
  /** The decoded entry behind a mapRoles or mapUsers mapping. */
  item?: DecodedItem;
}

/**
 * The aws-auth mappings the authenticator holds after loading `data` (the authenticator model's store: dropped
 * entries and sections are gone, a later duplicate has replaced an earlier one), and why anything was dropped.
 */
export function readMappings(data: Record<string, string>): { mappings: Mapping[]; errors: string[]; model: AwsAuthModel } {
  const model = loadAwsAuth(data);
  const mappings: Mapping[] = [
    ...[...model.roles, ...model.users].map((item) => ({ section: item.section, arn: item.arn, username: item.username, groups: item.groups, item })),
    ...[...model.accounts].map((a) => ({ section: 'mapAccounts' as const, arn: a, groups: [] })),
  ];
  const errors: string[] = [];
  for (const key of SECTION_KEYS) {
    const section = model.sections[key];
    if (section.error) errors.push(`${key}: ${section.error.message}`);
    else if (section.notAList) errors.push(`${key} is not a list`);
    for (const item of section.items) if (item.dropped) errors.push(`${key} entry ${item.index + 1} dropped: ${item.dropped}`);
  }
  return { mappings, errors, model };
}

export interface NodeRoleStatus {
  mapped: boolean;
  by?: 'access entry' | 'aws-auth';
  reason: string;
}

/**
 * Whether nodes (or Fargate pods) with this role can join, under the cluster's authentication mode: the node's own
 * request is put to the authenticator model.
 */
export function nodeRoleStatus(roleArn: string, mode: AuthenticationMode, accessEntries: AccessEntryInfo[], awsAuth: Record<string, string> | AwsAuthModel | undefined, kind: 'ec2' | 'fargate' = 'ec2'): NodeRoleStatus {
  const { joins, result, missing } = nodeRoleJoins(roleArn, kind, { mode, accessEntries, awsAuth });
  const by = result.via === 'access entry' ? 'access entry' : result.via ? 'aws-auth' : undefined;
  if (joins) return { mapped: true, by, reason: by === 'access entry' ? `access entry of type ${result.entry?.type ?? 'STANDARD'}` : `aws-auth ${result.via} entry` };
  if (result.via === 'access entry') return { mapped: false, by, reason: `access entry of type ${result.entry?.type ?? 'STANDARD'}: node roles need a node type such as EC2_LINUX` };
  if (by) return { mapped: false, by, reason: missing.length ? `aws-auth entry lacks ${missing.join(', ')}` : `aws-auth entry cannot authenticate nodes: ${result.log.replace(/^access denied.*error="/, '').replace(/"$/, '')}` };
  return { mapped: false, reason: mode === 'API' ? 'no access entry: nodes cannot join' : mode === 'CONFIG_MAP' ? 'not in aws-auth: nodes cannot join' : 'no access entry and not in aws-auth: nodes cannot join' };
}

/** The access entry that wins over an aws-auth mapping in API_AND_CONFIG_MAP mode, if any. */
export function shadowedBy(mapping: Mapping, accessEntryArns: string[]): string | undefined {
  if (mapping.section === 'mapAccounts') return undefined;
  return accessEntryArns.find((a) => accessEntryMatches(a, mapping.arn));
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
/** The console's host in each partition that has a public console; the partition comes from the cluster ARN. */
const CONSOLE_HOSTS: Record<string, (region: string) => string> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  'aws-cn': () => 'console.amazonaws.cn',
  'aws-us-gov': () => 'console.amazonaws-us-gov.com',
};

/** The cluster's access page in the EKS console, or undefined in a partition without a public console (ISO). */
export function consoleUrl(region: string, cluster: string, clusterArn?: string): string | undefined {
  const partition = clusterArn?.split(':')[1] ?? 'aws';
  const host = CONSOLE_HOSTS[partition];
  return host ? `https://${host(region)}/eks/home?region=${region}#/clusters/${encodeURIComponent(cluster)}?selectedTab=cluster-access-management-tab` : undefined;
}

/**
 * The authentication mode changes EKS accepts: one step forward, never back (CONFIG_MAP -> API_AND_CONFIG_MAP ->
 * API; EKS refuses CONFIG_MAP -> API with "Unsupported authentication mode update from CONFIG_MAP to API").
 */
export function allowedModeChanges(current: string | undefined): AuthenticationMode[] {
  const i = AUTHENTICATION_MODES.indexOf((current ?? 'CONFIG_MAP') as AuthenticationMode);
  return i < 0 || i === AUTHENTICATION_MODES.length - 1 ? [] : [AUTHENTICATION_MODES[i + 1]];
}
