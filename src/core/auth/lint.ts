/**
 * The aws-auth analyzer: every rule of docs/rules.md (A01-A27, C01-C03), with positions in the host document and
 * quick fixes as plain text edits. Pure: no VS Code, no I/O, so the editor, the CLI and the tests share it.
 */
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, Node as YamlNode } from 'yaml';
import { arnProblem, canonicalArn, parseArn, stripRolePath } from './arn';
import { findAwsAuthDocuments, isEmptySection, SECTION_KEYS, SectionKey, TEMPLATE_VARIABLES } from './awsAuth';
import { EmbeddedText, embeddedFromScalar, encodeForHost, toHostRange } from './embedded';
import { parseYamlTree, YMap, YNode, YPair, YScalar, YSeq } from './yamlTree';

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

const ROLE_KEYS = ['rolearn', 'username', 'groups', 'sso'];
const USER_KEYS = ['userarn', 'username', 'groups'];
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

interface ItemInfo {
  section: SectionKey;
  node: YMap;
  embedded: EmbeddedText;
  seq: YSeq;
  index: number;
}

interface Mapped {
  arn: string;
  item: ItemInfo;
  node: YNode;
}

const isStr = (n: YNode | undefined): n is YScalar => n?.kind === 'scalar' && n.type === 'str';
const isNull = (n: YNode | undefined) => !n || (n.kind === 'scalar' && n.type === 'null');
const isFlowMap = (n: YNode | undefined): n is YMap => n?.kind === 'map' && n.flow;

class Linter {
  private readonly problems: Problem[] = [];
  private readonly roles: Mapped[] = [];
  private readonly users: Mapped[] = [];

  constructor(
    private readonly text: string,
    private readonly cluster?: ClusterContext,
  ) {}

