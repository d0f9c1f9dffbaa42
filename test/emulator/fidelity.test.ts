// Where the emulator used to differ from AWS, each answer pinned to its source: the SDK models installed under
// node_modules/@aws-sdk/client-*, botocore's models, and the service's own words as users quoted them.
import * as assert from 'assert';
import { CreateAccessEntryCommand, EKSClient } from '@aws-sdk/client-eks';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { startEmulator, Emulator } from '../../emulator/server';
import { loadScenarioFile } from '../../emulator/state';

const scenario = loadScenarioFile('demo');
const [admin, developer] = scenario.identities;
const A = '111122223333';
const keys = (i: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => ({ accessKeyId: i.accessKeyId, secretAccessKey: i.secretAccessKey, sessionToken: i.sessionToken });

describe('emulator fidelity to AWS', function () {
  this.timeout(20000);
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator(scenario, { queryTiming: { scheduledMs: 0, runningMs: 20 } });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());
  const eks = () => new EKSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: keys(admin), maxAttempts: 1 });
  const logs = () => new CloudWatchLogsClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: keys(admin), maxAttempts: 1 });
  const create = (principalArn: string, extra: object = {}) => eks().send(new CreateAccessEntryCommand({ clusterName: 'prod-payments', principalArn, ...extra }));

  describe('CreateAccessEntry', () => {
    it('refuses a system: group with EKS\'s text (terraform-aws-modules/terraform-aws-eks#2915)', async () => {
      await assert.rejects(create(`arn:aws:iam::${A}:role/NewTeam`, { kubernetesGroups: ['system:masters'] }), (e: Error) => e.name === 'InvalidParameterException' && e.message === 'The kubernetes group name system:masters is invalid, it cannot start with system:');
    });

    it('refuses a principal that does not exist in IAM: "The specified principalArn is invalid: invalid principal." (terraform-aws-modules/terraform-aws-eks#2969)', async () => {
      await assert.rejects(create(`arn:aws:iam::${A}:role/NoSuchRole`), (e: Error) => e.name === 'InvalidParameterException' && e.message === 'The specified principalArn is invalid: invalid principal.');
      // #2969's case: an SSO role's ARN without its aws-reserved/sso.amazonaws.com/REGION/ path names no role.
      await assert.rejects(create(`arn:aws:iam::${A}:role/AWSReservedSSO_Developers_0123456789abcdef`), (e: Error) => /invalid principal/.test(e.message));
      const withPath = await create(`arn:aws:iam::${A}:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_Developers_0123456789abcdef`);
      assert.ok(withPath.accessEntry?.accessEntryArn, 'the ARN with the path is the role, and is accepted');
      assert.ok(emu.state.clusters.find((c) => c.name === 'prod-payments')!.accessEntries.has(`arn:aws:iam::${A}:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_Developers_0123456789abcdef`));
    });
  });

  describe('CloudWatch Logs limits, as the model bounds them', () => {
    it('StartQuery accepts a limit up to 100,000 (StartQueryRequest.limit, @aws-sdk/client-cloudwatch-logs model)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const { queryId } = await logs().send(new StartQueryCommand({ logGroupName: '/aws/eks/prod-payments/cluster', queryString: 'fields @message', startTime: now - 3600, endTime: now, limit: 100_000 }));
      assert.ok(queryId);
    });

    it("DescribeLogGroups names 'limit' in AWS's validation message, bounds 1..50 (DescribeLimit, botocore logs service-2.json)", async () => {
      await assert.rejects(logs().send(new DescribeLogGroupsCommand({ limit: 51 })), (e: Error) => e.name === 'InvalidParameterException' && e.message === "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50");
      await assert.rejects(logs().send(new DescribeLogGroupsCommand({ limit: 0 })), (e: Error) => e.message === "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
      const page = await logs().send(new DescribeLogGroupsCommand({ limit: 50 }));
      assert.ok(page.logGroups?.length);
    });
  });

  describe('IAM GetUser without UserName', () => {
    it('returns the calling user ("it defaults to the user making the request", GetUserRequest in @aws-sdk/client-iam)', async () => {
      const iam = new IAMClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: keys(admin), maxAttempts: 1 });
      const me = await iam.send(new GetUserCommand({}));
      assert.strictEqual(me.User?.Arn, admin.arn);
      assert.strictEqual(me.User?.UserName, 'demo-admin');
    });

    it('refuses role credentials with ValidationError "Must specify userName when calling with non-User credentials"', async () => {
      assert.match(developer.arn, /:assumed-role\//);
      const iam = new IAMClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: keys(developer), maxAttempts: 1 });
      await assert.rejects(iam.send(new GetUserCommand({})), (e: Error) => e.name === 'ValidationError' && e.message === 'Must specify userName when calling with non-User credentials');
    });
  });
});
