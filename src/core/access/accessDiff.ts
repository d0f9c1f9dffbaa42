/**
 * Who gains and who loses access to a cluster between two states of its access configuration, every verdict
 * taken from the authenticator model: for each principal the model can see, whether it authenticates, as whom,
 * whether it is a cluster-admin and where its access policies reach; which node and Fargate roles can join; how many
 * admin paths are left. A lockout (no admin path, a node role that stops joining, the caller's own access lost)
 * must be confirmed by typing the cluster name; an escalation is named in the confirmation.
 */
import { canonicalize, stripPath } from '../auth/arn';
import { AccessEntryInfo, AuthenticationMode, authenticate, AwsAuthModel, loadAwsAuth, nodeRoleJoins } from '../auth/authenticator';
import type { Binding } from './explain';

export const CLUSTER_ADMIN_POLICY_NAME = 'AmazonEKSClusterAdminPolicy';
const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];

/** One state of a cluster's access. */
export interface AccessState {
  mode: AuthenticationMode;
  /** aws-auth `data`; undefined when the ConfigMap does not exist (or is ignored, in API mode). */
  awsAuth?: Record<string, string>;
  /** Why aws-auth could not be read, when it could not: whoever depends on it is then unknown. */
  awsAuthError?: string;
  /** Access entries with their associated policies and scopes. */
  accessEntries: AccessEntryInfo[];
  /** RBAC bindings, where known: a binding to the cluster-admin ClusterRole is an admin path. */
  bindings?: Binding[];
  /** The roles of managed node groups and Fargate profiles. */
  nodeRoles?: { label: string; arn: string; kind: 'ec2' | 'fargate' }[];
  /** The identity making the change: losing its own access is a lockout. */
  callerArn?: string;
  /** Set when the cluster creator keeps cluster-admin that no configuration shows (CONFIG_MAP, bootstrap admin). */
  creatorAdmin?: boolean;
}

export interface PrincipalAccess {
  authenticated: boolean;
  via?: string;
  username?: string;
  groups: string[];
  /** How it is a cluster-admin: system:masters, the cluster admin policy at cluster scope, a cluster-admin binding. */
  adminVia: string[];
  /** Namespaces its access policies reach (`*` for cluster scope). */
  policyScopes: string[];
  /** Whether it is a node identity that can join (system:bootstrappers and system:nodes). */
  node: boolean;
}

export type Severity = 'lockout' | 'escalation' | 'change' | 'none';

export interface PrincipalChange {
  principal: string;
  before: PrincipalAccess;
  after: PrincipalAccess;
  severity: Severity;
  /** What changed, in words. */
  changes: string[];
}

export interface NodeRoleCoverage {
  label: string;
  arn: string;
  before: boolean;
  after: boolean;
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
}

/** The caller the authenticator would see for a principal: a role is assumed in a session, a user signs as itself. */
function callerOf(principal: string, session = 'eks-auth-diff'): string {
  const c = canonicalize(principal);
  if ('error' in c || c.kind !== 'role') return principal;
  return `arn:${c.partition}:sts::${c.account}:assumed-role/${c.canonical.split(':role/')[1]}/${session}`;
}

/** The canonical principal of an ARN, the key the comparison uses (roles without their path). */
function principalKey(arn: string): string | undefined {
  const c = canonicalize(stripPath(arn.trim()));
  return 'error' in c ? undefined : c.canonical;
}

const lower = (s: string) => s.toLowerCase();

/** Every principal either state names: aws-auth mappings, access entries, node roles and the caller. */
function principalsOf(states: AccessState[], models: (AwsAuthModel | undefined)[]): string[] {
  const seen = new Map<string, string>();
  const add = (arn: string | undefined) => {
    if (!arn) return;
    const key = principalKey(arn);
    if (key && !seen.has(lower(key))) seen.set(lower(key), key);
  };
  for (const m of models) for (const item of [...(m?.roles ?? []), ...(m?.users ?? [])]) add(item.arn);
  for (const s of states) {
    s.accessEntries.forEach((e) => add(e.principalArn));
    s.nodeRoles?.forEach((r) => add(r.arn));
    add(s.callerArn);
  }
  return [...seen.values()].sort();
}

