/**
 * The one model of what the EKS authenticator (kubernetes-sigs/aws-iam-authenticator) does with aws-auth and access
 * entries. Loading follows `pkg/mapper/configmap/configmap.go` ParseMap: each section through `utilyaml.ToJSON` and
 * `encoding/json` into the structs of `pkg/config/types.go`, then `Validate()` (`pkg/config/mapper.go`), then the
 * keyed store (`saveMap`). Authenticating follows `pkg/server/server.go` (`doMapping`, `renderTemplate`) over
 * `pkg/arn/arn.go` Canonicalize. Every behaviour is cited in docs/authenticator.md and pinned by
 * test/unit/core/auth/authenticator.test.ts. The linter, explain, the tree, the migration planner and change checks
 * read aws-auth only through this module.
 */
import { canonicalize, CanonicalPrincipal, equalFold, foldCase, stripPath } from './arn';
import { GoValue, readSection } from './goYaml';

export type SectionKey = 'mapRoles' | 'mapUsers' | 'mapAccounts';
export const SECTION_KEYS: readonly SectionKey[] = ['mapRoles', 'mapUsers', 'mapAccounts'];
export type AuthenticationMode = 'CONFIG_MAP' | 'API_AND_CONFIG_MAP' | 'API';
export const TEMPLATE_VARIABLES = ['AccountID', 'SessionName', 'SessionNameRaw', 'AccessKeyID', 'EC2PrivateDNSName'];

type Range = [number, number];

/** Where a struct field's value came from in the section text. */
export interface FieldSource {
  key: string;
  keyRange: Range;
  valueRange: Range;
}

type Field = 'arn' | 'username' | 'groups' | 'sso' | 'userid';

/** One item of mapRoles or mapUsers as `encoding/json` leaves it, and what `Validate()` says. */
export interface DecodedItem {
  section: 'mapRoles' | 'mapUsers';
  index: number;
  range: Range;
  /** `rolearn` or `userarn` ('' when unset). */
  arn: string;
  username: string;
  groups: string[];
  sso?: { permissionSetName: string; accountID: string; partition: string };
  fields: Partial<Record<Field, FieldSource>>;
  /** Source range of each group value (same order as `groups`). */
  groupRanges: Range[];
  /** Keys `encoding/json` ignores: no struct field has that name, in any case. */
  unknownKeys: { key: string; range: Range }[];
  /** Values `encoding/json` could not store: the field keeps its previous value. */
  typeErrors: { field: string; got: string; range: Range; message: string }[];
  /** `Validate()`'s error: the authenticator drops the entry. */
  dropped?: string;
  /** The later entry with the same key that replaced this one in the store (roles: lowercased ARN; users: exact). */
  replacedBy?: DecodedItem;
}

export interface SectionModel {
  section: SectionKey;
  /** absent: no such key; skipped: empty after trimming (or `""`, `''`, two backticks); failed: nothing loaded. */
  state: 'absent' | 'skipped' | 'loaded' | 'failed';
  /** A YAML or JSON conversion error: the whole section is dropped. */
  error?: { message: string; position: number };
  /** The section decoded to something other than a list: nothing in it maps. */
  notAList?: { got: string; range: Range };
  items: DecodedItem[];
  accounts: { value: string; range: Range }[];
  /** mapAccounts items go-yaml could not decode into a string (skipped). */
  accountErrors: { message: string; range: Range }[];
  /** What the authenticator logs for this section inside "Errors parsing configmap: [...]". */
  logErrors: string[];
}

export interface AwsAuthModel {
  sections: Record<SectionKey, SectionModel>;
  /** The store after saveMap: valid entries, a later one replacing an earlier one with the same key. */
  roles: DecodedItem[];
  users: DecodedItem[];
  accounts: Set<string>;
  /** The authenticator's warning line, when any section had errors. */
  logLine?: string;
}

const ROLE_FIELDS: Record<string, Field> = { rolearn: 'arn', sso: 'sso', username: 'username', groups: 'groups', userid: 'userid' };
const USER_FIELDS: Record<string, Field> = { userarn: 'arn', username: 'username', groups: 'groups', userid: 'userid' };
const GO_TYPE: Record<GoValue['t'] | 'json', string> = { str: 'string', int: 'number', float: 'number', bool: 'bool', null: 'null', seq: 'array', map: 'object', json: 'object' };
const PERMISSION_SET = /^[A-Za-z0-9_+=,.@-]{1,32}$/;
const PARTITION_IDS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

