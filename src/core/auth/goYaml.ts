/**
 * The YAML stack the authenticator reads aws-auth through, reproduced over our YAML tree: go-yaml v2 (YAML 1.1
 * scalars, merge keys, aliases, duplicate keys last-wins) decoding into `interface{}`, then sigs.k8s.io/yaml's
 * conversion to JSON (string keys, sorted as `json.Marshal` sorts them), as `k8s.io/apimachinery/pkg/util/yaml.ToJSON`
 * does for mapRoles and mapUsers; and go-yaml v2 decoding straight into `[]string`, as ParseMap does for mapAccounts.
 * Sources (docs/authenticator.md): yaml/go-yaml v2.4.2 `resolve.go`, `decode.go`; kubernetes-sigs/yaml v1.6.0
 * `yaml.go` (`yamlToJSONTarget`, `convertToJSONableObject`). Every value keeps the source range it came from, so the
 * linter can point at it.
 *
 * This reproduction only places things in the text. What a section becomes is what the libraries themselves say
 * (sectionReading.ts `readSection`, over goYamlLibrary.ts): our tree's values are used only where they equal the
 * library's.
 */
import { parseYamlTree, YNode, YScalar } from './yamlTree';

type Range = [number, number];

/** A decoded value, as JSON would carry it, with the range of the YAML node it came from. */
export type GoValue =
  | { t: 'str'; v: string; range: Range; node?: YScalar }
  | { t: 'int'; v: string; range: Range }
  | { t: 'float'; v: number; range: Range }
  | { t: 'bool'; v: boolean; range: Range }
  | { t: 'null'; range: Range }
  | { t: 'seq'; items: GoValue[]; range: Range }
  | { t: 'map'; entries: GoEntry[]; range: Range };

export interface GoEntry {
  key: string;
  keyRange: Range;
  value: GoValue;
}

/** mapAccounts as go-yaml decodes it into `[]string`: the strings, and the items it could not store. */
export interface StringList {
  values: { value: string; range: Range }[];
  typeErrors: { message: string; range: Range }[];
}

/** What makes go-yaml or the JSON conversion fail: the authenticator then drops the whole section. */
export class GoYamlError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const YAML_TAG = 'tag:yaml.org,2002:';
const RESOLVABLE = new Set(['', 'str', 'bool', 'int', 'float', 'null', 'timestamp'].map((t) => (t ? YAML_TAG + t : t)));
const BOOL_TRUE = ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'];
const BOOL_FALSE = ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'];
const NULLS = ['', '~', 'null', 'Null', 'NULL'];
const SPECIAL_FLOATS: Record<string, number> = { '.nan': NaN, '.NaN': NaN, '.NAN': NaN, '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity, '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity, '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity };
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

type Resolved = { tag: 'str'; v: string } | { tag: 'int'; v: bigint } | { tag: 'float'; v: number } | { tag: 'bool'; v: boolean } | { tag: 'null' };

function longTag(tag: string | undefined): string {
  if (!tag) return '';
  if (tag.startsWith('!!')) return YAML_TAG + tag.slice(2);
  if (tag.startsWith('!<') && tag.endsWith('>')) return tag.slice(2, -1);
  return tag;
}

/** strconv.ParseInt(s, 0, 64) then ParseUint(s, 0, 64), on text whose underscores are already removed. */
function goParseInt(plain: string): bigint | undefined {
  const m = GO_INT.exec(plain);
  if (!m) return undefined;
  const [, sign, hex, oct, bin, legacyOct, dec] = m;
  const magnitude = hex !== undefined ? BigInt('0x' + hex) : oct !== undefined ? BigInt('0o' + oct) : bin !== undefined ? BigInt('0b' + bin) : legacyOct !== undefined ? (legacyOct ? BigInt('0o' + legacyOct) : 0n) : BigInt(dec);
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return value;
  // ParseUint takes no sign.
  return sign === '' && value <= UINT64_MAX ? value : undefined;
}

/** go-yaml v2's `resolve` for a plain (or explicitly tagged) scalar. */
function resolvePlain(tag: string, text: string): Resolved {
  if (tag === YAML_TAG + 'binary') {
    const compact = text.replace(/\s+/g, '');
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) throw new GoYamlError('!!binary value contains invalid base64 data', -1);
    return { tag: 'str', v: Buffer.from(compact, 'base64').toString('latin1') };
  }
  if (!RESOLVABLE.has(tag)) return { tag: 'str', v: text };
  const typed = (): Resolved => {
    // The first character is go-yaml's hint: only these can start anything but a string.
    if (tag === YAML_TAG + 'str' || (text !== '' && !/[-+0-9yYnNtTfFoO~.]/.test(text[0]))) return { tag: 'str', v: text };
    if (BOOL_TRUE.includes(text)) return { tag: 'bool', v: true };
    if (BOOL_FALSE.includes(text)) return { tag: 'bool', v: false };
    if (NULLS.includes(text)) return { tag: 'null' };
    if (text in SPECIAL_FLOATS) return { tag: 'float', v: SPECIAL_FLOATS[text] };
    if (text[0] === '.') {
      if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) && Number.isFinite(Number(text))) return { tag: 'float', v: Number(text) };
    } else if (/[-+0-9]/.test(text[0])) {
      // A timestamp (YYYY-...) resolves before numbers, but decoding into interface{} keeps its text: a string.
      const plain = text.replace(/_/g, '');
      const int = goParseInt(plain);
      if (int !== undefined) return { tag: 'int', v: int };
      if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return { tag: 'float', v: Number(plain) };
    }
    return { tag: 'str', v: text };
  };
  const r = typed();
  if (tag === '' || tag === YAML_TAG + 'str' || tag === YAML_TAG + r.tag || (tag === YAML_TAG + 'timestamp' && r.tag === 'str')) return r;
  if (tag === YAML_TAG + 'float' && r.tag === 'int') return { tag: 'float', v: Number(r.v) };
  const short = (t: string) => '!!' + t.replace(YAML_TAG, '');
  throw new GoYamlError(`cannot decode ${short(YAML_TAG + r.tag)} \`${text}\` as a ${short(tag)}`, -1);
}

