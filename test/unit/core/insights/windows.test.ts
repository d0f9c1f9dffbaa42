import * as assert from 'assert';
import { estimateBytes, formatBytes } from '../../../../src/core/insights/cost';
import { fetchInWindows } from '../../../../src/core/insights/windows';

/** A fake service: events at given times, a query returns the newest `limit` of a window (bounds in whole seconds, inclusive). */
function service(times: number[], limit: number) {
  const calls: [number, number][] = [];
  const run = async (from: number, to: number) => {
    calls.push([from, to]);
    const s = Math.floor(from / 1000) * 1000;
    const e = Math.ceil(to / 1000) * 1000 + 999;
    const rows = times.filter((t) => t >= s && t <= e).sort((a, b) => b - a).slice(0, limit).map((t) => ({ '@timestamp': String(t), '@message': 'm', '@ptr': `p${t}` }));
    return { rows, status: 'Complete' };
  };
  return { run, calls };
}

describe('fetching every event in windows', () => {
  it('gets every event exactly once, splitting only full windows, newest first', async () => {
    const times = Array.from({ length: 25_000 }, (_, i) => 1_000_000_000 + i * 137);
    const { run, calls } = service(times, 10_000);
    const seen: number[] = [];
    const r = await fetchInWindows(run, 1_000_000_000, 1_000_000_000 + 25_000 * 137, 10_000, { maxRows: 100_000, minWindowMs: 60_000, onRows: (rows) => seen.push(...rows.map((x) => Number(x['@timestamp']))) });
    assert.strictEqual(r.complete, true);
    assert.strictEqual(r.rows.length, 25_000);
    assert.strictEqual(new Set(r.rows.map((x) => x['@ptr'])).size, 25_000);
    assert.ok(r.windows < 12, `${r.windows} windows`);
    assert.ok(seen[0] > seen[seen.length - 1], 'the newest window comes first');
    assert.deepStrictEqual(calls[0], [1_000_000_000, 1_000_000_000 + 25_000 * 137]);
  });

  it('stops at the row bound, on a window denser than the limit, and on cancel, saying why', async () => {
    const times = Array.from({ length: 30_000 }, (_, i) => 2_000_000_000 + i * 10);
    const capped = await fetchInWindows(service(times, 10_000).run, 2_000_000_000, 2_000_300_000, 10_000, { maxRows: 15_000, minWindowMs: 1_000 });
    assert.deepStrictEqual([capped.complete, capped.rows.length, capped.reason], [false, 15_000, 'stopped at 15000 rows']);
    const dense = await fetchInWindows(service(times, 10_000).run, 2_000_000_000, 2_000_300_000, 10_000, { maxRows: 100_000, minWindowMs: 600_000 });
    assert.deepStrictEqual([dense.complete, dense.rows.length, dense.reason], [false, 10_000, 'more than 10000 events in 300 s']);
    const cancelled = await fetchInWindows(service(times, 10_000).run, 2_000_000_000, 2_000_300_000, 10_000, { maxRows: 100_000, minWindowMs: 1_000, isCancelled: () => true });
    assert.deepStrictEqual([cancelled.complete, cancelled.reason, cancelled.windows], [false, 'cancelled', 0]);
    const failed = await fetchInWindows(async () => ({ rows: [], status: 'Timeout' }), 0, 1000, 10, { maxRows: 10, minWindowMs: 1 });
    assert.strictEqual(failed.reason, 'a window ended Timeout');
  });
});

describe('scan estimates', () => {
  it('scales the last query\'s bytes to the new range, and says nothing without one', () => {
    assert.strictEqual(estimateBytes({ bytesScanned: 3_000_000, rangeMinutes: 60 }, 1440), 72_000_000);
    assert.strictEqual(estimateBytes(undefined, 60), undefined);
    assert.strictEqual(estimateBytes({ bytesScanned: 0, rangeMinutes: 60 }, 60), undefined);
    assert.deepStrictEqual([formatBytes(999), formatBytes(72_000_000), formatBytes(2.5e9)], ['999 bytes', '72.0 MB', '2.50 GB']);
  });
});
