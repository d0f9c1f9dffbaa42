/**
 * The part of the CloudWatch Logs Insights language that the extension sends, run as a pipeline in the order the
 * commands are written: `fields`, `display`, `filter` (like, =, !=, and, or, not, parentheses), `parse` (a glob
 * with `*` and `as`, or a regex with named groups), `stats` (count, count_distinct, min, max, sum, avg, with `as`
 * and `by` fields and `bin(period)`), `dedup`, `sort`, `limit`, comments. Anything else is rejected as the service
 * rejects a bad query, so a query the extension cannot run here fails loudly instead of returning wrong rows.
 */
import { ServiceError } from './http';
import type { LogEvent } from './state';

export type Row = Record<string, string>;

/** Rows are keyed by field names from the query (`parse ... as constructor`), so they have no prototype to collide with. */
const newRow = (fields: Row = {}): Row => Object.assign(Object.create(null) as Row, fields);

type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; inner: Expr }
  | { kind: 'like'; field: string; pattern: RegExp }
  | { kind: 'eq' | 'ne'; field: string; value: string };

type Aggregate = { fn: 'count' | 'count_distinct' | 'min' | 'max' | 'sum' | 'avg'; field?: string; name: string };
type GroupKey = { field: string; binMs?: number; name: string };

type Stage =
  | { kind: 'fields' | 'display'; fields: string[] }
  | { kind: 'filter'; expr: Expr }
  | { kind: 'parse'; field: string; regex: RegExp; names: string[] }
  | { kind: 'stats'; aggregates: Aggregate[]; by: GroupKey[] }
  | { kind: 'dedup'; fields: string[] }
  | { kind: 'sort'; field: string; desc: boolean }
  | { kind: 'limit'; n: number };

export interface Query {
  stages: Stage[];
}

export function formatInsightsTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

const PERIOD_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const list = (text: string) => text.split(',').map((f) => f.trim()).filter(Boolean);