  run(): Problem[] {
    for (const { doc, data, isConfigMap } of findAwsAuthDocuments(this.text)) {
      this.roles.length = 0;
      this.users.length = 0;
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
    if (isEmptySection(value.value)) return;
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
    const { root, problem } = parseYamlTree(e.text);
    if (problem) {
      const at = Math.min(problem.position, Math.max(0, e.text.length - 1));
      this.addEmbedded(e, [at, at + 1], 'error', 'A03', `YAML error in ${section}: ${problem.message}. The authenticator drops the whole ${section} section when it cannot parse it${section === 'mapRoles' ? ' (node roles included: nodes go NotReady)' : ''}. Fix the YAML.`);
      return;
    }
    if (root === null || (root.kind === 'scalar' && (root.type === 'null' || root.value === ''))) return;
    if (root.kind !== 'seq') {
      this.addEmbedded(e, root.range, 'error', 'A04', `${section} must be a YAML list ("- ..." items): anything else makes the authenticator drop the whole section.`);
      return;
    }
    root.items.forEach((node, index) => {
      if (section === 'mapAccounts') return this.checkAccount(e, node);
      if (node.kind !== 'map' || isFlowMap(node.pairs[0]?.key)) {
        this.addEmbedded(e, node.range, 'error', 'A04', `Each ${section} item must be a mapping (rolearn/userarn, username, groups): a ${node.kind === 'scalar' ? 'plain value' : node.kind === 'seq' ? 'list' : 'complex key'} makes the authenticator drop the whole section.`);
        return;
      }
      this.checkItem({ section, node, embedded: e, seq: root, index });
    });
  }

  private checkAccount(e: EmbeddedText, node: YNode) {
    const source = e.text.slice(node.range[0], node.range[1]);
    const value = node.kind === 'scalar' ? (node.style === 'plain' ? source.trim() : node.value) : '';
    if (node.kind !== 'scalar' || !/^\d{12}$/.test(value)) {
      this.addEmbedded(e, node.range, 'error', 'A24', `mapAccounts items must be 12-digit AWS account ids; "${value || source}" is not one.`);
    } else if (node.style === 'plain') {
      this.addEmbedded(e, node.range, 'warning', 'A24', `Quote the account id ("${value}"): a YAML 1.2 reader turns an unquoted ${value} into a number${value.startsWith('0') ? ' and drops its leading zero' : ''}.`, this.optional(this.embeddedFix(e, 'Quote the account id', node.range[0], node.range[1], `"${value}"`)));
    }
  }

  private optional(fix: Fix | undefined): Fix[] | undefined {
    return fix ? [fix] : undefined;
  }

  private checkItem(item: ItemInfo) {
    const { section, node, embedded: e } = item;
    const known = section === 'mapRoles' ? ROLE_KEYS : USER_KEYS;
    const fields = new Map<string, YPair>();
    for (const pair of node.pairs) {
      const key = pair.key.kind === 'scalar' ? pair.key.value : '';
      const lower = key.toLowerCase();
      if (known.includes(lower)) fields.set(lower, pair);
      else {
        const suggestion = suggestKey(lower, known);
        const r = pair.key.range;
        const fix = suggestion ? this.embeddedFix(e, `Rename to ${suggestion}`, r[0], r[1], suggestion) : undefined;
        this.addEmbedded(e, r, 'warning', 'A08', `Unknown key "${key}" is ignored by the authenticator${suggestion ? `; did you mean "${suggestion}"?` : ` (known keys: ${known.join(', ')})`}.`, this.optional(fix));
      }
    }

    const arnKey = section === 'mapRoles' ? 'rolearn' : 'userarn';
    const arnPair = fields.get(arnKey);
    const sso = fields.get('sso');
    if (section === 'mapRoles') {
      if (!arnPair && !sso) this.addEmbedded(e, node.range, 'error', 'A05', 'This role mapping has no rolearn: the authenticator drops it. Add rolearn: arn:aws:iam::ACCOUNT:role/NAME.');
      if (arnPair && sso) this.addEmbedded(e, node.range, 'error', 'A05', 'This role mapping has both rolearn and sso: the authenticator drops it. Keep only one of them.');
      if (sso) this.addEmbedded(e, sso.key.range, 'warning', 'A26', 'sso mappings need the alpha SSORoleMatch feature gate, which EKS does not enable: map the AWSReservedSSO_* role with rolearn (no path) or use an access entry.');
    } else if (!arnPair) {
      this.addEmbedded(e, node.range, 'error', 'A06', 'This user mapping has no userarn: the authenticator drops it. Add userarn: arn:aws:iam::ACCOUNT:user/NAME.');
    }

    const usernamePair = fields.get('username');
    const usernameNode = usernamePair?.value;
    let username: string | undefined;
    if (!usernamePair || isNull(usernameNode) || (isStr(usernameNode) && usernameNode.value === '')) {
      this.addEmbedded(e, usernamePair?.key.range ?? node.range, 'error', 'A07', 'username is missing or empty: EKS requires one. Add username: (for nodes, system:node:{{EC2PrivateDNSName}}).');
    } else if (isFlowMap(usernameNode)) {
      this.flowScalarProblem(e, usernameNode, 'username');
    } else if (!isStr(usernameNode)) {
      this.addEmbedded(e, usernameNode!.range, 'error', 'A09', 'username must be a string: the authenticator drops the field and the identity gets no username. Quote it.');
    } else {
      username = usernameNode.value;
    }

    const groups: { value: string; node: YNode }[] = [];
    const groupsNode = fields.get('groups')?.value;
    if (!isNull(groupsNode)) {
      if (groupsNode!.kind !== 'seq') {
        this.addEmbedded(e, groupsNode!.range, 'error', 'A09', 'groups must be a list of strings ("- group" items): the authenticator drops the field and the identity gets no groups, so Kubernetes answers Forbidden.');
      } else {
        for (const g of groupsNode!.items) {
          if (isFlowMap(g)) this.flowScalarProblem(e, g, 'group');
          else if (!isStr(g)) {
            this.addEmbedded(e, g.range, 'error', 'A09', 'Each group must be a string: the authenticator drops the whole groups field. Quote the value.');
          } else {
            groups.push({ value: g.value, node: g });
            if (g.value.includes(' - ')) this.addEmbedded(e, g.range, 'warning', 'A10', `The group "${g.value}" contains " - ": two list items were merged by an indentation slip. Put each "- group" on its own line at the same indentation.`);
          }
        }
      }
    }

    let arn: string | undefined;
    if (arnPair) {
      const v = arnPair.value;
      if (!isStr(v) || v.value === '') {
        this.addEmbedded(e, isNull(v) ? arnPair.key.range : v.range, 'error', 'A14', `${arnKey} must be an ARN string.`);
      } else {
        arn = v.value;
        this.checkArn(item, arnKey, v, arn);
      }
    }

    const templated = [...(username !== undefined ? [{ value: username, node: usernameNode! }] : []), ...groups];
    for (const { value, node: n } of templated) {
      if (!value.includes('{{')) continue;
      for (const m of value.matchAll(/\{\{([^}]*)\}\}/g)) {
        if (!TEMPLATE_VARIABLES.includes(m[1])) {
          this.addEmbedded(e, n.range, 'warning', 'A17', `Unknown placeholder {{${m[1]}}} is left as literal text. Known: ${TEMPLATE_VARIABLES.map((t) => `{{${t}}}`).join(', ')}.`);
        }
      }
    }
    const groupValues = groups.map((g) => g.value);
    const isNodeUser = username?.startsWith('system:node:') ?? false;
    if (username !== undefined) {
      if (username.includes('{{EC2PrivateDNSName}}') && (section === 'mapUsers' || (!isNodeUser && !groupValues.includes('system:nodes')))) {
        this.addEmbedded(e, usernameNode!.range, 'warning', 'A19', `{{EC2PrivateDNSName}} renders only for EC2 node roles (session name = instance id); ${section === 'mapUsers' ? 'IAM users' : 'other callers'} are denied with "error rendering username template".`);
      }
      if (section === 'mapUsers' && /\{\{SessionName(Raw)?\}\}/.test(username)) {
        this.addEmbedded(e, usernameNode!.range, 'warning', 'A19', 'IAM users have no session name: {{SessionName}} renders empty here. Use a fixed username.');
      }
    }
    if (isNodeUser && section === 'mapRoles') this.checkNodeRole(item, username!, usernameNode!, groups, groupsNode, arn);
    for (const g of groups) {
      if (g.value === 'system:masters') {
        this.addEmbedded(e, g.node.range, 'warning', 'A21', 'system:masters grants unrestricted cluster-admin that RBAC cannot limit or audit by name (CIS EKS 4.1.7). Bind a narrower ClusterRole to a custom group instead.');
      } else if (g.value.startsWith('system:') && !(isNodeUser && NODE_ROLE_GROUPS.includes(g.value))) {
        this.addEmbedded(e, g.node.range, 'info', 'A22', `The group ${g.value} uses the reserved system: prefix, which access entries reject: this mapping cannot be migrated as is.`);
      }
    }
    if (username !== undefined && !isNodeUser) {
      const prefix = RESERVED_USERNAME_PREFIXES.find((p) => username!.startsWith(p));
      if (prefix) this.addEmbedded(e, usernameNode!.range, 'info', 'A22', `The username starts with the reserved prefix "${prefix}", which access entries reject: this mapping cannot be migrated as is.`);
    }
  }

