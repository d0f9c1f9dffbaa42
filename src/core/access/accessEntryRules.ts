/**
 * What EKS accepts in an access entry, in one place for the create wizard, the migration planner and the emulator.
 * Sources: the CreateAccessEntry documentation in the service model shipped with @aws-sdk/client-eks
 * (CreateAccessEntryRequest: the types, "For nodes (EC2, EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX and HYBRID_LINUX)
 * the only valid ARN is IAM roles", no STS session principals, "If you set the value to EC2_LINUX or EC2_WINDOWS, you
 * can't specify values for kubernetesGroups, or associate an AccessPolicy") and the EKS user guide, "Create access
 * entries" (awsdocs/amazon-eks-user-guide latest/ug/manage-access/k8s-access/creating-access-entries.adoc): a
 * username only for STANDARD, not starting with system:, eks:, aws:, amazon: or iam:, a colon before
 * {{SessionName}}; node types only for principals of the cluster's account; no service-linked roles.
 */
import { parseArn } from '../auth/arn';
import { accessPolicyName } from '../clusters/model';

export const ACCESS_ENTRY_TYPES = ['STANDARD', 'EC2', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'HYPERPOD_LINUX'] as const;
export type AccessEntryType = (typeof ACCESS_ENTRY_TYPES)[number];
/** The types the wizard offers (EC2 is created by EKS Auto Mode set-ups, HYPERPOD_LINUX by SageMaker HyperPod). */
export const WIZARD_ENTRY_TYPES: AccessEntryType[] = ['STANDARD', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX'];
export const RESERVED_USERNAME_PREFIXES = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'];
/** The one policy an EKS Auto Mode node entry (type EC2) is associated with. */
export const AUTO_NODE_POLICY_NAME = 'AmazonEKSAutoNodePolicy';

export function isAccessEntryType(type: string): type is AccessEntryType {
  return (ACCESS_ENTRY_TYPES as readonly string[]).includes(type);
}

export const isNodeType = (type: string) => type !== 'STANDARD';

export interface AccessEntryInput {
  principalArn: string;
  type?: string;
  username?: string;
  kubernetesGroups?: string[];
}

/** Why EKS refuses the principal for this type, or undefined. */
export function principalProblem(principalArn: string, type = 'STANDARD', clusterAccount?: string): string | undefined {
  const p = parseArn(principalArn.trim());
  if (!p || !/^\d{12}$/.test(p.account) || !p.name) return 'Enter an IAM role or user ARN: arn:aws:iam::123456789012:role/NAME';
  if (p.kind === 'assumed-role') return `STS session ARNs are not accepted: use the role ARN arn:${p.partition}:iam::${p.account}:role/${p.name}`;
  if (p.kind === 'role' && p.path.startsWith('aws-service-role')) return 'Service-linked roles cannot have access entries';
  if (isNodeType(type) && p.kind !== 'role') return `Access entries of type ${type} need an IAM role`;
  if (isNodeType(type) && clusterAccount && p.account !== clusterAccount) return `Access entries of type ${type} need a role of the cluster's account ${clusterAccount}, not ${p.account}`;
  return undefined;
}

/** Why EKS refuses this custom username, or undefined. */
export function usernameProblem(username: string, type = 'STANDARD'): string | undefined {
  if (isNodeType(type)) return `A username cannot be set for access entries of type ${type}: EKS sets it`;
  const prefix = RESERVED_USERNAME_PREFIXES.find((p) => username.startsWith(p));
  if (prefix) return `Custom usernames cannot start with ${prefix}`;
  const at = username.search(/\{\{SessionName(Raw)?\}\}/);
  if (at >= 0 && !username.slice(0, at).includes(':')) return `A username with {{SessionName}} needs a colon before it (for example "${username.slice(0, at)}:{{SessionName}}")`;
  return undefined;
}

/** Why EKS refuses these Kubernetes groups for this type, or undefined. */
export function groupsProblem(groups: string[], type = 'STANDARD'): string | undefined {
  if (groups.length && isNodeType(type)) return `Kubernetes groups cannot be set for access entries of type ${type}`;
  const bad = groups.find((g) => g.startsWith('system:'));
  return bad ? `Groups cannot start with system: (${bad}); use an access policy such as AmazonEKSClusterAdminPolicy instead` : undefined;
}

/** Why EKS refuses to associate this access policy with an entry of this type, or undefined. */
export function policyProblem(policyArn: string, type = 'STANDARD'): string | undefined {
  const name = accessPolicyName(policyArn);
  if (type === 'EC2') return name === AUTO_NODE_POLICY_NAME ? undefined : `Entries of type EC2 (EKS Auto Mode nodes) take only ${AUTO_NODE_POLICY_NAME}`;
  if (isNodeType(type)) return `Access policies cannot be associated with access entries of type ${type}`;
  return undefined;
}

/** Every reason EKS would refuse this entry, in the order the API checks them. */
export function accessEntryProblems(e: AccessEntryInput, clusterAccount?: string): string[] {
  const type = e.type ?? 'STANDARD';
  const out: string[] = [];
  if (!isAccessEntryType(type)) out.push(`Unknown access entry type ${type}: expected one of ${ACCESS_ENTRY_TYPES.join(', ')}`);
  const p = principalProblem(e.principalArn, type, clusterAccount);
  if (p) out.push(p);
  if (e.username !== undefined && e.username !== '') {
    const u = usernameProblem(e.username, type);
    if (u) out.push(u);
  }
  const g = groupsProblem(e.kubernetesGroups ?? [], type);
  if (g) out.push(g);
  return out;
}

/** Splits comma- or space-separated group names, as typed in the wizard. */
export function parseGroups(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}
