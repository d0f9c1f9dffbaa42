/**
 * The troubleshooting panel's rows on the host side: what a query run returned and what the live tail streamed,
 * each keyed by @ptr, and how many of them the webview already has, so a growing result travels as appends.
 */

/**
 * Rows travel as their timestamp and raw log line only, and the webview parses them: sending every parsed field as
 * well doubles a 10,000-row message, and moving it dominates the time to show the rows.
 */
export type RowWire = [timestamp: string, raw: string, ptr: string];

/** A Logs Insights result row as a wire row; a row without @ptr (a query that dropped it) is keyed by its content. */
export function toWire(r: Record<string, string>): RowWire {
  return [r['@timestamp'] ?? '', r['@message'] ?? '', r['@ptr'] ?? `${r['@timestamp']}|${r['@message']}`];
}

/** What the webview has not got yet: new rows to `append`, or all of them to `replace` what it shows. */
export interface RowUpdate {
  mode: 'replace' | 'append';
  rows: RowWire[];
}

/** The rows of the current query run. */
export class QueryRowStore {
  private rows: RowWire[] = [];
  private byPtr = new Map<string, RowWire>();
  /** How many of `rows` the webview has. */
  private sent = 0;

  /** A new run: no rows, and the webview's are to be replaced. */
  clear(): void {
    this.rows = [];
    this.byPtr.clear();
    this.sent = 0;
  }

  /**
   * Takes the latest cumulative results of a running query. When they still hold every row sent so far (the usual
   * case while a query runs), the rows already sent keep their place and only new ones are added; otherwise the
   * webview starts over.
   */
  setCumulative(results: Record<string, string>[]): void {
    const next = results.map(toWire);
    const keys = new Set(next.map((r) => r[2]));
    const kept = this.rows.slice(0, this.sent);
    if (this.sent > 0 && kept.every((r) => keys.has(r[2]))) {
      const have = new Set(kept.map((r) => r[2]));
      this.rows = [...kept, ...next.filter((r) => !have.has(r[2]))];
    } else {
      this.rows = next;
      this.sent = 0;
    }
    this.byPtr = new Map(this.rows.map((r) => [r[2], r]));
  }

  /** Adds rows that are new by construction (a further window of Fetch every event). */
  append(results: Record<string, string>[]): void {
    for (const r of results.map(toWire)) {
      this.rows.push(r);
      this.byPtr.set(r[2], r);
    }
  }

  /** The rows the webview lacks, marked as sent. */
  takeUnsent(): RowUpdate {
    const mode = this.sent > 0 && this.sent <= this.rows.length ? 'append' : 'replace';
    const rows = mode === 'append' ? this.rows.slice(this.sent) : this.rows;
    this.sent = this.rows.length;
    return { mode, rows };
  }

  /** The webview lost its rows (it was reloaded): the next update sends them all. */
  resend(): void {
    this.sent = 0;
  }

  get(ptr: string): RowWire | undefined {
    return this.byPtr.get(ptr);
  }

  get all(): readonly RowWire[] {
    return this.rows;
  }
}

/** Rows of the live tail: the newest `kept` stay, older ones leave, as on the service's side. */
export class LiveRowStore {
  private rows: RowWire[] = [];
  private byPtr = new Map<string, RowWire>();
  /** Numbers events, so two events of one stream in the same millisecond keep apart. */
  private seq = 0;

  constructor(private readonly kept = 10_000) {}

  /** Adds the events of one batch and returns them as wire rows. */
  add(events: { timestamp: number; message: string; logStreamName: string }[]): RowWire[] {
    const rows: RowWire[] = events.map((e) => [new Date(e.timestamp).toISOString().replace('T', ' ').replace('Z', ''), e.message, `live:${e.logStreamName}:${e.timestamp}:${this.seq++}`]);
    for (const r of rows) this.byPtr.set(r[2], r);
    this.rows.push(...rows);
    for (const old of this.rows.splice(0, Math.max(0, this.rows.length - this.kept))) this.byPtr.delete(old[2]);
    return rows;
  }

  get(ptr: string): RowWire | undefined {
    return this.byPtr.get(ptr);
  }

  get all(): readonly RowWire[] {
    return this.rows;
  }
}