  /** A18: `{{SessionName}}` unquoted is a YAML flow mapping, not a string. */
  private flowScalarProblem(e: EmbeddedText, node: YMap, what: string) {
    const [s, en] = node.range;
    const source = e.text.slice(s, en);
    this.addEmbedded(e, [s, en], 'error', 'A18', `The ${what} ${source} is read as a YAML mapping because it starts with "{": the authenticator cannot parse the section. Quote it: "${source}".`, this.optional(this.embeddedFix(e, 'Quote the value', s, en, `"${source}"`)));
  }

  private checkArn(item: ItemInfo, arnKey: 'rolearn' | 'userarn', node: YScalar, arn: string) {
    const e = item.embedded;
    const r = node.range;
    const replace = (title: string, value: string) => this.optional(this.embeddedFix(e, title, r[0], r[1], value));
    const parsed = parseArn(arn);
    const problem = arnProblem(arn, parsed);
    if (arnKey === 'rolearn' && parsed?.kind === 'assumed-role' && !problem) {
      const fixed = canonicalArn(arn, parsed);
      this.addEmbedded(e, r, 'error', 'A13', `This is an STS session ARN; the authenticator compares IAM role ARNs, so it never matches. Use ${fixed}.`, replace(`Use ${fixed}`, fixed));
    } else if (problem) {
      this.addEmbedded(e, r, 'error', 'A14', `This ${arnKey} never matches: ${problem}.`);
      return;
    } else if (parsed) {
      if (arnKey === 'rolearn' && parsed.kind === 'user') this.addEmbedded(e, r, 'warning', 'A15', 'rolearn holds an IAM user ARN: it works, but tools classify mappings by key. Move it to mapUsers as userarn.');
      if (arnKey === 'userarn' && parsed.kind === 'role') this.addEmbedded(e, r, 'warning', 'A15', 'userarn holds an IAM role ARN: it works, but tools classify mappings by key. Move it to mapRoles as rolearn (without a path).');
      if (parsed.kind === 'role' && parsed.path) {
        const fixed = stripRolePath(arn, parsed);
        if (parsed.path.startsWith('aws-service-role/')) {
          this.addEmbedded(e, r, 'warning', 'A25', `A service-linked role: its path never matches (use ${fixed}), and access entries do not support service-linked roles, so it cannot be migrated.`, replace(`Use ${fixed}`, fixed));
        } else if (parsed.path.startsWith('aws-reserved/sso.amazonaws.com')) {
          this.addEmbedded(e, r, 'error', 'A12', `IAM Identity Center roles must be written without their aws-reserved/sso.amazonaws.com/... path: STS reports ${fixed}, so this never matches.`, replace(`Use ${fixed}`, fixed));
        } else {
          this.addEmbedded(e, r, 'error', 'A11', `The role path "/${parsed.path}/" never matches: STS reports role ARNs without a path. Use ${fixed}.`, replace(`Use ${fixed}`, fixed));
        }
      }
    }
    const mapped: Mapped = { arn: parsed?.kind === 'assumed-role' ? canonicalArn(arn, parsed) : arnKey === 'rolearn' ? stripRolePath(arn, parsed) : arn, item, node };
    (arnKey === 'rolearn' ? this.roles : this.users).push(mapped);
  }

