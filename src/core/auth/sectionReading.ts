/**
 * How the authenticator reads one aws-auth section, as kubernetes-sigs/aws-iam-authenticator
 * `pkg/mapper/configmap/configmap.go` ParseMap does: `utilyaml.ToJSON` for mapRoles and mapUsers, `yaml.Unmarshal`
 * into `[]string` for mapAccounts. The verdict and the values are what go-yaml v2, sigs.k8s.io/yaml and
 * encoding/json themselves say (goYamlLibrary.ts); our reproduction of them (goYaml.ts) only places those values and
 * errors in the text, where it decoded the same value. Sources: docs/authenticator.md.
 */
import { GoValue, GoYamlError, StringList, yamlToJson, yamlToStringList } from './goYaml';
import { readSectionWithGo } from './goYamlLibrary';

type Range = [number, number];

/** How the authenticator reads a section, as the library says, placed in the text where the tree agrees. */
export type SectionReading =
  | { kind: 'skipped' }
  /** The conversion failed (go-yaml, sigs.k8s.io/yaml or json.Marshal): nothing in the section loads. */
  | { kind: 'failed'; message: string; log: string; position: number }
  /** Text starting with "{" goes to encoding/json as it is: an object (never a list) or invalid JSON. */
  | { kind: 'json'; log: string; invalid: boolean; position: number }
  /** The converted value; `placed` when the tree agrees with it (else every range is the whole section). */
  | { kind: 'value'; value: GoValue; placed: boolean; unmarshalError?: string }
  | { kind: 'accounts'; values: { value: string; range: Range }[]; typeErrors: { message: string; range: Range }[]; log?: string; placed: boolean };

