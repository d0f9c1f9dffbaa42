import * as assert from 'assert';
import { DescribeClusterCommand, EKSClient, ListAccessPoliciesCommand } from '@aws-sdk/client-eks';
import { Emulator, startEmulator } from '../../emulator/server';
import { loadScenarioFile, Scenario } from '../../emulator/state';
import { clusterAdminPolicyArn } from '../../src/core/access/migrate';
import { ClientNodeKubeGateway } from '../../src/core/aws/kubeGateway';
import { decodeEksToken, getEksToken } from '../../src/core/aws/token';
import { consoleUrl } from '../../src/core/clusters/model';

/** The demo's prod-payments cluster, moved to a region of each partition. */
function scenarioIn(regions: Record<string, string>): Scenario {
  const demo = loadScenarioFile('demo');
  const prod = demo.clusters.find((c) => c.name === 'prod-payments')!;
  return { ...demo, clusters: Object.entries(regions).map(([name, region]) => ({ ...structuredClone(prod), name, region })) };
}

const PARTITIONS: [string, string, string, string | undefined][] = [
  ['commercial', 'us-east-1', 'aws', 'https://us-east-1.console.aws.amazon.com/eks/home?region=us-east-1#/clusters/commercial?selectedTab=cluster-access-management-tab'],
  ['beijing', 'cn-north-1', 'aws-cn', 'https://console.amazonaws.cn/eks/home?region=cn-north-1#/clusters/beijing?selectedTab=cluster-access-management-tab'],
  ['govcloud', 'us-gov-west-1', 'aws-us-gov', 'https://console.amazonaws-us-gov.com/eks/home?region=us-gov-west-1#/clusters/govcloud?selectedTab=cluster-access-management-tab'],
  ['isolated', 'us-iso-east-1', 'aws-iso', undefined],
];

describe('a cluster in each partition', function () {
  this.timeout(60000);
  let emu: Emulator;
  const scenario = scenarioIn(Object.fromEntries(PARTITIONS.map(([name, region]) => [name, region])));
  const credentials = { accessKeyId: scenario.identities[0].accessKeyId, secretAccessKey: scenario.identities[0].secretAccessKey };
  before(async () => {
    emu = await startEmulator(scenario);
  });
  after(() => emu.close());

  for (const [name, region, partition, console_] of PARTITIONS) {
    it(`${partition} (${region}): ARNs, access policies, the token's STS host, the console link, and aws-auth read with that token`, async () => {
      const eks = new EKSClient({ region, endpoint: emu.endpoint, credentials, maxAttempts: 1 });
      const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
      assert.strictEqual(cluster?.arn, `arn:${partition}:eks:${region}:111122223333:cluster/${name}`);
      const { accessPolicies } = await eks.send(new ListAccessPoliciesCommand({}));
      assert.ok(accessPolicies?.some((p) => p.arn === clusterAdminPolicyArn(partition)), 'the cluster admin policy in this partition');
      assert.ok(accessPolicies?.every((p) => p.arn!.startsWith(`arn:${partition}:eks::aws:`)));
      assert.strictEqual(consoleUrl(region, name, cluster?.arn), console_);
      const token = await getEksToken(name, region, credentials);
      assert.ok(decodeEksToken(token).url.host.startsWith(`sts.${region}.`), decodeEksToken(token).url.host);
      const kube = new ClientNodeKubeGateway({ clusterName: name, region, endpoint: cluster!.endpoint!, caData: cluster!.certificateAuthority!.data!, credentials: async () => credentials });
      assert.match((await kube.getAwsAuth())!.data.mapRoles, /NodeInstanceRole-prod/, "the emulator's verifier accepts the partition's STS host");
    });
  }
});
