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

export function shortName(arn: string): string {
  const p = parseArn(arn);
  return p ? (p.kind === 'assumed-role' ? `${p.name}/${p.session}` : p.name) : arn;
}

/** The principal kinds the authenticator accepts from STS (pkg/arn/arn.go `Canonicalize`). */
export type PrincipalKind = 'role' | 'user' | 'root' | 'assumed-role' | 'federated-user';

export interface CanonicalPrincipal {
  kind: PrincipalKind;
  /** The ARN the mappers compare with: assumed-role sessions become `arn:P:iam::A:role/R`. */
  canonical: string;
  partition: string;
  account: string;
  /** The session name of an assumed-role ARN (its last segment). */
  session?: string;
}

/**
 * The authenticator's Canonicalize: an ARN with the `arn:` prefix and six `:` sections, a known partition, and an
 * `iam` role/user/root or `sts` assumed-role/federated-user resource. Returns its error text otherwise.
 */
export function canonicalize(arn: string): CanonicalPrincipal | { error: string } {
  if (!arn.startsWith('arn:')) return { error: `arn '${arn}' is invalid: 'arn: invalid prefix'` };
  const sections = arn.split(':');
  if (sections.length < 6) return { error: `arn '${arn}' is invalid: 'arn: not enough sections'` };
  const [, partition, service, , account] = sections;
  const resource = sections.slice(5).join(':');
  if (!PARTITIONS.includes(partition)) return { error: `arn '${arn}' does not have a recognized partition` };
  const parts = resource.split('/');
  if (service === 'sts') {
    if (parts[0] === 'federated-user') return { kind: 'federated-user', canonical: arn, partition, account };
    if (parts[0] === 'assumed-role') {
      if (parts.length < 3) return { error: `assumed-role arn '${arn}' does not have a role` };
      const role = parts.slice(1, -1).join('/');
      return { kind: 'assumed-role', canonical: `arn:${partition}:iam::${account}:role/${role}`, partition, account, session: parts[parts.length - 1] };
    }
    return { error: `unrecognized resource ${resource} for service sts` };
  }
  if (service === 'iam') {
    if (parts[0] === 'role' || parts[0] === 'user' || parts[0] === 'root') return { kind: parts[0], canonical: arn, partition, account };
    return { error: `unrecognized resource ${resource} for service iam` };
  }
  return { error: `service ${service} in arn ${arn} is not a valid service for identities` };
}

/** The authenticator's StripPath: `role/a/b/Name` becomes `role/Name`; other ARNs are unchanged. */
export function stripPath(arn: string): string {
  const p = canonicalize(arn);
  if ('error' in p || p.kind !== 'role') return arn;
  const parts = arn.split(':').slice(5).join(':').split('/');
  return parts.length > 2 ? `arn:${p.partition}:iam::${p.account}:role/${parts[parts.length - 1]}` : arn;
}

/** Go's `strings.EqualFold` over the ARNs' characters (simple case folding, as the mappers compare). */
export function equalFold(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length !== b.length && a.toLowerCase().length !== b.toLowerCase().length) return false;
  return foldCase(a) === foldCase(b);
}

/** One representative per simple-folding orbit: what `equalFold` compares, and what map keys use. */
export function foldCase(s: string): string {
  // The two non-ASCII letters that fold onto ASCII ones: KELVIN SIGN (k) and LATIN SMALL LETTER LONG S (s).
  return s.replace(/[\u212A\u017F]/g, (c) => (c === '\u212A' ? 'k' : 's')).toLowerCase();
}
