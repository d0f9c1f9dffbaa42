/**
 * Differential fuzz of how a section is read, against go-yaml v2 itself: the native Go oracle (goOracle.ts, built from
 * Debian's golang-gopkg-yaml.v2-dev and golang-k8s-sigs-yaml-dev) and the extension's reading (sectionReading.ts
 * `readSection`: the same libraries as WebAssembly, placed in the text by our own tree) must agree on every section:
 * accepted or refused, the JSON the authenticator unmarshals, the error and its line, and the mapAccounts strings.
 * The sections cover YAML 1.1 as go-yaml v2's scanner implements it (scannerc.go: tabs, the five line breaks, escapes,
 * flow context, directives, anchors, the 1,024-character simple key limit, comments, BOMs) and JSON as common
 * encoders write it (JSON.stringify, Python json.dumps, Go encoding/json and Terraform jsonencode with their HTML
 * escapes, PHP json_encode's \/), whole and mutated.
 */
import * as assert from 'assert';
import { mutate, seededRandom } from '../../../../scripts/fuzzMutations';
import { authenticate } from '../../../../src/core/auth/authenticator';
import { yamlToJson } from '../../../../src/core/auth/goYaml';
import type { GoSectionResult } from '../../../../src/core/auth/goYamlLibrary';
import { readSection, SectionReading } from '../../../../src/core/auth/sectionReading';
import { askGoOracle } from './goOracle';

type Section = 'mapRoles' | 'mapUsers' | 'mapAccounts';
/** The native oracle answers in the same shape as the WebAssembly build: both are go/awsauthyaml. */
type OracleSection = GoSectionResult;

const BREAKS = ['\n', '\n', '\n', '\r\n', '\r', '\u0085', '\u2028', '\u2029'];
const STRINGS = ['dev', 'system:masters', 'a<b>&c', 'é', '😀', '\u2028', '\u0085', '\t', 'say "hi"', 'back\\slash', 'a/b', '\u0000', '\u007f', 'system:node:{{EC2PrivateDNSName}}', '{{SessionName}}', ' lead', 'trail ', 'on', '012345678901', '1e3', '', '#x', '- x', 'x: y', '\ud800'];
const ESCAPES = ['\\0', '\\a', '\\b', '\\t', '\\\t', '\\n', '\\v', '\\f', '\\r', '\\e', '\\ ', '\\"', '\\/', '\\\\', '\\N', '\\_', '\\L', '\\P', '\\x41', '\\xe9', '\\u263A', '\\U0001F600', '\\ud83d', '\\ud83d\\ude00', '\\q', '\\x4', "\\'", '\\u00', '\\U00110000'];
const PLAIN = ['dev', 'on', 'yes', '~', '12345', '0x1F', '0o17', '1_000', '.inf', '.nan', '2001-12-14', '-', 'a:b', 'a #b', 'a#b', '!x', '%x', '@x', '`x', '{{SessionName}}', 'a,b', 'a]b', '?x', 'é', 'system:node:{{EC2PrivateDNSName}}', '<<'];
const ANCHORS = ['a', 'a.b', 'a:b', 'ä', 'a]', 'a}', 'a,b', '1', 'x-y_z', '😀'];
const TAGS = ['!!str', '!!int', '!!binary', '!custom', '!<tag:yaml.org,2002:str>', '!!map', '!!seq', '!e!x', '!!float', '!!bool', '!!null', '!!merge'];
const DIRECTIVES = ['%YAML 1.1\n---\n', '%YAML 1.2\n---\n', '%YAML 2.0\n---\n', '%YAML 1.1\n%YAML 1.1\n---\n', '%TAG !e! tag:example.com,2000:\n---\n', '%FOO bar\n---\n', '---\n', '--- ', '%YAML 1.1\n', '--- |\n', '...\n'];

