// Fetching every event of a range past the 10,000-row cap, with the real SDK against the emulator's Logs Insights
// (whole-second bounds, StartQuery's limit), so the windows meet the service's semantics, not a fake's.
import * as assert from 'assert';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { startEmulator, Emulator } from '../../emulator/server';
import type { Scenario } from '../../emulator/state';
import { SdkLogsGateway } from '../../src/core/aws/logsGateway';
import { MAX_QUERY_LIMIT, runQuery } from '../../src/core/insights/query';
import { fetchInWindows } from '../../src/core/insights/windows';

describe('every event of a busy range, in windows (real SDK)', function () {
  this.timeout(60000);
  let emu: Emulator;
  const EVENTS = 24_000;
  before(async () => {
    const scenario: Scenario = {
      accountId: '111122223333',
      identities: [{ accessKeyId: 'AKIAWINDOWS000000001', secretAccessKey: 'w', arn: 'arn:aws:iam::111122223333:user/w', userId: 'AIDAW' }],
      clusters: [{ name: 'busy', region: 'us-east-1', authenticationMode: 'API', logging: ['authenticator'], authenticatorLogs: Array.from({ length: EVENTS }, (_, i) => ({ minutesAgo: 1 + (i % 58) + (i % 7) / 10, message: `time="x" level=info msg="access granted" arn="arn:aws:iam::111122223333:role/R${i}"` })) }],
    };
    emu = await startEmulator(scenario, { queryTiming: { scheduledMs: 0, runningMs: 10 } });
  });
  after(() => emu.close());

  it('gets all 24,000 events exactly once in a few windows of under 10,000', async () => {
    const logs = new SdkLogsGateway({ region: 'us-east-1' }, new CloudWatchLogsClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: { accessKeyId: 'AKIAWINDOWS000000001', secretAccessKey: 'w' }, maxAttempts: 1 }));
    const end = Date.now();
    const query = 'fields @timestamp, @message | filter @logStream like /authenticator/ | sort @timestamp desc';
    const result = await fetchInWindows((from, to) => runQuery(logs, { logGroupName: '/aws/eks/busy/cluster', queryString: query, startTime: from, endTime: to, limit: 10_000 }), end - 60 * 60_000, end, 10_000, { maxRows: 100_000, minWindowMs: 60_000 });
    assert.strictEqual(result.complete, true, result.reason);
    assert.strictEqual(result.rows.length, EVENTS);
    assert.strictEqual(new Set(result.rows.map((r) => r['@message'])).size, EVENTS, 'no event twice, none missing');
    assert.ok(result.windows <= 15, `${result.windows} windows`);
    const starts = emu.calls.filter((c) => c.operation === 'StartQuery');
    assert.ok(starts.every((c) => c.params.limit === 10_000));
  });

  it("with the service's 100,000-row limit, the same range is one query read in pages of 10,000", async () => {
    // StartQuery allows limit up to 100,000; GetQueryResults returns at most 10,000 rows per call and pages the rest
    // with nextToken (StartQueryRequest.limit and GetQueryResultsRequest.maxItems, @aws-sdk/client-cloudwatch-logs).
    emu.calls.length = 0;
    const logs = new SdkLogsGateway({ region: 'us-east-1' }, new CloudWatchLogsClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: { accessKeyId: 'AKIAWINDOWS000000001', secretAccessKey: 'w' }, maxAttempts: 1 }));
    const end = Date.now();
    const query = 'fields @timestamp, @message | filter @logStream like /authenticator/ | sort @timestamp desc';
    const result = await fetchInWindows((from, to) => runQuery(logs, { logGroupName: '/aws/eks/busy/cluster', queryString: query, startTime: from, endTime: to, limit: MAX_QUERY_LIMIT }), end - 60 * 60_000, end, MAX_QUERY_LIMIT, { maxRows: 100_000, minWindowMs: 60_000 });
    assert.strictEqual(result.complete, true, result.reason);
    assert.strictEqual(new Set(result.rows.map((r) => r['@message'])).size, EVENTS, 'every event once');
    assert.strictEqual(result.windows, 1);
    assert.strictEqual(emu.calls.filter((c) => c.operation === 'StartQuery').length, 1);
    const pages = emu.calls.filter((c) => c.operation === 'GetQueryResults' && c.params.nextToken !== undefined).length + 1;
    assert.strictEqual(pages, Math.ceil(EVENTS / 10_000), 'pages of at most 10,000 rows');
  });
});
