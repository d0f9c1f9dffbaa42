/**
 * The aws-auth analyzer: every rule of docs/rules.md (A01-A27, C01-C03), with positions in the host document and
 * quick fixes as plain text edits. Pure: no VS Code, no I/O, so the editor, the CLI and the tests share it.
 */
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, Node as YamlNode } from 'yaml';
import { arnProblem, canonicalize, parseArn, stripPath } from './arn';
import { accessEntryMatches, DecodedItem, isSkippable, loadSection, mappingMatches, SECTION_KEYS, SectionKey, SectionModel, storeOf, TEMPLATE_VARIABLES } from './authenticator';
import { findAwsAuthDocuments } from './awsAuth';
import { EmbeddedText, embeddedFromScalar, encodeForHost, toHostRange } from './embedded';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Edit {
  offset: number;
  length: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: Edit[];
}

export interface Problem {
  offset: number;
  length: number;
  severity: Severity;
  code: string;
  message: string;
  fixes?: Fix[];
}

/** What the live cluster says, when the document was opened from one. */
export interface ClusterContext {
  name?: string;
  authenticationMode?: string;
  /** Principal ARNs of the cluster's access entries. */
  accessEntryArns?: string[];
  authenticatorLogging?: boolean;
}

export interface LintOptions {
  /** Per-rule severity overrides; `off` removes the rule. */
  rules?: Record<string, Severity | 'off'>;
  cluster?: ClusterContext;
}

const ROLE_KEYS = ['rolearn', 'username', 'groups', 'sso', 'userid'];
const USER_KEYS = ['userarn', 'username', 'groups', 'userid'];
const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];
const FARGATE_GROUP = 'system:node-proxier';
const WINDOWS_GROUP = 'eks:kube-proxy-windows';
const NODE_ROLE_GROUPS = [...NODE_GROUPS, FARGATE_GROUP];
const RESERVED_USERNAME_PREFIXES = ['aws:', 'amazon:', 'eks:', 'iam:', 'system:'];

/** Lints every aws-auth document in a YAML file. Never throws: a bug in one rule must not hide the others. */
export function lintAwsAuth(text: string, options: LintOptions = {}): Problem[] {
  let problems: Problem[];
  try {
    problems = new Linter(text, options.cluster).run();
  } catch (e) {
    problems = [{ offset: 0, length: 0, severity: 'error', code: 'E00', message: `aws-auth analysis failed: ${(e as Error).message}` }];
  }
  return applyOverrides(suppress(text, problems), options.rules ?? {});
}

function applyOverrides(problems: Problem[], rules: Record<string, Severity | 'off'>): Problem[] {
  const out: Problem[] = [];
  for (const p of problems) {
    const override = rules[p.code];
    if (override === 'off') continue;
    out.push(override ? { ...p, severity: override } : p);
  }
  return out;
}

/** `# eks-auth-disable-next-line A21 A16` (or with no ids: every rule) silences problems that start on the next line. */
function suppress(text: string, problems: Problem[]): Problem[] {
  if (!text.includes('eks-auth-disable-next-line')) return problems;
  const lines = text.split('\n');
  const starts: number[] = [];
  let pos = 0;
  for (const line of lines) {
    starts.push(pos);
    pos += line.length + 1;
  }
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return problems.filter((p) => {
    const m = /#\s*eks-auth-disable-next-line\b(.*)$/.exec(lines[lineOf(p.offset) - 1] ?? '');
    if (!m) return true;
    const ids = m[1].split(/[\s,]+/).filter(Boolean);
    return ids.length > 0 && !ids.includes(p.code);
  });
}

type Range = [number, number];

interface LoadedSection {
  model: SectionModel;
  embedded: EmbeddedText;
}

class Linter {
  private readonly problems: Problem[] = [];
  private readonly loaded = new Map<SectionKey, LoadedSection>();

  constructor(
    private readonly text: string,
    private readonly cluster?: ClusterContext,
  ) {}

