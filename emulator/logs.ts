/** CloudWatch Logs over JSON 1.1: log groups and events, and Logs Insights queries that run over time. */
import { randomUUID } from 'crypto';
import { ServiceError, paginate, requireString } from './http';
import { parseQuery, runQuery, QueryOutput } from './insightsEngine';
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

export const LOGS_OPERATIONS: Record<string, Handler> = {
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
    const { page, nextToken } = paginate(groups, params.limit, params.nextToken, 50, 50);
    return { logGroups: page, nextToken };
  },
  StartQuery(params, ctx, forcedStatus) {
    const names = [
      ...(typeof params.logGroupName === 'string' ? [params.logGroupName] : []),
      ...(Array.isArray(params.logGroupNames) ? (params.logGroupNames as string[]) : []),
      ...(Array.isArray(params.logGroupIdentifiers) ? (params.logGroupIdentifiers as string[]) : []),
    ];
    if (names.length === 0) throw new ServiceError('InvalidParameterException', 'Either logGroupName, logGroupNames or logGroupIdentifiers must be specified');
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
    const query = parseQuery(queryString);
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
    const limit = typeof params.limit === 'number' ? params.limit : undefined;
    const id = randomUUID();
    queries.set(id, { id, region: ctx.region, startedAt: Date.now(), output: runQuery(query, events, limit), forcedStatus });
    return { queryId: id };
  },
  GetQueryResults(params, ctx) {
    const q = getQuery(requireString(params, 'queryId'));
    const status = queryStatus(q, ctx.timing);
    const { rows, recordsMatched, recordsScanned, bytesScanned } = q.output;
    // While running, the service returns a growing prefix of the rows with growing statistics.
    const fraction = status === 'Scheduled' ? 0 : status === 'Running' ? Math.min(1, (Date.now() - q.startedAt - ctx.timing.scheduledMs) / ctx.timing.runningMs) / 2 : status === 'Complete' ? 1 : 0;
    const visible = rows.slice(0, Math.floor(rows.length * fraction));
    return {
      status,
      results: visible.map((row) => Object.entries(row).map(([field, value]) => ({ field, value }))),
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
};

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