function generator(random: () => number) {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const chance = (p: number) => random() < p;

  const doubleQuoted = () => '"' + Array.from({ length: 1 + Math.floor(random() * 3) }, () => (chance(0.6) ? pick(ESCAPES) : pick(STRINGS).replace(/[\\"]/g, ''))).join(chance(0.2) ? '\n  ' : '') + '"';
  const singleQuoted = () => "'" + pick(STRINGS).replace(/'/g, "''") + (chance(0.2) ? "'' x" : '') + "'";
  const scalar = (): string => {
    const r = random();
    let s: string;
    if (r < 0.35) s = pick(PLAIN);
    else if (r < 0.55) s = doubleQuoted();
    else if (r < 0.7) s = singleQuoted();
    else if (r < 0.8) s = `${pick(['|', '>', '|-', '|+', '>2', '|0', '|1-', '>+'])}${chance(0.2) ? ' # c' : ''}\n    ${pick(STRINGS)}\n    ${pick(PLAIN)}`;
    else if (r < 0.9) s = flow(0);
    else s = `*${pick(ANCHORS)}`;
    if (chance(0.1)) s = `${pick(TAGS)} ${s}`;
    if (chance(0.1)) s = `&${pick(ANCHORS)} ${s}`;
    return s;
  };
  const flow = (depth: number): string => {
    const item = () => (depth < 2 && chance(0.3) ? flow(depth + 1) : chance(0.5) ? pick(PLAIN) : chance(0.5) ? doubleQuoted() : singleQuoted());
    const sep = () => pick([', ', ',', ' ,', ',\n', ',\t', ', \n  ']);
    const n = Math.floor(random() * 3);
    if (chance(0.5)) return '[' + Array.from({ length: n }, () => (chance(0.15) ? `${item()}: ${item()}` : item())).join(sep()) + (chance(0.1) ? ',' : '') + ']';
    return '{' + Array.from({ length: n }, () => (chance(0.1) ? item() : `${chance(0.2) ? '"k"' : pick(['a', 'b', 'username', 'groups', '? k'])}${pick([': ', ':', ' : '])}${item()}`)).join(sep()) + '}';
  };
  const key = () => {
    const r = random();
    if (r < 0.05) return 'k'.repeat(1020 + Math.floor(random() * 10));
    if (r < 0.1) return `? ${pick(PLAIN)}\n  `;
    if (r < 0.15) return '<<';
    return pick(['rolearn', 'username', 'groups', 'RoleArn', 'userarn', 'sso', 'x', '"username"', "'groups'", 'user name']);
  };
  const indentUnit = () => (chance(0.05) ? '\t' : chance(0.05) ? '   ' : '  ');
  const item = () => {
    const unit = indentUnit();
    const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const k = key();
      const v = k === 'groups' && chance(0.6) ? `\n${unit}${chance(0.1) ? '\t' : ''}- ${scalar()}\n${unit}- ${scalar()}` : scalar();
      return `${k}:${chance(0.05) ? '\t' : ' '}${v}${chance(0.15) ? pick([' # c', '#c', '\t# c']) : ''}`;
    });
    return `-${chance(0.05) ? '\t' : ' '}${chance(0.05) ? `&${pick(ANCHORS)} ` : ''}${lines.join(`\n${unit}`)}`;
  };
  const yamlSection = () => {
    let text = Array.from({ length: 1 + Math.floor(random() * 3) }, item).join('\n') + (chance(0.5) ? '\n' : '');
    if (chance(0.1)) text = flow(0);
    if (chance(0.15)) text = pick(DIRECTIVES) + text;
    if (chance(0.05)) text += `\n---\n${item()}`;
    if (chance(0.1)) text = (chance(0.5) ? '# comment\n' : '\n\n') + text;
    if (chance(0.08)) text = '\ufeff' + text;
    if (chance(0.03)) text = text.replace(/\n/, '\n\ufeff');
    if (chance(0.3)) {
      const br = pick(BREAKS);
      text = text.replace(/\n/g, () => (chance(0.5) ? br : '\n'));
    }
    return text;
  };

  // JSON as encoders write it.
  const hex = (c: number) => '\\u' + c.toString(16).padStart(4, '0');
  const jsonString = (s: string, escape: (c: string, code: number) => string | undefined) => {
    let out = '"';
    for (const ch of s) {
      const code = ch.codePointAt(0)!;
      const short: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
      const custom = escape(ch, code);
      if (custom !== undefined) out += custom;
      else if (short[ch]) out += short[ch];
      else if (code < 0x20) out += hex(code);
      else out += ch;
    }
    return out + '"';
  };
  type Encoder = { name: string; str: (s: string) => string; sep: [string, string]; indent?: string; sortKeys?: boolean };
  const ENCODERS: Encoder[] = [
    // JSON.stringify: \b and \f short, lone surrogates as \udxxx (well-formed stringify).
    { name: 'JSON.stringify', str: (s) => JSON.stringify(s), sep: [',', ':'] },
    { name: 'JSON.stringify indented', str: (s) => JSON.stringify(s), sep: [',', ': '], indent: chance(0.5) ? '  ' : '\t' },
    // Python json.dumps(ensure_ascii=True): every non-ASCII as \uXXXX, astral as surrogate pairs; ", " and ": ".
    { name: 'python json.dumps', str: (s) => jsonString(s, (c, code) => (code > 0x7e ? [...c].map(() => '').join('') + Array.from(c, (u) => hex(u.charCodeAt(0))).join('') : c === '\b' ? '\\b' : c === '\f' ? '\\f' : undefined)), sep: [', ', ': '] },
    // Go encoding/json (and Terraform jsonencode, which uses it): <, >, & and U+2028/2029 escaped, keys sorted.
    { name: 'go encoding/json', str: (s) => jsonString(s, (c, code) => ('<>&'.includes(c) || code === 0x2028 || code === 0x2029 ? hex(code) : undefined)), sep: [',', ':'], sortKeys: true },
    { name: 'terraform jsonencode', str: (s) => jsonString(s, (c, code) => ('<>&'.includes(c) || code === 0x2028 || code === 0x2029 ? hex(code) : undefined)), sep: [',', ':'], sortKeys: true },
    // PHP json_encode: "/" as "\/", non-ASCII as \uXXXX.
    { name: 'php json_encode', str: (s) => jsonString(s, (c, code) => (c === '/' ? '\\/' : code > 0x7e ? Array.from(c, (u) => hex(u.charCodeAt(0))).join('') : undefined)), sep: [',', ':'] },
  ];
  const encode = (v: unknown, e: Encoder, depth = 0): string => {
    const nl = e.indent ? '\n' + e.indent.repeat(depth + 1) : '';
    const close = e.indent ? '\n' + e.indent.repeat(depth) : '';
    if (typeof v === 'string') return e.str(v);
    if (Array.isArray(v)) return v.length ? '[' + v.map((x) => nl + encode(x, e, depth + 1)).join(e.sep[0]) + close + ']' : '[]';
    if (v && typeof v === 'object') {
      const entries = Object.entries(v);
      if (e.sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : 1));
      return '{' + entries.map(([k, x]) => nl + e.str(k) + e.sep[1] + encode(x, e, depth + 1)).join(e.sep[0]) + close + '}';
    }
    return String(v);
  };
  const jsonSection = () => {
    const entries = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
      rolearn: `arn:aws:iam::111122223333:role/${pick(STRINGS)}`,
      username: pick(STRINGS),
      groups: Array.from({ length: Math.floor(random() * 3) }, () => pick(STRINGS)),
    }));
    const e = pick(ENCODERS);
    const value = chance(0.85) ? entries : entries[0];
    return pick(['', '', ' ', '\n', '\u00a0', '\u0085', '\ufeff', '\t', '\u2028']) + encode(value, e) + pick(['', '\n', ' ']);
  };
  const accountsSection = () => {
    const item = () => pick([`"111122223333"`, '111122223333', '012345678901', `'444455556666'`, '{a: b}', '[1]', '~', '0x1F', '1e3', '!!int 12', '*a', '&a 1']);
    return chance(0.15) ? pick([`"111122223333"`, '{a: b}', '', '- a\n - b', `[${item()}, ${item()}]`]) : Array.from({ length: 1 + Math.floor(random() * 3) }, () => `- ${item()}`).join(pick(BREAKS)) + '\n';
  };
  return { yamlSection, jsonSection, accountsSection, chance, pick };
}