  run(): Problem[] {
    for (const { doc, data, isConfigMap } of findAwsAuthDocuments(this.text)) {
      this.loaded.clear();
      if (isConfigMap) this.checkMetadata(doc.contents as YAMLMap);
      for (const pair of data.items) this.checkDataPair(pair as Pair<YamlNode, YamlNode>);
      this.checkDuplicates();
      this.checkCluster(data);
    }
    return this.problems.sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
  }

  private add(node: YamlNode | [number, number] | undefined, severity: Severity, code: string, message: string, fixes?: Fix[]) {
    const range = Array.isArray(node) ? node : node?.range;
    const [start, end] = range ?? [0, 0];
    this.problems.push({ offset: start, length: Math.max(0, end - start), severity, code, message, ...(fixes?.length ? { fixes } : {}) });
  }

  /** Reports a problem found in embedded YAML at its host position. */
  private addEmbedded(e: EmbeddedText, range: [number, number] | undefined, severity: Severity, code: string, message: string, fixes?: Fix[]) {
    const [s, en] = range ?? [0, e.text.length];
    const host = toHostRange(e, s, en);
    this.add([host.offset, host.offset + host.length], severity, code, message, fixes);
  }

  /** A fix that replaces an embedded range, when it can be written back exactly. */
  private embeddedFix(e: EmbeddedText, title: string, start: number, end: number, newText: string): Fix | undefined {
    const host = toHostRange(e, start, end);
    const encoded = encodeForHost(e, newText);
    if (!host.exact || encoded === undefined) return undefined;
    return { title, edits: [{ offset: host.offset, length: host.length, newText: encoded }] };
  }

  private embeddedInsert(e: EmbeddedText, title: string, at: number, newText: string): Fix | undefined {
    if (!e.offsets || at > e.text.length) return undefined;
    const encoded = encodeForHost(e, newText);
    if (encoded === undefined) return undefined;
    return { title, edits: [{ offset: e.offsets[at], length: 0, newText: encoded }] };
  }

  private checkMetadata(root: YAMLMap) {
    const metadata = root.get('metadata', true) as YAMLMap | undefined;
    const name = isMap(metadata) ? (metadata.get('name', true) as YamlNode | undefined) : undefined;
    const namespace = isMap(metadata) ? (metadata.get('namespace', true) as YamlNode | undefined) : undefined;
    const nameValue = isScalar(name) ? String(name.value) : undefined;
    const nsValue = isScalar(namespace) ? String(namespace.value) : undefined;
    if (nameValue !== 'aws-auth') {
      this.add(name ?? metadata ?? root, 'warning', 'A27', `The ConfigMap is named "${nameValue ?? ''}": the authenticator reads only kube-system/aws-auth, so rename it to aws-auth.`);
    }
    if (nsValue !== 'kube-system') {
      this.add(
        namespace ?? name ?? metadata ?? root,
        'warning',
        'A27',
        nsValue === undefined
          ? 'No namespace: kubectl applies this to the current namespace, but the authenticator reads only kube-system/aws-auth. Add namespace: kube-system.'
          : `The namespace is "${nsValue}": the authenticator reads only kube-system/aws-auth. Set namespace: kube-system.`,
      );
    }
  }

  private checkDataPair(pair: Pair<YamlNode, YamlNode>) {
    const keyNode = pair.key;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const section = SECTION_KEYS.find((k) => k === key);
    if (!section) {
      const caseVariant = SECTION_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
      if (caseVariant && keyNode?.range) {
        this.add(keyNode, 'warning', 'A02', `"${key}" is ignored: the authenticator reads only the exact key "${caseVariant}". Rename it to ${caseVariant}.`, [
          { title: `Rename to ${caseVariant}`, edits: [{ offset: keyNode.range[0], length: keyNode.range[1] - keyNode.range[0], newText: caseVariant }] },
        ]);
      } else {
        this.add(keyNode, 'warning', 'A02', `Unknown data key "${key}" is ignored by the authenticator, which reads only mapRoles, mapUsers and mapAccounts.`);
      }
      return;
    }
    const value = pair.value;
    if (value && !isScalar(value)) {
      this.add(value, 'error', 'A01', `${section} must be a string holding YAML (write "${section}: |" and indent the list under it): the API server rejects a ConfigMap whose data value is a list or map.`, this.blockStringFix(pair));
      return;
    }
    if (!value || value.value === null || value.value === undefined) return;
    if (typeof value.value !== 'string') {
      this.add(value, 'error', 'A01', `${section} must be a string: the API server rejects a ConfigMap whose data value is a ${typeof value.value}. Quote it or write it as a block string with "|".`);
      return;
    }
    if (isSkippable(value.value)) return;
    if (section === 'mapUsers') this.add(keyNode, 'info', 'A23', 'mapUsers maps IAM users; IAM roles (mapRoles or access entries) are the recommended way to grant access, as users carry long-lived keys.');
    this.checkSection(section, embeddedFromScalar(this.text, value as Scalar));
  }

