import * as assert from 'assert';
import type { LogsGateway } from '../../../../src/core/aws/logsGateway';
import { runQuery, statusProblem } from '../../../../src/core/insights/query';

/** A hand-written fake that answers a scripted list of statuses and records calls. */
function fakeLogs(statuses: string[]) {
  const calls: string[] = [];
  let i = 0;
  const gw: Pick<LogsGateway, 'startQuery' | 'getQueryResults' | 'stopQuery'> = {
    async startQuery() {
      calls.push('start');
      return 'q-1';
    },
    async getQueryResults() {
      calls.push('get');
      const status = statuses[Math.min(i++, statuses.length - 1)];
      const rows = status === 'Complete' ? 3 : status === 'Running' ? 1 : 0;
      return { $metadata: {}, status: status as never, results: Array.from({ length: rows }, (_, n) => [{ field: '@message', value: `m${n}` }, { field: '@ptr', value: `p${n}` }]), statistics: { recordsMatched: rows, recordsScanned: 10, bytesScanned: 100 } };
    },
    async stopQuery() {
      calls.push('stop');
      return true;
    },
  };
  return { gw, calls };
}

describe('Logs Insights query runner', () => {
  it('reads every page of a complete result (GetQueryResults nextToken)', async () => {
    const pages: Record<string, { rows: string[]; next?: string }> = { '': { rows: ['a', 'b'], next: 't1' }, t1: { rows: ['c'], next: 't2' }, t2: { rows: ['d'] } };
    const tokens: (string | undefined)[] = [];
    const gw: Pick<LogsGateway, 'startQuery' | 'getQueryResults' | 'stopQuery'> = {
      startQuery: async () => 'q',
      async getQueryResults(_id, token) {
        tokens.push(token);
        const p = pages[token ?? ''];
        return { $metadata: {}, status: 'Complete', nextToken: p.next, results: p.rows.map((m) => [{ field: '@message', value: m }]), statistics: {} };
      },
      stopQuery: async () => true,
    };
    const result = await runQuery(gw, { logGroupName: 'g', queryString: 'q', startTime: 0, endTime: 1 });
    assert.deepStrictEqual(result.rows.map((r) => r['@message']), ['a', 'b', 'c', 'd']);
    assert.deepStrictEqual(tokens, [undefined, 't1', 't2']);
  });

  const input = { logGroupName: '/aws/eks/c/cluster', queryString: 'fields @message', startTime: 0, endTime: 1000 };

  it('polls with a growing interval capped at 1 s and returns the complete rows', async () => {
    const { gw } = fakeLogs(['Scheduled', 'Running', 'Running', 'Running', 'Running', 'Complete']);
    const waits: number[] = [];
    const partials: number[] = [];
    const result = await runQuery(gw, input, { sleep: async (ms) => void waits.push(ms), onProgress: (p) => partials.push(p.rows.length) });
    assert.strictEqual(result.status, 'Complete');
    assert.deepStrictEqual(result.rows.map((r) => r['@message']), ['m0', 'm1', 'm2']);
    assert.deepStrictEqual(waits, [100, 400, 700, 1000, 1000]);
    assert.deepStrictEqual(partials, [0, 1, 1, 1, 1]);
  });

  it('stops the query on the service when cancelled', async () => {
    const { gw, calls } = fakeLogs(['Running']);
    let cancelled = false;
    const result = await runQuery(gw, input, { sleep: async () => void (cancelled = true), isCancelled: () => cancelled });
    assert.strictEqual(result.status, 'Cancelled');
    assert.deepStrictEqual(calls, ['start', 'get', 'stop']);
  });

  it('names what to do for each unsuccessful status', () => {
    assert.strictEqual(statusProblem('Complete'), undefined);
    assert.match(statusProblem('Failed')!, /failed/);
    assert.match(statusProblem('Timeout')!, /Narrow the time range/);
    assert.match(statusProblem('Cancelled')!, /cancelled/);
  });
});