/** The 1-based line of an offset as go-yaml counts lines (CRLF once; CR, LF, NEL, LS, PS). */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === '\r' && text[i + 1] === '\n') continue;
    if (c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029') line++;
  }
  return line;
}

/** The reading as JSON values, to compare with the oracle's JSON. */
function plain(reading: SectionReading & { kind: 'value' }): unknown {
  const walk = (v: (SectionReading & { kind: 'value' })['value']): unknown => {
    switch (v.t) {
      case 'str':
      case 'bool':
        return v.v;
      case 'int':
        return Number(v.v);
      case 'float':
        return v.v;
      case 'null':
        return null;
      case 'seq':
        return v.items.map(walk);
      case 'map':
        return Object.fromEntries(v.entries.map((e) => [e.key, walk(e.value)]));
    }
  };
  return walk(reading.value);
}

/**
 * The line the extension must point at: go-yaml's, except that its scanner puts the end of a stream that lacks a final
 * line break on a line of its own (scannerc.go `yaml_parser_fetch_stream_end`), which the text does not have.
 */
function expectedLine(text: string, errorLine: number): number {
  return Math.min(errorLine, lineAt(text, text.length));
}

function disagreement(section: Section, text: string, o: OracleSection, r: SectionReading): string | undefined {
  if (o.skipped || r.kind === 'skipped') return o.skipped && r.kind === 'skipped' ? undefined : 'skipped';
  if (section === 'mapAccounts') {
    const syntax = o.error !== undefined && !o.error.startsWith('yaml: unmarshal errors:');
    if (syntax !== (r.kind === 'failed')) return `accept/refuse: oracle ${o.error ?? 'accepts'}, extension ${r.kind}`;
    if (r.kind === 'failed') return r.log !== o.error ? `error ${r.log} vs ${o.error}` : o.errorLine && lineAt(text, r.position) !== expectedLine(text, o.errorLine) ? `error line ${lineAt(text, r.position)} vs ${o.errorLine}` : undefined;
    if (r.kind !== 'accounts') return `kind ${r.kind}`;
    if (JSON.stringify(r.values.map((v) => v.value)) !== JSON.stringify(o.accounts ?? [])) return `accounts ${JSON.stringify(r.values.map((v) => v.value))} vs ${JSON.stringify(o.accounts)}`;
    if ((r.log ?? '') !== (o.error ?? '')) return `type errors ${r.log} vs ${o.error}`;
    return undefined;
  }
  if ((o.error !== undefined) !== (r.kind === 'failed')) return `accept/refuse: oracle ${o.error ?? 'accepts'}, extension ${r.kind}`;
  if (r.kind === 'failed') {
    if (r.log !== o.error) return `error ${r.log} vs ${o.error}`;
    if (o.errorLine && lineAt(text, r.position) !== expectedLine(text, o.errorLine)) return `error line ${lineAt(text, r.position)} vs ${o.errorLine}`;
    return undefined;
  }
  // Go reads the text as UTF-8, where a lone surrogate is U+FFFD.
  if (r.kind === 'json') return o.json === text.replace(/\p{Cs}/gu, '\ufffd') && (o.unmarshalError ?? '') === r.log ? undefined : `json passthrough: ${r.log} vs ${o.unmarshalError}`;
  if (r.kind !== 'value') return `kind ${r.kind}`;
  if (JSON.stringify(plain(r)) !== JSON.stringify(JSON.parse(o.json!), (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v))) {
    // Key order is JSON's (sorted by json.Marshal); compare as sorted objects on both sides.
    const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sorted(x)])) : v);
    if (JSON.stringify(sorted(plain(r))) !== JSON.stringify(sorted(JSON.parse(o.json!)))) return `json ${JSON.stringify(plain(r))} vs ${o.json}`;
  }
  if ((r.unmarshalError ?? '') !== (o.unmarshalError ?? '')) return `encoding/json error ${r.unmarshalError} vs ${o.unmarshalError}`;
  return undefined;
}