  /** A01 fix: a bare YAML list under the key becomes a block string holding the same lines. */
  private blockStringFix(pair: Pair<YamlNode, YamlNode>): Fix[] | undefined {
    const key = pair.key;
    const value = pair.value;
    if (!key?.range || !value?.range || !isSeq(value)) return undefined;
    const colon = this.text.indexOf(':', key.range[1]);
    const keyLineStart = this.text.lastIndexOf('\n', key.range[0] - 1) + 1;
    const keyIndent = key.range[0] - keyLineStart;
    const valueLineStart = this.text.lastIndexOf('\n', value.range[0] - 1) + 1;
    let end = value.range[1];
    while (end > value.range[0] && /\s/.test(this.text[end - 1])) end--;
    const lines = this.text.slice(valueLineStart, end).split('\n');
    const minIndent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
    const body = lines.map((l) => (l.trim() ? ' '.repeat(keyIndent + 2) + l.slice(minIndent) : '')).join('\n');
    return [{ title: 'Turn the list into a block string (|)', edits: [{ offset: colon + 1, length: end - colon - 1, newText: ` |\n${body}` }] }];
  }

  private checkSection(section: SectionKey, e: EmbeddedText) {
    const model = loadSection(section, e.text);
    this.loaded.set(section, { model, embedded: e });
    if (model.error) return this.sectionError(section, e, model.error);
    if (model.notAList) {
      this.addEmbedded(e, model.notAList.range, 'error', 'A04', `${section} must be a YAML list ("- ..." items): this is ${model.notAList.got === 'object' ? 'a mapping' : `a ${model.notAList.got}`}, so nothing in the section maps (the authenticator logs a type error and loads no entry from it).`);
      return;
    }
    if (section === 'mapAccounts') {
      for (const err of model.accountErrors) this.addEmbedded(e, err.range, 'error', 'A24', `mapAccounts items must be account ids: the authenticator cannot read this one as a string (${err.message}) and skips it.`);
      for (const account of model.accounts) this.checkAccount(e, account);
      return;
    }
    for (const item of model.items) this.checkItem(e, item);
  }

  private sectionError(section: SectionKey, e: EmbeddedText, error: NonNullable<SectionModel['error']>) {
    const text = e.text;
    const at = Math.min(error.position, Math.max(0, text.length - 1));
    if (error.uncertain) {
      this.addEmbedded(e, [at, at + 1], 'warning', 'A03', `${section} is nested too deeply to analyse (${error.message}): what the authenticator makes of it is unknown. Flatten it.`);
      return;
    }
    // `{{SessionName}}` unquoted is a flow mapping whose key is a mapping: go-yaml refuses such a key.
    if (error.message.startsWith('invalid map key') && text[at] === '{' && text[at - 1] === '{') {
      const close = text.indexOf('}}', at);
      const range: Range = [at - 1, close < 0 ? at + 1 : close + 2];
      const source = text.slice(range[0], range[1]);
      this.addEmbedded(e, range, 'error', 'A18', `${source} is read as a YAML mapping because it starts with "{", and a mapping cannot be a key (go-yaml: ${error.message}): the authenticator drops the whole ${section} section. Quote it: "${source}".`, this.optional(this.embeddedFix(e, 'Quote the value', range[0], range[1], `"${source}"`)));
      return;
    }
    this.addEmbedded(e, [at, at + 1], 'error', 'A03', `YAML error in ${section}: ${error.message}. The authenticator drops the whole ${section} section when it cannot convert it${section === 'mapRoles' ? ' (node roles included: nodes go NotReady)' : ''}. Fix the YAML.`);
  }