/** True for values ParseMap skips: blank after trimming, `""`, `''` (since v0.7.1) or two backticks. */
export function isSkippable(value: string): boolean {
  const t = value.trim();
  return t === '' || t === '""' || t === "''" || t === '``';
}

const emptySection = (section: SectionKey, state: SectionModel['state']): SectionModel => ({ section, state, items: [], accounts: [], accountErrors: [], logErrors: [] });

/** encoding/json's field lookup: an exact name first, then a case-insensitive one. */
function fieldFor(key: string, fields: Record<string, Field>): { name: string; field: Field } | undefined {
  if (key in fields) return { name: key, field: fields[key] };
  const folded = foldCase(key);
  const name = Object.keys(fields).find((f) => f === folded);
  return name ? { name, field: fields[name] } : undefined;
}

function goTypeName(section: 'mapRoles' | 'mapUsers'): string {
  return section === 'mapRoles' ? 'config.RoleMapping' : 'config.UserMapping';
}

/** Decodes one list element into RoleMapping / UserMapping the way `encoding/json` does. */
function decodeItem(section: 'mapRoles' | 'mapUsers', index: number, v: GoValue): DecodedItem {
  const item: DecodedItem = { section, index, range: v.range, arn: '', username: '', groups: [], fields: {}, groupRanges: [], unknownKeys: [], typeErrors: [] };
  const struct = section === 'mapRoles' ? 'RoleMapping' : 'UserMapping';
  if (v.t === 'null') return item;
  if (v.t !== 'map') {
    item.typeErrors.push({ field: '', got: GO_TYPE[v.t], range: v.range, message: `json: cannot unmarshal ${GO_TYPE[v.t]} into Go value of type ${goTypeName(section)}` });
    return item;
  }
  let groupsBacking: string[] = [];
  const typeError = (field: string, got: GoValue, type: string) =>
    item.typeErrors.push({ field, got: GO_TYPE[got.t], range: got.range, message: `json: cannot unmarshal ${GO_TYPE[got.t]} into Go struct field ${struct}.${field} of type ${type}` });
  for (const entry of v.entries) {
    const f = fieldFor(entry.key, section === 'mapRoles' ? ROLE_FIELDS : USER_FIELDS);
    if (!f) {
      item.unknownKeys.push({ key: entry.key, range: entry.keyRange });
      continue;
    }
    const value = entry.value;
    const source = { key: entry.key, keyRange: entry.keyRange, valueRange: value.range };
    if (value.t === 'null') {
      // JSON null leaves a string as it was and sets a slice or pointer to nil.
      if (f.field === 'groups') {
        item.groups = [];
        item.groupRanges = [];
        groupsBacking = [];
      }
      if (f.field === 'sso') item.sso = undefined;
      item.fields[f.field] = source;
      continue;
    }
    switch (f.field) {
      case 'arn':
      case 'username':
      case 'userid':
        if (value.t !== 'str') {
          typeError(f.name, value, 'string');
          break;
        }
        if (f.field === 'arn') item.arn = value.v;
        if (f.field === 'username') item.username = value.v;
        item.fields[f.field] = source;
        break;
      case 'groups':
        if (value.t !== 'seq') {
          typeError(f.name, value, '[]string');
          break;
        }
        // encoding/json decodes an array into the slice's existing backing array (decode.go `array`: the length is
        // reset, elements are decoded in place, it grows only past the capacity). An element of another type is
        // left as it was: "" in a new slice, but the earlier value when another key in a different case (`Groups`,
        // sorted before `groups`) already filled that place.
        item.groups = value.items.map((g, i) => {
          if (g.t === 'str') groupsBacking[i] = g.v;
          else {
            if (g.t !== 'null') typeError(`${f.name}`, g, 'string');
            groupsBacking[i] ??= '';
          }
          return groupsBacking[i];
        });
        item.groupRanges = value.items.map((g) => g.range);
        item.fields.groups = source;
        break;
      case 'sso': {
        if (value.t !== 'map') {
          typeError(f.name, value, 'config.SSOARNMatcher');
          break;
        }
        const sso = item.sso ?? { permissionSetName: '', accountID: '', partition: '' };
        for (const e of value.entries) {
          const name = (['permissionSetName', 'accountID', 'partition'] as const).find((k) => k === e.key) ?? (['permissionSetName', 'accountID', 'partition'] as const).find((k) => foldCase(k) === foldCase(e.key));
          if (!name) continue;
          if (e.value.t === 'str') sso[name] = e.value.v;
          else if (e.value.t !== 'null') typeError(`sso.${name}`, e.value, 'string');
        }
        item.sso = sso;
        item.fields.sso = source;
        break;
      }
    }
  }
  return item;
}

