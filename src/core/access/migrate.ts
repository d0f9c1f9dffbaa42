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
import { groupsProblem, usernameProblem } from './accessEntryRules';
import { accessPolicyName } from '../clusters/model';

/** The cluster admin access policy in a partition: `arn:aws-cn:eks::aws:...` in China, and so on. */
export function clusterAdminPolicyArn(partition = 'aws'): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`;
}

export const CLUSTER_ADMIN_POLICY = clusterAdminPolicyArn('aws');

export interface PlannedEntry {
  principalArn: string;
  type: string;
  username?: string;
  kubernetesGroups: string[];
  policies: { policyArn: string; accessScope: AccessScope }[];
}

export interface PlanItem {
  mapping: Mapping;
  /** `complete`: the principal's access entry exists but lacks some of the planned policies (an interrupted run). */
  action: 'create' | 'complete' | 'skip';
  /** Why it is skipped; for `exists`, the principal is already covered. */
  reason?: string;
  /**
   * `exists`: an access entry already grants what the mapping grants; `loses-access`: skipping it would lock the
   * principal out in API mode; `differs`: an access entry exists but grants something else; `other-account`: a
   * principal of another account, whose real ARN IAM cannot tell from here.
   */
  skipKind?: 'exists' | 'loses-access' | 'duplicate' | 'never-matched' | 'differs' | 'other-account';
  entry?: PlannedEntry;
  /** For `complete`: the planned policies the existing entry lacks. */
  missingPolicies?: PlannedEntry['policies'];
}

/** An access entry the cluster has now. */
export interface ExistingEntry {
  principalArn: string;
  type?: string;
  username?: string;
  kubernetesGroups?: string[];
}

export interface PlanContext {
  existing: ExistingEntry[];
  iam: IamGateway;
  /** The account IAM answers for (the caller's): only its principals can be looked up. */
  callerAccount: string;
  /** The policies associated with an existing entry. */
  policiesOf(principalArn: string): Promise<{ policyArn?: string; accessScope?: AccessScope }[]>;
}

/** Skip kinds that leave a principal without the access aws-auth gives it, once aws-auth is ignored. */
const BLOCKING: NonNullable<PlanItem['skipKind']>[] = ['loses-access', 'differs', 'other-account'];

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
  const badUsername = username ? usernameProblem(username) : undefined;
  if (badUsername) return { reason: `the username ${username} cannot be an access entry's: ${badUsername}` };
  const systemGroups = m.groups.filter((g) => g.startsWith('system:') && g !== 'system:masters');
  if (groupsProblem(systemGroups)) return { reason: `the groups ${systemGroups.join(', ')} start with system:, which access entries reject; map their permissions to an access policy or a custom group first` };
  const admin = m.groups.includes('system:masters');
  return {
    entry: {
      type: 'STANDARD',
      username: username || undefined,
      kubernetesGroups: m.groups.filter((g) => g !== 'system:masters'),
      // The principal's partition is the cluster's: a principal of another partition can never call it.
      policies: admin ? [{ policyArn: clusterAdminPolicyArn(parseArn(m.arn)?.partition), accessScope: { type: 'cluster' } }] : [],
    },
  };
}

/**
 * Plans the migration from what the authenticator holds today (the authenticator model's store), so the plan grants
 * each principal exactly what aws-auth grants it: dropped entries, replaced duplicates and user mappings that a role
 * mapping shadows grant nothing and are skipped. `existing` are the cluster's access entry principal ARNs; `iam`
 * gives role ARNs their path back (aws-auth must not have one, access entries need the real ARN).
 */
