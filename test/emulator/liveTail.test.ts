// StartLiveTail through the real SDK against the emulator's event stream (API_StartLiveTail.html): the session
// start, one update per interval fed by concurrent PutLogEvents, stream-prefix filtering, the session limit, and
// ending a session by aborting the request.
import * as assert from 'assert';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand, StartLiveTailCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startEmulator, Emulator } from '../../emulator/server';
import { loadScenarioFile } from '../../emulator/state';
import { LiveTailBatch, SdkLogsGateway } from '../../src/core/aws/logsGateway';

const scenario = loadScenarioFile('demo');
const admin = scenario.identities[0];
const credentials = { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey };
const GROUP = '/aws/eks/prod-payments/cluster';
const ARN = `arn:aws:logs:us-east-1:111122223333:log-group:${GROUP}`;

describe('StartLiveTail (real SDK, event stream)', function () {
  this.timeout(30000);
  let emu: Emulator;
  const client = () => new CloudWatchLogsClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials, maxAttempts: 1, disableHostPrefix: true });
  const gateway = () => new SdkLogsGateway({ region: 'us-east-1', endpoints: { logs: emu.endpoint } }, client());
  const put = async (stream: string, messages: string[]) => {
    await client().send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: stream })).catch(() => undefined);
    await client().send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, logEvents: messages.map((message) => ({ timestamp: Date.now(), message })) }));
  };

  before(async () => {
    emu = await startEmulator(scenario, { liveTail: { updateMs: 100, maxSessionMs: 60_000 } });
  });
  after(() => emu.close());

  it('reads sessionStart and then the events PutLogEvents writes meanwhile, from the authenticator streams only', async () => {
    const quiet = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
    const printed: unknown[] = [];
    for (const k of Object.keys(quiet) as (keyof typeof quiet)[]) console[k] = (...a: unknown[]) => void printed.push(a);
    const abort = new AbortController();
    const batches: LiveTailBatch[] = [];
    try {
      const reading = (async () => {
        for await (const b of gateway().liveTail({ logGroupArns: [ARN], logStreamNamePrefixes: ['authenticator-'] }, abort.signal)) {
          batches.push(b);
          if (batches.flatMap((x) => x.events).length >= 3) abort.abort();
        }
      })();
      await new Promise((r) => setTimeout(r, 250));
      await put('kube-apiserver-abc', ['not an authenticator line']);
      await put('authenticator-live', ['time="2026-12-01T10:00:00Z" level=info msg="access granted" arn="arn:aws:iam::111122223333:role/PlatformAdmin"', 'second']);
      await put('authenticator-live', ['third']);
      await reading;
    } finally {
      Object.assign(console, quiet);
    }
    const events = batches.flatMap((b) => b.events);
    assert.deepStrictEqual(events.map((e) => e.message.slice(0, 30)), ['time="2026-12-01T10:00:00Z" le', 'second', 'third']);
    assert.ok(events.every((e) => e.logStreamName === 'authenticator-live' && e.timestamp > 0));
    assert.ok(batches.some((b) => b.events.length === 0), 'an update arrives every interval, empty when nothing came');
    // The tests run on Node 22 or later (scripts/node.sh), where the SDK has no Node version notice to print either.
    assert.deepStrictEqual(printed, [], 'nothing of the stream was written to the console (aws/aws-sdk-js-v3#7070)');
  });

  it('ends with SessionTimeoutException at the session limit', async () => {
    const short = await startEmulator(scenario, { liveTail: { updateMs: 50, maxSessionMs: 300 } });
    try {
      const gw = new SdkLogsGateway({ region: 'us-east-1' }, new CloudWatchLogsClient({ region: 'us-east-1', endpoint: short.endpoint, credentials, maxAttempts: 1, disableHostPrefix: true }));
      let updates = 0;
      await assert.rejects(
        (async () => {
          const session = gw.liveTail({ logGroupArns: [ARN] }, new AbortController().signal)[Symbol.asyncIterator]();
          while (!(await session.next()).done) updates++;
        })(),
        (e: Error) => e.name === 'SessionTimeoutException',
      );
      assert.ok(updates >= 3, `${updates} updates before the limit`);
    } finally {
      await short.close();
    }
  });

  it('refuses what the service refuses, as errors the SDK knows', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ logGroupIdentifiers: [] }, 'InvalidParameterException'],
      [{ logGroupIdentifiers: [`${ARN}:*`] }, 'InvalidParameterException'],
      [{ logGroupIdentifiers: ['arn:aws:logs:us-east-1:111122223333:log-group:/nope'] }, 'ResourceNotFoundException'],
      [{ logGroupIdentifiers: [ARN], logStreamNames: ['a'], logStreamNamePrefixes: ['b'] }, 'InvalidParameterException'],
    ];
    for (const [input, name] of cases) {
      await assert.rejects(client().send(new StartLiveTailCommand(input as never)), (e: Error) => e.name === name, JSON.stringify(input));
    }
  });
});