describe('aws-auth sections: differential fuzz against go-yaml v2 (the Go oracle)', function () {
  this.timeout(180000);

  it('agrees with go-yaml on 20,000 generated and mutated sections: accept/refuse, JSON, error and its line', () => {
    const random = seededRandom(20261202);
    const g = generator(random);
    const cases: { section: Section; text: string }[] = [];
    const seeds: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const kind = i % 10;
      let section: Section = i % 7 === 0 ? 'mapUsers' : 'mapRoles';
      let text: string;
      if (kind < 4) text = g.yamlSection();
      else if (kind < 6) text = g.jsonSection();
      else if (kind === 6) {
        section = 'mapAccounts';
        text = g.accountsSection();
      } else text = mutate(seeds.length ? g.pick(seeds) : g.yamlSection(), random);
      if (kind < 6 && seeds.length < 500) seeds.push(text);
      cases.push({ section, text });
    }
    const oracle = askGoOracle<{ section: OracleSection }>(cases.map((c) => ({ op: 'section', section: c.section, text: c.text })));
    const failures: string[] = [];
    let refused = 0;
    let placed = 0;
    for (let i = 0; i < cases.length; i++) {
      const { section, text } = cases[i];
      const r = readSection(section, text);
      if (r.kind === 'failed') refused++;
      if ((r.kind === 'value' || r.kind === 'accounts') && r.placed) placed++;
      const d = disagreement(section, text, oracle[i].section, r);
      if (d) failures.push(`#${i} ${section} ${d}\n${JSON.stringify(text).slice(0, 400)}`);
    }
    console.log(`      go-yaml differential: ${cases.length} sections, ${refused} refused by go-yaml, ${failures.length} disagreements; our tree placed ${placed} of the accepted`);
    assert.ok(refused > 2000 && refused < 18000, `the corpus exercises both outcomes (${refused} refused)`);
    assert.deepStrictEqual(failures.slice(0, 5), []);
  });
});