  private checkNodeRole(item: ItemInfo, username: string, usernameNode: YNode, groups: { value: string; node: YNode }[], groupsNode: YNode | undefined, arn: string | undefined) {
    const e = item.embedded;
    const values = groups.map((g) => g.value);
    const missing = NODE_GROUPS.filter((g) => !values.includes(g));
    const r = usernameNode.range;
    if (missing.length) {
      this.addEmbedded(e, r, 'error', 'A20', `Node identities need the groups system:bootstrappers and system:nodes; missing ${missing.join(', ')}: nodes with this role cannot join. Add the missing groups.`, this.optional(this.addGroupsFix(item, groupsNode, missing)));
    }
    if (username.includes('{{SessionName}}') && !values.includes(FARGATE_GROUP)) {
      this.addEmbedded(e, r, 'info', 'A20', `A Fargate pod execution role (system:node:{{SessionName}}) also needs ${FARGATE_GROUP}.`, this.optional(this.addGroupsFix(item, groupsNode, [FARGATE_GROUP])));
    }
    if (/windows/i.test(arn ?? '') && !values.includes(WINDOWS_GROUP)) {
      this.addEmbedded(e, r, 'warning', 'A20', `Windows nodes also need the group ${WINDOWS_GROUP}, or kube-proxy cannot start on them.`, this.optional(this.addGroupsFix(item, groupsNode, [WINDOWS_GROUP])));
    }
  }

