/**
 * One principal's access in one state, as the authenticator model answers it: the state prepared once (the aws-auth
 * model and the access-entry store, as aws-iam-authenticator's server loads them before its mapper chain,
 * pkg/server/server.go), then the principal asked for as the caller STS would name it, with the admin paths and
 * access-policy scopes that answer gives.
 */
import { canonicalize, stripPath } from '../auth/arn';
import { AccessEntryStore, authenticate, AuthInput, AwsAuthModel, DecodedItem, loadAwsAuth } from '../auth/authenticator';

import type { AccessState, PrincipalAccess } from './accessDiff';
import { accessPolicyName } from '../clusters/model';
import { knownRoles } from '../clusters/nodeRoles';

export const CLUSTER_ADMIN_POLICY_NAME = 'AmazonEKSClusterAdminPolicy';
const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];

/** The session name the diff asks the model with; reports show `{{SessionName}}` in its place. */
const SESSION = 'eks-auth-diff';
/** A rendered value as a person reads it: the session is whoever's, not the diff's placeholder. */
const unrendered = (v: string) => v.split(SESSION).join('{{SessionName}}');

/** The caller the authenticator would see for a principal: a role is assumed in a session, a user signs as itself. */
function callerOf(principal: string, session = SESSION): string {
  const c = canonicalize(principal);
  if ('error' in c || c.kind !== 'role') return principal;
  return `arn:${c.partition}:sts::${c.account}:assumed-role/${c.canonical.split(':role/')[1]}/${session}`;
}

/** The canonical principal of an ARN, the key the comparison uses (roles without their path). */
export function principalKey(arn: string): string | undefined {
  const c = canonicalize(stripPath(arn.trim()));
  return 'error' in c ? undefined : c.canonical;
}

export const lower = (s: string) => s.toLowerCase();

/** Every principal either state names: aws-auth mappings, access entries, node roles and the caller. */
export function principalsOf(states: AccessState[], models: (AwsAuthModel | undefined)[]): string[] {
  const seen = new Map<string, string>();
  const add = (arn: string | undefined) => {
    if (!arn) return;
    const key = principalKey(arn);
    if (key && !seen.has(lower(key))) seen.set(lower(key), key);
  };
  for (const m of models) for (const item of [...(m?.roles ?? []), ...(m?.users ?? [])]) add(item.arn);
  for (const s of states) {
    s.accessEntries.forEach((e) => add(e.principalArn));
    knownRoles(s.nodeRoles).forEach((r) => add(r.arn));
    add(s.callerArn);
  }
  return [...seen.values()].sort();
}

/** One state as the authenticator is asked about it: the model and the keyed entry store, built once. */
export interface Prepared {
  state: AccessState;
  model?: AwsAuthModel;
  input: AuthInput;
  /** Every aws-auth item (dropped and overridden ones too) by its principal key, for saying why. */
  items: Map<string, DecodedItem[]>;
}

export function prepare(state: AccessState): Prepared {
  const model = state.awsAuth && !state.absent ? loadAwsAuth(state.awsAuth) : undefined;
  const input: AuthInput = {
    mode: state.mode,
    awsAuth: state.mode === 'API' ? undefined : model,
    accessEntries: new AccessEntryStore(state.mode === 'CONFIG_MAP' || state.absent ? [] : state.accessEntries),
  };
  const items = new Map<string, DecodedItem[]>();
  for (const item of [...(model?.sections.mapRoles.items ?? []), ...(model?.sections.mapUsers.items ?? [])]) {
    if (!item.arn) continue;
    const key = lower(stripPath(item.arn.trim()));
    const list = items.get(key);
    if (list) list.push(item);
    else items.set(key, [item]);
  }
  return { state, model, input, items };
}

export interface Evaluated extends PrincipalAccess {
  sources: string[];
}

export function accessOf(principal: string, p: Prepared): Evaluated {
  const { state, input } = p;
  if (state.absent) return { authenticated: false, groups: [], adminVia: [], policyScopes: [], node: false, sources: [] };
  const result = authenticate(callerOf(principal), input);
  // A node role's username renders only for an instance session: ask again as one, as a node would call.
  const asNode = !result.authenticated && result.via ? authenticate(callerOf(principal, 'i-0123456789abcdef0'), input) : result;
  const r = asNode.authenticated ? asNode : result;
  const groups = r.authenticated ? r.groups.map(unrendered) : [];
  const adminVia: string[] = [];
  const policyScopes: string[] = [];
  const sources: string[] = [];
  if (r.via === 'access entry' && r.entry?.source) sources.push(r.entry.source);
  if ((r.via === 'mapRoles' || r.via === 'mapUsers' || r.via === 'mapAccounts') && state.awsAuthSource) sources.push(state.awsAuthSource);
  if (r.authenticated) {
    if (groups.includes('system:masters')) adminVia.push('system:masters');
    for (const pol of r.via === 'access entry' ? (r.entry?.policies ?? []) : []) {
      const name = accessPolicyName(pol.policyArn ?? '');
      const scope = pol.accessScope?.type === 'namespace' ? (pol.accessScope.namespaces ?? []) : ['*'];
      policyScopes.push(...scope.map((n) => (n === '*' ? `${name} (cluster)` : `${name} (namespace ${n})`)));
      if (name === CLUSTER_ADMIN_POLICY_NAME && scope.includes('*')) adminVia.push(`${CLUSTER_ADMIN_POLICY_NAME} (cluster)`);
      if (pol.source) sources.push(pol.source);
    }
    for (const b of state.bindings ?? []) {
      if (b.kind !== 'ClusterRoleBinding' || b.roleRef.kind !== 'ClusterRole' || b.roleRef.name !== 'cluster-admin') continue;
      const names = b.subjects.filter((s) => (s.kind === 'User' && s.name === r.username) || (s.kind === 'Group' && groups.includes(s.name) && s.name !== 'system:masters'));
      if (names.length) {
        adminVia.push(`ClusterRoleBinding ${b.name}`);
        if (b.source) sources.push(b.source);
      }
    }
  }
  return {
    authenticated: r.authenticated,
    via: r.via,
    username: r.authenticated && r.username !== undefined ? unrendered(r.username) : undefined,
    groups,
    adminVia,
    policyScopes: policyScopes.sort(),
    node: r.authenticated && NODE_GROUPS.every((g) => groups.includes(g)),
    sources,
  };
}

export const strip = (e: Evaluated): PrincipalAccess => ({ authenticated: e.authenticated, via: e.via, username: e.username, groups: e.groups, adminVia: e.adminVia, policyScopes: e.policyScopes, node: e.node });
export const isAdmin = (a: PrincipalAccess) => a.adminVia.length > 0;
