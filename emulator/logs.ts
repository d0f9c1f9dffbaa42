/** CloudWatch Logs over JSON 1.1: log groups and events, and Logs Insights queries that run over time. */
import { createHmac, randomBytes, randomUUID } from 'crypto';
import { notifyLiveTail } from './liveTail';
import { ServiceError, paginate, requireString } from './http';
import { runQuery, QueryOutput } from './insightsEngine';
import { parseQuery } from './insightsParser';
import { EmulatorState, appendEvent, ensureLogGroup } from './state';

export interface LogsContext {
  state: EmulatorState;
  region: string;
  /** How long a query stays Scheduled, then Running (with partial rows), before it completes. */
  timing: { scheduledMs: number; runningMs: number };
  maxConcurrentQueries: number;
}

interface QueryRecord {
  id: string;
  region: string;
  startedAt: number;
  output: QueryOutput;
  /** Set by StopQuery or by a fault; otherwise the status follows the clock. */
  finalStatus?: 'Cancelled' | 'Failed' | 'Timeout';
  forcedStatus?: 'Failed' | 'Timeout' | 'Unknown';
}

const queries = new Map<string, QueryRecord>();

export function resetQueries(): void {
  queries.clear();
}

export function queryStatus(q: QueryRecord, timing: LogsContext['timing'], now = Date.now()): string {
  if (q.finalStatus) return q.finalStatus;
  const elapsed = now - q.startedAt;
  if (elapsed < timing.scheduledMs) return 'Scheduled';
  if (elapsed < timing.scheduledMs + timing.runningMs) return 'Running';
  return q.forcedStatus ?? 'Complete';
}

function groupKey(region: string, name: string) {
  return `${region}|${name}`;
}

type Handler = (params: Record<string, unknown>, ctx: LogsContext, forcedStatus?: QueryRecord['forcedStatus']) => unknown;

/** Page tokens name their query and offset and carry an HMAC, so a forged or foreign token is refused. */
const TOKEN_KEY = randomBytes(32);

function pageToken(queryId: string, offset: number): string {
  const body = `${queryId}:${offset}`;
  return Buffer.from(`${body}:${createHmac('sha256', TOKEN_KEY).update(body).digest('hex')}`).toString('base64url');
}

function readPageToken(token: unknown, queryId: string): number {
  const [id, offset, mac] = Buffer.from(String(token), 'base64url').toString('utf8').split(':');
  const expected = createHmac('sha256', TOKEN_KEY).update(`${id}:${offset}`).digest('hex');
  if (id !== queryId || mac !== expected || !/^\d+$/.test(offset ?? '')) throw new ServiceError('InvalidParameterException', 'The specified nextToken is invalid.');
  return Number(offset);
}

/** MalformedQueryException carries where the query went wrong, as the service reports it. */
function withCompileError(e: unknown, queryString: string): unknown {
  if (!(e instanceof ServiceError) || e.code !== 'MalformedQueryException') return e;
  const near = /near: (.*)$/.exec(e.message)?.[1] ?? '';
  const start = Math.max(0, near ? queryString.indexOf(near.slice(0, 20)) : 0);
  return new ServiceError(e.code, e.message, e.status, { queryCompileError: { location: { startCharOffset: start, endCharOffset: start + Math.max(0, near.length - 1) }, message: e.message } });
}

/**
 * A validation error in the form AWS's services write it (`1 validation error detected: Value 'X' at 'member' failed
 * to satisfy constraint: Member must have value less than or equal to N`), naming the request member as the model does.
 */
function rangeError(member: string, value: unknown, min: number, max: number): ServiceError {
  const below = typeof value === 'number' && value < min;
  return new ServiceError('InvalidParameterException', `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must have value ${below ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`);
}

