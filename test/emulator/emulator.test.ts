import * as https from 'https';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import * as assert from 'assert';
import {
  EKSClient,
  ListClustersCommand,
  paginateListClusters,
  DescribeClusterCommand,
  CreateAccessEntryCommand,
  UpdateClusterConfigCommand,
  AssociateAccessPolicyCommand,
  DescribeAccessEntryCommand,
  DescribeUpdateCommand,
  ListAccessEntriesCommand,
  UpdateAccessEntryCommand,
} from '@aws-sdk/client-eks';
import { CloudWatchLogsClient, CreateLogGroupCommand, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, DescribeLogGroupsCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetRoleCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { startEmulator, Emulator } from '../../emulator/server';
import { loadScenarioFile } from '../../emulator/state';
import { SdkEksGateway } from '../../src/core/aws/eksGateway';
import { isUnknown, knownRoles, listNodeRoles } from '../../src/core/clusters/nodeRoles';
import { ClientNodeKubeGateway, ConflictError } from '../../src/core/aws/kubeGateway';
import { getEksToken } from '../../src/core/aws/token';
import { parseAuthenticatorLine } from '../../src/core/insights/parser';
import { summaryQueries, timelineSeries } from '../../src/core/insights/summary';

const scenario = loadScenarioFile('demo');
const admin = scenario.identities[0];
const creds = { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey };

describe('emulator (real SDK clients)', function () {
  this.timeout(20000);
  let emu: Emulator;
  const eks = (region = 'us-east-1') => new EKSClient({ region, endpoint: emu.endpoint, credentials: creds, maxAttempts: 1 });
  const logs = (region = 'us-east-1') => new CloudWatchLogsClient({ region, endpoint: emu.endpoint, credentials: creds, maxAttempts: 1 });
  const sts = (c = creds) => new STSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: c, maxAttempts: 1 });

  before(async () => {
    emu = await startEmulator(scenario, { queryTiming: { scheduledMs: 60, runningMs: 200 }, updateDelayMs: 100 });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  describe('EKS', () => {
    it('lists clusters per region and pages past one page', async () => {
      const names: string[] = [];
      for await (const page of paginateListClusters({ client: eks(), pageSize: 1 }, {})) names.push(...(page.clusters ?? []));
      assert.deepStrictEqual(names, ['legacy-batch', 'prod-payments']);
      assert.strictEqual(emu.calls.filter((c) => c.operation === 'ListClusters').length, 2);
      const eu = await eks('eu-west-1').send(new ListClustersCommand({}));
      assert.deepStrictEqual(eu.clusters, ['platform-api', 'staging-web']);
    });

    it('describes a cluster with access config, logging, OIDC and a reachable Kubernetes endpoint', async () => {
      const { cluster } = await eks().send(new DescribeClusterCommand({ name: 'prod-payments' }));
      assert.strictEqual(cluster?.accessConfig?.authenticationMode, 'API_AND_CONFIG_MAP');
      assert.ok(cluster?.logging?.clusterLogging?.some((l) => l.enabled && l.types?.includes('authenticator')));
      assert.match(cluster?.identity?.oidc?.issuer ?? '', /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\//);
      assert.match(cluster?.endpoint ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(cluster?.createdAt instanceof Date);
      assert.ok(Buffer.from(cluster?.certificateAuthority?.data ?? '', 'base64').toString().includes('BEGIN CERTIFICATE'));
    });

    it('answers a missing cluster with ResourceNotFoundException', async () => {
      await assert.rejects(eks().send(new DescribeClusterCommand({ name: 'nope' })), (e: Error) => e.name === 'ResourceNotFoundException' && /No cluster found for name: nope/.test(e.message));
    });

    it('runs access entry CRUD and policy association through the gateway', async () => {
      const gw = new SdkEksGateway({ region: 'us-east-1' }, eks());
      const arn = 'arn:aws:iam::111122223333:role/NewTeam';
      const created = await gw.createAccessEntry('prod-payments', { principalArn: arn, kubernetesGroups: ['team'] });
      assert.strictEqual(created.username, 'arn:aws:sts::111122223333:assumed-role/NewTeam/{{SessionName}}');
      await gw.associateAccessPolicy('prod-payments', arn, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', { type: 'namespace', namespaces: ['a'] });
      const policies = await gw.listAssociatedAccessPolicies('prod-payments', arn);
      assert.deepStrictEqual(policies.map((p) => [p.policyArn, p.accessScope?.type, p.accessScope?.namespaces]), [['arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', 'namespace', ['a']]]);
      await gw.disassociateAccessPolicy('prod-payments', arn, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy');
      assert.deepStrictEqual(await gw.listAssociatedAccessPolicies('prod-payments', arn), []);
      await gw.deleteAccessEntry('prod-payments', arn);
      await assert.rejects(gw.describeAccessEntry('prod-payments', arn), { name: 'ResourceNotFoundException' });
      assert.ok((await gw.listAccessPolicies()).some((p) => p.name === 'AmazonEKSClusterAdminPolicy'));
    });

    it('describes node groups and Fargate profiles with their roles, and updates an access entry', async () => {
      const gw = new SdkEksGateway({ region: 'us-east-1' }, eks());
      const nodegroups = await gw.listNodegroups('prod-payments');
      assert.deepStrictEqual(nodegroups.map((n) => [n.nodegroupName, n.nodeRole]), [
        ['general', 'arn:aws:iam::111122223333:role/NodeInstanceRole-prod'],
        ['windows', 'arn:aws:iam::111122223333:role/NodeInstanceRole-windows'],
      ]);
      const fargate = await new SdkEksGateway({ region: 'eu-west-1' }, eks('eu-west-1')).listFargateProfiles('platform-api');
      assert.deepStrictEqual(fargate.map((f) => [f.fargateProfileName, f.podExecutionRoleArn, f.selectors?.map((x) => x.namespace)]), [['serverless', 'arn:aws:iam::111122223333:role/platform-api-fargate', ['serverless', 'jobs']]]);
      const updated = await eks().send(new UpdateAccessEntryCommand({ clusterName: 'prod-payments', principalArn: 'arn:aws:iam::111122223333:role/Developer', kubernetesGroups: ['devs', 'readers'], username: 'dev' }));
      assert.deepStrictEqual([updated.accessEntry?.username, updated.accessEntry?.kubernetesGroups], ['dev', ['devs', 'readers']]);
      await assert.rejects(eks().send(new UpdateAccessEntryCommand({ clusterName: 'prod-payments', principalArn: 'arn:aws:iam::111122223333:role/NodeInstanceRole-prod', kubernetesGroups: ['x'] })), { name: 'InvalidParameterException' });
    });

    it('lists the node roles with their entry types, or says why not when ListNodegroups is denied (the SDK\'s AccessDeniedException)', async () => {
      const gw = new SdkEksGateway({ region: 'us-east-1' }, eks());
      const roles = await listNodeRoles(gw, 'prod-payments', 'dev');
      assert.deepStrictEqual(knownRoles(roles).map((r) => [r.label, r.entryType]), [['node group general', 'EC2_LINUX'], ['node group windows', 'EC2_WINDOWS']]);
      emu.faults.push({ target: 'eks:ListNodegroups', kind: 'accessDenied', times: 1 });
      const denied = await listNodeRoles(gw, 'prod-payments', 'dev');
      assert.ok(isUnknown(denied), JSON.stringify(denied));
      assert.match(denied.unknown, /^the node groups could not be listed: Access denied: the identity may not call eks:ListNodegroups\./);
    });

    it('pages access entries', async () => {
      const first = await eks().send(new ListAccessEntriesCommand({ clusterName: 'prod-payments', maxResults: 2 }));
      assert.strictEqual(first.accessEntries?.length, 2);
      assert.ok(first.nextToken);
      const rest = await eks().send(new ListAccessEntriesCommand({ clusterName: 'prod-payments', maxResults: 100, nextToken: first.nextToken }));
      assert.strictEqual((rest.accessEntries?.length ?? 0) + 2, 5);
    });

    it('rejects what the service rejects', async () => {
      const create = (input: object, cluster = 'prod-payments') => eks().send(new CreateAccessEntryCommand({ clusterName: cluster, principalArn: '', ...input }));
      await assert.rejects(create({ principalArn: 'arn:aws:iam::111122223333:role/X', username: 'system:admin' }), (e: Error) => e.name === 'InvalidParameterException' && /cannot start with system:/.test(e.message));
      await assert.rejects(create({ principalArn: 'arn:aws:iam::111122223333:role/X', username: 'ds{{SessionName}}' }), (e: Error) => e.name === 'InvalidParameterException' && /colon before it/.test(e.message));
      await assert.rejects(create({ principalArn: 'arn:aws:iam::111122223333:role/X', type: 'NODE' }), (e: Error) => /Unknown access entry type NODE/.test(e.message));
      await assert.rejects(create({ principalArn: 'arn:aws:iam::111122223333:user/u', type: 'FARGATE_LINUX' }), (e: Error) => /need an IAM role/.test(e.message));
      await assert.rejects(create({ principalArn: 'arn:aws:iam::999999999999:role/N', type: 'EC2_LINUX' }), (e: Error) => /cluster's account 111122223333/.test(e.message));
      await assert.rejects(create({ principalArn: 'arn:aws:iam::111122223333:role/N', type: 'EC2_LINUX', username: 'n' }), (e: Error) => /username cannot be set/.test(e.message));
      await assert.rejects(create({ principalArn: 'arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS' }), (e: Error) => /not allowed to modify access entries with a principalArn value of a Service Linked Role/.test(e.message));
      // The principals below exist in IAM (EKS refuses one that does not: see fidelity.test.ts).
      emu.state.iam.roles.push('arn:aws:iam::999999999999:role/CrossAccount', 'arn:aws:iam::111122223333:role/AutoNode', 'arn:aws:iam::111122223333:role/X');
      const other = await create({ principalArn: 'arn:aws:iam::999999999999:role/CrossAccount', username: 'x:{{SessionName}}' });
      assert.strictEqual(other.accessEntry?.username, 'x:{{SessionName}}', 'STANDARD entries may name another account, and a colon before {{SessionName}} is fine');
      await create({ principalArn: 'arn:aws:iam::111122223333:role/AutoNode', type: 'EC2' });
      const associate = (policy: string) => eks().send(new AssociateAccessPolicyCommand({ clusterName: 'prod-payments', principalArn: 'arn:aws:iam::111122223333:role/AutoNode', policyArn: `arn:aws:eks::aws:cluster-access-policy/${policy}`, accessScope: { type: 'cluster' } }));
      await associate('AmazonEKSAutoNodePolicy');
      await assert.rejects(associate('AmazonEKSClusterAdminPolicy'), (e: Error) => /take only AmazonEKSAutoNodePolicy/.test(e.message));
      await assert.rejects(create({ principalArn: 'arn:aws:iam::111122223333:role/X', kubernetesGroups: ['system:masters'] }), { name: 'InvalidParameterException' });
      await assert.rejects(create({ principalArn: 'arn:aws:sts::111122223333:assumed-role/X/s' }), { name: 'InvalidParameterException' });
      await assert.rejects(create({ principalArn: 'arn:aws:iam::111122223333:role/PlatformAdmin' }), { name: 'ResourceInUseException' });
      await assert.rejects(create({ principalArn: 'arn:aws:iam::111122223333:role/X' }, 'legacy-batch'), (e: Error) => e.name === 'InvalidRequestException' && /authentication mode/.test(e.message));
      await assert.rejects(create({ principalArn: 'arn:aws:iam::111122223333:role/N', type: 'EC2_LINUX', kubernetesGroups: ['a'] }), { name: 'InvalidParameterException' });
    });

    it('changes the authentication mode one way only and reports the update', async () => {
      await assert.rejects(
        eks().send(new UpdateClusterConfigCommand({ name: 'prod-payments', accessConfig: { authenticationMode: 'CONFIG_MAP' } })),
        (e: Error) => e.name === 'InvalidParameterException' && e.message === 'Unsupported authentication mode update from API_AND_CONFIG_MAP to CONFIG_MAP',
      );
      const { update } = await eks().send(new UpdateClusterConfigCommand({ name: 'prod-payments', accessConfig: { authenticationMode: 'API' } }));
      assert.strictEqual(update?.status, 'InProgress');
      await new Promise((r) => setTimeout(r, 150));
      const done = await eks().send(new DescribeUpdateCommand({ name: 'prod-payments', updateId: update!.id! }));
      assert.strictEqual(done.update?.status, 'Successful');
      const { cluster } = await eks().send(new DescribeClusterCommand({ name: 'prod-payments' }));
      assert.strictEqual(cluster?.accessConfig?.authenticationMode, 'API');
      await assert.rejects(eks().send(new UpdateClusterConfigCommand({ name: 'legacy-batch', accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } })), /platform version eks\.5/);
    });

    it('refuses CONFIG_MAP to API in one step, two kinds of update in one call, and an update while another runs', async () => {
      await assert.rejects(
        eks('eu-west-1').send(new UpdateClusterConfigCommand({ name: 'staging-web', accessConfig: { authenticationMode: 'API' } })),
        (e: Error) => e.name === 'InvalidParameterException' && e.message === 'Unsupported authentication mode update from CONFIG_MAP to API',
      );
      await assert.rejects(
        eks().send(new UpdateClusterConfigCommand({ name: 'prod-payments', accessConfig: { authenticationMode: 'API' }, logging: { clusterLogging: [{ types: ['audit'], enabled: true }] } })),
        (e: Error) => e.name === 'InvalidParameterException' && e.message === 'Only one type of update can be allowed.',
      );
      const { update } = await eks().send(new UpdateClusterConfigCommand({ name: 'prod-payments', logging: { clusterLogging: [{ types: ['controllerManager'], enabled: true }] } }));
      const { cluster } = await eks().send(new DescribeClusterCommand({ name: 'prod-payments' }));
      assert.strictEqual(cluster?.status, 'UPDATING', 'the cluster shows UPDATING until the update ends');
      await assert.rejects(eks().send(new UpdateClusterConfigCommand({ name: 'prod-payments', accessConfig: { authenticationMode: 'API' } })), (e: Error) => e.name === 'ResourceInUseException' && e.message.includes(update!.id!));
      await new Promise((r) => setTimeout(r, 150));
      assert.strictEqual((await eks().send(new DescribeClusterCommand({ name: 'prod-payments' }))).cluster?.status, 'ACTIVE');
    });

    it('answers "No changes needed" when a log type is already as asked', async () => {
      await assert.rejects(
        eks().send(new UpdateClusterConfigCommand({ name: 'prod-payments', logging: { clusterLogging: [{ types: ['authenticator'], enabled: true }] } })),
        (e: Error) => e.name === 'InvalidParameterException' && e.message === 'No changes needed for the logging config provided',
      );
    });

    it('enables authenticator logging and creates the log group', async () => {
      await eks().send(new UpdateClusterConfigCommand({ name: 'legacy-batch', logging: { clusterLogging: [{ types: ['authenticator'], enabled: true }] } }));
      await new Promise((r) => setTimeout(r, 150));
      const groups = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/eks/legacy-batch' }));
      assert.deepStrictEqual(groups.logGroups?.map((g) => g.logGroupName), ['/aws/eks/legacy-batch/cluster']);
    });
  });

  describe('CloudWatch Logs Insights', () => {
    const runbook = 'fields @logStream, @timestamp, @message\n| sort @timestamp desc\n| filter @logStream like /authenticator/\n| limit 50';
    const start = (query = runbook, group = '/aws/eks/prod-payments/cluster') =>
      logs().send(new StartQueryCommand({ logGroupName: group, queryString: query, startTime: Math.floor(Date.now() / 1000) - 3600, endTime: Math.floor(Date.now() / 1000) }));

    it('validates StartQuery as the service does: one kind of log group parameter, limit 1..100000, a compile error with its location', async () => {
      const now = Math.floor(Date.now() / 1000);
      const send = (input: object) => logs().send(new StartQueryCommand({ queryString: 'fields @message', startTime: now - 60, endTime: now, ...input } as never));
      await assert.rejects(send({ logGroupName: '/aws/eks/prod-payments/cluster', logGroupNames: ['/aws/eks/prod-payments/cluster'] }), (e: Error) => e.name === 'InvalidParameterException' && /exactly one of/.test(e.message));
      await assert.rejects(send({}), (e: Error) => /exactly one of/.test(e.message));
      await assert.rejects(send({ logGroupName: '/aws/eks/prod-payments/cluster', limit: 0 }), (e: Error) => /at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1/.test(e.message));
      await assert.rejects(send({ logGroupName: '/aws/eks/prod-payments/cluster', limit: 100_001 }), (e: Error) => /Value '100001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100000/.test(e.message));
      const malformed = await send({ logGroupName: '/aws/eks/prod-payments/cluster', queryString: 'fields @message | frobnicate x' }).catch((e) => e);
      assert.strictEqual(malformed.name, 'MalformedQueryException');
      assert.strictEqual(malformed.queryCompileError?.location?.startCharOffset, 'fields @message | '.length, 'the location points at the bad command');
      assert.ok(malformed.queryCompileError?.message);
    });

    it('pages Complete results with nextToken and maxItems, and refuses a forged token', async () => {
      const { queryId } = await start('fields @timestamp, @message | sort @timestamp desc');
      let first;
      for (let i = 0; i < 40 && first?.status !== 'Complete'; i++) {
        first = await logs().send(new GetQueryResultsCommand({ queryId, maxItems: 4 }));
        if (first.status !== 'Complete') await new Promise((r) => setTimeout(r, 50));
      }
      assert.strictEqual(first!.results!.length, 4);
      const all = [...first!.results!];
      for (let token = first!.nextToken; token; ) {
        const page = await logs().send(new GetQueryResultsCommand({ queryId, maxItems: 4, nextToken: token }));
        all.push(...page.results!);
        token = page.nextToken;
      }
      const whole = await logs().send(new GetQueryResultsCommand({ queryId }));
      assert.deepStrictEqual(all, whole.results, 'the pages add up to the whole result, in order');
      assert.ok(all.length > 4);
      await assert.rejects(logs().send(new GetQueryResultsCommand({ queryId, nextToken: Buffer.from(`${queryId}:2:forged`).toString('base64url') })), (e: Error) => /nextToken is invalid/.test(e.message));
    });

    it('goes Scheduled, Running with partial rows, then Complete with every row in order', async () => {
      // An emulator of its own whose states last long enough to be seen from a busy machine.
      const slow = await startEmulator(scenario, { queryTiming: { scheduledMs: 600, runningMs: 600 } });
      const client = new CloudWatchLogsClient({ region: 'us-east-1', endpoint: slow.endpoint, credentials: creds, maxAttempts: 1 });
      const statuses: string[] = [];
      let last;
      try {
        const { queryId } = await client.send(new StartQueryCommand({ logGroupName: '/aws/eks/prod-payments/cluster', queryString: runbook, startTime: Math.floor(Date.now() / 1000) - 3600, endTime: Math.floor(Date.now() / 1000) }));
        for (let i = 0; i < 100; i++) {
          last = await client.send(new GetQueryResultsCommand({ queryId }));
          statuses.push(last.status!);
          if (last.status === 'Complete') break;
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        await slow.close();
      }
      assert.strictEqual(statuses[0], 'Scheduled');
      assert.ok(statuses.includes('Running'));
      assert.strictEqual(last?.status, 'Complete');
      const rows = last!.results!.map((r) => Object.fromEntries(r.map((f) => [f.field, f.value])));
      assert.strictEqual(rows.length, 15);
      assert.match(rows[0]['@timestamp'], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
      assert.ok(rows.every((r) => r['@ptr'] && r['@logStream'].startsWith('authenticator-')));
      assert.ok(rows[0]['@timestamp'] >= rows[1]['@timestamp']);
      assert.strictEqual(last!.statistics?.recordsMatched, 15);
    });

    it('honours filter, the time range and limit', async () => {
      const { queryId } = await logs().send(
        new StartQueryCommand({ logGroupName: '/aws/eks/prod-payments/cluster', queryString: 'fields @message | filter @message like /access denied/ and @message like "DataScientist" | limit 2', startTime: Math.floor(Date.now() / 1000) - 20 * 60, endTime: Math.floor(Date.now() / 1000) }),
      );
      await new Promise((r) => setTimeout(r, 300));
      const out = await logs().send(new GetQueryResultsCommand({ queryId }));
      assert.strictEqual(out.results?.length, 2);
      assert.strictEqual(out.statistics?.recordsMatched, 2, 'the 30-minute-old event lies outside the range');
    });

    it('stops a running query and refuses to stop an ended one', async () => {
      const { queryId } = await start();
      const stopped = await logs().send(new StopQueryCommand({ queryId }));
      assert.strictEqual(stopped.success, true);
      assert.strictEqual((await logs().send(new GetQueryResultsCommand({ queryId }))).status, 'Cancelled');
      await assert.rejects(logs().send(new StopQueryCommand({ queryId })), { name: 'InvalidParameterException' });
    });

    it('names a missing log group and a malformed query', async () => {
      await assert.rejects(start(runbook, '/aws/eks/legacy-batch/cluster'), (e: Error) => e.name === 'ResourceNotFoundException' && e.message.includes('/aws/eks/legacy-batch/cluster'));
      await assert.rejects(start('frobnicate everything'), { name: 'MalformedQueryException' });
      await assert.rejects(start('stats median(@message)'), { name: 'MalformedQueryException' });
      await assert.rejects(start('parse @message "* *" as onlyOne'), { name: 'MalformedQueryException' }, 'a glob needs one name per *');
    });

    /** Runs a query to completion and returns its rows as objects. */
    async function rowsOf(query: string) {
      const { queryId } = await start(query);
      for (let i = 0; i < 60; i++) {
        const out = await logs().send(new GetQueryResultsCommand({ queryId }));
        if (out.status === 'Complete') return (out.results ?? []).map((r) => Object.fromEntries(r.map((f) => [f.field!, f.value!])));
        await new Promise((r) => setTimeout(r, 40));
      }
      throw new Error('the query did not complete');
    }

    it('runs stats with count, count_distinct, min and max by fields and bin(), on fields made by parse', async () => {
      const byMsg = await rowsOf('filter @logStream like /authenticator/ | parse @message /msg="(?<msg>[^"]*)"/ | stats count(*) as n by msg | sort n desc');
      const counts = Object.fromEntries(byMsg.map((r) => [r.msg, Number(r.n)]));
      assert.ok(counts['access granted'] > 0 && counts['access denied'] > 0, JSON.stringify(byMsg));
      assert.deepStrictEqual(Object.keys(byMsg[0]).sort(), ['msg', 'n'], 'a stats row holds its keys and aggregates only');
      const denied = await rowsOf('parse @message \'msg="*" arn="*"\' as msg, arn | filter msg = "access denied" | stats count(*) as n, min(@timestamp) as first, max(@timestamp) as last by arn | sort n desc | limit 3');
      assert.ok(denied.length > 0 && denied.every((r) => r.arn && r.first <= r.last), JSON.stringify(denied));
      const timeline = await rowsOf('stats count(*) as n, count_distinct(@logStream) as streams by bin(5m)');
      assert.ok(timeline.length > 1);
      assert.ok(timeline.every((r) => /^\d{4}-\d\d-\d\d \d\d:\d[05]:00\.000$/.test(r['bin(5m)'])), JSON.stringify(timeline.slice(0, 2)));
      assert.deepStrictEqual(timeline.map((r) => r['bin(5m)']), [...timeline.map((r) => r['bin(5m)'])].sort(), 'bins in time order');
    });

    it("runs the troubleshooting summary queries, and their totals agree with the row parser's reading of the same events", async () => {
      const q = summaryQueries(60);
      const timeline = await rowsOf(q.timeline);
      const now = Date.now();
      const series = timelineSeries(timeline, q.bin, now - 3600_000, now);
      const raw = (await rowsOf('fields @timestamp, @message | filter @logStream like /authenticator/ | limit 10000')).map((r) => parseAuthenticatorLine(r['@message']));
      const sum = (a: number[]) => a.reduce((t, n) => t + n, 0);
      assert.strictEqual(sum(series.granted), raw.filter((e) => e.message === 'access granted').length);
      assert.strictEqual(sum(series.denied), raw.filter((e) => e.message === 'access denied').length);
      assert.ok(sum(series.denied) > 0);
      const top = await rowsOf(q.topDenied);
      const deniedArns = raw.filter((e) => e.message === 'access denied' && e.arn).map((e) => e.arn!);
      assert.strictEqual(top[0].arn, [...new Set(deniedArns)].sort((a, b) => deniedArns.filter((x) => x === b).length - deniedArns.filter((x) => x === a).length)[0]);
      assert.ok(timeline.length <= 1000, 'rows moved for the summary');
      assert.ok((await rowsOf(q.topClients)).length > 0);
    });

    it('runs display and dedup', async () => {
      const rows = await rowsOf('parse @message /arn="(?<arn>[^"]*)"/ | filter arn like /role/ | dedup arn | display arn, @timestamp');
      assert.ok(rows.length > 0);
      assert.strictEqual(new Set(rows.map((r) => r.arn)).size, rows.length, 'one row per arn');
      assert.deepStrictEqual(Object.keys(rows[0]).filter((k) => k !== '@ptr').sort(), ['@timestamp', 'arn']);
    });

    it('answers LimitExceededException past the concurrent query limit', async () => {
      const limited = await startEmulator(scenario, { maxConcurrentQueries: 1 });
      try {
        const client = new CloudWatchLogsClient({ region: 'us-east-1', endpoint: limited.endpoint, credentials: creds, maxAttempts: 1 });
        const input = { logGroupName: '/aws/eks/prod-payments/cluster', queryString: runbook, startTime: 0, endTime: Math.floor(Date.now() / 1000) };
        await client.send(new StartQueryCommand(input));
        await assert.rejects(client.send(new StartQueryCommand(input)), { name: 'LimitExceededException' });
      } finally {
        await limited.close();
      }
    });

    it('stores events sent with PutLogEvents', async () => {
      const client = logs();
      await client.send(new CreateLogGroupCommand({ logGroupName: '/custom/group' }));
      await assert.rejects(client.send(new CreateLogGroupCommand({ logGroupName: '/custom/group' })), { name: 'ResourceAlreadyExistsException' });
      await client.send(new CreateLogStreamCommand({ logGroupName: '/aws/eks/prod-payments/cluster', logStreamName: 'authenticator-new' }));
      await client.send(new PutLogEventsCommand({ logGroupName: '/aws/eks/prod-payments/cluster', logStreamName: 'authenticator-new', logEvents: [{ timestamp: Date.now(), message: 'fresh line' }] }));
      const { queryId } = await start('fields @message | filter @message like /fresh/');
      await new Promise((r) => setTimeout(r, 300));
      assert.strictEqual((await client.send(new GetQueryResultsCommand({ queryId }))).results?.length, 1);
    });
  });

  describe('STS', () => {
    it('returns the caller identity of each configured identity', async () => {
      const me = await sts().send(new GetCallerIdentityCommand({}));
      assert.strictEqual(me.Arn, admin.arn);
      assert.strictEqual(me.Account, '111122223333');
      const dev = scenario.identities[1];
      const other = await sts({ accessKeyId: dev.accessKeyId, secretAccessKey: dev.secretAccessKey }).send(new GetCallerIdentityCommand({}));
      assert.strictEqual(other.Arn, dev.arn);
    });

    it('rejects unknown keys as STS does', async () => {
      await assert.rejects(sts({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId' });
    });
  });

  describe('IAM', () => {
    it('returns roles and users with their paths, case-insensitively, and NoSuchEntity for the rest', async () => {
      const iam = new IAMClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: creds, maxAttempts: 1 });
      const role = await iam.send(new GetRoleCommand({ RoleName: 'awsreservedsso_developers_0123456789abcdef' }));
      assert.strictEqual(role.Role?.Arn, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_Developers_0123456789abcdef');
      assert.strictEqual(role.Role?.Path, '/aws-reserved/sso.amazonaws.com/us-east-1/');
      const user = await iam.send(new GetUserCommand({ UserName: 'bob' }));
      assert.strictEqual(user.User?.Arn, 'arn:aws:iam::111122223333:user/ops/bob');
      await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'Nobody' })), { name: 'NoSuchEntityException' });
    });

    it("answers within the caller's account only, with ids of IAM's length and prefix", async () => {
      emu.state.iam.roles.push('arn:aws:iam::999999999999:role/ElsewhereOnly');
      const iam = new IAMClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: creds, maxAttempts: 1 });
      await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'ElsewhereOnly' })), { name: 'NoSuchEntityException' }, "another account's role is not found by name");
      const role = await iam.send(new GetRoleCommand({ RoleName: 'DataScientist' }));
      assert.match(role.Role!.RoleId!, /^AROA[A-Z0-9]{17}$/);
      const user = await iam.send(new GetUserCommand({ UserName: 'bob' }));
      assert.match(user.User!.UserId!, /^AIDA[A-Z0-9]{17}$/);
      assert.strictEqual((await iam.send(new GetRoleCommand({ RoleName: 'DataScientist' }))).Role!.RoleId, role.Role!.RoleId, 'stable');
    });
  });

  describe('faults', () => {
    it('throttles, denies and expires on demand, per route', async () => {
      emu.faults.push({ target: 'eks:ListClusters', kind: 'throttle', times: 1 });
      await assert.rejects(eks().send(new ListClustersCommand({})), { name: 'ThrottlingException' });
      assert.ok((await eks().send(new ListClustersCommand({}))).clusters?.length, 'the fault applied once only');

      emu.faults.push({ target: 'eks:DescribeCluster', kind: 'accessDenied' });
      await assert.rejects(eks().send(new DescribeClusterCommand({ name: 'prod-payments' })), (e: Error) => e.name === 'AccessDeniedException' && e.message.includes('eks:DescribeCluster'));

      emu.faults.push({ target: 'sts:*', kind: 'expiredToken' });
      await assert.rejects(sts().send(new GetCallerIdentityCommand({})), { name: 'ExpiredToken' });

      emu.faults.push({ target: 'logs:StartQuery', kind: 'expiredToken' });
      await assert.rejects(logs().send(new StartQueryCommand({ logGroupName: '/aws/eks/prod-payments/cluster', queryString: 'fields @message', startTime: 0, endTime: 1 })), { name: 'ExpiredTokenException' });
    });

    it('answers a server error as the service would, and the SDK retries it', async () => {
      emu.faults.push({ target: 'eks:ListClusters', kind: 'serverError', times: 1 });
      const retrying = new EKSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: creds, maxAttempts: 2 });
      assert.ok((await retrying.send(new ListClustersCommand({}))).clusters?.length, 'the retry succeeded');
      assert.strictEqual(emu.calls.filter((c) => c.operation === 'ListClusters').length, 2);
    });

    it('adds latency and ends queries as Failed or Timeout', async () => {
      emu.faults.push({ target: 'eks:ListClusters', kind: 'latency', latencyMs: 150, times: 1 });
      const t0 = Date.now();
      await eks().send(new ListClustersCommand({}));
      assert.ok(Date.now() - t0 >= 140);
      emu.faults.push({ target: 'logs:StartQuery', kind: 'queryStatus', status: 'Failed', times: 1 });
      const { queryId } = await logs().send(new StartQueryCommand({ logGroupName: '/aws/eks/prod-payments/cluster', queryString: 'fields @message', startTime: 0, endTime: Math.floor(Date.now() / 1000) }));
      await new Promise((r) => setTimeout(r, 300));
      assert.strictEqual((await logs().send(new GetQueryResultsCommand({ queryId }))).status, 'Failed');
    });
  });

  describe('bad input', () => {
    /** A raw request signed with the SDK's SigV4 signer, for bodies and routes the SDK would never send. */
    const raw = async (path: string, init: { method?: string; body?: string; headers?: Record<string, string> }, service = 'eks') => {
      const url = new URL(emu.endpoint + path);
      const signer = new SignatureV4({ service, region: 'us-east-1', credentials: creds, sha256: Sha256, uriEscapePath: true });
      const signed = await signer.sign(new HttpRequest({ method: init.method ?? 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host, ...(init.headers ?? {}) }, body: init.body }));
      return fetch(emu.endpoint + path, { ...init, headers: signed.headers });
    };

    it('answers an unknown route, malformed JSON and a missing field with SDK-shaped errors', async () => {
      const unknown = await raw('/nothing-here', { method: 'GET' });
      assert.strictEqual(unknown.status, 404);
      assert.match(unknown.headers.get('x-amzn-errortype') ?? '', /^UnknownOperationException/);
      const malformed = await raw('/clusters/prod-payments/access-entries', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
      assert.strictEqual(malformed.status, 400);
      assert.match(malformed.headers.get('x-amzn-errortype') ?? '', /^SerializationException/);
      const missing = await raw('/clusters/prod-payments/access-entries', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      assert.match(missing.headers.get('x-amzn-errortype') ?? '', /^InvalidParameterException/);
      assert.match(((await missing.json()) as { message: string }).message, /principalArn/);
      const logsBad = await raw('/', { method: 'POST', body: '[1,2', headers: { 'x-amz-target': 'Logs_20140328.StartQuery', 'content-type': 'application/x-amz-json-1.1' } }, 'logs');
      assert.strictEqual(((await logsBad.json()) as { __type: string }).__type, 'SerializationException');
      const unsigned = await fetch(emu.endpoint + '/clusters');
      assert.strictEqual(unsigned.status, 403);
    });

    it('refuses a bad fault with 400 and keeps answering; a malformed % path is a 400; an unknown X-Amz-Target is UnknownOperationException', async () => {
      for (const body of ['null', 'garbage', '[]', '{"target":"eks:ListClusters","kind":"explode"}', '{"kind":"throttle"}']) {
        const r = await fetch(`${emu.endpoint}/_emulator/faults`, { method: 'POST', body });
        assert.strictEqual(r.status, 400, body);
      }
      assert.deepStrictEqual(emu.faults, [], 'nothing was added');
      assert.ok((await eks().send(new ListClustersCommand({}))).clusters?.length, 'and the emulator still answers');
      const bad = await fetch(`${emu.endpoint}/clusters/%zz`);
      assert.strictEqual(bad.status, 400);
      const unknown = await raw('/', { method: 'POST', body: '{}', headers: { 'x-amz-target': 'Logs_20140328.Frobnicate', 'content-type': 'application/x-amz-json-1.1' } }, 'logs');
      assert.strictEqual(((await unknown.json()) as { __type: string }).__type, 'UnknownOperationException');
    });

    it('verifies SigV4: a wrong secret or a forged signature is refused, as AWS refuses it', async () => {
      const wrong = new EKSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: { ...creds, secretAccessKey: 'not-the-secret' }, maxAttempts: 1 });
      await assert.rejects(wrong.send(new ListClustersCommand({})), (e: Error) => e.name === 'InvalidSignatureException' && /signature we calculated does not match/.test(e.message));
      const stsWrong = new STSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: { ...creds, secretAccessKey: 'x' }, maxAttempts: 1 });
      await assert.rejects(stsWrong.send(new GetCallerIdentityCommand({})), { name: 'SignatureDoesNotMatch' });
      const forged = await fetch(emu.endpoint + '/clusters', { headers: { authorization: `AWS4-HMAC-SHA256 Credential=${admin.accessKeyId}/20261128/us-east-1/eks/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`, 'x-amz-date': new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '') } });
      assert.strictEqual(forged.status, 403);
      assert.match(forged.headers.get('x-amzn-errortype') ?? '', /^InvalidSignatureException/);
    });
  });

  describe('clock skew', () => {
    let skewed: Emulator;
    before(async () => {
      skewed = await startEmulator(scenario, { clockOffsetMs: 10 * 60_000 });
    });
    after(() => skewed.close());

    it('refuses a request signed 10 minutes before its clock, with the dates, as AWS does', async () => {
      const client = new EKSClient({ region: 'us-east-1', endpoint: skewed.endpoint, credentials: creds, maxAttempts: 1 });
      await assert.rejects(client.send(new ListClustersCommand({})), (e: Error) => e.name === 'InvalidSignatureException' && /^Signature expired: \d{8}T\d{6}Z is now earlier than/.test(e.message));
    });

    it('lets the SDK correct its clock from the Date header and succeed on retry (the extension uses 3 attempts)', async () => {
      const client = new EKSClient({ region: 'us-east-1', endpoint: skewed.endpoint, credentials: creds, maxAttempts: 3 });
      const out = await client.send(new ListClustersCommand({}));
      assert.ok(out.clusters?.length);
      assert.ok(Math.abs((client.config.systemClockOffset ?? 0) - 10 * 60_000) < 5000, `offset ${client.config.systemClockOffset}`);
    });
  });

  describe('Kubernetes API', () => {
    async function kube(clusterName: string, credentials = creds) {
      const { cluster } = await eks(clusterName === 'staging-web' ? 'eu-west-1' : 'us-east-1').send(new DescribeClusterCommand({ name: clusterName }));
      return new ClientNodeKubeGateway({ clusterName, region: 'us-east-1', endpoint: cluster!.endpoint!, caData: cluster!.certificateAuthority!.data!, credentials: async () => credentials });
    }

    it('serves aws-auth over TLS to a valid EKS token and refuses a stale write with 409', async () => {
      const gw = await kube('prod-payments');
      const cm = await gw.getAwsAuth();
      assert.ok(cm?.data.mapRoles.includes('NodeInstanceRole-prod'));
      const saved = await gw.replaceAwsAuth(cm!, { ...cm!.data, mapAccounts: '- "444455556666"\n' });
      assert.notStrictEqual(saved.resourceVersion, cm!.resourceVersion);
      await assert.rejects(gw.replaceAwsAuth(cm!, { mapRoles: '' }), ConflictError);
      const after = await gw.getAwsAuth();
      assert.ok(after?.data.mapRoles.includes('NodeInstanceRole-prod'), 'the conflicting write changed nothing');
    });

    it('keeps labels, annotations, ownerReferences and binaryData through a save, changing only data', async () => {
      const stored = emu.state.clusters.find((c) => c.name === 'prod-payments')!.awsAuth!;
      stored.labels = { 'app.kubernetes.io/managed-by': 'Helm' };
      stored.annotations = { 'meta.helm.sh/release-name': 'platform', 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1"}' };
      stored.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' }];
      stored.binaryData = { blob: 'AAEC' };
      const gw = await kube('prod-payments');
      const cm = await gw.getAwsAuth();
      await gw.replaceAwsAuth(cm!, { ...cm!.data, mapUsers: '' });
      assert.deepStrictEqual(stored.labels, { 'app.kubernetes.io/managed-by': 'Helm' });
      assert.deepStrictEqual(Object.keys(stored.annotations ?? {}), ['meta.helm.sh/release-name', 'kubectl.kubernetes.io/last-applied-configuration']);
      assert.deepStrictEqual(stored.ownerReferences?.map((o) => o.uid), ['u-1']);
      assert.deepStrictEqual(stored.binaryData, { blob: 'AAEC' });
      assert.strictEqual(stored.data.mapUsers, '');
      // The emulator holds the API server's contract: a PUT of only name, namespace and resourceVersion (the old
      // save) drops them all.
      const again = (await gw.getAwsAuth())!;
      await gw.replaceAwsAuth({ ...again, raw: { metadata: { name: 'aws-auth', namespace: 'kube-system', resourceVersion: again.resourceVersion } } }, again.data);
      assert.deepStrictEqual([stored.labels, stored.annotations, stored.ownerReferences, stored.binaryData], [undefined, undefined, undefined, undefined]);
    });

    it('allows an unconditional PUT, refuses a name other than the URL, and PATCH as application/json (415)', async () => {
      const { cluster } = await eks().send(new DescribeClusterCommand({ name: 'prod-payments' }));
      const token = await getEksToken('prod-payments', 'us-east-1', creds);
      const put = (body: object, contentType = 'application/json', method = 'PUT') =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const u = new URL(`${cluster!.endpoint}/api/v1/namespaces/kube-system/configmaps/aws-auth`);
          const r = https.request({ host: u.hostname, port: u.port, path: u.pathname, method, ca: Buffer.from(cluster!.certificateAuthority!.data!, 'base64'), headers: { authorization: `Bearer ${token}`, 'content-type': contentType } }, (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          });
          r.on('error', reject);
          r.end(JSON.stringify(body));
        });
      const unconditional = await put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: { mapRoles: '' } });
      assert.strictEqual(unconditional.status, 200, unconditional.body);
      const renamed = await put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'kube-system' }, data: {} });
      assert.strictEqual(renamed.status, 400);
      assert.match(renamed.body, /does not match the name on the URL/);
      const patch = await put({ data: { a: 'b' } }, 'application/json', 'PATCH');
      assert.strictEqual(patch.status, 415);
      const merge = await put({ data: { a: 'b' } }, 'application/merge-patch+json', 'PATCH');
      assert.strictEqual(merge.status, 200);
    });

    it('gives access entries and node groups their real, stable ARNs', async () => {
      const arn = async () => (await eks().send(new DescribeAccessEntryCommand({ clusterName: 'prod-payments', principalArn: 'arn:aws:iam::111122223333:role/Developer' }))).accessEntry!.accessEntryArn!;
      const first = await arn();
      assert.match(first, /^arn:aws:eks:us-east-1:111122223333:access-entry\/prod-payments\/role\/111122223333\/Developer\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.strictEqual(await arn(), first, 'the same on every call');
    });

    it('answers 401 to a token signed with the wrong secret', async () => {
      const gw = await kube('prod-payments', { accessKeyId: admin.accessKeyId, secretAccessKey: 'wrong' });
      await assert.rejects(gw.getAwsAuth(), /401 Unauthorized/);
    });

    it('returns undefined when the cluster has no aws-auth', async () => {
      const gw = await kube('legacy-batch');
      emu.state.clusters.find((c) => c.name === 'legacy-batch')!.awsAuth = undefined;
      assert.strictEqual(await gw.getAwsAuth(), undefined);
    });

    it('merges a PATCH into aws-auth and refuses a stale one', async () => {
      const { cluster } = await eks().send(new DescribeClusterCommand({ name: 'prod-payments' }));
      const url = `${cluster!.endpoint}/api/v1/namespaces/kube-system/configmaps/aws-auth`;
      const token = await getEksToken('prod-payments', 'us-east-1', creds);
      const https = await import('https');
      const patch = (body: object) =>
        new Promise<{ status: number; body: { data?: Record<string, string>; reason?: string } }>((resolve, reject) => {
          const req = https.request(url, { method: 'PATCH', ca: Buffer.from(cluster!.certificateAuthority!.data!, 'base64'), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' } }, (res) => {
            let text = '';
            res.on('data', (d) => (text += d));
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
          });
          req.on('error', reject);
          req.end(JSON.stringify(body));
        });
      const ok = await patch({ data: { mapAccounts: '- "444455556666"\n', mapUsers: null } });
      assert.strictEqual(ok.status, 200);
      assert.deepStrictEqual(Object.keys(ok.body.data!).sort(), ['mapAccounts', 'mapRoles']);
      const stale = await patch({ metadata: { resourceVersion: '1' }, data: { mapRoles: '' } });
      assert.deepStrictEqual([stale.status, stale.body.reason], [409, 'Conflict']);
    });

    it('lists RBAC bindings: the defaults every cluster has and the scenario\'s own', async () => {
      const gw = await kube('prod-payments');
      const bindings = await gw.listRbacBindings();
      assert.ok(bindings.some((b) => b.name === 'cluster-admin' && b.subjects.some((x) => x.kind === 'Group' && x.name === 'system:masters')));
      assert.ok(bindings.some((b) => b.kind === 'RoleBinding' && b.namespace === 'analytics' && b.roleRef.name === 'view'));
    });

    it('injects Kubernetes faults', async () => {
      const gw = await kube('prod-payments');
      emu.faults.push({ target: 'kube:GET /api/v1/namespaces/kube-system/configmaps/aws-auth', kind: 'accessDenied', times: 1 });
      await assert.rejects(gw.getAwsAuth(), /403 Forbidden/);
    });
  });
});