/** `RoleMapping.Validate()` / `UserMapping.Validate()`: the text the authenticator logs, or undefined. */
function validate(item: DecodedItem): string | undefined {
  if (item.section === 'mapUsers') return item.arn === '' ? 'value for userarn must be supplied' : undefined;
  if (item.arn === '' && !item.sso) return 'one of rolearn or SSO must be supplied';
  if (item.arn !== '' && item.sso) return 'only one of rolearn or SSO can be supplied';
  if (item.sso) {
    if (!/^[0-9]{12}$/.test(item.sso.accountID)) return `AccountID '${item.sso.accountID}' is not a valid AWS Account ID`;
    if (!PERMISSION_SET.test(item.sso.permissionSetName)) return `PermissionSetName '${item.sso.permissionSetName}' is not a valid AWS SSO PermissionSet Name`;
    if (item.sso.partition !== '' && !PARTITION_IDS.includes(item.sso.partition)) return `partition '${item.sso.partition}' is not a valid AWS partition`;
  }
  return undefined;
}

/** The store key (`RoleMapping.Key()` / `UserMapping.Key()`). */
function storeKey(item: DecodedItem): string {
  if (item.section === 'mapUsers') return item.arn;
  if (item.arn !== '') return item.arn.toLowerCase();
  // SSOArnLike: the partition is "aws" only when none was given (upstream leaves it empty otherwise).
  const partition = item.sso!.partition === '' ? 'aws' : '';
  return `arn:${partition}:iam::${item.sso!.accountID}:role/AWSReservedSSO_${item.sso!.permissionSetName}_*`.toLowerCase();
}

/**
 * Loads one section's text as ParseMap does. Whether it converts, and to what, is what go-yaml v2, sigs.k8s.io/yaml
 * and encoding/json say (goYaml.ts `readSection`); decoding the items and Validate() follow here.
 */
export function loadSection(section: SectionKey, text: string | undefined): SectionModel {
  if (text === undefined) return emptySection(section, 'absent');
  const reading = readSection(section, text);
  if (reading.kind === 'skipped') return emptySection(section, 'skipped');
  const model = emptySection(section, 'loaded');
  if (reading.kind === 'failed') {
    model.state = 'failed';
    model.error = { message: reading.message, position: reading.position };
    model.logErrors.push(reading.log);
    return model;
  }
  if (reading.kind === 'accounts') {
    model.accounts = reading.values;
    model.accountErrors = reading.typeErrors;
    if (reading.log) model.logErrors.push(reading.log);
    if (!reading.values.length && reading.typeErrors.length) model.state = 'failed';
    return model;
  }
  if (section === 'mapAccounts') throw new Error('mapAccounts read as mapRoles');
  if (reading.kind === 'json') {
    // Text starting with "{" is passed to encoding/json as it is: an object, or invalid JSON, never a list.
    model.state = 'failed';
    if (reading.invalid) model.error = { message: reading.log, position: reading.position };
    else model.notAList = { got: 'object', range: [reading.position, text.length] };
    model.logErrors.push(reading.log);
    return model;
  }
  const json = reading.value;
  if (json.t === 'null') return model;
  if (json.t !== 'seq') {
    model.state = 'failed';
    model.notAList = { got: GO_TYPE[json.t], range: json.range };
    model.logErrors.push(reading.unmarshalError ?? `json: cannot unmarshal ${GO_TYPE[json.t]} into Go value of type []${goTypeName(section)}`);
    return model;
  }
  model.items = json.items.map((v, i) => decodeItem(section, i, v));
  const firstTypeError = reading.unmarshalError ?? model.items.flatMap((i) => i.typeErrors)[0]?.message;
  if (firstTypeError) model.logErrors.push(firstTypeError);
  for (const item of model.items) {
    item.dropped = validate(item);
    if (item.dropped) model.logErrors.push(item.dropped);
  }
  return model;
}

