/** Input rules for access entries, checked before calling EKS so the user sees why at once. */
import { parseArn } from '../auth/arn';

export const RESERVED_USERNAME_PREFIXES = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'];
export const ACCESS_ENTRY_TYPES = ['STANDARD', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX'];

/** Returns why the principal ARN cannot have an access entry, or undefined. */
export function validatePrincipalArn(arn: string, type = 'STANDARD'): string | undefined {
  const p = parseArn(arn.trim());
  if (!p || !/^\d{12}$/.test(p.account)) return 'Enter an IAM role or user ARN: arn:aws:iam::123456789012:role/NAME';
  if (p.kind === 'assumed-role') return `STS session ARNs are not accepted: use the role ARN arn:${p.partition}:iam::${p.account}:role/${p.name}`;
  if (p.path.startsWith('aws-service-role')) return 'Service-linked roles cannot have access entries';
  if (type !== 'STANDARD' && p.kind !== 'role') return `Access entries of type ${type} need an IAM role`;
  return undefined;
}

export function validateUsername(username: string): string | undefined {
  const prefix = RESERVED_USERNAME_PREFIXES.find((p) => username.startsWith(p));
  return prefix ? `Custom usernames cannot start with ${prefix}` : undefined;
}

/** Splits comma- or space-separated groups and checks each. */
export function parseGroups(text: string): { groups: string[]; error?: string } {
  const groups = text.split(/[\s,]+/).filter(Boolean);
  const bad = groups.find((g) => g.startsWith('system:'));
  return { groups, error: bad ? `Groups cannot start with system: (${bad}); use an access policy such as AmazonEKSClusterAdminPolicy instead` : undefined };
}