  private checkAccount(e: EmbeddedText, account: { value: string; range: Range }) {
    const source = e.text.slice(account.range[0], account.range[1]);
    const value = account.value;
    if (!/^\d{12}$/.test(value)) {
      this.addEmbedded(e, account.range, 'error', 'A24', `mapAccounts items must be 12-digit AWS account ids; "${value || source}" never matches a caller's account.`);
    } else if (!/^["']/.test(source)) {
      this.addEmbedded(e, account.range, 'warning', 'A24', `Quote the account id ("${value}"): the authenticator keeps it as written, but YAML 1.2 tools (kubectl plugins, Terraform's yamldecode, yq) read an unquoted ${value} as a number${value.startsWith('0') ? ' and drop its leading zero' : ''}.`, this.optional(this.embeddedFix(e, 'Quote the account id', account.range[0], account.range[1], `"${value}"`)));
    }
  }

  private optional(fix: Fix | undefined): Fix[] | undefined {
    return fix ? [fix] : undefined;
  }

  private checkItem(e: EmbeddedText, item: DecodedItem) {
    const { section } = item;
    const known = section === 'mapRoles' ? ROLE_KEYS : USER_KEYS;
    for (const { key, range } of item.unknownKeys) {
      const suggestion = suggestKey(key.toLowerCase(), known);
      const fix = suggestion ? this.embeddedFix(e, `Rename to ${suggestion}`, range[0], range[1], suggestion) : undefined;
      this.addEmbedded(e, range, 'warning', 'A08', `Unknown key "${key}" is ignored by the authenticator${suggestion ? `; did you mean "${suggestion}"?` : ` (known keys: ${known.join(', ')})`}.`, this.optional(fix));
    }
    const notAMap = item.typeErrors.find((t) => t.field === '');
    if (notAMap) {
      this.addEmbedded(e, item.range, 'error', section === 'mapRoles' ? 'A05' : 'A06', `This ${section} item is a ${notAMap.got}, not a mapping (rolearn/userarn, username, groups): the authenticator drops it.`);
      return;
    }
    for (const t of item.typeErrors) this.typeProblem(e, item, t);
    if (item.dropped) {
      const why = item.dropped;
      const message =
        section === 'mapUsers'
          ? 'This user mapping has no userarn: the authenticator drops it. Add userarn: arn:aws:iam::ACCOUNT:user/NAME.'
          : why.startsWith('one of')
            ? 'This role mapping has no rolearn: the authenticator drops it. Add rolearn: arn:aws:iam::ACCOUNT:role/NAME.'
            : why.startsWith('only one')
              ? 'This role mapping has both rolearn and sso: the authenticator drops it. Keep only one of them.'
              : `The authenticator drops this role mapping: ${why}.`;
      this.addEmbedded(e, item.range, 'error', section === 'mapRoles' ? 'A05' : 'A06', message);
    }
    if (item.fields.sso) this.addEmbedded(e, item.fields.sso.keyRange, 'warning', 'A26', 'sso mappings need the alpha SSORoleMatch feature gate, which is off by default and not documented for EKS: map the AWSReservedSSO_* role with rolearn (no path) or use an access entry.');

    const usernameError = item.typeErrors.some((t) => t.field.toLowerCase() === 'username');
    if (item.username === '' && !usernameError) {
      this.addEmbedded(e, item.fields.username?.keyRange ?? item.range, 'error', 'A07', 'username is missing or empty: EKS requires one. Add username: (for nodes, system:node:{{EC2PrivateDNSName}}).');
    }
    item.groups.forEach((g, i) => {
      if (g.includes(' - ')) this.addEmbedded(e, item.groupRanges[i], 'warning', 'A10', `The group "${g}" contains " - ": two list items were merged by an indentation slip. Put each "- group" on its own line at the same indentation.`);
    });
    if (item.fields.arn && item.arn !== '') this.checkArn(e, item);

    const templated = [...(item.fields.username && item.username ? [{ value: item.username, range: item.fields.username.valueRange }] : []), ...item.groups.map((value, i) => ({ value, range: item.groupRanges[i] }))];
    for (const { value, range } of templated) {
      if (!value.includes('{{')) continue;
      for (const m of value.matchAll(/\{\{([^{}]*)\}\}/g)) {
        if (!TEMPLATE_VARIABLES.includes(m[1])) {
          this.addEmbedded(e, range, 'warning', 'A17', `Unknown placeholder {{${m[1]}}} is left as literal text. Known: ${TEMPLATE_VARIABLES.map((t) => `{{${t}}}`).join(', ')}.`);
        }
      }
    }
    const username = item.username;
    const usernameRange = item.fields.username?.valueRange ?? item.range;
    const isNodeUser = username.startsWith('system:node:');
    if (username.includes('{{EC2PrivateDNSName}}') && (section === 'mapUsers' || (!isNodeUser && !item.groups.includes('system:nodes')))) {
      this.addEmbedded(e, usernameRange, 'warning', 'A19', `{{EC2PrivateDNSName}} renders only for EC2 node roles (session name = instance id); ${section === 'mapUsers' ? 'IAM users' : 'other callers'} are denied with "error rendering username template".`);
    }
    if (section === 'mapUsers' && /\{\{SessionName(Raw)?\}\}/.test(username)) {
      this.addEmbedded(e, usernameRange, 'warning', 'A19', 'IAM users have no session name: {{SessionName}} renders empty here. Use a fixed username.');
    }
    if (isNodeUser && section === 'mapRoles') this.checkNodeRole(e, item, usernameRange);
    item.groups.forEach((g, i) => {
      if (g === 'system:masters') {
        this.addEmbedded(e, item.groupRanges[i], 'warning', 'A21', 'system:masters grants unrestricted cluster-admin that RBAC cannot limit or audit by name (CIS EKS 4.1.7). Bind a narrower ClusterRole to a custom group instead.');
      } else if (g.startsWith('system:') && !(isNodeUser && NODE_ROLE_GROUPS.includes(g))) {
        this.addEmbedded(e, item.groupRanges[i], 'info', 'A22', `The group ${g} uses the reserved system: prefix, which access entries reject: this mapping cannot be migrated as is.`);
      }
    });
    if (username !== '' && !isNodeUser) {
      const prefix = RESERVED_USERNAME_PREFIXES.find((p) => username.startsWith(p));
      if (prefix) this.addEmbedded(e, usernameRange, 'info', 'A22', `The username starts with the reserved prefix "${prefix}", which access entries reject: this mapping cannot be migrated as is.`);
    }
  }

  /** A09 (or A18 for an unquoted `{...}`): encoding/json could not store the value, so the field keeps its zero value. */
  private typeProblem(e: EmbeddedText, item: DecodedItem, t: DecodedItem['typeErrors'][number]) {
    const source = e.text.slice(t.range[0], t.range[1]);
    const field = t.field.toLowerCase();
    if (t.got === 'object' && source.startsWith('{')) {
      this.addEmbedded(e, t.range, 'error', 'A18', `${source} is read as a YAML mapping because it starts with "{", so the authenticator cannot use it as the ${field.startsWith('group') ? 'group' : field}. Quote it: "${source}".`, this.optional(this.embeddedFix(e, 'Quote the value', t.range[0], t.range[1], `"${source}"`)));
      return;
    }
    const what = `${source || 'This value'} is read as a ${t.got}${t.got === 'bool' ? ' (YAML 1.1: yes/no/on/off/y/n are booleans)' : ''}, not a string`;
    const isGroupItem = field === 'groups' && item.groupRanges.some((g) => g[0] === t.range[0] && g[1] === t.range[1]);
    const consequence =
      field === 'username'
        ? 'the authenticator drops the username, so the identity authenticates with an empty username. Quote it.'
        : isGroupItem
          ? 'the authenticator keeps this group as an empty name. Quote it.'
          : field === 'groups'
            ? 'groups must be a list of strings ("- group" items): the authenticator drops the field and the identity gets no groups, so Kubernetes answers Forbidden.'
            : field === 'rolearn' || field === 'userarn'
              ? `the authenticator drops ${field}, so it drops the whole entry. Quote it.`
              : 'the authenticator ignores the value. Quote it.';
    this.addEmbedded(e, t.range, 'error', 'A09', `${what}: ${consequence}`);
  }

  private checkArn(e: EmbeddedText, item: DecodedItem) {
    const arnKey = item.section === 'mapRoles' ? 'rolearn' : 'userarn';
    const arn = item.arn;
    const r = item.fields.arn!.valueRange;
    const replace = (title: string, value: string) => this.optional(this.embeddedFix(e, title, r[0], r[1], value));
    if (arn !== arn.trim()) {
      this.addEmbedded(e, r, 'error', 'A14', `This ${arnKey} has leading or trailing white space inside its quotes: the authenticator compares it exactly, so it never matches.`, replace('Remove the white space', arn.trim()));
      return;
    }
    const parsed = parseArn(arn);
    const session = parsed?.kind === 'assumed-role' ? canonicalize(arn) : undefined;
    const problem = arnProblem(arn, parsed) ?? (session && 'error' in session ? session.error : undefined);
    if (arnKey === 'rolearn' && session && !('error' in session) && !problem) {
      const fixed = session.canonical;
      this.addEmbedded(e, r, 'error', 'A13', `This is an STS session ARN; the authenticator compares IAM role ARNs, so it never matches. Use ${fixed}.`, replace(`Use ${fixed}`, fixed));
    } else if (problem) {
      // A root principal's ARN (arn:P:iam::A:root) is a valid caller and matches as written.
      if (!/^arn:[^:]+:iam::\d{12}:root$/.test(arn)) this.addEmbedded(e, r, 'error', 'A14', `This ${arnKey} never matches: ${problem}.`);
    } else if (parsed) {
      if (arnKey === 'rolearn' && parsed.kind === 'user') this.addEmbedded(e, r, 'warning', 'A15', 'rolearn holds an IAM user ARN: it works, but tools classify mappings by key. Move it to mapUsers as userarn.');
      if (arnKey === 'userarn' && parsed.kind === 'role') this.addEmbedded(e, r, 'warning', 'A15', 'userarn holds an IAM role ARN: it works, but tools classify mappings by key. Move it to mapRoles as rolearn (without a path).');
      if (parsed.kind === 'role' && parsed.path) {
        const fixed = stripPath(arn);
        if (parsed.path.startsWith('aws-service-role/')) {
          this.addEmbedded(e, r, 'warning', 'A25', `A service-linked role: its path never matches (use ${fixed}), and access entries do not support service-linked roles, so it cannot be migrated.`, replace(`Use ${fixed}`, fixed));
        } else if (parsed.path.startsWith('aws-reserved/sso.amazonaws.com')) {
          this.addEmbedded(e, r, 'error', 'A12', `IAM Identity Center roles must be written without their aws-reserved/sso.amazonaws.com/... path: STS reports ${fixed}, so this never matches.`, replace(`Use ${fixed}`, fixed));
        } else {
          this.addEmbedded(e, r, 'error', 'A11', `The role path "/${parsed.path}/" never matches: STS reports role ARNs without a path. Use ${fixed}.`, replace(`Use ${fixed}`, fixed));
        }
      }
    }
  }

  private checkNodeRole(e: EmbeddedText, item: DecodedItem, r: Range) {
    const values = item.groups;
    const missing = NODE_GROUPS.filter((g) => !values.includes(g));
    if (missing.length) {
      this.addEmbedded(e, r, 'error', 'A20', `Node identities need the groups system:bootstrappers and system:nodes; missing ${missing.join(', ')}: nodes with this role cannot join. Add the missing groups.`, this.optional(this.addGroupsFix(e, item, missing)));
    }
    if (item.username.includes('{{SessionName}}') && !values.includes(FARGATE_GROUP)) {
      this.addEmbedded(e, r, 'info', 'A20', `A Fargate pod execution role (system:node:{{SessionName}}) also needs ${FARGATE_GROUP}.`, this.optional(this.addGroupsFix(e, item, [FARGATE_GROUP])));
    }
    if (/windows/i.test(item.arn) && !values.includes(WINDOWS_GROUP)) {
      this.addEmbedded(e, r, 'warning', 'A20', `Windows nodes also need the group ${WINDOWS_GROUP}, or kube-proxy cannot start on them.`, this.optional(this.addGroupsFix(e, item, [WINDOWS_GROUP])));
    }
  }

  private addGroupsFix(e: EmbeddedText, item: DecodedItem, missing: string[]): Fix | undefined {
    const text = e.text;
    const title = `Add ${missing.join(', ')} to groups`;
    const lineStartOf = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
    const lineEndOf = (offset: number) => {
      const nl = text.indexOf('\n', offset);
      return nl < 0 ? text.length : nl;
    };
    const groups = item.fields.groups;
    if (groups && text[groups.valueRange[0]] === '[') {
      const values = [...item.groupRanges.map((g) => text.slice(g[0], g[1])), ...missing];
      return this.embeddedFix(e, title, groups.valueRange[0], groups.valueRange[1], `[${values.join(', ')}]`);
    }
    if (groups && item.groupRanges.length) {
      const first = item.groupRanges[0];
      const last = item.groupRanges[item.groupRanges.length - 1];
      const indent = /^ */.exec(text.slice(lineStartOf(first[0]), first[0]))![0];
      if (!/^ *- $/.test(text.slice(lineStartOf(first[0]), first[0]))) return undefined;
      return this.embeddedInsert(e, title, lineEndOf(Math.max(last[0], last[1] - 1)), missing.map((g) => `\n${indent}- ${g}`).join(''));
    }
    if (!groups && text[item.range[0]] !== '{') {
      const indent = ' '.repeat(item.range[0] - lineStartOf(item.range[0]));
      return this.embeddedInsert(e, title, lineEndOf(Math.max(item.range[0], item.range[1] - 1)), `\n${indent}groups:` + missing.map((g) => `\n${indent}  - ${g}`).join(''));
    }
    return undefined;
  }

  /** A16 from the authenticator's store: replaced entries, random case variants, users shadowed by a role. */
  private checkDuplicates() {
    const roles = this.loaded.get('mapRoles');
    const users = this.loaded.get('mapUsers');
    const store = storeOf({
      mapRoles: roles?.model ?? loadSection('mapRoles', undefined),
      mapUsers: users?.model ?? loadSection('mapUsers', undefined),
      mapAccounts: loadSection('mapAccounts', undefined),
    });
    for (const [loaded, what] of [[roles, 'rolearn'], [users, 'userarn']] as const) {
      if (!loaded) continue;
      for (const item of loaded.model.items) {
        if (!item.replacedBy || !item.fields.arn) continue;
        const later = item.replacedBy;
        const exact = later.arn === item.arn;
        const message = `Duplicate ${what} ${item.arn}${exact ? '' : ` (the later one differs only in case: ${later.arn})`}: the authenticator keeps only the later entry ${later.index + 1}${what === 'rolearn' ? ' and does not merge groups (a later entry without system:masters has locked admins out)' : ''}, so this one is never used. Remove it, or merge what it grants into the later entry.`;
        this.addEmbedded(loaded.embedded, item.fields.arn.valueRange, 'warning', 'A16', message, this.optional(this.removeItemFix(loaded, item)));
      }
    }
    if (users) {
      const reported = new Set<DecodedItem>();
      for (const user of store.users) {
        const variants = store.users.filter((u) => u !== user && mappingMatches(u, user.arn));
        if (variants.length && !reported.has(user)) {
          for (const v of [user, ...variants]) reported.add(v);
          const later = [user, ...variants].sort((a, b) => a.index - b.index).slice(1);
          for (const v of later) this.addEmbedded(users.embedded, v.fields.arn!.valueRange, 'warning', 'A16', `Duplicate userarn ${v.arn} differing only in case from ${user.arn}: the authenticator stores both and which one matches is random. Remove one of the entries.`, this.optional(this.removeItemFix(users, v)));
        }
        if (store.roles.some((r) => mappingMatches(r, user.arn))) {
          this.addEmbedded(users.embedded, user.fields.arn!.valueRange, 'warning', 'A16', `${user.arn} is mapped in both mapRoles and mapUsers: the role mapping is looked up first, so this user mapping is never used. Remove one.`);
        }
      }
    }
  }

  private removeItemFix(loaded: LoadedSection, item: DecodedItem): Fix | undefined {
    const e = loaded.embedded;
    if (e.style !== 'block' || !e.offsets || e.text.trimStart().startsWith('[')) return undefined;
    const text = e.text;
    const start = text.lastIndexOf('\n', item.range[0] - 1) + 1;
    if (!/^ *- /.test(text.slice(start, item.range[0] + 1)) && !/^ *-$/.test(text.slice(start, item.range[0]).trimEnd())) return undefined;
    const next = loaded.model.items[item.index + 1];
    let s: number;
    let en: number;
    if (next) {
      s = start;
      en = text.lastIndexOf('\n', next.range[0] - 1) + 1;
    } else {
      // The last item: remove from the newline that ends the previous item, so no blank line is left behind.
      s = Math.max(0, start - 1);
      en = text.replace(/\s+$/, '').length;
    }
    if (en <= s) return undefined;
    const hs = e.offsets[s];
    const he = e.offsets[en];
    return { title: 'Remove this duplicate entry', edits: [{ offset: hs, length: he - hs, newText: '' }] };
  }

  private checkCluster(data: YAMLMap) {
    const cluster = this.cluster;
    if (!cluster) return;
    const firstKey = (data.items[0]?.key as YamlNode | undefined) ?? data;
    const name = cluster.name ? `Cluster ${cluster.name}` : 'The cluster';
    if (cluster.authenticationMode === 'API') {
      this.add(firstKey, 'warning', 'C01', `${name} uses authentication mode API: it ignores this ConfigMap entirely. Manage access with access entries instead.`);
    }
    if (cluster.authenticationMode === 'API_AND_CONFIG_MAP' && cluster.accessEntryArns?.length) {
      for (const section of ['mapRoles', 'mapUsers'] as const) {
        const loaded = this.loaded.get(section);
        for (const item of loaded?.model.items ?? []) {
          if (item.dropped || !item.fields.arn || item.replacedBy) continue;
          const entry = cluster.accessEntryArns.find((a) => accessEntryMatches(a, item.arn));
          if (entry) this.addEmbedded(loaded!.embedded, item.fields.arn.valueRange, 'info', 'C02', `${name} has an access entry for ${entry}; in API_AND_CONFIG_MAP mode the access entry wins and this mapping is not used.`);
        }
      }
    }
    if (cluster.authenticatorLogging === false) {
      this.add(firstKey, 'info', 'C03', `${name} does not send authenticator logs to CloudWatch: "EKS: Troubleshoot Authentication" will find nothing until the authenticator log type is enabled.`);
    }
  }
}

/** A near spelling of a known key: `group` for groups, `roleArn_` for rolearn, `role` for rolearn. */
function suggestKey(key: string, known: string[]): string | undefined {
  const aliases: Record<string, string> = { group: 'groups', role: 'rolearn', user: 'userarn', arn: known[0], name: 'username', 'role-arn': 'rolearn', role_arn: 'rolearn', user_arn: 'userarn', 'user-arn': 'userarn', user_name: 'username' };
  if (aliases[key] && known.includes(aliases[key])) return aliases[key];
  let best: { key: string; distance: number } | undefined;
  for (const k of known) {
    const d = levenshtein(key, k);
    if (d <= 2 && (!best || d < best.distance)) best = { key: k, distance: d };
  }
  return best?.key;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Applies text edits (from one fix) to a document; edits must not overlap. */
export function applyEdits(text: string, edits: Edit[]): string {
  return [...edits].sort((a, b) => b.offset - a.offset).reduce((t, e) => t.slice(0, e.offset) + e.newText + t.slice(e.offset + e.length), text);
}

export const RULE_IDS = [...Array.from({ length: 27 }, (_, i) => `A${String(i + 1).padStart(2, '0')}`), 'C01', 'C02', 'C03'];
