/**
 * Who gains and who loses access to a cluster between two states of its access configuration, every verdict
 * taken from the authenticator model: for each principal the model can see, whether it authenticates, as whom,
 * whether it is a cluster-admin and where its access policies reach; which node and Fargate roles can join; how many
 * admin paths are left. A lockout (no admin path, a node role that stops joining, the caller's own access lost)
 * must be confirmed by typing the cluster name; an escalation is named in the confirmation.
 */
import { stripPath } from '../auth/arn';
import type { AccessEntryInfo, AuthenticationMode, AwsAuthModel, DecodedItem } from '../auth/authenticator';
import { AccessEntryStore, mappingsFor, nodeRoleJoins } from '../auth/authenticator';
import { accessOf, isAdmin, lower, prepare, principalKey, principalsOf, strip, type Evaluated, type Prepared } from './principalAccess';
import type { Binding } from './explain';
import { isUnknown, knownRoles, type NodeRole, type NodeRoleList } from '../clusters/nodeRoles';

// The diff's parts keep their import surface here, so consumers import from one module.
export { diffText, provenance } from './accessDiffText';
export { CLUSTER_ADMIN_POLICY_NAME } from './principalAccess';

/** One state of a cluster's access. */
export interface AccessState {
  mode: AuthenticationMode;
  /** aws-auth `data`; undefined when the ConfigMap does not exist (or is ignored, in API mode). */
  awsAuth?: Record<string, string>;
  /** Why aws-auth could not be read, when it could not: whoever depends on it is then unknown. */
  awsAuthError?: string;
  /** Where aws-auth comes from, for reports (a Terraform resource address). */
  awsAuthSource?: string;
  /** Access entries with their associated policies and scopes. */
  accessEntries: AccessEntryInfo[];
  /** RBAC bindings, where known: a binding to the cluster-admin ClusterRole is an admin path. */
  bindings?: Binding[];
  /** The roles of managed node groups and Fargate profiles, or why they could not be listed. */
  nodeRoles?: NodeRoleList;
  /** The identity making the change: losing its own access is a lockout. */
  callerArn?: string;
  /** How reports name the caller ("you" when unset; "the identity that runs apply" for a plan). */
  callerLabel?: string;
  /** Set when the cluster creator keeps cluster-admin that no configuration shows (CONFIG_MAP, bootstrap admin). */
  creatorAdmin?: boolean;
  /** How reports name that creator ("the cluster creator (implicit)" when unset). */
  creatorLabel?: string;
  /** Where the creator's admin comes from, for reports (the cluster's Terraform address). */
  creatorSource?: string;
  /** The cluster does not exist in this state: before a plan creates it, or after a plan destroys it. */
  absent?: boolean;
  /** Where the cluster itself comes from, for reports (its Terraform resource address). */
  clusterSource?: string;
}

export interface PrincipalAccess {
  authenticated: boolean;
  via?: string;
  username?: string;
  groups: string[];
  /** How it is a cluster-admin: system:masters, the cluster admin policy at cluster scope, a cluster-admin binding. */
  adminVia: string[];
  /** Each access policy and where it reaches: `Name (cluster)` or `Name (namespace NS)`. */
  policyScopes: string[];
  /** Whether it is a node identity that can join (system:bootstrappers and system:nodes). */
  node: boolean;
}

export type Severity = 'lockout' | 'escalation' | 'destroy' | 'change' | 'none';

export interface PrincipalChange {
  principal: string;
  before: PrincipalAccess;
  after: PrincipalAccess;
  severity: Severity;
  /** What changed, in words. */
  changes: string[];
  /** Where its access comes from on either side: Terraform resource addresses, or who created an entry. */
  sources: string[];
  /** Why, when the cause is not the obvious one: a duplicate that wins, a path that never matches, a dropped section. */
  reasons: string[];
}

export interface NodeRoleCoverage {
  label: string;
  arn: string;
  before: boolean;
  after: boolean;
}

/** One thing a reviewer must see, with where it comes from and why. */
export interface Finding {
  kind: 'lockout' | 'escalation' | 'destroy';
  message: string;
  principal?: string;
  sources: string[];
  reasons: string[];
}