function parseGlobOrRegex(rest: string): Stage {
  const m = /^(@?[\w.]+)\s+([\s\S]+)$/.exec(rest.trim());
  if (!m) throw malformed(`parse ${rest}`);
  const [, field, spec] = m;
  const regex = /^\/((?:[^/\\]|\\.)*)\/([a-z]*)\s*$/.exec(spec);
  if (regex) {
    let re: RegExp;
    try {
      re = new RegExp(regex[1], regex[2].replace(/[^ims]/g, ''));
    } catch {
      throw malformed(spec);
    }
    const names = [...regex[1].matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((g) => g[1]);
    if (!names.length) throw malformed(spec);
    return { kind: 'parse', field, regex: re, names };
  }
  const glob = /^(["'])((?:(?!\1)[^\\]|\\.)*)\1\s+as\s+([\s\S]+)$/.exec(spec);
  if (!glob) throw malformed(spec);
  const names = list(glob[3]);
  const parts = glob[2].split('*');
  if (parts.length - 1 !== names.length) throw malformed(spec);
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const body = parts.map(escape).map((p, i) => (i < parts.length - 1 ? `${p}(${i === parts.length - 2 && !parts[parts.length - 1] ? '.*' : '.*?'})` : p)).join('');
  return { kind: 'parse', field, regex: new RegExp(body), names };
}

function parseStats(rest: string): Stage {
  // A match only starts where a run of spaces starts: `(?<!\s)` says so, and keeps a long run of spaces from being
  // rescanned from each of its positions (quadratic); the pieces are the same.
  const [aggText, byText] = rest.split(/(?<!\s)\s+by\s+/i);
  const aggregates: Aggregate[] = [];
  for (const a of splitTopLevel(aggText)) {
    // `\(\s*(arg\s*)?\)`, not `\(\s*(arg)?\s*\)`: the same calls, without two runs of spaces competing for one gap.
    const m = /^(count_distinct|count|min|max|sum|avg)\(\s*(?:(\*|@?[\w.]+)\s*)?\)(?:\s+as\s+(@?[\w.]+))?$/i.exec(a.trim());
    if (!m) throw malformed(`stats ${a}`);
    const fn = m[1].toLowerCase() as Aggregate['fn'];
    if (fn !== 'count' && (!m[2] || m[2] === '*')) throw malformed(`stats ${a}`);
    aggregates.push({ fn, field: m[2] === '*' ? undefined : m[2], name: m[3] ?? a.trim().replace(/\s+/g, '') });
  }
  const by: GroupKey[] = [];
  for (const k of byText ? splitTopLevel(byText) : []) {
    const bin = /^bin\(\s*(?:(@?[\w.]+)\s*,\s*)?(\d+)\s*(ms|s|m|h|d|w)\s*\)(?:\s+as\s+(@?[\w.]+))?$/i.exec(k.trim());
    if (bin) {
      by.push({ field: bin[1] ?? '@timestamp', binMs: Number(bin[2]) * PERIOD_MS[bin[3].toLowerCase()], name: bin[4] ?? k.trim().replace(/\s+/g, '') });
      continue;
    }
    const f = /^(@?[\w.]+)(?:\s+as\s+(@?[\w.]+))?$/.exec(k.trim());
    if (!f) throw malformed(`by ${k}`);
    by.push({ field: f[1], name: f[2] ?? f[1] });
  }
  if (!aggregates.length) throw malformed(`stats ${rest}`);
  return { kind: 'stats', aggregates, by };
}

/** Splits on commas outside parentheses: `count(*), min(@timestamp) by bin(5m), arn`. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current);
  return out;
}

export function parseQuery(text: string): Query {
  const commands = splitPipes(stripComments(text));
  const query: Query = { stages: [] };
  for (const raw of commands) {
    const command = raw.trim();
    if (!command) continue;
    const [, verb, rest] = /^(\w+)\s*([\s\S]*)$/.exec(command) ?? [];
    switch (verb) {
      case 'fields':
      case 'display':
        query.stages.push({ kind: verb, fields: list(rest) });
        break;
      case 'filter':
        query.stages.push({ kind: 'filter', expr: new ExprParser(rest).parseAll() });
        break;
      case 'parse':
        query.stages.push(parseGlobOrRegex(rest));
        break;
      case 'stats':
        query.stages.push(parseStats(rest));
        break;
      case 'dedup':
        query.stages.push({ kind: 'dedup', fields: list(rest) });
        break;
      case 'sort': {
        const m = /^(@?[\w.()*]+)(?:\s+(asc|desc))?$/i.exec(rest.trim());
        if (!m) throw malformed(`sort ${rest}`);
        query.stages.push({ kind: 'sort', field: m[1], desc: (m[2] ?? 'desc').toLowerCase() === 'desc' });
        break;
      }
      case 'limit': {
        const n = Number(rest.trim());
        if (!Number.isInteger(n) || n < 1 || n > 10000) throw malformed(`limit ${rest}`);
        query.stages.push({ kind: 'limit', n });
        break;
      }
      default:
        throw malformed(command);
    }
  }
  return query;
}

function malformed(near: string): ServiceError {
  return new ServiceError('MalformedQueryException', `unexpected symbol found near: ${near.slice(0, 60)}`);
}

const isSpace = (c: string) => /\s/.test(c);
const isLineBreak = (c: string) => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

/**
 * Removes comment lines: what `text.replace(/^\s*#.*$/gm, '')` gives (a line whose first non-space is `#`, from the
 * earliest line start in the spaces before it to the end of that line), in one pass. The regex restarted its `\s*`
 * at every line start of a run of blank lines and took quadratic time on a query of many blank lines.
 */
function stripComments(text: string): string {
  let out = '';
  let kept = 0;
  let lineStart = 0;
  while (lineStart < text.length) {
    let first = lineStart;
    while (first < text.length && isSpace(text[first])) first++;
    if (first === text.length) break;
    let end = first;
    while (end < text.length && !isLineBreak(text[end])) end++;
    if (text[first] === '#') {
      out += text.slice(kept, lineStart);
      kept = end;
    }
    // Every line start between lineStart and `first` has the same first non-space, so the next one to try is the
    // one after this line.
    lineStart = end + 1;
  }
  return out + text.slice(kept);
}

/**
 * Whether a `/` at `end` opens a regex literal: the command so far (from `start`) ends with `like`, `=` or
 * `parse FIELD`, then spaces, which is what `/(like|=|parse\s+@?[\w.]+)\s*$/` asked of it. Read backwards from the
 * slash, so each slash costs the text since the previous one, not the whole command again.
 */
function opensRegex(text: string, start: number, end: number): boolean {
  let j = end;
  while (j > start && isSpace(text[j - 1])) j--;
  if (j > start && text[j - 1] === '=') return true;
  if (j - start >= 4 && text.startsWith('like', j - 4)) return true;
  let i = j;
  while (i > start && /[\w.]/.test(text[i - 1])) i--;
  if (i === j) return false;
  if (i > start && text[i - 1] === '@') i--;
  const field = i;
  while (i > start && isSpace(text[i - 1])) i--;
  return i < field && i - start >= 5 && text.startsWith('parse', i - 5);
}

/** Splits on pipes that are not inside strings or regex literals. Parts are slices of the text, never rebuilt. */
function splitPipes(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'" || (ch === '/' && opensRegex(text, start, i))) {
      quote = ch;
    } else if (ch === '|') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

class ExprParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseAll(): Expr {
    const expr = this.parseOr();
    this.skip();
    if (this.pos < this.text.length) throw malformed(this.text.slice(this.pos));
    return expr;
  }

  private skip() {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  private keyword(word: string): boolean {
    this.skip();
    const re = new RegExp(`^${word}\\b`, 'i');
    if (re.test(this.text.slice(this.pos))) {
      this.pos += word.length;
      return true;
    }
    return false;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.keyword('or')) left = { kind: 'or', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseUnary();
    while (this.keyword('and')) left = { kind: 'and', left, right: this.parseUnary() };
    return left;
  }

  private parseUnary(): Expr {
    if (this.keyword('not')) return { kind: 'not', inner: this.parseUnary() };
    this.skip();
    if (this.text[this.pos] === '(') {
      this.pos++;
      const inner = this.parseOr();
      this.skip();
      if (this.text[this.pos] !== ')') throw malformed(this.text.slice(this.pos));
      this.pos++;
      return inner;
    }
    const field = /^@?[\w.]+/.exec(this.text.slice(this.pos))?.[0];
    if (!field) throw malformed(this.text.slice(this.pos));
    this.pos += field.length;
    if (this.keyword('not like')) return { kind: 'not', inner: { kind: 'like', field, pattern: this.readPattern() } };
    if (this.keyword('like')) return { kind: 'like', field, pattern: this.readPattern() };
    this.skip();
    const op = /^(!=|=)/.exec(this.text.slice(this.pos))?.[0];
    if (!op) throw malformed(this.text.slice(this.pos));
    this.pos += op.length;
    return { kind: op === '=' ? 'eq' : 'ne', field, value: this.readLiteral() };
  }

  private readPattern(): RegExp {
    this.skip();
    const rest = this.text.slice(this.pos);
    const regex = /^\/((?:[^/\\]|\\.)*)\/([a-z]*)/.exec(rest);
    if (regex) {
      this.pos += regex[0].length;
      try {
        return new RegExp(regex[1], regex[2].replace(/[^ims]/g, ''));
      } catch {
        throw malformed(regex[0]);
      }
    }
    const literal = this.readLiteral();
    return new RegExp(literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }

  private readLiteral(): string {
    this.skip();
    const rest = this.text.slice(this.pos);
    const quoted = /^(["'])((?:(?!\1)[^\\]|\\.)*)\1/.exec(rest);
    if (quoted) {
      this.pos += quoted[0].length;
      return quoted[2].replace(/\\(.)/g, '$1');
    }
    const bare = /^[^\s()]+/.exec(rest);
    if (!bare) throw malformed(rest);
    this.pos += bare[0].length;
    return bare[0];
  }
}

function evaluate(expr: Expr, row: Row): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluate(expr.left, row) && evaluate(expr.right, row);
    case 'or':
      return evaluate(expr.left, row) || evaluate(expr.right, row);
    case 'not':
      return !evaluate(expr.inner, row);
    case 'like':
      return row[expr.field] !== undefined && expr.pattern.test(row[expr.field]);
    case 'eq':
      return row[expr.field] === expr.value;
    case 'ne':
      return row[expr.field] !== expr.value;
  }
}

export interface QueryOutput {
  rows: Row[];
  recordsScanned: number;
  recordsMatched: number;
  bytesScanned: number;
}

const compare = (x: string, y: string, desc: boolean) => {
  const nx = Number(x);
  const ny = Number(y);
  const c = x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
  return desc ? -c : c;
};

function aggregate(a: Aggregate, rows: Row[]): string {
  const values = a.field ? rows.map((r) => r[a.field!]).filter((v): v is string => v !== undefined && v !== '') : [];
  switch (a.fn) {
    case 'count':
      return String(a.field ? values.length : rows.length);
    case 'count_distinct':
      return String(new Set(values).size);
    case 'min':
      return values.reduce((m, v) => (m === '' || compare(v, m, false) < 0 ? v : m), '');
    case 'max':
      return values.reduce((m, v) => (m === '' || compare(v, m, false) > 0 ? v : m), '');
    case 'sum':
      return String(values.reduce((t, v) => t + (Number(v) || 0), 0));
    case 'avg':
      return values.length ? String(values.reduce((t, v) => t + (Number(v) || 0), 0) / values.length) : '';
  }
}

function groupValue(k: GroupKey, row: Row): string {
  const v = row[k.field] ?? '';
  if (!k.binMs) return v;
  const ms = Date.parse(v.replace(' ', 'T') + 'Z');
  return Number.isNaN(ms) ? '' : formatInsightsTimestamp(Math.floor(ms / k.binMs) * k.binMs);
}

/** Runs a parsed query over events that already lie in the query's time range, stage by stage. */
export function runQuery(query: Query, events: { group: string; accountId: string; event: LogEvent; ptr: string }[], limit?: number): QueryOutput {
  let bytesScanned = 0;
  let rows: Row[] = [];
  for (const { group, accountId, event, ptr } of events) {
    bytesScanned += Buffer.byteLength(event.message);
    rows.push(newRow({
      '@timestamp': formatInsightsTimestamp(event.timestamp),
      '@message': event.message,
      '@logStream': event.logStreamName,
      '@log': `${accountId}:${group}`,
      '@ingestionTime': formatInsightsTimestamp(event.ingestionTime),
      '@ptr': ptr,
    }));
  }
  let display: string[] | undefined;
  let aggregated = false;
  let sorted = false;
  let recordsMatched: number | undefined;
  let limited: number | undefined;
  for (const stage of query.stages) {
    switch (stage.kind) {
      case 'fields':
        display = [...(display ?? []), ...stage.fields];
        break;
      case 'display':
        display = stage.fields;
        break;
      case 'filter':
        rows = rows.filter((r) => evaluate(stage.expr, r));
        break;
      case 'parse':
        for (const r of rows) {
          const m = stage.regex.exec(r[stage.field] ?? '');
          if (!m) continue;
          stage.names.forEach((n, i) => {
            const v = m.groups?.[n] ?? m[i + 1];
            if (v !== undefined) r[n] = v;
          });
        }
        break;
      case 'stats': {
        recordsMatched ??= rows.length;
        const groups = new Map<string, Row[]>();
        for (const r of rows) {
          const key = JSON.stringify(stage.by.map((k) => groupValue(k, r)));
          const g = groups.get(key);
          if (g) g.push(r);
          else groups.set(key, [r]);
        }
        rows = [...groups.entries()].map(([key, members]) => {
          const out = newRow();
          (JSON.parse(key) as string[]).forEach((v, i) => (out[stage.by[i].name] = v));
          for (const a of stage.aggregates) out[a.name] = aggregate(a, members);
          return out;
        });
        const bin = stage.by.find((k) => k.binMs);
        if (bin) rows.sort((a, b) => compare(a[bin.name], b[bin.name], false));
        display = [...stage.by.map((k) => k.name), ...stage.aggregates.map((a) => a.name)];
        aggregated = true;
        break;
      }
      case 'dedup': {
        const seen = new Set<string>();
        rows = rows.filter((r) => {
          const key = JSON.stringify(stage.fields.map((f) => r[f] ?? null));
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        break;
      }
      case 'sort':
        rows.sort((a, b) => compare(a[stage.field] ?? '', b[stage.field] ?? '', stage.desc));
        sorted = true;
        break;
      case 'limit':
        limited = stage.n;
        rows = rows.slice(0, stage.n);
        break;
    }
  }
  recordsMatched ??= rows.length;
  // Without a sort, events come newest first, as the service returns them.
  if (!sorted && !aggregated) rows.sort((a, b) => compare(a['@timestamp'], b['@timestamp'], true));
  // Without a StartQuery limit the service returns up to 10,000 rows; with one, up to that limit (at most 100,000).
  const max = Math.min(limited ?? Infinity, limit ?? 10000);
  const fields = display ?? ['@timestamp', '@message'];
  const out = rows.slice(0, max).map((row) => {
    const o = newRow();
    for (const f of fields) if (row[f] !== undefined) o[f] = row[f];
    if (!aggregated) o['@ptr'] = row['@ptr'];
    return o;
  });
  return { rows: out, recordsScanned: events.length, recordsMatched, bytesScanned };
}
