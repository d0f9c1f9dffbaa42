import * as assert from 'assert';
import { LiveRowStore, QueryRowStore } from '../../../../src/core/insights/rowStore';

/** A Logs Insights result row as GetQueryResults returns it (fields @timestamp, @message, @ptr). */
const row = (n: number) => ({ '@timestamp': `2026-12-01 10:00:${String(n).padStart(2, '0')}.000`, '@message': `msg="access granted" arn="arn:aws:iam::111122223333:role/R${n}"`, '@ptr': `ptr-${n}` });
const ptrs = (rows: readonly [string, string, string][]) => rows.map((r) => r[2]);

describe('query row store', () => {
  it('sends a running query’s growing results as appends, each row once', () => {
    const store = new QueryRowStore();
    store.setCumulative([row(1), row(2)]);
    assert.deepStrictEqual(store.takeUnsent().mode, 'replace');
    store.setCumulative([row(1), row(2), row(3)]);
    const next = store.takeUnsent();
    assert.deepStrictEqual([next.mode, ptrs(next.rows)], ['append', ['ptr-3']]);
    assert.deepStrictEqual(ptrs(store.takeUnsent().rows), [], 'nothing new, nothing sent');
  });

  it('starts the webview over when the results no longer hold a row it has', () => {
    const store = new QueryRowStore();
    store.setCumulative([row(1), row(2)]);
    store.takeUnsent();
    // Logs Insights re-sorts partial results: a row sent earlier may drop out of the newest `limit`.
    store.setCumulative([row(3), row(2)]);
    const next = store.takeUnsent();
    assert.deepStrictEqual([next.mode, ptrs(next.rows)], ['replace', ['ptr-3', 'ptr-2']]);
    assert.strictEqual(store.get('ptr-1'), undefined, 'a dropped row cannot be explained any more');
  });

  it('finds rows by @ptr, and keys a row without @ptr by its content', () => {
    const store = new QueryRowStore();
    store.setCumulative([row(1), { '@timestamp': 't', '@message': 'm' }]);
    assert.strictEqual(store.get('ptr-1')?.[1], row(1)['@message']);
    assert.deepStrictEqual(store.get('t|m'), ['t', 'm', 't|m']);
  });

  it('appends windows of Fetch every event, and sends everything again after a webview reload', () => {
    const store = new QueryRowStore();
    store.clear();
    store.append([row(1)]);
    assert.strictEqual(store.takeUnsent().mode, 'replace');
    store.append([row(2), row(3)]);
    assert.deepStrictEqual(ptrs(store.takeUnsent().rows), ['ptr-2', 'ptr-3']);
    store.resend();
    const again = store.takeUnsent();
    assert.deepStrictEqual([again.mode, ptrs(again.rows)], ['replace', ['ptr-1', 'ptr-2', 'ptr-3']]);
    store.clear();
    assert.deepStrictEqual([store.all.length, store.get('ptr-1'), store.takeUnsent().mode], [0, undefined, 'replace'], 'a new run starts empty');
  });
});

describe('live row store', () => {
  const event = (i: number) => ({ timestamp: Date.UTC(2026, 11, 1, 10, 0, 0, 5), message: `line ${i}`, logStreamName: 'authenticator-abc' });

  it('keeps events of the same stream and millisecond apart, in Insights’ time format', () => {
    const store = new LiveRowStore();
    const rows = store.add([event(1), event(2)]);
    assert.strictEqual(new Set(ptrs(rows)).size, 2);
    assert.strictEqual(rows[0][0], '2026-12-01 10:00:00.005');
  });

  it('keeps only the newest rows, and forgets the others for Explain', () => {
    const store = new LiveRowStore(3);
    const first = store.add([event(1), event(2)]);
    store.add([event(3), event(4)]);
    assert.deepStrictEqual(store.all.map((r) => r[1]), ['line 2', 'line 3', 'line 4']);
    assert.strictEqual(store.get(first[0][2]), undefined);
    assert.strictEqual(store.get(first[1][2])?.[1], 'line 2');
  });
});
