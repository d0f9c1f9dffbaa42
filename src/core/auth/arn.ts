/** IAM and STS ARNs as the authenticator reads them. */

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

export interface ParsedArn {
  partition: string;
  service: 'iam' | 'sts';
  account: string;
  kind: 'role' | 'user' | 'assumed-role';
  /** Path between the kind and the name, without slashes at either end ('' when none). */
  path: string;
  name: string;
  /** For assumed-role ARNs. */
  session?: string;
}

const ARN = /^arn:([^:]*):(iam|sts)::([^:]*):(role|user|assumed-role)\/(.+)$/;

/** Parses an IAM role/user or STS assumed-role ARN; undefined when it is none of those. */
export function parseArn(arn: string): ParsedArn | undefined {
  const m = ARN.exec(arn.trim());
  if (!m) return undefined;
  const [, partition, service, account, kind, rest] = m;
  const parts = rest.split('/');
  if (kind === 'assumed-role') {
    return { partition, service: service as 'sts', account, kind, path: '', name: parts[0], session: parts.slice(1).join('/') };
  }
  return { partition, service: service as 'iam', account, kind: kind as 'role' | 'user', path: parts.slice(0, -1).join('/'), name: parts[parts.length - 1] };
}

/** Why an ARN can never match, or undefined when it is well formed; pass `p` when it is already parsed. */
export function arnProblem(arn: string, p = parseArn(arn)): string | undefined {
  if (/[*?]/.test(arn)) return 'wildcards are not supported: the authenticator compares ARNs exactly';
  if (!p) return 'expected arn:PARTITION:iam::ACCOUNT:role/NAME or arn:PARTITION:iam::ACCOUNT:user/NAME';
  if (!PARTITIONS.includes(p.partition)) return `unknown partition "${p.partition}" (expected one of ${PARTITIONS.join(', ')})`;
  if (!/^\d{12}$/.test(p.account)) return `the account id "${p.account}" must be 12 digits`;
  if (p.service === 'iam' && p.kind === 'assumed-role') return 'assumed-role ARNs belong to sts, not iam';
  if (p.service === 'sts' && p.kind !== 'assumed-role') return `${p.kind} ARNs belong to iam, not sts`;
  if (!p.name) return 'the ARN has no name after the last slash';
  return undefined;
}

/**
 * The ARN the authenticator compares with: STS assumed-role ARNs become role ARNs without a path (STS does not
 * return paths); user ARNs keep theirs.
 */
export function canonicalArn(arn: string, p = parseArn(arn)): string {
  if (!p) return arn;
  if (p.kind === 'assumed-role') return roleArnOf(p);
  return arn.trim();
}

/** A role ARN with its path removed: what the authenticator needs in aws-auth. */
export function stripRolePath(arn: string, p = parseArn(arn)): string {
  if (!p || p.kind !== 'role') return arn;
  return roleArnOf(p);
}

/** The path-less IAM role ARN for a role or an assumed-role session. */
export function roleArnOf(p: ParsedArn): string {
  return `arn:${p.partition}:iam::${p.account}:role/${p.name}`;
}

export function shortName(arn: string): string {
  const p = parseArn(arn);
  return p ? (p.kind === 'assumed-role' ? `${p.name}/${p.session}` : p.name) : arn;
}
