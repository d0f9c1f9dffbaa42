/**
 * Every event of a range, past the row cap of one Logs Insights query (StartQuery `limit`, at most 100,000; see
 * MAX_QUERY_LIMIT): the range is split in halves while a window comes back full, newest window first, until each
 * window holds fewer rows than the limit. Rows are deduplicated by @ptr, since query bounds are whole seconds and
 * neighbouring windows share one. Each split re-scans its range, so the largest limit means the fewest queries and
 * bytes scanned: a range of fewer than 100,000 events is one query, read in pages of 10,000.
 */
export interface WindowRun {
  rows: Record<string, string>[];
  status: string;
}

export interface WindowedResult {
  rows: Record<string, string>[];
  windows: number;
  complete: boolean;
  /** Why the result is not complete. */
  reason?: string;
}

export interface WindowOptions {
  /** Stop once this many rows are in (the panel's memory bound). */
  maxRows: number;
  /** A window this short is not split again, even when full. */
  minWindowMs: number;
  isCancelled?: () => boolean;
  /** Called with each window's new rows, newest window first. */
  onRows?: (rows: Record<string, string>[], progress: { windows: number; rows: number }) => void;
}

export async function fetchInWindows(run: (startMs: number, endMs: number) => Promise<WindowRun>, startMs: number, endMs: number, limit: number, options: WindowOptions): Promise<WindowedResult> {
  const seen = new Set<string>();
  const rows: Record<string, string>[] = [];
  // A stack: the newer half is pushed last, so it is fetched first.
  const pending: [number, number][] = [[startMs, endMs]];
  let windows = 0;
  while (pending.length) {
    if (options.isCancelled?.()) return { rows, windows, complete: false, reason: 'cancelled' };
    const [from, to] = pending.pop()!;
    const result = await run(from, to);
    windows++;
    if (result.status !== 'Complete') return { rows, windows, complete: false, reason: `a window ended ${result.status}` };
    if (result.rows.length >= limit && to - from > options.minWindowMs) {
      const mid = Math.floor((from + to) / 2 / 1000) * 1000;
      if (mid > from && mid < to) {
        pending.push([from, mid], [mid, to]);
        continue;
      }
    }
    const fresh = result.rows.filter((r) => {
      const key = r['@ptr'] ?? `${r['@timestamp']}|${r['@message']}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const room = options.maxRows - rows.length;
    rows.push(...fresh.slice(0, room));
    options.onRows?.(fresh.slice(0, room), { windows, rows: rows.length });
    if (rows.length >= options.maxRows) return { rows, windows, complete: false, reason: `stopped at ${options.maxRows} rows` };
    if (result.rows.length >= limit) return { rows, windows, complete: false, reason: `more than ${limit} events in ${Math.round((to - from) / 1000)} s` };
  }
  return { rows, windows, complete: true };
}