/** Loads aws-auth `data` as the authenticator's ParseMap and saveMap do. Only the exact keys are read. */
export function loadAwsAuth(data: Record<string, string | undefined>): AwsAuthModel {
  const get = (k: SectionKey) => (Object.prototype.hasOwnProperty.call(data, k) ? data[k] : undefined);
  const sections = { mapRoles: loadSection('mapRoles', get('mapRoles')), mapUsers: loadSection('mapUsers', get('mapUsers')), mapAccounts: loadSection('mapAccounts', get('mapAccounts')) };
  return storeOf(sections);
}

/** saveMap: roles keyed by lowercased ARN, users by the exact ARN; a later entry replaces an earlier one. */
export function storeOf(sections: Record<SectionKey, SectionModel>): AwsAuthModel {
  const keyed = (items: DecodedItem[]) => {
    const store = new Map<string, DecodedItem>();
    for (const item of items) {
      if (item.dropped) continue;
      const key = storeKey(item);
      const earlier = store.get(key);
      if (earlier) earlier.replacedBy = item;
      // Map.set keeps the first position; delete first so the effective list is in the order entries won.
      store.delete(key);
      store.set(key, item);
    }
    return [...store.values()];
  };
  const errors = [...sections.mapUsers.logErrors, ...sections.mapRoles.logErrors, ...sections.mapAccounts.logErrors];
  return {
    sections,
    roles: keyed(sections.mapRoles.items),
    users: keyed(sections.mapUsers.items),
    accounts: new Set(sections.mapAccounts.accounts.map((a) => a.value)),
    ...(errors.length ? { logLine: `Errors parsing configmap: [${errors.join(' ')}]` } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Authenticating a caller

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

/** The aws-auth store keyed as `RoleMapping.Matches` / `UserMapping.Matches` compare (Go case folding). */
interface MappingIndex {
  roles: Map<string, DecodedItem>;
  users: Map<string, DecodedItem[]>;
}
const mappingIndexes = new WeakMap<AwsAuthModel, MappingIndex>();

/**
 * The aws-auth mappings the authenticator would consider for a canonical caller ARN, looked up in the keyed store:
 * the role mapping that matches, else every user mapping that matches (more than one only for case variants).
 */
export function mappingsFor(model: AwsAuthModel, canonicalArn: string): { role?: DecodedItem; users: DecodedItem[] } {
  const index = mappingIndex(model);
  const key = foldCase(canonicalArn);
  return { role: index.roles.get(key), users: index.users.get(key) ?? [] };
}

/** The keyed view of a model's store, built once per model (the store is never changed after loading). */
function mappingIndex(model: AwsAuthModel): MappingIndex {
  let index = mappingIndexes.get(model);
  if (!index) {
    index = { roles: new Map(), users: new Map() };
    // SSO matchers have no rolearn and match nothing while SSORoleMatch is off (see mappingMatches).
    for (const r of model.roles) if (r.arn !== '' && !index.roles.has(foldCase(r.arn))) index.roles.set(foldCase(r.arn), r);
    for (const u of model.users) {
      if (u.arn === '') continue;
      const key = foldCase(u.arn);
      const list = index.users.get(key);
      if (list) list.push(u);
      else index.users.set(key, [u]);
    }
    mappingIndexes.set(model, index);
  }
  return index;
}

/** The caller as the authenticator sees it after STS GetCallerIdentity. */
export interface Caller {
  /** The ARN STS returned (or the one the user typed). */
  arn: string;
  principal?: CanonicalPrincipal;
  /** Why the ARN cannot be a caller: the authenticator's Canonicalize error. */
  problem?: string;
  /** The session name; undefined when unknown (an IAM role ARN typed without a session). */
  session?: string;
  accessKeyId?: string;
}

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

export type StepOutcome = 'match' | 'no-match' | 'skipped' | 'info' | 'warning';

export interface TraceStep {
  id: 'caller' | 'mode' | 'accessEntry' | 'configMap' | 'mapRoles' | 'mapUsers' | 'mapAccounts' | 'render' | 'verdict';
  title: string;
  outcome: StepOutcome;
  detail: string;
}

export interface AuthResult {
  caller: Caller;
  mode: AuthenticationMode;
  authenticated: boolean;
  via?: 'access entry' | 'mapRoles' | 'mapUsers' | 'mapAccounts';
  entry?: AccessEntryInfo;
  mapping?: DecodedItem;
  /** mapUsers entries differing only in case all match: which one the authenticator uses is random. */
  ambiguous?: DecodedItem[];
  /** The username and groups before rendering. */
  template?: { username: string; groups: string[] };
  username?: string;
  groups: string[];
  /** Set when rendering depends on something unknown here (the session name, the instance's DNS name). */
  condition?: string;
  steps: TraceStep[];
  /** The line the authenticator logs for this request. */
  log: string;
}

export interface AuthInput {
  mode: AuthenticationMode;
  /** aws-auth `data`, or its loaded model; undefined when the ConfigMap does not exist or was not read. */
  awsAuth?: Record<string, string | undefined> | AwsAuthModel;
  /** The access entries, or their keyed store when many callers are asked about the same entries. */
  accessEntries?: AccessEntryInfo[] | AccessEntryStore;
}

const INSTANCE_ID = /^i-([A-Za-z0-9_]{8}|[A-Za-z0-9_]{17})$/;
const NODE_TYPES = ['EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'EC2', 'HYPERPOD_LINUX'];

export function isAwsAuthModel(v: AuthInput['awsAuth']): v is AwsAuthModel {
  return typeof v === 'object' && v !== null && 'sections' in v && 'roles' in v && typeof (v as AwsAuthModel).accounts === 'object';
}

/** Whether an access entry is the one the authenticator finds for this canonical ARN (role paths are stripped). */
export function accessEntryMatches(entryArn: string, canonicalArn: string): boolean {
  return equalFold(stripPath(entryArn.trim()), canonicalArn);
}

/** Whether an aws-auth entry matches the canonical ARN (`RoleMapping.Matches` / `UserMapping.Matches`). */
export function mappingMatches(item: DecodedItem, canonicalArn: string): boolean {
  // SSO matchers need the SSORoleMatch feature gate, which is off by default (pkg/config/features.go).
  return item.arn !== '' && equalFold(item.arn, canonicalArn.toLowerCase());
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

/** renderTemplate: `{{EC2PrivateDNSName}}` first (it needs an instance id), then the others; unknown ones stay. */
function render(template: string, caller: Caller): { value: string; error?: string; condition?: string } {
  let value = template;
  let condition: string | undefined;
  if (value.includes('{{EC2PrivateDNSName}}')) {
    if (caller.session === undefined) condition = 'only a session named after an EC2 instance id (i-...) renders {{EC2PrivateDNSName}}; any other session is denied';
    else if (!INSTANCE_ID.test(caller.session)) return { value, error: 'SessionName did not contain an instance id' };
    else condition = `{{EC2PrivateDNSName}} becomes the private DNS name of instance ${caller.session}`;
  }
  value = value.split('{{AccountID}}').join(caller.principal?.account ?? '{{AccountID}}');
  if (caller.session !== undefined) {
    value = value.split('{{SessionName}}').join(caller.session.replace(/@/g, '-'));
    value = value.split('{{SessionNameRaw}}').join(caller.session);
  } else if (/\{\{SessionName(Raw)?\}\}/.test(value)) condition ??= '{{SessionName}} becomes the name of the role session';
  if (caller.accessKeyId !== undefined) value = value.split('{{AccessKeyID}}').join(caller.accessKeyId);
  else if (value.includes('{{AccessKeyID}}')) condition ??= "{{AccessKeyID}} becomes the caller's access key id";
  return { value, condition };
}

const groupsText = (g: string[]) => `[${g.join(' ')}]`;

/**
 * `ErrNotMapped`, the error of an `access denied` line when no mapper maps the caller, as each aws-iam-authenticator
 * release words it (read from the tags: `pkg/errutil/errors.go`, before v0.6.14 `pkg/mapper/mapper.go`, before v0.5.0
 * `pkg/server/server.go`). The model writes the current wording; the log parser reads them all.
 */
export const NOT_MAPPED_WORDING: readonly { releases: string; error: string }[] = [
  { releases: 'v0.7.7 and later', error: 'identity is not mapped' },
  { releases: 'v0.6.14 to v0.7.6 (and v0.5.21 and later on the 0.5 line)', error: 'Identity is not mapped' },
  { releases: 'v0.5.0 to v0.5.20, v0.6.0 to v0.6.13', error: 'ARN is not mapped' },
  { releases: 'v0.4.0 and earlier', error: 'ARN is not mapped: <the lower-cased canonical ARN>' },
];

/** Which releases write the log lines the model returns. */
export const LOG_WORDING_RELEASES = NOT_MAPPED_WORDING[0].releases;

/**
 * What the authenticator answers for this caller: `doMapping` over the mappers of the cluster's mode (access entries
 * in API and API_AND_CONFIG_MAP, then aws-auth roles, users and accounts in CONFIG_MAP and API_AND_CONFIG_MAP), then
 * template rendering. Every step is in the trace with its evidence.
 */
export function authenticate(who: string | Caller, input: AuthInput): AuthResult {
  const caller = typeof who === 'string' ? callerFor(who) : who;
  const steps: TraceStep[] = [];
  const result: AuthResult = { caller, mode: input.mode, authenticated: false, groups: [], steps, log: '' };
  const deny = (error: string) => {
    result.log = `access denied${caller.principal ? ` arn=${caller.principal.canonical}` : ''} error="${error}"`;
    steps.push({ id: 'verdict', title: 'Verdict', outcome: 'no-match', detail: `Unauthorized: ${error}.` });
    return result;
  };

  if (!caller.principal) {
    steps.push({ id: 'caller', title: 'The ARN the authenticator compares', outcome: 'warning', detail: `${caller.arn} cannot be a caller: ${caller.problem}.` });
    return deny(caller.problem ?? 'invalid ARN');
  }
  const p = caller.principal;
  const canonical = p.canonical;
  steps.push({
    id: 'caller',
    title: 'The ARN the authenticator compares',
    outcome: 'info',
    detail:
      p.kind === 'assumed-role'
        ? `STS reports ${caller.arn}; the authenticator compares the role ARN ${canonical} (case-insensitively; STS gives no role path).`
        : p.kind === 'role' && canonical !== caller.arn
          ? `${caller.arn} has a path; STS reports its sessions without it, so the authenticator compares ${canonical}.`
          : `${canonical} (compared case-insensitively).`,
  });
  steps.push({
    id: 'mode',
    title: 'Authentication mode',
    outcome: 'info',
    detail:
      input.mode === 'API'
        ? 'API: only access entries count; aws-auth is ignored.'
        : input.mode === 'CONFIG_MAP'
          ? 'CONFIG_MAP: only aws-auth counts (and the IAM principal that created the cluster, which has cluster-admin that appears in no configuration).'
          : 'API_AND_CONFIG_MAP: access entries first; aws-auth for principals without one.',
  });

  let found: { username: string; groups: string[] } | undefined;
  if (input.mode !== 'CONFIG_MAP') {
    const entries = input.accessEntries;
    const entry = entries instanceof AccessEntryStore ? entries.find(canonical) : (entries ?? []).find((e) => accessEntryMatches(e.principalArn, canonical));
    if (entry) {
      found = accessEntryIdentity(entry, p);
      result.via = 'access entry';
      result.entry = entry;
      steps.push({ id: 'accessEntry', title: 'Access entry', outcome: 'match', detail: `${entry.principalArn} (type ${entry.type ?? 'STANDARD'}): username ${found.username}, groups ${found.groups.join(', ') || 'none'}.` });
    } else steps.push({ id: 'accessEntry', title: 'Access entry', outcome: 'no-match', detail: `No access entry for ${canonical}.` });
  } else steps.push({ id: 'accessEntry', title: 'Access entry', outcome: 'skipped', detail: 'Not used in CONFIG_MAP mode.' });

  if (input.mode === 'API') {
    steps.push({ id: 'configMap', title: 'aws-auth', outcome: 'skipped', detail: 'Ignored in API mode.' });
  } else if (!found) {
    const model = input.awsAuth === undefined ? undefined : isAwsAuthModel(input.awsAuth) ? input.awsAuth : loadAwsAuth(input.awsAuth);
    if (!model) steps.push({ id: 'configMap', title: 'aws-auth', outcome: 'warning', detail: 'kube-system/aws-auth does not exist or could not be read: nothing is mapped from it.' });
    else {
      for (const s of SECTION_KEYS) {
        const sec = model.sections[s];
        if (sec.error) steps.push({ id: 'configMap', title: `aws-auth ${s} dropped`, outcome: 'warning', detail: `${sec.error.message}: the authenticator ignores the whole ${s} section.` });
        else if (sec.notAList) steps.push({ id: 'configMap', title: `aws-auth ${s} dropped`, outcome: 'warning', detail: `${s} is ${sec.notAList.got === 'object' ? 'a mapping' : `a ${sec.notAList.got}`}, not a list: nothing in it maps.` });
      }
      const index = mappingIndex(model);
      const key = foldCase(canonical);
      const role = index.roles.get(key);
      if (role) {
        found = { username: role.username, groups: role.groups };
        result.via = 'mapRoles';
        result.mapping = role;
        steps.push({ id: 'mapRoles', title: 'aws-auth mapRoles', outcome: 'match', detail: `${role.arn} (entry ${role.index + 1}): username ${role.username || '(empty)'}, groups ${role.groups.join(', ') || 'none'}.` });
      } else {
        steps.push({ id: 'mapRoles', title: 'aws-auth mapRoles', outcome: 'no-match', detail: `No rolearn equals ${canonical}.` });
        const users = index.users.get(key) ?? [];
        if (users.length) {
          const user = users[0];
          found = { username: user.username, groups: user.groups };
          result.via = 'mapUsers';
          result.mapping = user;
          if (users.length > 1) result.ambiguous = users;
          steps.push({
            id: 'mapUsers',
            title: 'aws-auth mapUsers',
            outcome: users.length > 1 ? 'warning' : 'match',
            detail: `${user.arn} (entry ${user.index + 1}): username ${user.username || '(empty)'}, groups ${user.groups.join(', ') || 'none'}.${users.length > 1 ? ` ${users.length} entries differ only in case; the authenticator picks one at random (entries ${users.map((u) => u.index + 1).join(', ')}).` : ''}`,
          });
        } else {
          steps.push({ id: 'mapUsers', title: 'aws-auth mapUsers', outcome: 'no-match', detail: `No userarn equals ${canonical}.` });
          if (model.accounts.has(p.account)) {
            result.via = 'mapAccounts';
            steps.push({ id: 'mapAccounts', title: 'aws-auth mapAccounts', outcome: 'match', detail: `Account ${p.account} is listed: the username is the caller's ARN ${canonical}, with no groups.` });
            result.authenticated = true;
            result.username = canonical;
            result.groups = [];
            result.template = { username: canonical, groups: [] };
            result.log = `access granted arn=${canonical} groups="[]" username=${canonical}`;
            steps.push({ id: 'verdict', title: 'Verdict', outcome: 'match', detail: `Authenticated as ${canonical} with no groups.` });
            return result;
          }
          steps.push({ id: 'mapAccounts', title: 'aws-auth mapAccounts', outcome: 'no-match', detail: `Account ${p.account} is not listed.` });
        }
      }
    }
  }
  if (!found) return deny(NOT_MAPPED_WORDING[0].error);

  result.template = found;
  const mapper = result.via === 'access entry' ? 'DynamicFile' : 'EKSConfigMap';
  const user = render(found.username, caller);
  if (user.error) {
    steps.push({ id: 'render', title: 'Kubernetes identity', outcome: 'warning', detail: `The username template ${found.username} cannot be rendered: ${user.error}.` });
    return deny(`mapper ${mapper} renderTemplates error: error rendering username template "${found.username}": ${user.error}`);
  }
  const groups: string[] = [];
  const conditions = user.condition ? [user.condition] : [];
  for (const g of found.groups) {
    const r = render(g, caller);
    if (r.error) {
      steps.push({ id: 'render', title: 'Kubernetes identity', outcome: 'warning', detail: `The group template ${g} cannot be rendered: ${r.error}.` });
      return deny(`mapper ${mapper} renderTemplates error: error rendering group template "${g}": ${r.error}`);
    }
    if (r.condition && !conditions.includes(r.condition)) conditions.push(r.condition);
    groups.push(r.value);
  }
  result.authenticated = true;
  result.username = user.value;
  result.groups = groups;
  if (conditions.length) result.condition = conditions.join('; ');
  steps.push({ id: 'render', title: 'Kubernetes identity', outcome: 'match', detail: `username ${user.value || '(empty)'}, groups ${groups.join(', ') || 'none'}${conditions.length ? ` (${conditions.join('; ')})` : ''}.` });
  result.log = `access granted arn=${canonical} groups="${groupsText(groups)}" username=${user.value}`;
  steps.push({ id: 'verdict', title: 'Verdict', outcome: 'match', detail: `Authenticated as ${user.value || '(empty username)'} with groups ${groups.join(', ') || 'none'}.` });
  return result;
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