  private addGroupsFix(item: ItemInfo, groupsNode: YNode | undefined, missing: string[]): Fix | undefined {
    const e = item.embedded;
    const text = e.text;
    const title = `Add ${missing.join(', ')} to groups`;
    const lineStartOf = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
    const lineEndOf = (offset: number) => {
      const nl = text.indexOf('\n', offset);
      return nl < 0 ? text.length : nl;
    };
    if (groupsNode?.kind === 'seq' && groupsNode.items.length && !groupsNode.flow) {
      const first = groupsNode.items[0];
      const last = groupsNode.items[groupsNode.items.length - 1];
      const indent = /^ */.exec(text.slice(lineStartOf(first.range[0]), first.range[0]))![0];
      return this.embeddedInsert(e, title, lineEndOf(Math.max(last.range[0], last.range[1] - 1)), missing.map((g) => `\n${indent}- ${g}`).join(''));
    }
    if (groupsNode?.kind === 'seq' && groupsNode.flow) {
      const values = [...groupsNode.items.map((n) => text.slice(n.range[0], n.range[1])), ...missing];
      return this.embeddedFix(e, title, groupsNode.range[0], groupsNode.range[1], `[${values.join(', ')}]`);
    }
    if (isNull(groupsNode) && !item.node.pairs.some((p) => p.key.kind === 'scalar' && p.key.value.toLowerCase() === 'groups')) {
      const firstKey = item.node.pairs[0].key;
      const lastPair = item.node.pairs[item.node.pairs.length - 1];
      const end = Math.max(lastPair.value.range[1], lastPair.key.range[1]);
      const indent = ' '.repeat(firstKey.range[0] - lineStartOf(firstKey.range[0]));
      return this.embeddedInsert(e, title, lineEndOf(Math.max(firstKey.range[0], end - 1)), `\n${indent}groups:` + missing.map((g) => `\n${indent}  - ${g}`).join(''));
    }
    return undefined;
  }

  private checkDuplicates() {
    const report = (list: Mapped[], what: string, extra: string) => {
      const seen = new Map<string, Mapped>();
      for (const entry of list) {
        const k = entry.arn.toLowerCase();
        const earlier = seen.get(k);
        if (earlier) {
          const exact = earlier.arn === entry.arn;
          const message = `Duplicate ${what} ${entry.arn}${exact ? '' : ` (differs only in case from ${earlier.arn})`}: ${extra} Remove one of the entries.`;
          this.addEmbedded(entry.item.embedded, entry.node.range, 'warning', 'A16', message, this.optional(this.removeItemFix(entry.item)));
        }
        seen.set(k, entry);
      }
    };
    report(this.roles, 'rolearn', 'the authenticator keeps only the last entry and does not merge groups (a later entry without system:masters has locked admins out).');
    report(this.users, 'userarn', 'exact duplicates keep only the last entry; case variants are both stored and which one matches is random.');
    const roleArns = new Set(this.roles.map((r) => r.arn.toLowerCase()));
    for (const user of this.users) {
      if (roleArns.has(user.arn.toLowerCase())) {
        this.addEmbedded(user.item.embedded, user.node.range, 'warning', 'A16', `${user.arn} is mapped in both mapRoles and mapUsers: the role mapping is looked up first, so this user mapping is never used. Remove one.`);
      }
    }
  }

  private removeItemFix(item: ItemInfo): Fix | undefined {
    const e = item.embedded;
    if (e.style !== 'block' || !e.offsets || item.seq.flow) return undefined;
    const text = e.text;
    const start = text.lastIndexOf('\n', item.node.range[0] - 1) + 1;
    const next = item.seq.items[item.index + 1];
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
      const entries = new Set(cluster.accessEntryArns.map((a) => stripRolePath(a).toLowerCase()));
      for (const m of [...this.roles, ...this.users]) {
        if (entries.has(m.arn.toLowerCase())) {
          this.addEmbedded(m.item.embedded, m.node.range, 'info', 'C02', `${name} has an access entry for ${m.arn}; in API_AND_CONFIG_MAP mode the access entry wins and this mapping is not used.`);
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
