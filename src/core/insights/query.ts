/** Runs a Logs Insights query to the end: start, poll with a growing interval, stop on cancel. */
import type { LogsGateway, StartQueryInput } from '../aws/logsGateway';

export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout' | 'Unknown';

export interface QueryStats {
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

export type Row = Record<string, string>;

export interface QueryResult {
  queryId: string;
  status: QueryStatus;
  rows: Row[];
  stats: QueryStats;
}

export interface RunOptions {
  /** Called with cumulative rows while the query runs. */
  onProgress?: (partial: QueryResult) => void;
  isCancelled?: () => boolean;
  sleep?: (ms: number) => Promise<void>;
}

const FIRST_POLL_MS = 100;
const POLL_STEP_MS = 300;
const MAX_POLL_MS = 1000;

export function toRows(results: { field?: string; value?: string }[][] | undefined): Row[] {
  return (results ?? []).map((r) => Object.fromEntries(r.filter((f) => f.field).map((f) => [f.field!, f.value ?? ''])));
}

/** GetQueryResults pages up to 100,000 rows of one query. */
export const MAX_RESULT_ROWS = 100_000;

/**
 * The largest StartQuery `limit`: "The maximum limit is 100,000. The maximum events returned in a single
 * GetQueryResults API call is 10,000 log events per request. You can retrieve up to 100,000 log event results from a
 * query by paginating with the nextToken" (StartQueryRequest.limit, @aws-sdk/client-cloudwatch-logs 3.1169 model,
 * shape EventsLimitStartQuery; Logs Insights QL only, not PPL or SQL). runQuery reads every page.
 */
export const MAX_QUERY_LIMIT = 100_000;

export async function runQuery(logs: Pick<LogsGateway, 'startQuery' | 'getQueryResults' | 'stopQuery'>, input: StartQueryInput, options: RunOptions = {}): Promise<QueryResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const queryId = await logs.startQuery(input);
  let delay = FIRST_POLL_MS;
  for (;;) {
    if (options.isCancelled?.()) {
      await logs.stopQuery(queryId).catch(() => false);
      return { queryId, status: 'Cancelled', rows: [], stats: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } };
    }
    const out = await logs.getQueryResults(queryId);
    const result: QueryResult = {
      queryId,
      status: (out.status ?? 'Unknown') as QueryStatus,
      rows: toRows(out.results),
      stats: { recordsMatched: out.statistics?.recordsMatched ?? 0, recordsScanned: out.statistics?.recordsScanned ?? 0, bytesScanned: out.statistics?.bytesScanned ?? 0 },
    };
    if (result.status === 'Complete') {
      // The service pages large results (GetQueryResults nextToken): read every page, up to its 100,000-row cap.
      for (let token = out.nextToken; token && result.rows.length < MAX_RESULT_ROWS; ) {
        if (options.isCancelled?.()) break;
        const next = await logs.getQueryResults(queryId, token);
        result.rows.push(...toRows(next.results));
        token = next.nextToken;
      }
      return result;
    }
    if (result.status !== 'Scheduled' && result.status !== 'Running') return result;
    options.onProgress?.(result);
    await sleep(delay);
    delay = Math.min(delay + POLL_STEP_MS, MAX_POLL_MS);
  }
}

/** A message for a query that did not complete, or undefined when it did. */
export function statusProblem(status: QueryStatus): string | undefined {
  switch (status) {
    case 'Complete':
      return undefined;
    case 'Failed':
      return 'The Logs Insights query failed. Check the query syntax in the eksAuth.insights.query setting, then run it again.';
    case 'Timeout':
      return 'The Logs Insights query timed out (60 minutes). Narrow the time range and run it again.';
    case 'Cancelled':
      return 'The Logs Insights query was cancelled.';
    default:
      return `The Logs Insights query ended with status ${status}.`;
  }
}
