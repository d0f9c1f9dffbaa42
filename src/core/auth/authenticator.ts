/**
 * The one model of what the EKS authenticator (kubernetes-sigs/aws-iam-authenticator) does with aws-auth and access
 * entries, laid out as upstream lays it out:
 * - mappingConfig.ts: the mapping types and `Validate()` (`pkg/config/types.go`, `pkg/config/mapper.go`);
 * - configMapLoader.ts: ParseMap and saveMap (`pkg/mapper/configmap/configmap.go`);
 * - configMapMapper.ts and accessEntries.ts: the EKSConfigMap and DynamicFile mappers (`pkg/mapper/configmap/mapper.go`,
 *   `pkg/mapper/dynamicfile/mapper.go`), over mapper.ts (`pkg/mapper/mapper.go`);
 * - renderTemplate.ts: `renderTemplates` (`pkg/server/server.go`);
 * - this module: `doMapping` over the mapper chain the mode selects (`pkg/server/server.go` `BuildMapperChain`),
 *   over `pkg/arn/arn.go` Canonicalize (arn.ts).
 * Every behaviour is cited in docs/authenticator.md and pinned by test/unit/core/auth/authenticator.test.ts. The
 * linter, explain, the tree, the migration planner and change checks read aws-auth only through these modules, and
 * their consumers import them from here.
 */
import { canonicalize, stripPath } from './arn';
import { accessEntryMapper } from './accessEntries';
import { configMapMapper } from './configMapMapper';
import { AuthenticationMode, AuthInput, AuthResult, Caller, Mapper, MappedCaller, NOT_MAPPED_WORDING, TraceStep } from './mapper';
import { renderTemplates } from './renderTemplate';

export { AccessEntryStore, accessEntryIdentity, accessEntryMatches } from './accessEntries';
export type { AccessEntryInfo } from './accessEntries';
export { isSkippable, loadAwsAuth, loadSection, storeOf } from './configMapLoader';
export { isAwsAuthModel, mappingsFor } from './configMapMapper';
export { AUTHENTICATION_MODES, isAuthenticationMode, LOG_WORDING_RELEASES, NOT_MAPPED_WORDING } from './mapper';
export type { AuthenticationMode, AuthInput, AuthResult, Caller, StepOutcome, TraceStep } from './mapper';
export { mappingMatches, SECTION_KEYS } from './mappingConfig';
export type { AwsAuthModel, DecodedItem, FieldSource, SectionKey, SectionModel } from './mappingConfig';
export { TEMPLATE_VARIABLES } from './renderTemplate';

/**
 * The caller for an ARN typed by a user or read from a log. An IAM role ARN stands for any session of that role:
 * STS reports sessions without the role's path, so the path is dropped and the session name stays unknown.
 */
export function callerFor(arn: string, session?: string): Caller {
  const trimmed = arn.trim();
  const principal = canonicalize(trimmed);
  if ('error' in principal) return { arn: trimmed, problem: principal.error };
  if (principal.kind === 'role') {
    const canonical = stripPath(trimmed);
    return { arn: trimmed, principal: { ...principal, canonical }, session };
  }
  const s = principal.kind === 'assumed-role' ? (session ?? principal.session) : '';
  return { arn: trimmed, principal, session: s };
}

/** The trace step a mode adds where it does not use a mapper. */
type Skipped = TraceStep & { outcome: 'skipped' };

/**
 * The mapper chain of each authentication mode, in order (`BuildMapperChain`): access entries in API and
 * API_AND_CONFIG_MAP, then aws-auth in CONFIG_MAP and API_AND_CONFIG_MAP. A mapper is asked only while none has
 * mapped the caller; a skipped one is noted in the trace either way.
 */
const MAPPER_CHAIN: Record<AuthenticationMode, readonly (Mapper | Skipped)[]> = {
  API: [accessEntryMapper, { id: 'configMap', title: 'aws-auth', outcome: 'skipped', detail: 'Ignored in API mode.' }],
  API_AND_CONFIG_MAP: [accessEntryMapper, configMapMapper],
  CONFIG_MAP: [{ id: 'accessEntry', title: 'Access entry', outcome: 'skipped', detail: 'Not used in CONFIG_MAP mode.' }, configMapMapper],
};

const MODE_NOTES: Record<AuthenticationMode, string> = {
  API: 'API: only access entries count; aws-auth is ignored.',
  CONFIG_MAP: 'CONFIG_MAP: only aws-auth counts (and the IAM principal that created the cluster, which has cluster-admin that appears in no configuration).',
  API_AND_CONFIG_MAP: 'API_AND_CONFIG_MAP: access entries first; aws-auth for principals without one.',
};