/** An optional integer member within the model's range, or undefined when absent. */
function intInRange(params: Record<string, unknown>, member: string, min: number, max: number): number | undefined {
  const value = params[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw rangeError(member, value, min, max);
  return value;
}

/**
 * StartQuery's `limit`: 1 to 100,000 ("The maximum limit is 100,000. The maximum events returned in a single
 * GetQueryResults API call is 10,000", StartQueryRequest.limit in @aws-sdk/client-cloudwatch-logs 3.1169's model, shape
 * EventsLimitStartQuery; botocore 1.29's older model still has EventsLimit 1..10000). Without a limit, 10,000 rows.
 */
export const MAX_START_QUERY_LIMIT = 100_000;
/** GetQueryResults `maxItems`: at most 10,000 rows per call; larger results are paged with nextToken. */
export const MAX_RESULTS_PER_PAGE = 10_000;
/** DescribeLogGroups `limit`: DescribeLimit, 1..50 (botocore's logs service-2.json; 50 is also the default). */
export const MAX_DESCRIBE_LIMIT = 50;

/**
 * The operations, by X-Amz-Target operation name. A Map, so that `constructor`, `__proto__` or `toString` are
 * unknown operations, not methods of an object.
 */
export const LOGS_OPERATIONS: ReadonlyMap<string, Handler> = new Map(Object.entries({
  CreateLogGroup(params, ctx) {
    const name = requireString(params, 'logGroupName');
    if (ctx.state.logGroups.has(groupKey(ctx.region, name))) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log group already exists');
    ensureLogGroup(ctx.state, name, ctx.region);
    return {};
  },
  CreateLogStream(params, ctx) {
    const group = getGroup(ctx, requireString(params, 'logGroupName'));
    const stream = requireString(params, 'logStreamName');
    if (group.streams.has(stream)) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    group.streams.set(stream, []);
    return {};
  },
  PutLogEvents(params, ctx) {
    const group = getGroup(ctx, requireString(params, 'logGroupName'));
    const stream = requireString(params, 'logStreamName');
    if (!group.streams.has(stream)) throw new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const events = params.logEvents;
    if (!Array.isArray(events) || events.length === 0) throw new ServiceError('InvalidParameterException', 'logEvents must contain at least one event');
    for (const e of events as { timestamp?: unknown; message?: unknown }[]) {
      if (typeof e.timestamp !== 'number' || typeof e.message !== 'string') throw new ServiceError('InvalidParameterException', 'Each log event needs a numeric timestamp and a string message');
      appendEvent(group, stream, { timestamp: e.timestamp, message: e.message, ingestionTime: Date.now() });
      notifyLiveTail(group, group.streams.get(stream)!.at(-1)!);
    }
    return { nextSequenceToken: randomUUID().replace(/-/g, '') };
  },
  DescribeLogGroups(params, ctx) {
    const prefix = typeof params.logGroupNamePrefix === 'string' ? params.logGroupNamePrefix : '';
    const groups = [...ctx.state.logGroups.values()]
      .filter((g) => g.region === ctx.region && g.name.startsWith(prefix))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((g) => ({
        logGroupName: g.name,
        creationTime: g.createdAt,
        arn: `arn:aws:logs:${g.region}:${ctx.state.accountId}:log-group:${g.name}:*`,
        storedBytes: [...g.streams.values()].flat().reduce((n, e) => n + e.message.length, 0),
      }));
    const limit = intInRange(params, 'limit', 1, MAX_DESCRIBE_LIMIT) ?? MAX_DESCRIBE_LIMIT;
    const { page, nextToken } = paginate(groups, limit, params.nextToken, MAX_DESCRIBE_LIMIT, MAX_DESCRIBE_LIMIT);
    return { logGroups: page, nextToken };
  },
  StartQuery(params, ctx, forcedStatus) {
    const given = ['logGroupName', 'logGroupNames', 'logGroupIdentifiers'].filter((k) => params[k] !== undefined);
    if (given.length !== 1) throw new ServiceError('InvalidParameterException', 'A StartQuery operation must include exactly one of the following parameters: logGroupName, logGroupNames or logGroupIdentifiers');
    const names = [
      ...(typeof params.logGroupName === 'string' ? [params.logGroupName] : []),
      ...(Array.isArray(params.logGroupNames) ? (params.logGroupNames as string[]) : []),
      ...(Array.isArray(params.logGroupIdentifiers) ? (params.logGroupIdentifiers as string[]) : []),
    ];
    if (!names.length) throw new ServiceError('InvalidParameterException', `${given[0]} must name at least one log group`);
    const limit = intInRange(params, 'limit', 1, MAX_START_QUERY_LIMIT);
    const queryString = requireString(params, 'queryString');
    const { startTime, endTime } = params;
    if (typeof startTime !== 'number' || typeof endTime !== 'number') {
      throw new ServiceError('InvalidParameterException', 'startTime and endTime are required, in seconds since the epoch');
    }
    if (endTime < startTime) throw new ServiceError('InvalidParameterException', 'endTime cannot be earlier than startTime');
    const running = [...queries.values()].filter((q) => q.region === ctx.region && ['Scheduled', 'Running'].includes(queryStatus(q, ctx.timing))).length;
    if (running >= ctx.maxConcurrentQueries) {
      throw new ServiceError('LimitExceededException', `Account maximum query concurrency limit of [${ctx.maxConcurrentQueries}] reached.`);
    }
    let query;
    try {
      query = parseQuery(queryString);
    } catch (e) {
      throw withCompileError(e, queryString);
    }
    const events = [];
    for (const name of names) {
      const groupName = name.replace(/^arn:[^:]+:logs:[^:]+:\d+:log-group:/, '').replace(/:\*$/, '');
      const group = getGroup(ctx, groupName);
      for (const list of group.streams.values()) {
        for (const [i, event] of list.entries()) {
          if (event.timestamp >= startTime * 1000 && event.timestamp < (endTime + 1) * 1000) {
            events.push({ group: group.name, accountId: ctx.state.accountId, event, ptr: Buffer.from(`${group.name}|${event.logStreamName}|${i}`).toString('base64') });
          }
        }
      }
    }
    const id = randomUUID();
    queries.set(id, { id, region: ctx.region, startedAt: Date.now(), output: runQuery(query, events, limit), forcedStatus });
    return { queryId: id };
  },
  GetQueryResults(params, ctx) {
    const q = getQuery(requireString(params, 'queryId'));
    const status = queryStatus(q, ctx.timing);
    const { rows, recordsMatched, recordsScanned, bytesScanned } = q.output;
    const maxItems = intInRange(params, 'maxItems', 1, MAX_RESULTS_PER_PAGE);
    // While running, the service returns a growing prefix of the rows with growing statistics.
    const fraction = status === 'Scheduled' ? 0 : status === 'Running' ? Math.min(1, (Date.now() - q.startedAt - ctx.timing.scheduledMs) / ctx.timing.runningMs) / 2 : status === 'Complete' ? 1 : 0;
    const visible = rows.slice(0, Math.floor(rows.length * fraction));
    const from = params.nextToken === undefined ? 0 : readPageToken(params.nextToken, q.id);
    // A page holds at most 10,000 rows, so a larger result always comes back in pages.
    const size = maxItems ?? MAX_RESULTS_PER_PAGE;
    const page = visible.slice(from, from + size);
    const more = status === 'Complete' && from + size < visible.length;
    return {
      status,
      ...(more ? { nextToken: pageToken(q.id, from + size) } : {}),
      results: page.map((row) => Object.entries(row).map(([field, value]) => ({ field, value }))),
      statistics: {
        recordsMatched: Math.round(recordsMatched * fraction),
        recordsScanned: Math.round(recordsScanned * fraction),
        bytesScanned: Math.round(bytesScanned * fraction),
      },
    };
  },
  StopQuery(params, ctx) {
    const q = getQuery(requireString(params, 'queryId'));
    const status = queryStatus(q, ctx.timing);
    if (status !== 'Scheduled' && status !== 'Running') {
      throw new ServiceError('InvalidParameterException', `Query is not running: ${q.id} (status ${status})`);
    }
    q.finalStatus = 'Cancelled';
    return { success: true };
  },
} satisfies Record<string, Handler>));

function getGroup(ctx: LogsContext, name: string) {
  const group = ctx.state.logGroups.get(groupKey(ctx.region, name));
  if (!group) throw new ServiceError('ResourceNotFoundException', `Log group '${name}' does not exist for account ID '${ctx.state.accountId}'`);
  return group;
}

function getQuery(id: string): QueryRecord {
  const q = queries.get(id);
  if (!q) throw new ServiceError('ResourceNotFoundException', `Query does not exist: ${id}`);
  return q;
}