/** Where 1-based line `line` starts, as go-yaml counts lines: CRLF, CR, LF, NEL, LS and PS each end one. */
function lineStart(text: string, line: number): number {
  let n = 1;
  let i = 0;
  while (n < line && i < text.length) {
    const c = text[i];
    if (c === '\r' && text[i + 1] === '\n') i++;
    if (c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029') n++;
    i++;
  }
  return i;
}

/** The first non-blank offset of 1-based line `line` (go-yaml's line counting), or the end of the text. */
export function offsetOfLine(text: string, line: number): number {
  let i = lineStart(text, line);
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return Math.min(i, text.length);
}

/** The line go-yaml names in a message ("yaml: line 3: ...", "line 3: cannot unmarshal ..."). */
export function lineOfMessage(message: string): number | undefined {
  const m = /\bline (\d+):/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/**
 * The library's JSON as values the struct decoding reads. The mapping types reach five levels (list, item, field,
 * element or sso field); below that only a value's type matters, so contents past 64 levels are left out (go-yaml
 * allows 10,000, more than a recursive walk here could take).
 */
function fromJson(v: unknown, range: Range, depth = 0): GoValue {
  if (v === null) return { t: 'null', range };
  if (typeof v === 'string') return { t: 'str', v, range };
  if (typeof v === 'boolean') return { t: 'bool', v, range };
  if (typeof v === 'number') return Number.isInteger(v) ? { t: 'int', v: String(v), range } : { t: 'float', v, range };
  const deeper = depth < 64;
  if (Array.isArray(v)) return { t: 'seq', items: deeper ? v.map((x) => fromJson(x, range, depth + 1)) : [], range };
  const entries = deeper ? Object.entries(v as Record<string, unknown>).map(([key, x]) => ({ key, keyRange: range, value: fromJson(x, range, depth + 1) })) : [];
  return { t: 'map', entries, range };
}

/** Whether the tree's value is the library's JSON, as encoding/json would see both. */
function agrees(v: GoValue, j: unknown): boolean {
  switch (v.t) {
    case 'null':
      return j === null;
    case 'str':
    case 'bool':
      return v.v === j;
    case 'int':
      return typeof j === 'number' && Number(v.v) === j;
    case 'float':
      return typeof j === 'number' && v.v === j;
    case 'seq':
      return Array.isArray(j) && j.length === v.items.length && v.items.every((x, i) => agrees(x, j[i]));
    case 'map': {
      if (j === null || typeof j !== 'object' || Array.isArray(j)) return false;
      const o = j as Record<string, unknown>;
      return Object.keys(o).length === v.entries.length && v.entries.every((e) => Object.prototype.hasOwnProperty.call(o, e.key) && agrees(e.value, o[e.key]));
    }
  }
}

/** go-yaml's message without "yaml: " and its line, which is the section's and is shown as a position instead. */
function shortMessage(message: string): string {
  return message.replace(/^yaml: /, '').replace(/^line \d+: /, '');
}

const CACHE_SIZE = 16;
const cache = new Map<string, SectionReading>();

/**
 * How the authenticator reads one section: the verdict and the values come from go-yaml v2, sigs.k8s.io/yaml and
 * encoding/json themselves; our tree only supplies source ranges, and only where it decoded the same value. Recent
 * readings are cached by text, so an edit re-reads only the section it changed.
 */
export function readSection(section: 'mapRoles' | 'mapUsers' | 'mapAccounts', text: string): SectionReading {
  const key = section + '\0' + text;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const reading = readUncached(section, text);
  cache.set(key, reading);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return reading;
}

function readUncached(section: 'mapRoles' | 'mapUsers' | 'mapAccounts', text: string): SectionReading {
  const lib = readSectionWithGo(section, text);
  const whole: Range = [0, text.length];
  if (lib.skipped) return { kind: 'skipped' };
  const positionOf = (line: number | undefined) => {
    // Our tree's position is exact where it fails on the line go-yaml names, or where go-yaml names none (decoding
    // errors: an invalid key, an unknown anchor); else the start of that line.
    let tree: number | undefined;
    try {
      if (section === 'mapAccounts') yamlToStringList(text);
      else yamlToJson(text);
    } catch (e) {
      if (e instanceof GoYamlError && e.position >= 0) tree = e.position;
    }
    if (!line) return tree ?? 0;
    const start = lineStart(text, line);
    const next = lineStart(text, line + 1);
    return tree !== undefined && tree >= start && (tree < next || next === start) ? tree : offsetOfLine(text, line);
  };
  if (section === 'mapAccounts') {
    const libValues = lib.accounts ?? [];
    const typeErrorLines = lib.error?.startsWith('yaml: unmarshal errors:') ? lib.error.split('\n').slice(1).map((l) => l.trim()) : undefined;
    if (lib.error && !typeErrorLines) return { kind: 'failed', message: shortMessage(lib.error), log: lib.error, position: positionOf(lib.errorLine) };
    let tree: StringList | undefined;
    try {
      tree = yamlToStringList(text);
    } catch {
      tree = undefined;
    }
    const placed = !!tree && tree.values.length === libValues.length && tree.values.every((v, i) => v.value === libValues[i]) && tree.typeErrors.length === (typeErrorLines?.length ?? 0);
    const lineRange = (l: string): Range => {
      const line = lineOfMessage(l);
      return line === undefined ? whole : [offsetOfLine(text, line), Math.max(offsetOfLine(text, line), offsetOfLine(text, line + 1) - 1)];
    };
    return {
      kind: 'accounts',
      placed,
      values: placed ? tree!.values : libValues.map((value) => ({ value, range: whole })),
      typeErrors: (typeErrorLines ?? []).map((l, i) => ({ message: l.replace(/^line \d+: /, ''), range: placed ? tree!.typeErrors[i].range : lineRange(l) })),
      ...(lib.error ? { log: lib.error } : {}),
    };
  }
  if (lib.error !== undefined) {
    return { kind: 'failed', message: shortMessage(lib.error), log: lib.error, position: positionOf(lib.errorLine) };
  }
  const json = lib.json ?? 'null';
  // Go receives the text as UTF-8, where a lone surrogate can only be U+FFFD.
  if (/^\p{White_Space}*\{/u.test(json) && json === text.replace(/\p{Cs}/gu, '\ufffd')) {
    // Passed on as it is: encoding/json refuses it as a list either way; a syntax error is the log line.
    const invalid = !/cannot unmarshal/.test(lib.unmarshalError ?? '');
    return { kind: 'json', log: lib.unmarshalError ?? '', invalid, position: text.indexOf('{') };
  }
  const parsed: unknown = JSON.parse(json);
  let value: GoValue | undefined;
  try {
    const tree = yamlToJson(text);
    if (tree.t !== 'json' && agrees(tree, parsed)) value = tree;
  } catch (e) {
    if (!(e instanceof GoYamlError)) throw e;
  }
  return { kind: 'value', value: value ?? fromJson(parsed, whole), placed: value !== undefined, ...(lib.unmarshalError ? { unmarshalError: lib.unmarshalError } : {}) };
}
