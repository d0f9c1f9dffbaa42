/**
 * Access entries as the authenticator sees them. EKS serves them to kubernetes-sigs/aws-iam-authenticator through
 * the DynamicFile mapper (`pkg/mapper/dynamicfile/mapper.go` `Map`: looked up by the caller's canonical ARN, else
 * ErrNotMapped); the defaults for each entry type are the EKS user guide's (access entries, CreateAccessEntry).
 * Cited in docs/authenticator.md.
 */
import { canonicalize, CanonicalPrincipal, equalFold, foldCase, stripPath } from './arn';
import type { Mapped, Mapper } from './mapper';

export interface AccessEntryInfo {
  principalArn: string;
  type?: string;
  username?: string;
  kubernetesGroups?: string[];
  policies?: { policyArn?: string; accessScope?: { type?: string; namespaces?: string[] }; source?: string }[];
  /** Where the entry comes from, for reports (a Terraform resource address, "created by EKS for ..."). */
  source?: string;
  /** Why the entry looks as it does after a change, in words (a replaced entry that lost its policies). */
  sourceNote?: string;
}

/**
 * The access entries keyed as the authenticator finds them: by the principal ARN without its role path, compared
 * with Go's case folding. The first entry for a key wins, as `find` over the list did. Build it once per state and
 * pass it to `authenticate` for many principals: a lookup is then constant time instead of a scan.
 */
export class AccessEntryStore {
  private readonly byKey = new Map<string, AccessEntryInfo>();
  constructor(readonly entries: readonly AccessEntryInfo[]) {
    for (const e of entries) {
      const key = foldCase(stripPath(e.principalArn.trim()));
      if (!this.byKey.has(key)) this.byKey.set(key, e);
    }
  }
  /** The entry the authenticator finds for a canonical caller ARN. */
  find(canonicalArn: string): AccessEntryInfo | undefined {
    return this.byKey.get(foldCase(canonicalArn));
  }
}

const NODE_TYPES = ['EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'EC2', 'HYPERPOD_LINUX'];

/** Whether an access entry is the one the authenticator finds for this canonical ARN (role paths are stripped). */
export function accessEntryMatches(entryArn: string, canonicalArn: string): boolean {
  return equalFold(stripPath(entryArn.trim()), canonicalArn);
}

/** The username and groups an access entry gives, with EKS's defaults for each type. */
export function accessEntryIdentity(entry: AccessEntryInfo, principal?: CanonicalPrincipal): { username: string; groups: string[] } {
  const type = entry.type ?? 'STANDARD';
  if (NODE_TYPES.includes(type)) {
    const username = entry.username ?? (type === 'FARGATE_LINUX' || type === 'HYBRID_LINUX' ? 'system:node:{{SessionName}}' : 'system:node:{{EC2PrivateDNSName}}');
    return { username, groups: ['system:bootstrappers', 'system:nodes', ...(type === 'FARGATE_LINUX' ? ['system:node-proxier'] : []), ...(entry.kubernetesGroups ?? [])] };
  }
  const arn = stripPath(entry.principalArn);
  const p = principal ?? (canonicalize(arn) as CanonicalPrincipal);
  const role = arn.split(':role/')[1];
  const username = entry.username ?? (role && p.account ? `arn:${p.partition}:sts::${p.account}:assumed-role/${role}/{{SessionName}}` : entry.principalArn);
  return { username, groups: entry.kubernetesGroups ?? [] };
}

/** The access-entry mapper: the entry for the caller's canonical ARN, if any, gives the identity. */
export const accessEntryMapper: Mapper = (caller, input, result): Mapped | undefined => {
  const canonical = caller.principal.canonical;
  const entries = input.accessEntries;
  const entry = entries instanceof AccessEntryStore ? entries.find(canonical) : (entries ?? []).find((e) => accessEntryMatches(e.principalArn, canonical));
  if (!entry) {
    result.steps.push({ id: 'accessEntry', title: 'Access entry', outcome: 'no-match', detail: `No access entry for ${canonical}.` });
    return undefined;
  }
  const found = accessEntryIdentity(entry, caller.principal);
  result.via = 'access entry';
  result.entry = entry;
  result.steps.push({ id: 'accessEntry', title: 'Access entry', outcome: 'match', detail: `${entry.principalArn} (type ${entry.type ?? 'STANDARD'}): username ${found.username}, groups ${found.groups.join(', ') || 'none'}.` });
  return found;
};