/**
 * Texts of the kinds where our own YAML tree (js-yaml, YAML 1.2) and go-yaml v2 disagree, found by the fuzz above.
 * Each claim is what go-yaml itself does (the oracle checks it here, so the expectation is the library's, not ours);
 * the extension must follow it, and explain must say Unauthorized exactly when the section is refused.
 */
const R = 'arn:aws:iam::111122223333:role/Admin';
const KINDS: { kind: string; text: string; goYaml: 'accepts' | 'refuses'; source: string }[] = [
  { kind: 'a tab after a block entry "-"', text: `- rolearn: ${R}\n  username: admin\n  groups:\n  -\tsystem:masters\n`, goYaml: 'refuses', source: 'scannerc.go yaml_parser_fetch_next_token: "found character that cannot start any token"' },
  { kind: 'a tab inside a flow sequence', text: `- rolearn: ${R}\n  username: admin\n  groups: [\tsystem:masters]\n`, goYaml: 'accepts', source: 'scannerc.go yaml_parser_scan_to_next_token (tabs skipped in flow context)' },
  { kind: 'a blank line holding a tab after the list', text: `- rolearn: ${R}\n  username: admin\n  groups:\n    - system:masters\n\t\n`, goYaml: 'refuses', source: 'scannerc.go: "found a tab character that violates indentation"' },
  { kind: 'JSON with \\/ (PHP json_encode)', text: `[{"rolearn":"${R.replace(/\//g, '\\/')}","username":"admin","groups":["system:masters"]}]`, goYaml: 'refuses', source: 'scannerc.go yaml_parser_scan_flow_scalar: no "/" escape in v2' },
  { kind: 'JSON with a surrogate pair (Python json.dumps ensure_ascii)', text: `[{"rolearn":"${R}","username":"\\ud83d\\ude00","groups":["system:masters"]}]`, goYaml: 'refuses', source: 'scannerc.go: "found invalid Unicode character escape code"' },
  { kind: 'an anchor name with ":"', text: `- &a: {rolearn: ${R}, username: admin, groups: [system:masters]}\n`, goYaml: 'refuses', source: 'scannerc.go yaml_parser_scan_anchor (the name takes ":"), sigs.k8s.io/yaml null key' },
  { kind: '%YAML 1.2', text: `%YAML 1.2\n---\n- rolearn: ${R}\n  username: admin\n  groups: [system:masters]\n`, goYaml: 'refuses', source: 'parserc.go: "found incompatible YAML document"' },
  { kind: 'a key over 1,024 characters', text: `- rolearn: ${R}\n  username: admin\n  groups: [system:masters]\n  ${'k'.repeat(1100)}: x\n`, goYaml: 'refuses', source: 'scannerc.go yaml_parser_stale_simple_keys (1024)' },
  { kind: 'a comment right after a quoted scalar', text: `- rolearn: "${R}"# note\n  username: admin\n  groups: [system:masters]\n`, goYaml: 'accepts', source: 'scannerc.go yaml_parser_scan_to_next_token' },
  { kind: 'NEL line breaks', text: `- rolearn: ${R}\u0085  username: admin\u0085  groups: [system:masters]\u0085`, goYaml: 'accepts', source: 'yamlprivateh.go is_break' },
  { kind: 'LS line breaks', text: `- rolearn: ${R}\u2028  username: admin\u2028  groups: [system:masters]\u2028`, goYaml: 'accepts', source: 'yamlprivateh.go is_break' },
  { kind: 'flow mapping lines at column 0', text: `- {rolearn: ${R},\nusername: admin,\ngroups: [system:masters]}\n`, goYaml: 'accepts', source: 'scannerc.go (no indentation in flow context)' },
];