/** How go-yaml reads a scalar node: quoted and block scalars are strings unless tagged. */
function resolveScalar(n: YScalar): Resolved {
  if (!n.tag && n.style !== 'plain') return { tag: 'str', v: n.value };
  try {
    return resolvePlain(longTag(n.tag), n.value);
  } catch (e) {
    if (e instanceof GoYamlError) throw new GoYamlError(e.message, n.range[0]);
    throw e;
  }
}

/** go-yaml's guard against alias bombs ("document contains excessive aliasing"). */
function allowedAliasRatio(decodeCount: number): number {
  const low = 400000;
  const high = 4000000;
  if (decodeCount <= low) return 0.99;
  if (decodeCount >= high) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - low) / (high - low));
}

class Decoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly active = new Set<YNode>();

  /** Counts a decoded node as go-yaml does, and follows an alias to its anchor. */
  private enter(n: YNode): YNode {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new GoYamlError('document contains excessive aliasing', n.range[0]);
    }
    return n;
  }

  private withAlias<T>(n: YNode, decode: (target: YNode) => T): T {
    if (n.kind !== 'alias') return decode(n);
    if (!n.target) throw new GoYamlError(`unknown anchor '${n.name}' referenced`, n.range[0]);
    if (this.active.has(n)) throw new GoYamlError(`anchor '${n.name}' value contains itself`, n.range[0]);
    this.active.add(n);
    this.aliasDepth++;
    try {
      return decode(n.target);
    } finally {
      this.aliasDepth--;
      this.active.delete(n);
    }
  }

  /** go-yaml into `interface{}`, then sigs.k8s.io/yaml's JSON-able form. */
  toJsonValue(node: YNode, at: Range = node.range): GoValue {
    this.enter(node);
    return this.withAlias(node, (n) => {
      if (n.kind === 'scalar') {
        const r = resolveScalar(n);
        switch (r.tag) {
          case 'str':
            return { t: 'str', v: r.v, range: at, node: n };
          case 'int':
            return { t: 'int', v: r.v.toString(), range: at };
          case 'float':
            return { t: 'float', v: r.v, range: at };
          case 'bool':
            return { t: 'bool', v: r.v, range: at };
          case 'null':
            return { t: 'null', range: at };
        }
      }
      if (n.kind === 'seq') return { t: 'seq', items: n.items.map((i) => this.toJsonValue(i)), range: at };
      if (n.kind === 'map') {
        const entries = new Map<string, GoEntry>();
        this.mapInto(n, entries);
        const sorted = [...entries.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        return { t: 'map', entries: sorted, range: at };
      }
      throw new GoYamlError('unexpected node', at[0]);
    });
  }

  /** One mapping's pairs in order: a later key replaces an earlier one; `<<` merges (and replaces) in place. */
  private mapInto(n: YNode & { kind: 'map' }, out: Map<string, GoEntry>) {
    for (const { key, value } of n.pairs) {
      if (key.kind === 'scalar' && key.value === '<<' && key.style === 'plain' && (!key.tag || longTag(key.tag) === YAML_TAG + 'merge')) {
        this.merge(value, out);
        continue;
      }
      const k = this.toJsonValue(key);
      if (k.t === 'map' || k.t === 'seq') throw new GoYamlError(`invalid map key: ${k.t === 'map' ? 'map[interface {}]interface {}' : '[]interface {}'}`, key.range[0]);
      out.set(jsonKey(k, value), { key: jsonKey(k, value), keyRange: key.range, value: this.toJsonValue(value) });
    }
  }

  private merge(value: YNode, out: Map<string, GoEntry>) {
    const want = () => new GoYamlError('map merge requires map or sequence of maps as the value', value.range[0]);
    const mapOf = (n: YNode) => (n.kind === 'alias' ? n.target : n);
    if (value.kind === 'map' || value.kind === 'alias') {
      if (value.kind === 'alias' && value.target && mapOf(value)!.kind !== 'map') throw want();
      this.enter(value);
      this.withAlias(value, (m) => (m.kind === 'map' ? this.mapInto(m, out) : undefined));
      return;
    }
    if (value.kind !== 'seq') throw want();
    // Earlier maps take precedence: go-yaml merges the sequence from the last item back.
    for (let i = value.items.length - 1; i >= 0; i--) {
      const item = value.items[i];
      const target = mapOf(item);
      if (target && target.kind !== 'map') throw want();
      this.enter(item);
      this.withAlias(item, (m) => (m.kind === 'map' ? this.mapInto(m, out) : undefined));
    }
  }

  /** go-yaml v2 into `[]string`, as ParseMap reads mapAccounts: scalars keep their source text. */
  toStringList(root: YNode | null): StringList {
    const values: { value: string; range: Range }[] = [];
    const typeErrors: { message: string; range: Range }[] = [];
    if (!root) return { values, typeErrors };
    const top = root.kind === 'alias' ? root.target : root;
    if (!top) throw new GoYamlError(`unknown anchor '${(root as { name: string }).name}' referenced`, root.range[0]);
    if (top.kind === 'scalar') {
      if (resolveScalar(top).tag === 'null') return { values, typeErrors };
      typeErrors.push({ message: `cannot unmarshal !!str \`${top.value.slice(0, 10)}${top.value.length > 10 ? '...' : ''}\` into []string`, range: root.range });
      return { values, typeErrors };
    }
    if (top.kind === 'map') {
      typeErrors.push({ message: 'cannot unmarshal !!map into []string', range: root.range });
      return { values, typeErrors };
    }
    for (const item of (top as YNode & { kind: 'seq' }).items) {
      this.enter(item);
      const decoded = this.withAlias(item, (n) => {
        if (n.kind === 'scalar') {
          const r = resolveScalar(n);
          return { value: r.tag === 'null' ? '' : n.value };
        }
        return { error: `cannot unmarshal !!${n.kind === 'map' ? 'map' : 'seq'} into string` };
      });
      if ('value' in decoded) values.push({ value: decoded.value!, range: item.range });
      else typeErrors.push({ message: decoded.error!, range: item.range });
    }
    return { values, typeErrors };
  }
}

