/**
 * Moving aws-auth mappings to access entries without locking anyone out: a plan first (what each mapping becomes,
 * or why it is skipped), then an apply that is safe to run again after a partial failure.
 */
import { stringify } from 'yaml';
import { canonicalArn, parseArn, stripRolePath } from '../auth/arn';
import type { AccessScope, EksGateway } from '../aws/eksGateway';
import type { IamGateway } from '../aws/iamGateway';
import { Mapping, readMappings } from '../clusters/model';
import { RESERVED_USERNAME_PREFIXES } from '../clusters/validation';

export const CLUSTER_ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

export interface PlannedEntry {
  principalArn: string;
  type: string;
  username?: string;
  kubernetesGroups: string[];
  policies: { policyArn: string; accessScope: AccessScope }[];
}

export interface PlanItem {
  mapping: Mapping;
  action: 'create' | 'skip';
  /** Why it is skipped; for `exists`, the principal is already covered. */
  reason?: string;
  /** `exists`: an access entry already covers it; `loses-access`: skipping it would lock the principal out in API mode. */
  skipKind?: 'exists' | 'loses-access' | 'duplicate' | 'never-matched';
  entry?: PlannedEntry;
}

const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];

/** What one mapping becomes, before IAM and existing entries are taken into account. */
function translate(m: Mapping): { entry?: Omit<PlannedEntry, 'principalArn'>; reason?: string } {
  if (m.section === 'mapAccounts') return { reason: 'mapAccounts has no access entry equivalent: create an entry for each principal of that account that needs access' };
  const arn = parseArn(m.arn);
  if (arn?.kind === 'role' && arn.path.startsWith('aws-service-role')) return { reason: 'service-linked roles cannot have access entries' };
  const username = m.username ?? '';
  const isNode = username.startsWith('system:node:') && NODE_GROUPS.every((g) => m.groups.includes(g));
  if (isNode) {
    if (username.includes('{{SessionName}}')) return { entry: { type: m.groups.includes('system:node-proxier') ? 'FARGATE_LINUX' : 'HYBRID_LINUX', kubernetesGroups: [], policies: [] } };
    const windows = m.groups.includes('eks:kube-proxy-windows');
    return { entry: { type: windows ? 'EC2_WINDOWS' : 'EC2_LINUX', kubernetesGroups: [], policies: [] } };
  }
  const prefix = RESERVED_USERNAME_PREFIXES.find((p) => username.startsWith(p));
  if (prefix) return { reason: `the username ${username} starts with ${prefix}, which access entries reject` };
  const systemGroups = m.groups.filter((g) => g.startsWith('system:') && g !== 'system:masters');
  if (systemGroups.length) return { reason: `the groups ${systemGroups.join(', ')} start with system:, which access entries reject; map their permissions to an access policy or a custom group first` };
  const admin = m.groups.includes('system:masters');
  return {
    entry: {
      type: 'STANDARD',
      username: username || undefined,
      kubernetesGroups: m.groups.filter((g) => g !== 'system:masters'),
      policies: admin ? [{ policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: 'cluster' } }] : [],
    },
  };
}

/**
 * Plans the migration. `existing` are the cluster's access entry principal ARNs; `iam` gives role ARNs their path
 * back (aws-auth must not have one, access entries need the real ARN).
 */
export async function planMigration(awsAuth: Record<string, string>, existing: string[], iam: IamGateway): Promise<{ items: PlanItem[]; errors: string[] }> {
  const { mappings, errors } = readMappings(awsAuth);
  const have = new Set(existing.map((a) => stripRolePath(a).toLowerCase()));
  const seen = new Map<string, number>();
  // The authenticator keys roles by lowercased ARN and keeps the last entry: so does the plan.
  mappings.forEach((m, i) => m.section !== 'mapAccounts' && seen.set(`${m.section}|${canonicalArn(m.arn).toLowerCase()}`, i));
  const items: PlanItem[] = [];
  for (const [i, m] of mappings.entries()) {
    if (m.section !== 'mapAccounts' && seen.get(`${m.section}|${canonicalArn(m.arn).toLowerCase()}`) !== i) {
      items.push({ mapping: m, action: 'skip', skipKind: 'duplicate', reason: 'a later aws-auth entry for the same principal wins (as in the authenticator)' });
      continue;
    }
    const written = parseArn(m.arn);
    if (written && (written.kind === 'assumed-role' || (written.kind === 'role' && written.path && !written.path.startsWith('aws-service-role')))) {
      // Migrating it would grant access the cluster never gave: the authenticator has never matched this mapping.
      const intended = stripRolePath(canonicalArn(m.arn));
      items.push({ mapping: m, action: 'skip', skipKind: 'never-matched', reason: `${m.arn} has never matched (${written.kind === 'assumed-role' ? 'a session ARN' : 'a role path'}); if ${intended} should have access, fix aws-auth or create its entry deliberately` });
      continue;
    }
    const { entry, reason } = translate(m);
    if (!entry) {
      items.push({ mapping: m, action: 'skip', skipKind: 'loses-access', reason });
      continue;
    }
    const compared = stripRolePath(canonicalArn(m.arn)).toLowerCase();
    if (have.has(compared)) {
      items.push({ mapping: m, action: 'skip', skipKind: 'exists', reason: 'the principal already has an access entry' });
      continue;
    }
    const principalArn = await iam.resolvePrincipal(canonicalArn(m.arn));
    if (!principalArn) {
      items.push({ mapping: m, action: 'skip', skipKind: 'loses-access', reason: `${canonicalArn(m.arn)} no longer exists in IAM; nothing to migrate (and nothing to guess)` });
      continue;
    }
    items.push({ mapping: m, action: 'create', entry: { principalArn, ...entry } });
  }
  return { items, errors };
}

