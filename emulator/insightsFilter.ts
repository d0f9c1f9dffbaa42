/**
 * The `filter` command's expressions: `like` (a regex or a substring), `=`, `!=`, `not like`, joined by `and`, `or`,
 * `not` and parentheses, with `or` binding loosest. Parsed once per query, evaluated per row.
 */
import { malformed, type Expr, type Row } from './insightsQuery';

/** Parses a `filter` expression whole: what is left over after it is a malformed query. */
export function parseFilter(text: string): Expr {
  return new ExprParser(text).parseAll();
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

/** Whether a row passes a filter; a field the row lacks is like nothing and equal to nothing. */
export function evaluate(expr: Expr, row: Row): boolean {
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