/** The trace step that says which ARN the authenticator compares for this caller. */
function callerStep(caller: MappedCaller): TraceStep {
  const p = caller.principal;
  const detail =
    p.kind === 'assumed-role'
      ? `STS reports ${caller.arn}; the authenticator compares the role ARN ${p.canonical} (case-insensitively; STS gives no role path).`
      : p.kind === 'role' && p.canonical !== caller.arn
        ? `${caller.arn} has a path; STS reports its sessions without it, so the authenticator compares ${p.canonical}.`
        : `${p.canonical} (compared case-insensitively).`;
  return { id: 'caller', title: 'The ARN the authenticator compares', outcome: 'info', detail };
}

const groupsText = (g: string[]) => `[${g.join(' ')}]`;

function deny(result: AuthResult, error: string): AuthResult {
  const p = result.caller.principal;
  result.log = `access denied${p ? ` arn=${p.canonical}` : ''} error="${error}"`;
  result.steps.push({ id: 'verdict', title: 'Verdict', outcome: 'no-match', detail: `Unauthorized: ${error}.` });
  return result;
}

function grant(result: AuthResult, identity: { username: string; groups: string[]; condition?: string }, verdict: string): AuthResult {
  result.authenticated = true;
  result.username = identity.username;
  result.groups = identity.groups;
  if (identity.condition) result.condition = identity.condition;
  result.log = `access granted arn=${result.caller.principal?.canonical} groups="${groupsText(identity.groups)}" username=${identity.username}`;
  result.steps.push({ id: 'verdict', title: 'Verdict', outcome: 'match', detail: verdict });
  return result;
}

const hasPrincipal = (caller: Caller): caller is MappedCaller => caller.principal !== undefined;

/**
 * What the authenticator answers for this caller: `doMapping` over the mapper chain of the cluster's mode, then
 * template rendering. Every step is in the trace with its evidence.
 */
export function authenticate(who: string | Caller, input: AuthInput): AuthResult {
  const caller = typeof who === 'string' ? callerFor(who) : who;
  const result: AuthResult = { caller, mode: input.mode, authenticated: false, groups: [], steps: [], log: '' };
  if (!hasPrincipal(caller)) {
    result.steps.push({ id: 'caller', title: 'The ARN the authenticator compares', outcome: 'warning', detail: `${caller.arn} cannot be a caller: ${caller.problem}.` });
    return deny(result, caller.problem ?? 'invalid ARN');
  }
  result.steps.push(callerStep(caller), { id: 'mode', title: 'Authentication mode', outcome: 'info', detail: MODE_NOTES[input.mode] });
  let found: ReturnType<Mapper>;
  for (const stage of MAPPER_CHAIN[input.mode]) {
    if (typeof stage === 'function') found ??= stage(caller, input, result);
    else result.steps.push({ ...stage });
  }
  if (!found) return deny(result, NOT_MAPPED_WORDING[0].error);
  if (found.final) {
    // mapAccounts: the caller's own ARN, with no groups and nothing to render.
    grant(result, { username: found.username, groups: [] }, `Authenticated as ${found.username} with no groups.`);
    result.template = { username: found.username, groups: [] };
    return result;
  }
  result.template = { username: found.username, groups: found.groups };
  const rendered = renderTemplates(found, caller);
  if ('failed' in rendered) {
    const mapper = result.via === 'access entry' ? 'DynamicFile' : 'EKSConfigMap';
    result.steps.push({ id: 'render', title: 'Kubernetes identity', outcome: 'warning', detail: `The ${rendered.failed} template ${rendered.template} cannot be rendered: ${rendered.error}.` });
    return deny(result, `mapper ${mapper} renderTemplates error: error rendering ${rendered.failed} template "${rendered.template}": ${rendered.error}`);
  }
  const { username, groups, condition } = rendered;
  result.steps.push({ id: 'render', title: 'Kubernetes identity', outcome: 'match', detail: `username ${username || '(empty)'}, groups ${groups.join(', ') || 'none'}${condition ? ` (${condition})` : ''}.` });
  return grant(result, rendered, `Authenticated as ${username || '(empty username)'} with groups ${groups.join(', ') || 'none'}.`);
}

/**
 * Whether nodes (or Fargate pods) running with this role can join: the node's own request, as the authenticator
 * sees it, must authenticate with the node groups. EC2 nodes sign in with the instance id as the session name.
 */
export function nodeRoleJoins(roleArn: string, kind: 'ec2' | 'fargate', input: AuthInput): { joins: boolean; result: AuthResult; missing: string[] } {
  const principal = canonicalize(stripPath(roleArn.trim()));
  if ('error' in principal) {
    const result = authenticate(roleArn, input);
    return { joins: false, result, missing: [] };
  }
  const role = principal.canonical.split(':role/')[1];
  const session = kind === 'ec2' ? 'i-0123456789abcdef0' : 'fargate-ip-10-0-0-1';
  const sts = `arn:${principal.partition}:sts::${principal.account}:assumed-role/${role}/${session}`;
  const result = authenticate(sts, input);
  const missing = result.authenticated ? ['system:bootstrappers', 'system:nodes'].filter((g) => !result.groups.includes(g)) : [];
  return { joins: result.authenticated && missing.length === 0, result, missing };
}