/** The plan as a table, for the editor and the CLI. */
export function planMarkdown(items: PlanItem[], cluster: string): string {
  const rows = items.map((i) => {
    const from = `${i.mapping.section} ${i.mapping.arn}`;
    if (i.action === 'skip') return `| skip | ${from} | | ${i.reason} |`;
    const e = i.entry!;
    const what = [`type ${e.type}`, e.username ? `username ${e.username}` : '', e.kubernetesGroups.length ? `groups ${e.kubernetesGroups.join(', ')}` : '', ...e.policies.map((p) => `${p.policyArn.split('/').pop()} (${p.accessScope.type})`)].filter(Boolean).join(', ');
    return `| create | ${from} | ${e.principalArn} | ${what} |`;
  });
  const creates = items.filter((i) => i.action === 'create').length;
  return [`# Migrate aws-auth to access entries on ${cluster}`, '', `${creates} access entries to create, ${items.length - creates} mappings skipped. Nothing has changed yet.`, '', '| action | aws-auth mapping | access entry | details or reason |', '|---|---|---|---|', ...rows, ''].join('\n').replace(/\{\{/g, '\\{\\{');
}

/** The planned access entries as YAML, for a diff against the current ones. */
export function entriesYaml(entries: PlannedEntry[]): string {
  return entries.length ? stringify([...entries].sort((a, b) => a.principalArn.localeCompare(b.principalArn)), { lineWidth: 0 }) : '[]\n';
}

export interface ApplyResult {
  item: PlanItem;
  outcome: 'created' | 'existed' | 'failed';
  message?: string;
}

/**
 * Creates the planned entries one by one and associates their policies. An entry that already exists (from an
 * earlier, interrupted run) counts as done, so running again resumes; the first failure stops the run.
 */
export async function applyMigration(eks: EksGateway, cluster: string, items: PlanItem[], progress?: (done: number, total: number, current: string) => void, isCancelled?: () => boolean): Promise<ApplyResult[]> {
  const creates = items.filter((i) => i.action === 'create');
  const results: ApplyResult[] = [];
  for (const [n, item] of creates.entries()) {
    if (isCancelled?.()) break;
    const e = item.entry!;
    progress?.(n, creates.length, e.principalArn);
    let outcome: ApplyResult['outcome'] = 'created';
    try {
      try {
        await eks.createAccessEntry(cluster, { principalArn: e.principalArn, type: e.type, username: e.type === 'STANDARD' ? e.username : undefined, kubernetesGroups: e.kubernetesGroups.length ? e.kubernetesGroups : undefined });
      } catch (err) {
        if ((err as { name?: string }).name !== 'ResourceInUseException') throw err;
        outcome = 'existed';
      }
      for (const p of e.policies) await eks.associateAccessPolicy(cluster, e.principalArn, p.policyArn, p.accessScope);
      results.push({ item, outcome });
    } catch (err) {
      results.push({ item, outcome: 'failed', message: (err as Error).message });
      break;
    }
  }
  progress?.(results.length, creates.length, '');
  return results;
}

/** Whether switching to API mode would lock someone out: a mapping skipped for a reason other than "covered". */
export function blockersForApiMode(items: PlanItem[], results: ApplyResult[]): PlanItem[] {
  const done = new Set(results.filter((r) => r.outcome !== 'failed').map((r) => r.item));
  return items.filter((i) => (i.action === 'skip' && i.skipKind === 'loses-access') || (i.action === 'create' && !done.has(i)));
}
