import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Emulator } from '../../emulator/server';
import type { TroubleshootPanel } from '../../src/features/insights/panel';
import type { HostMessage } from '../../src/webview/insights/protocol';
import { answerPrompts, clusterNode, emulator, runQuietly, waitFor, withEmulator } from './helpers';


/** Records every message the host posts to the panel's webview; `original` restores the real postMessage. */
function recordPosts(panel: TroubleshootPanel) {
  const posted: HostMessage[] = [];
  const original = panel.panel.webview.postMessage.bind(panel.panel.webview);
  panel.panel.webview.postMessage = (m: HostMessage) => {
    posted.push(m);
    return original(m);
  };
  return { posted, original };
}

const results = (panel: TroubleshootPanel) => ({ ...(panel.lastMessage as Extract<HostMessage, { type: 'results' }>), rows: panel.currentRows });

describe('troubleshooting command against the emulator', function () {
  this.timeout(60000);
  let emu: Emulator;
  withEmulator((e) => (emu = e));

  it('runs the runbook query on the cluster log group and shows every row with its outcome and counts', async () => {
    const panel = await vscode.commands.executeCommand<TroubleshootPanel>('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'prod-payments'), 60);
    assert.ok(panel, 'a panel opened');
    const start = emu.calls.find((c) => c.operation === 'StartQuery')!;
    assert.strictEqual(start.params.logGroupName, '/aws/eks/prod-payments/cluster');
    assert.match(String(start.params.queryString), /filter @logStream like \/authenticator\//);
    assert.ok(Number(start.params.endTime) - Number(start.params.startTime) >= 3599, 'one hour, in seconds');
    const msg = results(panel);
    assert.strictEqual(msg.final, true);
    assert.strictEqual(msg.header.status, 'Complete');
    assert.strictEqual(msg.rows.length, 15);
    const count = (o: string) => msg.rows.filter((r) => r.outcome === o).length;
    assert.deepStrictEqual(
      { granted: count('granted'), unmapped: count('denied-unmapped'), expired: count('token-expired'), throttled: count('throttled') },
      { granted: 4, unmapped: 3, expired: 1, throttled: 1 },
    );
    assert.ok(msg.rows.some((r) => r.raw.includes('<script>')), 'hostile lines are kept as text');
    assert.ok(emu.calls.filter((c) => c.operation === 'GetQueryResults').length >= 2, 'polled until Complete');
  });

  it('narrows to the chosen time range', async () => {
    const panel = await vscode.commands.executeCommand<TroubleshootPanel>('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'prod-payments'), 13);
    assert.strictEqual(results(panel).rows.length, 9, 'events from the last 13 minutes only');
    assert.strictEqual(results(panel).header.range, 'last 13 minutes');
  });

  it('explains a denied row with the near miss and the fix', async () => {
    const panel = await vscode.commands.executeCommand<TroubleshootPanel>('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'prod-payments'), 60);
    const rows = results(panel).rows;
    const sso = rows.find((r) => r.arn.includes('AWSReservedSSO_Developers'))!.ptr;
    const explanation = await panel.explain(sso);
    assert.match(explanation!.verdict, /Unauthorized/);
    assert.ok(explanation!.nearMisses.some((n) => /path/.test(n)), explanation!.nearMisses.join(' | '));
    assert.strictEqual(explanation!.fix?.kind, 'openAwsAuth');
    const data = rows.find((r) => r.arn.endsWith('role/DataScientist'))!.ptr;
    const dataExplained = await panel.explain(data);
    assert.ok(dataExplained!.nearMisses.some((n) => /session ARN/.test(n)));
  });

  it('stops the query on the service when the panel closes while it runs', async () => {
    const slow = await emulator();
    // The panels of earlier tests stop their summary queries when closed; let that settle, so every call seen here is this run's.
    for (let seen = -1; seen !== slow.calls.length; ) {
      seen = slow.calls.length;
      await new Promise((r) => setTimeout(r, 500));
    }
    slow.calls.length = 0;
    slow.faults.push({ target: 'logs:GetQueryResults', kind: 'latency', latencyMs: 400 });
    const running = vscode.commands.executeCommand<TroubleshootPanel>('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'prod-payments'), 60);
    await waitFor(() => slow.calls.some((c) => c.operation === 'GetQueryResults'), 'polling to start');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await running;
    await waitFor(() => slow.calls.some((c) => c.operation === 'StopQuery'), 'StopQuery');
  });

  it('offers to enable authenticator logging instead of running a query that can only be empty', async () => {
    const prompts = answerPrompts(['Enable Authenticator Logging']);
    try {
      const panel = await vscode.commands.executeCommand('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'legacy-batch'), 60);
      assert.strictEqual(panel, undefined);
    } finally {
      prompts.restore();
    }
    assert.match(prompts.asked[0], /does not send authenticator logs/);
    assert.ok(!emu.calls.some((c) => c.operation === 'StartQuery'));
    const update = emu.calls.find((c) => c.operation === 'UpdateClusterConfig')!;
    assert.deepStrictEqual((update.params.logging as { clusterLogging: unknown[] }).clusterLogging, [{ types: ['authenticator'], enabled: true }]);
  });

  for (const [name, setup, expected] of [
    ['a missing log group', (e: Emulator) => e.state.logGroups.clear(), /No log group \/aws\/eks\/prod-payments\/cluster/],
    ['AccessDenied', (e: Emulator) => e.faults.push({ target: 'logs:StartQuery', kind: 'accessDenied' }), /logs:StartQuery/],
    ['expired credentials', (e: Emulator) => e.faults.push({ target: 'logs:StartQuery', kind: 'expiredToken' }), /credentials have expired/],
    ['too many concurrent queries', (e: Emulator) => e.faults.push({ target: 'logs:StartQuery', kind: 'limitExceeded' }), /Too many Logs Insights queries/],
  ] as const) {
    it(`explains ${name} in the panel and a notification`, async () => {
      setup(emu);
      const { result: panel, asked } = await runQuietly<TroubleshootPanel>('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'prod-payments'), 60);
      const message = panel.lastMessage as Extract<HostMessage, { type: 'error' }>;
      assert.strictEqual(message.type, 'error');
      assert.match(message.message, expected);
      assert.ok(asked.some((a) => a.startsWith('showErrorMessage') && expected.test(a)), asked.join(' | '));
    });
  }

  for (const status of ['Failed', 'Timeout'] as const) {
    it(`says what to do when the query ends ${status}`, async () => {
      emu.faults.push({ target: 'logs:StartQuery', kind: 'queryStatus', status, times: 1 });
      const { result: panel } = await runQuietly<TroubleshootPanel>('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'prod-payments'), 60);
      const message = panel.lastMessage as Extract<HostMessage, { type: 'error' }>;
      assert.strictEqual(message.type, 'error');
      assert.match(message.message, status === 'Failed' ? /query failed/ : /timed out/);
    });
  }

  it('runs an edited query from a Logs Insights document with the Run query code lens', async () => {
    const panel = await vscode.commands.executeCommand<TroubleshootPanel>('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'prod-payments'), 60);
    const doc = await vscode.workspace.openTextDocument({ language: 'eks-auth-insights', content: 'fields @timestamp, @message\n| filter @message like /access granted/\n| sort @timestamp desc' });
    await vscode.window.showTextDocument(doc);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    assert.strictEqual(lenses[0].command?.command, 'eksAuth.insights.runQueryDocument');
    assert.match(lenses[0].command!.title, /prod-payments/);
    await vscode.commands.executeCommand(lenses[0].command!.command, ...(lenses[0].command!.arguments ?? []));
    assert.ok(results(panel).rows.every((r) => r.outcome === 'granted'));
    assert.strictEqual(results(panel).rows.length, 4);
  });
});

describe('troubleshooting panel state', function () {
  this.timeout(60000);
  let emu: Emulator;
  withEmulator((e) => (emu = e));

  it('drops everything a replaced run posts: Re-run while a query runs shows only the new run', async () => {
    emu.faults.push({ target: 'logs:GetQueryResults', kind: 'latency', latencyMs: 300 });
    const panel = await vscode.commands.executeCommand<TroubleshootPanel>('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'prod-payments'), 60);
    const { posted, original } = recordPosts(panel);
    try {
      const first = panel.run();
      await waitFor(() => posted.some((m) => m.type === 'results' && !m.final), 'the first run to start');
      const firstRun = panel.currentRunId;
      const second = await panel.run('fields @timestamp, @message | filter @message like /access denied/ | sort @timestamp desc');
      const firstResult = await first;
      assert.strictEqual(firstResult?.status, 'Cancelled', 'the replaced run was stopped on the service');
      assert.ok(emu.calls.some((c) => c.operation === 'StopQuery'));
      const afterReplace = posted.slice(posted.findIndex((m) => m.type === 'results' && m.runId === panel.currentRunId));
      assert.ok(afterReplace.length > 0);
      assert.deepStrictEqual(afterReplace.filter((m) => 'runId' in m && m.runId === firstRun), [], 'nothing of the first run after the second started');
      assert.strictEqual(second?.status, 'Complete');
      const last = panel.lastMessage as Extract<HostMessage, { type: 'results' }>;
      assert.deepStrictEqual([last.type, last.runId, last.final, last.header.status], ['results', panel.currentRunId, true, 'Complete']);
      assert.strictEqual(panel.currentRows.length, second!.rows.length);
      assert.ok(panel.currentRows.length > 0 && panel.currentRows.length < 15, "the second run's rows only, not the first run's 15");
      assert.ok(panel.currentRows.every((r) => r.raw.includes('access denied')));
    } finally {
      panel.panel.webview.postMessage = original;
    }
  });

  it('summarises the whole range on the service: the timeline totals and top denied agree with the rows', async () => {
    const panel = await vscode.commands.executeCommand<TroubleshootPanel>('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'prod-payments'), 60);
    await waitFor(() => panel.summary, 'the summary');
    const summary = panel.summary!;
    const rows = panel.currentRows;
    const sum = (xs: number[]) => xs.reduce((t, n) => t + n, 0);
    assert.strictEqual(sum(summary.granted), rows.filter((r) => / msg="access granted"|"msg":"access granted"/.test(r.raw)).length);
    assert.strictEqual(sum(summary.denied), rows.filter((r) => / msg="access denied"|"msg":"access denied"/.test(r.raw)).length);
    assert.ok(sum(summary.denied) > 0 && sum(summary.granted) > 0);
    assert.strictEqual(summary.binLabel, '1m');
    assert.ok(summary.starts.length >= 60 && summary.starts.length <= 61, `${summary.starts.length} one-minute intervals in an hour`);
    const deniedBy = new Map<string, number>();
    for (const r of rows) if (/access denied/.test(r.raw) && r.arn.startsWith('arn:')) deniedBy.set(r.arn, (deniedBy.get(r.arn) ?? 0) + 1);
    const [arn, n] = [...deniedBy].sort((a, b) => b[1] - a[1])[0];
    assert.strictEqual(summary.topDenied[0].n, n);
    assert.strictEqual(deniedBy.get(summary.topDenied[0].arn), n, `${arn} or another principal denied as often`);
    const starts = emu.calls.filter((c) => c.operation === 'StartQuery').map((c) => String(c.params.queryString));
    assert.ok(starts.some((q) => /stats count\(\*\) as n by bin\(1m\), msg/.test(q)), 'the timeline is aggregated by Logs Insights');
  });

  it('counts the whole range in the summary when the rows stop at eksAuth.insights.limit', async () => {
    const config = vscode.workspace.getConfiguration('eksAuth');
    await config.update('insights.limit', 5, vscode.ConfigurationTarget.Global);
    try {
      const panel = await vscode.commands.executeCommand<TroubleshootPanel>('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'prod-payments'), 60);
      assert.strictEqual(panel.currentRows.length, 5);
      assert.strictEqual(results(panel).header.limit, 5, 'the webview is told the limit, to say the list is cut short');
      await waitFor(() => panel.summary, 'the summary');
      const total = panel.summary!.granted.concat(panel.summary!.denied).reduce((t, n) => t + n, 0);
      assert.ok(total > 5, `the summary counts ${total} events, more than the 5 rows`);
      const summary = panel.summary;
      const all = await panel.fetchAll();
      assert.deepStrictEqual([all?.complete, all?.rows.length, panel.currentRows.length], [true, 15, 15], 'Fetch every event brings the whole range');
      assert.strictEqual(results(panel).header.limit, undefined, 'and the notice goes away');
      assert.strictEqual(panel.summary, summary, 'the summary and its timeline stay: the range is the same');
      assert.strictEqual(results(panel).keepSummary, true, 'and the webview is told to keep them');
    } finally {
      await config.update('insights.limit', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('tails the authenticator streams live: events written meanwhile appear as rows, explainable, until the panel closes', async () => {
    const panel = await vscode.commands.executeCommand<TroubleshootPanel>('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'prod-payments'), 60);
    const { posted } = recordPosts(panel);
    const before = panel.currentRows.length;
    const tail = panel.startTail();
    await waitFor(() => posted.some((m) => m.type === 'tail' && m.running), 'the tail to start');
    const { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const [admin] = emu.state.identities;
    const logs = new CloudWatchLogsClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey } });
    const group = '/aws/eks/prod-payments/cluster';
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'authenticator-live-test' }));
    const line = 'time="2026-12-01T10:00:00Z" level=warning msg="access denied" arn="arn:aws:iam::111122223333:role/LiveIntruder" client="10.0.0.9:1234" error="ARN is not mapped"';
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'authenticator-live-test', logEvents: [{ timestamp: Date.now(), message: line }] }));
    const live = await waitFor(() => panel.currentRows.find((r) => r.arn.endsWith('role/LiveIntruder')), 'the live row');
    assert.strictEqual(live.outcome, 'denied-unmapped', 'classified like any row');
    assert.strictEqual(panel.currentRows.length, before + 1);
    assert.strictEqual((await panel.explain(live.ptr))?.principal, 'arn:aws:iam::111122223333:role/LiveIntruder');
    assert.ok(posted.some((m) => m.type === 'tailRows' && m.rows.some((r) => r[1] === line)), 'the row was sent to the webview');
    const start = emu.calls.find((c) => c.operation === 'StartLiveTail')!;
    assert.deepStrictEqual([start.params.logGroupIdentifiers, start.params.logStreamNamePrefixes], [['arn:aws:logs:us-east-1:111122223333:log-group:/aws/eks/prod-payments/cluster'], ['authenticator-']]);
    panel.panel.dispose();
    await tail;
    assert.strictEqual(panel.tailing, false, 'closing the panel ends the session');
  });

  it('shows another range in the same tab when the user changes the range', async () => {
    const node = await clusterNode('us-east-1', 'prod-payments');
    const panel = await vscode.commands.executeCommand<TroubleshootPanel>('eksAuth.insights.troubleshoot', node, 60);
    const prompts = answerPrompts(['Last 15 minutes']);
    try {
      await panel.changeRange();
    } finally {
      prompts.restore();
    }
    const webviewTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
    assert.strictEqual(webviewTabs().length, 1, 'no second panel');
    assert.deepStrictEqual([panel.state.rangeMinutes, results(panel).header.range, panel.panel.title], [15, 'last 15 minutes', 'Auth: prod-payments (last 15 minutes)']);
    assert.strictEqual(await vscode.commands.executeCommand<TroubleshootPanel>('eksAuth.insights.troubleshoot', node, 15), panel, 'the tab is found under its new range');
    assert.strictEqual(webviewTabs().length, 1);
  });

  it('answers an explanation request for the row it names by @ptr, with the request id', async () => {
    const panel = await vscode.commands.executeCommand<TroubleshootPanel>('eksAuth.insights.troubleshoot', await clusterNode('us-east-1', 'prod-payments'), 60);
    const rows = panel.currentRows;
    assert.strictEqual(new Set(rows.map((r) => r.ptr)).size, rows.length, 'every row has its own @ptr');
    const target = rows.find((r) => r.arn.endsWith('role/DataScientist'))!;
    const explanation = await panel.explain(target.ptr);
    assert.strictEqual(explanation?.principal, target.arn);
    assert.strictEqual(await panel.explain('no-such-ptr'), undefined);
  });
});
