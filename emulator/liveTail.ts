/**
 * CloudWatch Logs StartLiveTail as the API reference describes it (API_StartLiveTail.html): one long-lived response
 * in the `application/vnd.amazon.eventstream` encoding, encoded with `@smithy/eventstream-codec` (not the SDK's
 * decoder): an `initial-response`, one `sessionStart`, then a `sessionUpdate` every second (empty when nothing new
 * arrived; at most 500 events, sampled above that), and a SessionTimeoutException after three hours. Events come
 * from concurrent PutLogEvents calls. The update interval and the session limit are options, for tests.
 */
import type * as http from 'http';
import { randomUUID } from 'crypto';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { ServiceError } from './http';
import type { EmulatorState, LogEvent, LogGroup } from './state';

export interface LiveTailOptions {
  updateMs?: number;
  maxSessionMs?: number;
}

const MAX_EVENTS_PER_UPDATE = 500;
const codec = new EventStreamCodec(toUtf8, fromUtf8);
const listeners = new Set<(group: LogGroup, event: LogEvent) => void>();

/** Called by PutLogEvents for every event it stores, so live tail sessions see it. */
export function notifyLiveTail(group: LogGroup, event: LogEvent): void {
  for (const l of listeners) l(group, event);
}

function frame(headers: Record<string, string>, body: unknown): Uint8Array {
  return codec.encode({
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { type: 'string' as const, value: v }])),
    body: fromUtf8(JSON.stringify(body)),
  });
}

const event = (type: string, body: unknown) => frame({ ':message-type': 'event', ':event-type': type, ':content-type': 'application/json' }, body);
const exception = (type: string, message: string) => frame({ ':message-type': 'exception', ':exception-type': type, ':content-type': 'application/json' }, { message });

/** The request's parameters checked as the service checks them; returns the log groups and stream filter. */
function validate(params: Record<string, unknown>, state: EmulatorState, region: string) {
  const ids = params.logGroupIdentifiers;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 10 || !ids.every((i) => typeof i === 'string')) {
    throw new ServiceError('InvalidParameterException', '1 validation error detected: Value at \'logGroupIdentifiers\' failed to satisfy constraint: Member must have length between 1 and 10');
  }
  const names = params.logStreamNames as string[] | undefined;
  const prefixes = params.logStreamNamePrefixes as string[] | undefined;
  if (names && prefixes) throw new ServiceError('InvalidParameterException', 'You can specify either logStreamNames or logStreamNamePrefixes, but not both.');
  if ((names || prefixes) && ids.length > 1) throw new ServiceError('InvalidParameterException', 'logStreamNames and logStreamNamePrefixes can be specified only when there is exactly one log group in logGroupIdentifiers.');
  const groups = (ids as string[]).map((id) => {
    if (id.endsWith('*')) throw new ServiceError('InvalidParameterException', `A log group ARN in logGroupIdentifiers cannot end with *: ${id}`);
    const name = /^arn:[^:]+:logs:[^:]+:\d{12}:log-group:(.+)$/.exec(id)?.[1] ?? id;
    const group = [...state.logGroups.values()].find((g) => g.region === region && g.name === name);
    if (!group) throw new ServiceError('ResourceNotFoundException', `The specified log group does not exist: ${id}`);
    return { id, group };
  });
  const streamMatches = (stream: string) => (names ? names.includes(stream) : prefixes ? prefixes.some((p) => stream.startsWith(p)) : true);
  const pattern = typeof params.logEventFilterPattern === 'string' ? params.logEventFilterPattern.trim() : '';
  // Filter patterns: the emulator supports plain terms (all must appear) and one quoted phrase.
  const terms = pattern.startsWith('"') ? [pattern.replace(/^"|"$/g, '')] : pattern.split(/\s+/).filter(Boolean);
  const messageMatches = (message: string) => terms.every((t) => message.includes(t));
  return { groups, names, prefixes, pattern, streamMatches, messageMatches };
}

export function startLiveTail(req: http.IncomingMessage, res: http.ServerResponse, params: Record<string, unknown>, state: EmulatorState, region: string, options: LiveTailOptions = {}): void {
  const v = validate(params, state, region);
  const updateMs = options.updateMs ?? 1000;
  const maxSessionMs = options.maxSessionMs ?? 3 * 3600_000;
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': randomUUID() });
  res.write(event('initial-response', {}));
  res.write(
    event('sessionStart', {
      requestId: randomUUID(),
      sessionId: randomUUID(),
      logGroupIdentifiers: v.groups.map((g) => g.id),
      ...(v.names ? { logStreamNames: v.names } : {}),
      ...(v.prefixes ? { logStreamNamePrefixes: v.prefixes } : {}),
      ...(v.pattern ? { logEventFilterPattern: v.pattern } : {}),
    }),
  );
  let pending: { group: string; event: LogEvent }[] = [];
  const listener = (group: LogGroup, e: LogEvent) => {
    const match = v.groups.find((g) => g.group === group);
    if (match && v.streamMatches(e.logStreamName) && v.messageMatches(e.message)) pending.push({ group: match.id, event: e });
  };
  listeners.add(listener);
  const startedAt = Date.now();
  const stop = () => {
    clearInterval(timer);
    listeners.delete(listener);
  };
  const timer = setInterval(() => {
    if (Date.now() - startedAt >= maxSessionMs) {
      stop();
      res.end(exception('SessionTimeoutException', 'Session timed out: the Live Tail session was open for the maximum duration.'));
      return;
    }
    const sampled = pending.length > MAX_EVENTS_PER_UPDATE;
    const batch = sampled ? pending.filter((_, i) => i % Math.ceil(pending.length / MAX_EVENTS_PER_UPDATE) === 0).slice(0, MAX_EVENTS_PER_UPDATE) : pending;
    pending = [];
    res.write(
      event('sessionUpdate', {
        sessionMetadata: { sampled },
        sessionResults: batch.map(({ group, event: e }) => ({ logStreamName: e.logStreamName, logGroupIdentifier: group, message: e.message, timestamp: e.timestamp, ingestionTime: e.ingestionTime })),
      }),
    );
  }, updateMs);
  // Closing the connection is how a client ends a session early.
  req.on('close', stop);
  res.on('close', stop);
}