/** sigs.k8s.io/yaml turns map keys into strings; other key types fail the whole conversion. */
function jsonKey(k: GoValue, value: YNode): string {
  switch (k.t) {
    case 'str':
      return k.v;
    case 'int':
      if (BigInt(k.v) > INT64_MAX) throw new GoYamlError(`unsupported map key of type: uint64, key: 0x${BigInt(k.v).toString(16)}`, k.range[0]);
      return k.v;
    case 'float':
      return Number.isNaN(k.v) ? '.nan' : k.v === Infinity ? '.inf' : k.v === -Infinity ? '-.inf' : String(k.v);
    case 'bool':
      return k.v ? 'true' : 'false';
    default:
      throw new GoYamlError(`unsupported map key of type: %!s(<nil>), key: <nil>, value: ${value.kind === 'scalar' ? `"${value.value}"` : 'map'}`, k.range[0]);
  }
}

/** `json.Marshal` refuses NaN and infinities anywhere in the converted value. */
function checkJsonable(v: GoValue): void {
  const stack: GoValue[] = [v];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.t === 'float' && !Number.isFinite(x.v)) throw new GoYamlError(`json: unsupported value: ${Number.isNaN(x.v) ? 'NaN' : x.v > 0 ? '+Inf' : '-Inf'}`, x.range[0]);
    if (x.t === 'seq') stack.push(...x.items);
    if (x.t === 'map') for (const e of x.entries) stack.push(e.value);
  }
}

function treeOf(text: string): YNode | null {
  const { root, problem } = parseYamlTree(text);
  if (problem) throw new GoYamlError(problem.message, problem.position);
  return root;
}

/** go-yaml v2 decoding mapAccounts into `[]string`, as ParseMap does. Throws GoYamlError where go-yaml fails. */
export function yamlToStringList(text: string): StringList {
  return new Decoder().toStringList(treeOf(text));
}

/**
 * `utilyaml.ToJSON` of a mapRoles or mapUsers string: text starting with `{` is taken as JSON as it is, anything
 * else goes through go-yaml and sigs.k8s.io/yaml. Throws GoYamlError where the authenticator's conversion fails.
 */
export function yamlToJson(text: string): GoValue | { t: 'json'; text: string } {
  if (/^\s*\{/.test(text)) return { t: 'json', text };
  const root = treeOf(text);
  if (!root) return { t: 'null', range: [0, 0] };
  const value = new Decoder().toJsonValue(root);
  checkJsonable(value);
  return value;
}
