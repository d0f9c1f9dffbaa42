/**
 * Runs a parsed Logs Insights query (insightsParser.ts) over log events, stage by stage, and shapes the rows as
 * GetQueryResults returns them: newest first unless sorted, the displayed fields only, `@ptr` on each raw row.
 */
import type { LogEvent } from './state';
import { evaluate } from './insightsFilter';
import { newRow, type Aggregate, type GroupKey, type Query, type Row } from './insightsQuery';

export function formatInsightsTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}


export interface QueryOutput {
  rows: Row[];
  recordsScanned: number;
  recordsMatched: number;
  bytesScanned: number;
}

const compare = (x: string, y: string, desc: boolean) => {
  const nx = Number(x);
  const ny = Number(y);
  const c = x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
  return desc ? -c : c;
};

function aggregate(a: Aggregate, rows: Row[]): string {
  const values = a.field ? rows.map((r) => r[a.field!]).filter((v): v is string => v !== undefined && v !== '') : [];
  switch (a.fn) {
    case 'count':
      return String(a.field ? values.length : rows.length);
    case 'count_distinct':
      return String(new Set(values).size);
    case 'min':
      return values.reduce((m, v) => (m === '' || compare(v, m, false) < 0 ? v : m), '');
    case 'max':
      return values.reduce((m, v) => (m === '' || compare(v, m, false) > 0 ? v : m), '');
    case 'sum':
      return String(values.reduce((t, v) => t + (Number(v) || 0), 0));
    case 'avg':
      return values.length ? String(values.reduce((t, v) => t + (Number(v) || 0), 0) / values.length) : '';
  }
}

function groupValue(k: GroupKey, row: Row): string {
  const v = row[k.field] ?? '';
  if (!k.binMs) return v;
  const ms = Date.parse(v.replace(' ', 'T') + 'Z');
  return Number.isNaN(ms) ? '' : formatInsightsTimestamp(Math.floor(ms / k.binMs) * k.binMs);
}

/** Runs a parsed query over events that already lie in the query's time range, stage by stage. */
export function runQuery(query: Query, events: { group: string; accountId: string; event: LogEvent; ptr: string }[], limit?: number): QueryOutput {
  let bytesScanned = 0;
  let rows: Row[] = [];
  for (const { group, accountId, event, ptr } of events) {
    bytesScanned += Buffer.byteLength(event.message);
    rows.push(newRow({
      '@timestamp': formatInsightsTimestamp(event.timestamp),
      '@message': event.message,
      '@logStream': event.logStreamName,
      '@log': `${accountId}:${group}`,
      '@ingestionTime': formatInsightsTimestamp(event.ingestionTime),
      '@ptr': ptr,
    }));
  }
  let display: string[] | undefined;
  let aggregated = false;
  let sorted = false;
  let recordsMatched: number | undefined;
  let limited: number | undefined;
  for (const stage of query.stages) {
    switch (stage.kind) {
      case 'fields':
        display = [...(display ?? []), ...stage.fields];
        break;
      case 'display':
        display = stage.fields;
        break;
      case 'filter':
        rows = rows.filter((r) => evaluate(stage.expr, r));
        break;
      case 'parse':
        for (const r of rows) {
          const m = stage.regex.exec(r[stage.field] ?? '');
          if (!m) continue;
          stage.names.forEach((n, i) => {
            const v = m.groups?.[n] ?? m[i + 1];
            if (v !== undefined) r[n] = v;
          });
        }
        break;
      case 'stats': {
        recordsMatched ??= rows.length;
        const groups = new Map<string, Row[]>();
        for (const r of rows) {
          const key = JSON.stringify(stage.by.map((k) => groupValue(k, r)));
          const g = groups.get(key);
          if (g) g.push(r);
          else groups.set(key, [r]);
        }
        rows = [...groups.entries()].map(([key, members]) => {
          const out = newRow();
          (JSON.parse(key) as string[]).forEach((v, i) => (out[stage.by[i].name] = v));
          for (const a of stage.aggregates) out[a.name] = aggregate(a, members);
          return out;
        });
        const bin = stage.by.find((k) => k.binMs);
        if (bin) rows.sort((a, b) => compare(a[bin.name], b[bin.name], false));
        display = [...stage.by.map((k) => k.name), ...stage.aggregates.map((a) => a.name)];
        aggregated = true;
        break;
      }
      case 'dedup': {
        const seen = new Set<string>();
        rows = rows.filter((r) => {
          const key = JSON.stringify(stage.fields.map((f) => r[f] ?? null));
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        break;
      }
      case 'sort':
        rows.sort((a, b) => compare(a[stage.field] ?? '', b[stage.field] ?? '', stage.desc));
        sorted = true;
        break;
      case 'limit':
        limited = stage.n;
        rows = rows.slice(0, stage.n);
        break;
    }
  }
  recordsMatched ??= rows.length;
  // Without a sort, events come newest first, as the service returns them.
  if (!sorted && !aggregated) rows.sort((a, b) => compare(a['@timestamp'], b['@timestamp'], true));
  // Without a StartQuery limit the service returns up to 10,000 rows; with one, up to that limit (at most 100,000).
  const max = Math.min(limited ?? Infinity, limit ?? 10000);
  const fields = display ?? ['@timestamp', '@message'];
  const out = rows.slice(0, max).map((row) => {
    const o = newRow();
    for (const f of fields) if (row[f] !== undefined) o[f] = row[f];
    if (!aggregated) o['@ptr'] = row['@ptr'];
    return o;
  });
  return { rows: out, recordsScanned: events.length, recordsMatched, bytesScanned };
}
