/**
 * Parses the part of the CloudWatch Logs Insights language that the extension sends into stages, kept in the order
 * the commands are written: `fields`, `display`, `filter` (insightsFilter.ts), `parse` (a glob with `*` and `as`, or
 * a regex with named groups), `stats` (count, count_distinct, min, max, sum, avg, with `as` and `by` fields and
 * `bin(period)`), `dedup`, `sort`, `limit`, comments. Anything else is rejected as the service rejects a bad query,
 * so a query the extension cannot run here fails loudly instead of returning wrong rows. insightsEngine.ts runs them.
 */
import { parseFilter } from './insightsFilter';
import { malformed, type Aggregate, type GroupKey, type Query, type Stage } from './insightsQuery';

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
        query.stages.push({ kind: 'filter', expr: parseFilter(rest) });
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