describe('aws-auth sections: the kinds where our YAML tree and go-yaml disagree', () => {
  it('follow go-yaml: a refused section leaves its admin Unauthorized, an accepted one authenticates', () => {
    const oracle = askGoOracle<{ section: OracleSection }>(KINDS.map((k) => ({ op: 'section', section: 'mapRoles', text: k.text })));
    let treeDisagrees = 0;
    KINDS.forEach((k, i) => {
      const refused = oracle[i].section.error !== undefined;
      assert.strictEqual(refused ? 'refuses' : 'accepts', k.goYaml, `${k.kind}: go-yaml (${k.source})`);
      assert.strictEqual(readSection('mapRoles', k.text).kind === 'failed', refused, k.kind);
      const who = authenticate('arn:aws:sts::111122223333:assumed-role/Admin/jane', { mode: 'CONFIG_MAP', awsAuth: { mapRoles: k.text } });
      assert.strictEqual(who.authenticated, !refused, `${k.kind}: explain`);
      let tree: boolean;
      try {
        tree = yamlToJson(k.text).t === 'seq';
      } catch {
        tree = false;
      }
      if (tree === refused) treeDisagrees++;
    });
    // Why the tree only places values: on each of these it reads the text the other way.
    assert.strictEqual(treeDisagrees, KINDS.length);
  });
});