export interface AccessDiff {
  severity: Severity;
  /** Every principal whose access changes (no-ops left out). */
  principals: PrincipalChange[];
  nodeRoles: NodeRoleCoverage[];
  adminPathsBefore: string[];
  adminPathsAfter: string[];
  /** Each lockout, named: who or what loses access. */
  lockouts: string[];
  /** Each principal that gains cluster-admin. */
  escalations: string[];
  /** The lockouts, escalations and a cluster's destruction, with their sources and reasons. */
  findings: Finding[];
  /**
   * What the diff could not check, each with why: a lockout there would not be among the findings, so a
   * confirmation must say so rather than pass the change as safe.
   */
  unchecked: string[];
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const SECTION_OF: Record<string, 'mapRoles' | 'mapUsers' | 'mapAccounts'> = { mapRoles: 'mapRoles', mapUsers: 'mapUsers', mapAccounts: 'mapAccounts' };

/**
 * Why a principal's aws-auth access differs from what its entries seem to say, from the model: the rules of
 * aws-iam-authenticator that surprise people (docs/authenticator.md): a later duplicate replaces an earlier one, a
 * role ARN with a path never matches, an entry `Validate()` rejects is dropped, a YAML error drops the whole section.
 */
function reasonsFor(principal: string, b: Evaluated, a: Evaluated, before: Prepared, after: Prepared): string[] {
  const out: string[] = [];
  const lost = b.authenticated && (!a.authenticated || a.via !== b.via);
  const section = b.via ? SECTION_OF[b.via] : undefined;
  if (lost && section) {
    if (after.state.absent) {
      // The cluster goes: said once, by the destroy finding.
    } else if (after.state.mode === 'API' && before.state.mode !== 'API') out.push('aws-auth is ignored in authentication mode API');
    else if (!after.model) out.push(`aws-auth is gone after the change${after.state.awsAuthSource ? ` (${after.state.awsAuthSource})` : ''}, so nothing maps from it`);
    else {
      const sec = after.model.sections[section];
      if (sec.error) out.push(`${section} has a YAML error (${sec.error.message}): the authenticator drops the whole ${section} section`);
      else if (sec.notAList) out.push(`${section} is not a list: the authenticator maps nothing from it`);
      else if (!(after.items.get(lower(principal)) ?? []).length) out.push(`aws-auth after the change has no ${section} entry for it`);
    }
  }
  if (b.authenticated !== a.authenticated || b.via !== a.via || isAdmin(b) !== isAdmin(a)) {
    for (const item of after.items.get(lower(principal)) ?? []) {
      const where = `${item.section} entry ${item.index + 1}`;
      if (item.section === 'mapRoles' && stripPath(item.arn.trim()) !== item.arn.trim()) out.push(`${where} has a path in its role ARN (${item.arn}): STS reports role sessions without the path, so the authenticator never matches it`);
      if (item.replacedBy) out.push(`${where} is overridden by ${item.replacedBy.section} entry ${item.replacedBy.index + 1} for the same ARN: the last duplicate wins and groups are not merged`);
      if (item.dropped) out.push(`${where} is dropped by the authenticator: ${item.dropped}`);
    }
  }
  for (const p of [after, before]) {
    const entry = p.input.accessEntries instanceof AccessEntryStore ? p.input.accessEntries.find(principal) : undefined;
    if (entry?.sourceNote && !out.includes(entry.sourceNote)) out.push(entry.sourceNote);
  }
  return out;
}

function describeChanges(before: PrincipalAccess, after: PrincipalAccess): string[] {
  const out: string[] = [];
  if (before.authenticated !== after.authenticated) out.push(after.authenticated ? `gains access as ${after.username || '(empty username)'}` : 'loses access (Unauthorized)');
  else if (after.authenticated) {
    if (before.username !== after.username) out.push(`username ${before.username ?? ''} -> ${after.username ?? ''}`);
    if (!same([...before.groups].sort(), [...after.groups].sort())) out.push(`groups ${before.groups.join(', ') || 'none'} -> ${after.groups.join(', ') || 'none'}`);
    if (before.via !== after.via) out.push(`through ${before.via} -> ${after.via}`);
  }
  if (isAdmin(before) !== isAdmin(after)) out.push(isAdmin(after) ? `gains cluster-admin (${after.adminVia.join(', ')})` : `loses cluster-admin (${before.adminVia.join(', ')})`);
  if (!same(before.policyScopes, after.policyScopes)) out.push(`access policies ${before.policyScopes.join(', ') || 'none'} -> ${after.policyScopes.join(', ') || 'none'}`);
  if (before.node && !after.node) out.push('can no longer join as a node');
  return out;
}

const union = (...lists: string[][]) => [...new Set(lists.flat())];
const sameItem = (x: DecodedItem | undefined, y: DecodedItem | undefined) => x === y || (!!x && !!y && x.section === y.section && x.arn === y.arn && x.username === y.username && same(x.groups, y.groups));

/**
 * Whether everything the authenticator reads for this principal is the same in both states, so its access is too:
 * most principals of a large aws-auth are untouched by an edit, and asking the model once for them keeps the diff
 * of a 1 MiB aws-auth fast. `context` says the states already agree on the mode, mapAccounts and the bindings.
 */
function unchangedFor(principal: string, pb: Prepared, pa: Prepared, context: boolean): boolean {
  if (!context || pb.state.absent || pa.state.absent) return false;
  const stores = [pb.input.accessEntries, pa.input.accessEntries] as AccessEntryStore[];
  if (stores.some((s) => s.find(principal))) return false;
  if (pb.state.mode === 'API') return true;
  if (!pb.model || !pa.model) return !pb.model && !pa.model;
  const [b, a] = [mappingsFor(pb.model, principal), mappingsFor(pa.model, principal)];
  return sameItem(b.role, a.role) && b.users.length === a.users.length && b.users.every((u, i) => sameItem(u, a.users[i]));
}

/** The states agree on everything but aws-auth mappings and access entries (mode, mapAccounts, bindings, caller). */
function sameContext(pb: Prepared, pa: Prepared): boolean {
  const accounts = (m?: AwsAuthModel) => [...(m?.accounts ?? [])].sort().join(',');
  return pb.state.mode === pa.state.mode && accounts(pb.model) === accounts(pa.model) && JSON.stringify(pb.state.bindings ?? null) === JSON.stringify(pa.state.bindings ?? null);
}

/** The access of every principal in `before` and `after`, and what a change from one to the other does. */
export function diffAccess(before: AccessState, after: AccessState): AccessDiff {
  const findings: Finding[] = [];
  const diff = (severity: Severity, rest: Partial<AccessDiff> = {}): AccessDiff => ({
    severity,
    principals: [],
    nodeRoles: [],
    adminPathsBefore: [],
    adminPathsAfter: [],
    unchecked: [],
    ...rest,
    findings,
    lockouts: findings.filter((f) => f.kind === 'lockout').map((f) => f.message),
    escalations: findings.filter((f) => f.kind === 'escalation').map((f) => f.message),
  });
  if (after.absent && !before.absent) {
    // Deleting the cluster deletes its access entries and the ConfigMap with it: nobody is locked out of a cluster
    // that no longer exists, and the reviewer needs to hear that the cluster goes.
    findings.push({ kind: 'destroy', message: 'the cluster is destroyed, and every access entry, aws-auth and node with it', sources: after.clusterSource ? [after.clusterSource] : [], reasons: [] });
    return diff('destroy');
  }
  const [pb, pa] = [prepare(before), prepare(after)];
  const principals: PrincipalChange[] = [];
  const creator = (s: AccessState) => (s.creatorAdmin && !s.absent ? [s.creatorLabel ?? 'the cluster creator (implicit)'] : []);
  const adminPathsBefore: string[] = creator(before);
  const adminPathsAfter: string[] = creator(after);
  const caller = after.callerArn ?? before.callerArn;
  const callerKey = caller ? principalKey(caller) : undefined;
  const callerLabel = after.callerLabel ?? before.callerLabel ?? 'you';
  const byPrincipal = new Map<string, PrincipalChange>();
  const context = sameContext(pb, pa);
  for (const principal of principalsOf([before, after], [pb.model, pa.model])) {
    const b = accessOf(principal, pb);
    const a = unchangedFor(principal, pb, pa, context) ? b : accessOf(principal, pa);
    const mine = callerKey !== undefined && lower(callerKey) === lower(principal);
    const name = mine ? `${principal} (${callerLabel})` : principal;
    if (isAdmin(b)) adminPathsBefore.push(name);
    if (isAdmin(a)) adminPathsAfter.push(name);
    const changes = describeChanges(b, a);
    if (!changes.length) continue;
    // aws-auth access that changes comes from whatever writes aws-auth after the change as well.
    const writer = b.via?.startsWith('map') && pa.state.awsAuthSource ? [pa.state.awsAuthSource] : [];
    const sources = union(b.sources, a.sources, writer);
    const reasons = reasonsFor(principal, b, a, pb, pa);
    let severity: Severity = 'change';
    const finding = (kind: Finding['kind'], message: string) => findings.push({ kind, message, principal, sources, reasons });
    if ((b.authenticated && !a.authenticated && mine) || (b.node && !a.node)) {
      severity = 'lockout';
      finding('lockout', `${name} ${changes.join('; ')}`);
    } else if (mine && isAdmin(b) && !isAdmin(a)) {
      severity = 'lockout';
      finding('lockout', `${name} loses cluster-admin`);
    } else if (!isAdmin(b) && isAdmin(a)) {
      severity = 'escalation';
      finding('escalation', `${name} gains cluster-admin (${a.adminVia.join(', ')})`);
    }
    const change = { principal, before: strip(b), after: strip(a), severity, changes, sources, reasons };
    principals.push(change);
    byPrincipal.set(lower(principal), change);
  }
  const nodeRoles: NodeRoleCoverage[] = [];
  const roles = new Map<string, NodeRole>();
  for (const r of [...knownRoles(before.nodeRoles), ...knownRoles(after.nodeRoles)]) roles.set(`${r.label}|${r.arn}`, r);
  for (const r of roles.values()) {
    const joins = (p: Prepared) => !p.state.absent && nodeRoleJoins(r.arn, r.kind, p.input).joins;
    const coverage = { label: r.label, arn: r.arn, before: joins(pb), after: joins(pa) };
    nodeRoles.push(coverage);
    if (!coverage.before || coverage.after) continue;
    const key = principalKey(r.arn);
    const change = key ? byPrincipal.get(lower(key)) : undefined;
    const already = change?.severity === 'lockout' ? findings.find((f) => f.kind === 'lockout' && f.principal === change.principal) : undefined;
    if (already) {
      // One finding per role, in the words a reviewer knows it by: the node group, and what its nodes do.
      already.message = `${r.label}: ${already.message}: its nodes go NotReady`;
      already.sources = union(already.sources, r.source ? [r.source] : []);
      change!.sources = already.sources;
    } else findings.push({ kind: 'lockout', message: `${r.label} (${r.arn}) can no longer join: its nodes go NotReady`, principal: key, sources: union(r.source ? [r.source] : [], change?.sources ?? []), reasons: change?.reasons ?? [] });
  }
  const lostAdmin = principals.filter((p) => isAdmin(p.before) && !isAdmin(p.after));
  if (adminPathsBefore.length && !adminPathsAfter.length) findings.unshift({ kind: 'lockout', message: `no cluster-admin path is left (before: ${adminPathsBefore.join(', ')})`, sources: union(...lostAdmin.map((p) => p.sources)), reasons: union(...lostAdmin.map((p) => p.reasons)) });
  if (after.creatorAdmin && !before.creatorAdmin && !after.absent) findings.push({ kind: 'escalation', message: `${after.creatorLabel ?? 'the cluster creator'} gains cluster-admin (EKS makes the IAM principal that creates the cluster an administrator)`, sources: after.creatorSource ? [after.creatorSource] : [], reasons: [] });
  // A cluster the change creates with nobody able to administer it through Kubernetes: the same outage, from day one.
  if (before.absent && !adminPathsAfter.length) findings.unshift({ kind: 'lockout', message: 'no principal is cluster-admin of the new cluster (no creator admin, no admin access entry, no system:masters mapping)', sources: after.clusterSource ? [after.clusterSource] : [], reasons: [] });
  // Fail closed: leaving aws-auth behind when it could not be read may lock out anyone it maps.
  if (before.awsAuthError && before.mode !== 'API' && after.mode === 'API') findings.push({ kind: 'lockout', message: `aws-auth could not be read (${before.awsAuthError}): whoever it maps loses access in API mode, and who that is is unknown`, sources: [], reasons: [] });
  const severity: Severity = findings.some((f) => f.kind === 'lockout') ? 'lockout' : findings.some((f) => f.kind === 'escalation') ? 'escalation' : principals.length ? 'change' : 'none';
  return diff(severity, { principals, nodeRoles, adminPathsBefore, adminPathsAfter, unchecked: uncheckedNodeRoles(before, after) });
}

/** The node-role check's gaps: a side whose roles could not be listed, said once when both sides share the reason. */
function uncheckedNodeRoles(before: AccessState, after: AccessState): string[] {
  const reasons = [before, after].filter((s) => !s.absent).map((s) => s.nodeRoles).filter(isUnknown).map((u) => u.unknown);
  return [...new Set(reasons)].map((r) => `node roles could not be checked (${r}): a node group or Fargate profile that stops joining would not be seen`);
}
