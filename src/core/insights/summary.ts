/**
 * Server-side summaries of the authenticator's decisions: Logs Insights aggregates on the service, so a 30-day
 * summary of a busy cluster is a few hundred rows instead of 10,000 sampled ones. The queries read the fields out
 * of the log line themselves (logfmt `msg="..."` and JSON `"msg":"..."` alike), because the authenticator writes
 * logfmt and Insights discovers JSON fields only.
 */

/** `msg="access denied"` (logfmt) and `"msg":"access denied"` (JSON), as one named group. */
const field = (name: string) => `/"?${name}"?[=:]\\s*"(?<${name}>[^"]*)"/`;
const AUTHENTICATOR = 'filter @logStream like /authenticator/';

/** A bin that keeps the timeline near a hundred points, whatever the range (1 minute to 30 days). */
export function binFor(rangeMinutes: number): { label: string; ms: number } {
  const steps: [number, string, number][] = [
    [60, '1m', 60_000],
    [360, '5m', 300_000],
    [1440, '15m', 900_000],
    [4320, '1h', 3_600_000],
    [10080, '2h', 7_200_000],
  ];
  for (const [upTo, label, ms] of steps) if (rangeMinutes <= upTo) return { label, ms };
  return { label: '6h', ms: 21_600_000 };
}

export interface SummaryQueries {
  /** Granted and denied per interval. */
  timeline: string;
  /** The principals denied most, with first and last seen. */
  topDenied: string;
  /** The clients (source addresses) that call most. */
  topClients: string;
  bin: { label: string; ms: number };
}

export function summaryQueries(rangeMinutes: number, top = 10): SummaryQueries {
  const bin = binFor(rangeMinutes);
  return {
    bin,
    timeline: `${AUTHENTICATOR}\n| parse @message ${field('msg')}\n| filter msg = "access granted" or msg = "access denied"\n| stats count(*) as n by bin(${bin.label}), msg`,
    topDenied: `${AUTHENTICATOR}\n| parse @message ${field('msg')}\n| filter msg = "access denied"\n| parse @message ${field('arn')}\n| filter arn like /^arn:/\n| stats count(*) as n, min(@timestamp) as first, max(@timestamp) as last by arn\n| sort n desc\n| limit ${top}`,
    topClients: `${AUTHENTICATOR}\n| parse @message ${field('client')}\n| stats count(*) as n by client\n| sort n desc\n| limit ${top}`,
  };
}

export interface Timeline {
  /** Start of each interval, epoch milliseconds, every interval of the range present. */
  starts: number[];
  granted: number[];
  denied: number[];
}

/** Insights writes `2026-12-01 10:05:00.000` in UTC. */
export function parseInsightsTime(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}

/** The timeline query's rows as chart series, zero-filled so an interval without events shows as zero. */
export function timelineSeries(rows: Record<string, string>[], bin: { label: string; ms: number }, startMs: number, endMs: number): Timeline {
  const first = Math.floor(startMs / bin.ms) * bin.ms;
  const count = Math.max(1, Math.ceil((endMs - first) / bin.ms));
  const starts = Array.from({ length: count }, (_, i) => first + i * bin.ms);
  const granted = new Array<number>(count).fill(0);
  const denied = new Array<number>(count).fill(0);
  for (const r of rows) {
    const at = parseInsightsTime(r[`bin(${bin.label})`] ?? '');
    const i = Math.floor((at - first) / bin.ms);
    if (!Number.isFinite(i) || i < 0 || i >= count) continue;
    const n = Number(r.n) || 0;
    if (r.msg === 'access granted') granted[i] += n;
    else if (r.msg === 'access denied') denied[i] += n;
  }
  return { starts, granted, denied };
}