export async function planMigration(awsAuth: Record<string, string>, ctx: PlanContext): Promise<{ items: PlanItem[]; errors: string[] }> {
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
    const existing = ctx.existing.find((a) => accessEntryMatches(a.principalArn, item.arn));
    if (existing) {
      items.push(await compareWithExisting(m, { principalArn: existing.principalArn, ...entry }, existing, ctx));
      continue;
    }
    const account = parseArn(item.arn)?.account;
    if (account !== ctx.callerAccount) {
      // IAM answers GetRole by name from the caller's own account: asking would find a different role.
      const name = parseArn(item.arn)?.name ?? '';
      items.push({
        mapping: m,
        action: 'skip',
        skipKind: 'other-account',
        reason: `other account: path not verifiable. ${item.arn} belongs to account ${account}, and IAM here answers for account ${ctx.callerAccount} only. In account ${account}, check the role's real ARN (aws iam get-${parseArn(item.arn)?.kind === 'user' ? 'user --user-name' : 'role --role-name'} ${name}): if it has no path, create its access entry with exactly this ARN; if it has one, use the ARN with the path`,
      });
      continue;
    }
    const principalArn = await ctx.iam.resolvePrincipal(item.arn);
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

const sameSet = (a: string[] = [], b: string[] = []) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** Whether an associated policy carries out a planned one: the same policy, with at least the planned scope. */
function covers(have: { policyArn?: string; accessScope?: AccessScope }, want: PlannedEntry['policies'][number]): boolean {
  if (have.policyArn !== want.policyArn) return false;
  if (want.accessScope.type === 'cluster') return have.accessScope?.type === 'cluster';
  return have.accessScope?.type === 'cluster' || (want.accessScope.namespaces ?? []).every((n) => have.accessScope?.namespaces?.includes(n));
}

/** What an entry has that differs from what the plan gives (type, username, groups); empty when they agree. */
export function entryDifferences(have: ExistingEntry, want: PlannedEntry): string[] {
  const out: string[] = [];
  if ((have.type ?? 'STANDARD') !== want.type) out.push(`type ${have.type ?? 'STANDARD'} instead of ${want.type}`);
  if (want.type === 'STANDARD') {
    if (want.username !== undefined && have.username !== want.username) out.push(`username ${have.username ?? '(none)'} instead of ${want.username}`);
    if (!sameSet(have.kubernetesGroups, want.kubernetesGroups)) out.push(`groups ${(have.kubernetesGroups ?? []).join(', ') || '(none)'} instead of ${want.kubernetesGroups.join(', ') || '(none)'}`);
  }
  return out;
}

/** An existing entry for a mapped principal: covered, to be completed (missing policies), or different. */
async function compareWithExisting(m: Mapping, want: PlannedEntry, have: ExistingEntry, ctx: PlanContext): Promise<PlanItem> {
  const differences = entryDifferences(have, want);
  if (differences.length) {
    return { mapping: m, action: 'skip', skipKind: 'differs', entry: want, reason: `the access entry for ${have.principalArn} already exists with ${differences.join('; ')}: it wins over aws-auth today, so decide which is right before switching to API` };
  }
  const policies = want.policies.length ? await ctx.policiesOf(have.principalArn) : [];
  const missingPolicies = want.policies.filter((p) => !policies.some((h) => covers(h, p)));
  if (missingPolicies.length) {
    return { mapping: m, action: 'complete', entry: { ...want, principalArn: have.principalArn }, missingPolicies, reason: `the access entry exists without ${missingPolicies.map((p) => accessPolicyName(p.policyArn)).join(', ')} (an interrupted migration?): associate it` };
  }
  return { mapping: m, action: 'skip', skipKind: 'exists', entry: { ...want, principalArn: have.principalArn }, reason: 'the principal already has an access entry that grants the same' };
}

/** The plan as a table, for the editor and the CLI. */
export function planMarkdown(items: PlanItem[], cluster: string): string {
  const t = markdownText;
  const rows = items.map((i) => {
    const from = t(`${i.mapping.section} ${i.mapping.arn}`);
    if (i.action === 'skip') return `| skip | ${from} | | ${t(i.reason ?? '')} |`;
    if (i.action === 'complete') return `| complete | ${from} | ${t(i.entry!.principalArn)} | ${t(i.reason ?? '')} |`;
    const e = i.entry!;
    const what = [`type ${e.type}`, e.username ? `username ${e.username}` : '', e.kubernetesGroups.length ? `groups ${e.kubernetesGroups.join(', ')}` : '', ...e.policies.map((p) => `${accessPolicyName(p.policyArn)} (${p.accessScope.type})`)].filter(Boolean).join(', ');
    return `| create | ${from} | ${t(e.principalArn)} | ${t(what)} |`;
  });
  const creates = items.filter((i) => i.action === 'create').length;
  const completes = items.filter((i) => i.action === 'complete').length;
  return [`# Migrate aws-auth to access entries on ${t(cluster)}`, '', `${creates} access entries to create, ${completes} to complete, ${items.length - creates - completes} mappings skipped. Nothing has changed yet.`, '', '| action | aws-auth mapping | access entry | details or reason |', '|---|---|---|---|', ...rows, ''].join('\n');
}

/** Names each blocker with its reason, for the modal that keeps API mode off (at most `limit` lines). */
export function describeBlockers(blockers: PlanItem[], limit = 15): string {
  const lines = blockers.slice(0, limit).map((b) => `${b.mapping.section} ${b.mapping.arn}: ${b.action === 'skip' ? b.reason : 'its access entry is not complete yet'}`);
  if (blockers.length > limit) lines.push(`and ${blockers.length - limit} more (see the plan)`);
  return lines.join('\n');
}

/** The planned access entries as YAML, for a diff against the current ones. */
export function entriesYaml(entries: PlannedEntry[]): string {
  return entries.length ? stringify([...entries].sort((a, b) => a.principalArn.localeCompare(b.principalArn)), { lineWidth: 0 }) : '[]\n';
}

export interface ApplyResult {
  item: PlanItem;
  outcome: 'created' | 'completed' | 'existed' | 'failed';
  message?: string;
}

const isWork = (i: PlanItem) => i.action === 'create' || i.action === 'complete';

/**
 * Creates the planned entries one by one and associates their policies; completes entries an interrupted run left
 * without their policies. An entry that appeared meanwhile is used only if it grants exactly what the plan says,
 * so a re-run never attaches a policy to an entry that grants something else. The first failure stops the run.
 */
export async function applyMigration(eks: EksGateway, cluster: string, items: PlanItem[], progress?: (done: number, total: number, current: string) => void, isCancelled?: () => boolean): Promise<ApplyResult[]> {
  const work = items.filter(isWork);
  const results: ApplyResult[] = [];
  for (const [n, item] of work.entries()) {
    if (isCancelled?.()) break;
    const e = item.entry!;
    progress?.(n, work.length, e.principalArn);
    let outcome: ApplyResult['outcome'] = item.action === 'complete' ? 'completed' : 'created';
    try {
      let policies = item.action === 'complete' ? item.missingPolicies ?? [] : e.policies;
      if (item.action === 'create') {
        try {
          await eks.createAccessEntry(cluster, { principalArn: e.principalArn, type: e.type, username: e.type === 'STANDARD' ? e.username : undefined, kubernetesGroups: e.kubernetesGroups.length ? e.kubernetesGroups : undefined });
        } catch (err) {
          if ((err as { name?: string }).name !== 'ResourceInUseException') throw err;
          const have = await eks.describeAccessEntry(cluster, e.principalArn);
          const differences = entryDifferences({ principalArn: e.principalArn, type: have.type, username: have.username, kubernetesGroups: have.kubernetesGroups }, e);
          if (differences.length) throw new Error(`an access entry for ${e.principalArn} appeared meanwhile with ${differences.join('; ')}: nothing was associated with it`);
          outcome = 'existed';
          const associated = await eks.listAssociatedAccessPolicies(cluster, e.principalArn);
          policies = e.policies.filter((p) => !associated.some((h) => covers(h, p)));
        }
      }
      for (const p of policies) await eks.associateAccessPolicy(cluster, e.principalArn, p.policyArn, p.accessScope);
      results.push({ item, outcome });
    } catch (err) {
      results.push({ item, outcome: 'failed', message: (err as Error).message });
      break;
    }
  }
  progress?.(results.length, work.length, '');
  return results;
}

/**
 * What still keeps API mode off: mappings the plan cannot carry over, and planned work that is not done. Pass
 * `missing` from verifyMigration to count what the cluster itself says is not there.
 */
export function blockersForApiMode(items: PlanItem[], results: ApplyResult[], missing: PlanItem[] = []): PlanItem[] {
  const done = new Set(results.filter((r) => r.outcome !== 'failed').map((r) => r.item));
  return items.filter((i) => (i.action === 'skip' && BLOCKING.includes(i.skipKind!)) || (isWork(i) && !done.has(i)) || missing.includes(i));
}

/** Reads back every planned entry: those whose type, username, groups or policies are not what the plan says. */
export async function verifyMigration(eks: EksGateway, cluster: string, items: PlanItem[]): Promise<PlanItem[]> {
  const missing: PlanItem[] = [];
  for (const item of items) {
    const planned = isWork(item) || item.skipKind === 'exists' ? item.entry : undefined;
    if (!planned) continue;
    try {
      const have = await eks.describeAccessEntry(cluster, planned.principalArn);
      const policies = planned.policies.length ? await eks.listAssociatedAccessPolicies(cluster, planned.principalArn) : [];
      const ok = !entryDifferences({ principalArn: planned.principalArn, type: have.type, username: have.username, kubernetesGroups: have.kubernetesGroups }, planned).length && planned.policies.every((p) => policies.some((h) => covers(h, p)));
      if (!ok) missing.push(item);
    } catch (e) {
      if ((e as { name?: string }).name !== 'ResourceNotFoundException') throw e;
      missing.push(item);
    }
  }
  return missing;
}