function accessOf(principal: string, state: AccessState, model: AwsAuthModel | undefined): PrincipalAccess {
  const input = { mode: state.mode, awsAuth: state.mode === 'API' ? undefined : model, accessEntries: state.mode === 'CONFIG_MAP' ? [] : state.accessEntries };
  const result = authenticate(callerOf(principal), input);
  // A node role's username renders only for an instance session: ask again as one, as a node would call.
  const asNode = !result.authenticated && result.via ? authenticate(callerOf(principal, 'i-0123456789abcdef0'), input) : result;
  const r = asNode.authenticated ? asNode : result;
  const groups = r.authenticated ? r.groups : [];
  const adminVia: string[] = [];
  const policyScopes: string[] = [];
  if (r.authenticated) {
    if (groups.includes('system:masters')) adminVia.push('system:masters');
    for (const p of r.via === 'access entry' ? (r.entry?.policies ?? []) : []) {
      const name = p.policyArn?.split('/').pop() ?? '';
      const scope = p.accessScope?.type === 'namespace' ? (p.accessScope.namespaces ?? []) : ['*'];
      policyScopes.push(...scope.map((n) => `${name}:${n}`));
      if (name === CLUSTER_ADMIN_POLICY_NAME && scope.includes('*')) adminVia.push(`${CLUSTER_ADMIN_POLICY_NAME} (cluster)`);
    }
    for (const b of state.bindings ?? []) {
      if (b.kind !== 'ClusterRoleBinding' || b.roleRef.kind !== 'ClusterRole' || b.roleRef.name !== 'cluster-admin') continue;
      const names = b.subjects.filter((s) => (s.kind === 'User' && s.name === r.username) || (s.kind === 'Group' && groups.includes(s.name) && s.name !== 'system:masters'));
      if (names.length) adminVia.push(`ClusterRoleBinding ${b.name}`);
    }
  }
  return {
    authenticated: r.authenticated,
    via: r.via,
    username: r.authenticated ? r.username : undefined,
    groups,
    adminVia,
    policyScopes: policyScopes.sort(),
    node: r.authenticated && NODE_GROUPS.every((g) => groups.includes(g)),
  };
}

const isAdmin = (a: PrincipalAccess) => a.adminVia.length > 0;
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

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

