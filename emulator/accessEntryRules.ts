/**
 * What EKS refuses in CreateAccessEntry, UpdateAccessEntry and AssociateAccessPolicy, written for the emulator apart
 * from the extension's own rules (src/core/access/accessEntryRules.ts, which the wizard and the migration planner use):
 * the emulator plays EKS, so a mistake in the extension's reading of the rules must not pass here too.
 *
 * Sources: CreateAccessEntryRequest in @aws-sdk/client-eks's model (types; node types take only IAM roles; no STS
 * session principals; EC2_LINUX/EC2_WINDOWS take no groups and no policies), the EKS user guide "Create access entries"
 * (awsdocs/amazon-eks-user-guide creating-access-entries.adoc: reserved username prefixes, a colon before
 * {{SessionName}}), and EKS's own answers where a user quoted one:
 * - "The kubernetes group name system:masters is invalid, it cannot start with system:"
 *   (terraform-aws-modules/terraform-aws-eks#2915);
 * - "The specified principalArn is invalid: invalid principal." for an ARN that names no IAM principal, such as an SSO
 *   role without its aws-reserved/sso.amazonaws.com/ path (terraform-aws-modules/terraform-aws-eks#2969,
 *   awslabs/minimum-viable-dataspace-on-aws#5);
 * - "The caller is not allowed to modify access entries with a principalArn value of a Service Linked Role"
 *   (hashicorp/terraform-provider-aws#36447).
 * Where no answer of the service was found, the wording is the emulator's own.
 */

const TYPES = new Set(['STANDARD', 'EC2', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'HYPERPOD_LINUX']);
const RESERVED_USERNAME_PREFIXES = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'];
const AUTO_NODE_POLICY = 'AmazonEKSAutoNodePolicy';
const IAM_PRINCIPAL = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::(\d{12}):(role|user)\/(.+)$/;

export const INVALID_PRINCIPAL = 'The specified principalArn is invalid: invalid principal.';

export interface EntryRequest {
  principalArn: string;
  type: string;
  username?: string;
  kubernetesGroups?: string[];
}

/** The IAM principals that exist, as EKS resolves a principal ARN to its role or user id. */
export interface Directory {
  exists(principalArn: string): boolean;
}

function principalRefusal(arn: string, type: string, clusterAccount: string, iam: Directory): string | undefined {
  if (/^arn:[^:]+:sts::\d{12}:assumed-role\//.test(arn)) return `${INVALID_PRINCIPAL} STS session ARNs cannot have access entries; use the role's ARN`;
  const m = IAM_PRINCIPAL.exec(arn);
  if (!m) return INVALID_PRINCIPAL;
  const [, , account, kind, rest] = m;
  if (kind === 'role' && rest.startsWith('aws-service-role/')) return 'The caller is not allowed to modify access entries with a principalArn value of a Service Linked Role';
  if (type !== 'STANDARD' && kind !== 'role') return `Access entries of type ${type} need an IAM role`;
  if (type !== 'STANDARD' && account !== clusterAccount) return `Access entries of type ${type} need a role of the cluster's account ${clusterAccount}, not ${account}`;
  if (!iam.exists(arn)) return INVALID_PRINCIPAL;
  return undefined;
}

export function usernameRefusal(username: string, type: string): string | undefined {
  if (type !== 'STANDARD') return `A username cannot be set for access entries of type ${type}`;
  const prefix = RESERVED_USERNAME_PREFIXES.find((p) => username.startsWith(p));
  if (prefix) return `The username ${username} is invalid, it cannot start with ${prefix}`;
  const at = username.search(/\{\{SessionName(Raw)?\}\}/);
  if (at >= 0 && !username.slice(0, at).includes(':')) return `The username ${username} is invalid: {{SessionName}} needs a colon before it`;
  return undefined;
}

export function groupsRefusal(groups: string[], type: string): string | undefined {
  if (groups.length && type !== 'STANDARD') return `Kubernetes groups cannot be set for access entries of type ${type}`;
  const reserved = groups.find((g) => g.startsWith('system:'));
  return reserved ? `The kubernetes group name ${reserved} is invalid, it cannot start with system:` : undefined;
}

export function policyRefusal(policyArn: string, type: string): string | undefined {
  const name = policyArn.split('/').pop() ?? '';
  if (type === 'EC2') return name === AUTO_NODE_POLICY ? undefined : `Access entries of type EC2 take only ${AUTO_NODE_POLICY}`;
  if (type !== 'STANDARD') return `Access policies cannot be associated with access entries of type ${type}`;
  return undefined;
}

/** The first reason EKS refuses this new entry, or undefined. */
export function entryRefusal(e: EntryRequest, clusterAccount: string, iam: Directory): string | undefined {
  if (!TYPES.has(e.type)) return `Unknown access entry type ${e.type}: expected one of ${[...TYPES].join(', ')}`;
  return (
    (e.username ? usernameRefusal(e.username, e.type) : undefined) ??
    groupsRefusal(e.kubernetesGroups ?? [], e.type) ??
    principalRefusal(e.principalArn.trim(), e.type, clusterAccount, iam)
  );
}
