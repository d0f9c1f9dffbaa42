import * as assert from 'assert';
import { binFor, parseInsightsTime, summaryQueries, timelineSeries } from '../../../../src/core/insights/summary';

describe('troubleshooting summaries', () => {
  it('picks a bin that keeps a range near a hundred points', () => {
    for (const [minutes, label] of [[15, '1m'], [60, '1m'], [360, '5m'], [1440, '15m'], [4320, '1h'], [10080, '2h'], [43200, '6h']] as const) {
      assert.strictEqual(binFor(minutes).label, label, `${minutes} minutes`);
      assert.ok(minutes * 60_000 / binFor(minutes).ms <= 200, 'at most 200 points');
    }
  });

  it('builds aggregate queries that read fields from logfmt and JSON lines alike', () => {
    const q = summaryQueries(60);
    assert.match(q.timeline, /\| stats count\(\*\) as n by bin\(1m\), msg$/);
    assert.match(q.topDenied, /min\(@timestamp\) as first, max\(@timestamp\) as last by arn/);
    const regex = new RegExp(/parse @message \/(.*)\/\n/.exec(q.timeline)![1]);
    assert.strictEqual(regex.exec('time="x" level=warning msg="access denied" arn="a"')?.groups?.msg, 'access denied');
    assert.strictEqual(regex.exec('{"level":"warning","msg":"access granted","arn":"a"}')?.groups?.msg, 'access granted');
  });

  it('turns the timeline rows into zero-filled series', () => {
    const bin = binFor(60);
    const start = Date.parse('2026-12-01T10:00:00Z');
    const rows = [
      { 'bin(1m)': '2026-12-01 10:02:00.000', msg: 'access granted', n: '3' },
      { 'bin(1m)': '2026-12-01 10:02:00.000', msg: 'access denied', n: '2' },
      { 'bin(1m)': '2026-12-01 10:04:00.000', msg: 'access denied', n: '1' },
      { 'bin(1m)': '2026-12-01 11:30:00.000', msg: 'access denied', n: '9' },
    ];
    const t = timelineSeries(rows, bin, start, start + 5 * 60_000);
    assert.deepStrictEqual(t.starts.map((s) => new Date(s).toISOString().slice(11, 16)), ['10:00', '10:01', '10:02', '10:03', '10:04']);
    assert.deepStrictEqual(t.granted, [0, 0, 3, 0, 0]);
    assert.deepStrictEqual(t.denied, [0, 0, 2, 0, 1], 'a row outside the range is left out');
    assert.strictEqual(parseInsightsTime('2026-12-01 10:02:00.000'), Date.parse('2026-12-01T10:02:00Z'));
  });
});
