/**
 * Moving aws-auth mappings to access entries without locking anyone out: a plan first (what each mapping becomes,
 * or why it is skipped), then an apply that is safe to run again after a partial failure.
 */
import { stringify } from 'yaml';
import { arnProblem, canonicalize, parseArn, stripPath } from '../auth/arn';
import { accessEntryMatches, mappingMatches } from '../auth/authenticator';
import type { AccessScope, EksGateway } from '../aws/eksGateway';
import type { IamGateway } from '../aws/iamGateway';
import { Mapping, readMappings } from '../clusters/model';
import { markdownText } from '../markdown';
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
 * Plans the migration from what the authenticator holds today (the authenticator model's store), so the plan grants
 * each principal exactly what aws-auth grants it: dropped entries, replaced duplicates and user mappings that a role
 * mapping shadows grant nothing and are skipped. `existing` are the cluster's access entry principal ARNs; `iam`
 * gives role ARNs their path back (aws-auth must not have one, access entries need the real ARN).
 */
export async function planMigration(awsAuth: Record<string, string>, existing: string[], iam: IamGateway): Promise<{ items: PlanItem[]; errors: string[] }> {
  const { model, errors } = readMappings(awsAuth);
  const items: PlanItem[] = [];
  const mappingOf = (item: (typeof model.roles)[number]): Mapping => ({ section: item.section, arn: item.arn, username: item.username, groups: item.groups, item });
  for (const item of [...model.sections.mapRoles.items, ...model.sections.mapUsers.items]) {
    const m = mappingOf(item);
    if (item.dropped) {
      items.push({ mapping: m, action: 'skip', skipKind: 'never-matched', reason: `the authenticator drops this entry (${item.dropped}): it grants nothing today` });
      continue;
    }
    if (item.replacedBy) {
      items.push({ mapping: m, action: 'skip', skipKind: 'duplicate', reason: `a later aws-auth entry (${item.replacedBy.index + 1}) for the same principal replaces it (as in the authenticator)` });
      continue;
    }
    if (item.section === 'mapUsers' && model.roles.some((r) => mappingMatches(r, item.arn))) {
      items.push({ mapping: m, action: 'skip', skipKind: 'duplicate', reason: 'a mapRoles entry for the same ARN is looked up first, so this user mapping grants nothing today' });
      continue;
    }
    const variants = item.section === 'mapUsers' ? model.users.filter((u) => u !== item && mappingMatches(u, item.arn)) : [];
    if (variants.length) {
      const same = variants.every((v) => v.username === item.username && JSON.stringify(v.groups) === JSON.stringify(item.groups));
      const first = [item, ...variants].sort((a, b) => a.index - b.index)[0];
      if (!same || first !== item) {
        items.push({
          mapping: m,
          action: 'skip',
          skipKind: same ? 'duplicate' : 'loses-access',
          reason: same
            ? `entry ${first.index + 1} maps the same user (its ARN differs only in case) with the same username and groups`
            : `mapUsers maps this user ${variants.length + 1} times with ARNs that differ only in case and grant different access: the authenticator picks one at random, so decide which is right in aws-auth first`,
        });
        continue;
      }
    }
    if (item.sso) {
      items.push({ mapping: m, action: 'skip', skipKind: 'never-matched', reason: 'sso entries need the SSORoleMatch feature gate, which is off: it grants nothing today' });
      continue;
    }
    const written = canonicalize(item.arn);
    if (!('error' in written) && (written.kind === 'root' || written.kind === 'federated-user')) {
      items.push({ mapping: m, action: 'skip', skipKind: 'loses-access', reason: `${item.arn} is ${written.kind === 'root' ? "the account's root user" : 'a federated user'}: it authenticates today, but an access entry for it must be a deliberate decision` });
      continue;
    }
    // STS never reports a region, and IAM account ids have 12 digits: anything else can never equal a caller's ARN.
    const malformed = 'error' in written ? written.error : item.arn !== item.arn.trim() ? 'white space around it' : arnProblem(item.arn);
    if ('error' in written || malformed) {
      items.push({ mapping: m, action: 'skip', skipKind: 'never-matched', reason: `${item.arn} can never be a caller's ARN (${malformed}): it grants nothing today` });
      continue;
    }
    if (written.kind === 'assumed-role' || (written.kind === 'role' && stripPath(item.arn) !== item.arn && !parseArn(item.arn)?.path.startsWith('aws-service-role'))) {
      // Migrating it would grant access the cluster never gave: the authenticator has never matched this mapping.
      const intended = written.kind === 'assumed-role' ? written.canonical : stripPath(item.arn);
      items.push({ mapping: m, action: 'skip', skipKind: 'never-matched', reason: `${item.arn} has never matched (${written.kind === 'assumed-role' ? 'a session ARN' : 'a role path'}); if ${intended} should have access, fix aws-auth or create its entry deliberately` });
      continue;
    }
    const { entry, reason } = translate(m);
    if (!entry) {
      items.push({ mapping: m, action: 'skip', skipKind: 'loses-access', reason });
      continue;
    }
    if (existing.some((a) => accessEntryMatches(a, item.arn))) {
      items.push({ mapping: m, action: 'skip', skipKind: 'exists', reason: 'the principal already has an access entry' });
      continue;
    }
    const principalArn = await iam.resolvePrincipal(item.arn);
    if (!principalArn) {
      items.push({ mapping: m, action: 'skip', skipKind: 'loses-access', reason: `${item.arn} no longer exists in IAM; nothing to migrate (and nothing to guess)` });
      continue;
    }
    items.push({ mapping: m, action: 'create', entry: { principalArn, ...entry } });
  }
  for (const account of model.accounts) {
    const { reason } = translate({ section: 'mapAccounts', arn: account, groups: [] });
    items.push({ mapping: { section: 'mapAccounts', arn: account, groups: [] }, action: 'skip', skipKind: 'loses-access', reason });
  }
  return { items, errors };
}

/** The plan as a table, for the editor and the CLI. */
export function planMarkdown(items: PlanItem[], cluster: string): string {
  const t = markdownText;
  const rows = items.map((i) => {
    const from = t(`${i.mapping.section} ${i.mapping.arn}`);
    if (i.action === 'skip') return `| skip | ${from} | | ${t(i.reason ?? '')} |`;
    const e = i.entry!;
    const what = [`type ${e.type}`, e.username ? `username ${e.username}` : '', e.kubernetesGroups.length ? `groups ${e.kubernetesGroups.join(', ')}` : '', ...e.policies.map((p) => `${p.policyArn.split('/').pop()} (${p.accessScope.type})`)].filter(Boolean).join(', ');
    return `| create | ${from} | ${t(e.principalArn)} | ${t(what)} |`;
  });
  const creates = items.filter((i) => i.action === 'create').length;
  return [`# Migrate aws-auth to access entries on ${t(cluster)}`, '', `${creates} access entries to create, ${items.length - creates} mappings skipped. Nothing has changed yet.`, '', '| action | aws-auth mapping | access entry | details or reason |', '|---|---|---|---|', ...rows, ''].join('\n');
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