/** The access of every principal in `before` and `after`, and what a change from one to the other does. */
export function diffAccess(before: AccessState, after: AccessState): AccessDiff {
  const models = [before, after].map((s) => (s.awsAuth ? loadAwsAuth(s.awsAuth) : undefined));
  const principals: PrincipalChange[] = [];
  const lockouts: string[] = [];
  const escalations: string[] = [];
  const adminPathsBefore: string[] = before.creatorAdmin ? ['the cluster creator (implicit)'] : [];
  const adminPathsAfter: string[] = after.creatorAdmin ? ['the cluster creator (implicit)'] : [];
  const caller = before.callerArn ?? after.callerArn;
  const callerKey = caller ? principalKey(caller) : undefined;
  for (const principal of principalsOf([before, after], models)) {
    const b = accessOf(principal, before, models[0]);
    const a = accessOf(principal, after, models[1]);
    if (isAdmin(b)) adminPathsBefore.push(principal);
    if (isAdmin(a)) adminPathsAfter.push(principal);
    const changes = describeChanges(b, a);
    if (!changes.length) continue;
    let severity: Severity = 'change';
    const mine = callerKey !== undefined && lower(callerKey) === lower(principal);
    if ((b.authenticated && !a.authenticated && mine) || (b.node && !a.node)) {
      severity = 'lockout';
      lockouts.push(mine ? `${principal} (you) ${changes.join('; ')}` : `${principal} ${changes.join('; ')}`);
    } else if (mine && isAdmin(b) && !isAdmin(a)) {
      severity = 'lockout';
      lockouts.push(`${principal} (you) loses cluster-admin`);
    } else if (!isAdmin(b) && isAdmin(a)) {
      severity = 'escalation';
      escalations.push(`${principal} gains cluster-admin (${a.adminVia.join(', ')})`);
    }
    principals.push({ principal, before: b, after: a, severity, changes });
  }
  const nodeRoles: NodeRoleCoverage[] = [];
  const roles = new Map<string, { label: string; arn: string; kind: 'ec2' | 'fargate' }>();
  for (const r of [...(before.nodeRoles ?? []), ...(after.nodeRoles ?? [])]) roles.set(`${r.label}|${r.arn}`, r);
  for (const r of roles.values()) {
    const joins = (s: AccessState, m: AwsAuthModel | undefined) => nodeRoleJoins(r.arn, r.kind, { mode: s.mode, awsAuth: s.mode === 'API' ? undefined : m, accessEntries: s.mode === 'CONFIG_MAP' ? [] : s.accessEntries }).joins;
    const coverage = { label: r.label, arn: r.arn, before: joins(before, models[0]), after: joins(after, models[1]) };
    nodeRoles.push(coverage);
    if (coverage.before && !coverage.after && !lockouts.some((l) => l.startsWith(principalKey(r.arn) ?? r.arn))) lockouts.push(`${r.label} (${r.arn}) can no longer join: its nodes go NotReady`);
  }
  if (adminPathsBefore.length && !adminPathsAfter.length) lockouts.unshift(`no cluster-admin path is left (before: ${adminPathsBefore.join(', ')})`);
  // Fail closed: leaving aws-auth behind when it could not be read may lock out anyone it maps.
  if (before.awsAuthError && before.mode !== 'API' && after.mode === 'API') lockouts.push(`aws-auth could not be read (${before.awsAuthError}): whoever it maps loses access in API mode, and who that is is unknown`);
  const severity: Severity = lockouts.length ? 'lockout' : escalations.length ? 'escalation' : principals.length ? 'change' : 'none';
  return { severity, principals, nodeRoles, adminPathsBefore, adminPathsAfter, lockouts, escalations };
}

const accessText = (a: PrincipalAccess) =>
  a.authenticated ? `${a.username || '(empty username)'} [${a.groups.join(', ') || 'no groups'}]${a.adminVia.length ? ' admin' : ''}${a.policyScopes.length ? ` policies ${a.policyScopes.join(', ')}` : ''}` : 'Unauthorized';

/** The diff as plain text: a line per changed principal, before -> after, then the node roles and admin paths. */
export function diffText(d: AccessDiff, limit = Infinity): string {
  const lines: string[] = [];
  for (const l of d.lockouts) lines.push(`LOCKOUT: ${l}`);
  for (const e of d.escalations) lines.push(`ESCALATION: ${e}`);
  const shown = d.principals.slice(0, limit);
  for (const p of shown) lines.push(`${p.severity === 'change' ? 'change' : p.severity}: ${p.principal}: ${accessText(p.before)} -> ${accessText(p.after)}`);
  if (d.principals.length > shown.length) lines.push(`... and ${d.principals.length - shown.length} more principals`);
  for (const r of d.nodeRoles) if (r.before !== r.after) lines.push(`node role ${r.label}: ${r.before ? 'joins' : 'cannot join'} -> ${r.after ? 'joins' : 'cannot join'}`);
  lines.push(`cluster-admin paths: ${d.adminPathsBefore.length} -> ${d.adminPathsAfter.length}`);
  if (d.severity === 'none') lines.unshift('No principal gains or loses access.');
  return lines.join('\n');
}
