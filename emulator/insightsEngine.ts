/**
 * The part of the CloudWatch Logs Insights language that the extension sends: `fields`, `filter` (like, =, !=,
 * and, or, not, parentheses), `sort`, `limit`, comments. Anything else is rejected as the service rejects a bad
 * query, so a query the extension cannot run here fails loudly instead of returning plausible wrong rows.
 */
import { ServiceError } from './http';
import type { LogEvent } from './state';

export type Row = Record<string, string>;

type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; inner: Expr }
  | { kind: 'like'; field: string; pattern: RegExp }
  | { kind: 'eq' | 'ne'; field: string; value: string };

interface Query {
  fields?: string[];
  filters: Expr[];
  sort?: { field: string; desc: boolean };
  limit?: number;
}

export function formatInsightsTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export function parseQuery(text: string): Query {
  const commands = splitPipes(text.replace(/^\s*#.*$/gm, ''));
  const query: Query = { filters: [] };
  for (const raw of commands) {
    const command = raw.trim();
    if (!command) continue;
    const [, verb, rest] = /^(\w+)\s*([\s\S]*)$/.exec(command) ?? [];
    switch (verb) {
      case 'fields':
        query.fields = [...(query.fields ?? []), ...rest.split(',').map((f) => f.trim()).filter(Boolean)];
        break;
      case 'filter':
        query.filters.push(new ExprParser(rest).parseAll());
        break;
      case 'sort': {
        const m = /^(@?[\w.]+)(?:\s+(asc|desc))?$/i.exec(rest.trim());
        if (!m) throw malformed(`sort ${rest}`);
        query.sort = { field: m[1], desc: (m[2] ?? 'desc').toLowerCase() === 'desc' };
        break;
      }
      case 'limit': {
        const n = Number(rest.trim());
        if (!Number.isInteger(n) || n < 1 || n > 10000) throw malformed(`limit ${rest}`);
        query.limit = n;
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

/** Splits on pipes that are not inside strings or regex literals. */
function splitPipes(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      current += ch;
      if (ch === '\\') current += text[++i] ?? '';
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'" || (ch === '/' && /(like|=)\s*$/.test(current))) {
      quote = ch;
      current += ch;
    } else if (ch === '|') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
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

/** Runs a parsed query over events that already lie in the query's time range. */
export function runQuery(query: Query, events: { group: string; accountId: string; event: LogEvent; ptr: string }[], limit?: number): QueryOutput {
  let bytesScanned = 0;
  const matched: Row[] = [];
  for (const { group, accountId, event, ptr } of events) {
    bytesScanned += Buffer.byteLength(event.message);
    const row: Row = {
      '@timestamp': formatInsightsTimestamp(event.timestamp),
      '@message': event.message,
      '@logStream': event.logStreamName,
      '@log': `${accountId}:${group}`,
      '@ingestionTime': formatInsightsTimestamp(event.ingestionTime),
      '@ptr': ptr,
    };
    if (query.filters.every((f) => evaluate(f, row))) matched.push(row);
  }
  const sort = query.sort ?? { field: '@timestamp', desc: true };
  matched.sort((a, b) => {
    const x = a[sort.field] ?? '';
    const y = b[sort.field] ?? '';
    return sort.desc ? (x < y ? 1 : x > y ? -1 : 0) : x < y ? -1 : x > y ? 1 : 0;
  });
  const max = query.limit ?? limit ?? 10000;
  const fields = query.fields ?? ['@timestamp', '@message'];
  const rows = matched.slice(0, max).map((row) => {
    const out: Row = {};
    for (const f of fields) if (row[f] !== undefined) out[f] = row[f];
    out['@ptr'] = row['@ptr'];
    return out;
  });
  return { rows, recordsScanned: events.length, recordsMatched: matched.length, bytesScanned };
}
