/**
 * The workload gateways through the real @aws-sdk/client-eks and client-iam, against the emulator's workload routes
 * (emulator/workload.ts) served by the emulator, behind its SigV4 check, with a world seeded through
 * `emulator.workload`: the SDK deserializes what the routes send, so a path, a member name or a timestamp format the
 * SDK does not expect fails here.
 */
import * as assert from 'assert';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { Emulator, startEmulator } from '../../emulator/server';
import { loadScenarioFile } from '../../emulator/state';
import { WorkloadWorld } from '../../emulator/workload';
import { explainWorkload } from '../../src/core/workload/explain';
import { gatherWorkload } from '../../src/core/workload/gather';
import { SdkWorkloadEksGateway, SdkWorkloadIamGateway, type WorkloadKubeGateway } from '../../src/core/workload/workloadGateway';
import { ACCOUNT, association as assocFixture, CLUSTER, HOST_PATH, IRSA_TERRAFORM, POD_ID_NO_TAG_SESSION, podIdentityPod } from '../unit/core/workload/fixtures';

const PRIMARY = `arn:aws:iam::${ACCOUNT}:role/eks-pod-identity-primary-role`;
const IRSA_ROLE = `arn:aws:iam::${ACCOUNT}:role/payments-api`;
const demoAdmin = loadScenarioFile('demo').identities[0];
const credentials = { accessKeyId: demoAdmin.accessKeyId, secretAccessKey: demoAdmin.secretAccessKey };

function world(): WorkloadWorld {
  const w = new WorkloadWorld();
  const base = assocFixture();
  for (let i = 0; i < 130; i++) {
    w.associations.push({ clusterName: 'demo', region: 'us-west-2', accountId: ACCOUNT, namespace: `team${i}`, serviceAccount: 'app', roleArn: PRIMARY, associationId: `a-${String(i).padStart(17, '0')}`, createdAt: new Date(base.createdAt!), modifiedAt: new Date(base.modifiedAt!) });
  }
  w.associations.push({ clusterName: 'demo', region: 'us-west-2', accountId: ACCOUNT, namespace: 'payments', serviceAccount: 'api', roleArn: PRIMARY, associationId: 'a-abcdefghijklmnop1', createdAt: new Date('2026-11-20T10:00:00Z'), modifiedAt: new Date('2026-11-20T10:00:00Z') });
  w.agentAddons.set('us-west-2/demo', 'ACTIVE');
  w.oidcProviders.push({ accountId: ACCOUNT, url: HOST_PATH, clientIds: ['sts.amazonaws.com'], thumbprints: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'] });
  w.roles.set(PRIMARY, JSON.stringify(POD_ID_NO_TAG_SESSION));
  w.roles.set(IRSA_ROLE, JSON.stringify(IRSA_TERRAFORM));
  return w;
}

describe('workload gateways against the emulator routes, through the real SDK', () => {
  let emu: Emulator;
  let endpoint: string;

  before(async () => {
    emu = await startEmulator(loadScenarioFile('demo'));
    emu.workload = world();
    endpoint = emu.endpoint;
  });
  after(() => emu.close());

  const eks = () => new SdkWorkloadEksGateway({ region: 'us-west-2' }, new EKSClient({ region: 'us-west-2', endpoint, credentials }));
  const iamGw = () => new SdkWorkloadIamGateway({ region: 'us-west-2' }, new IAMClient({ region: 'us-east-1', endpoint, credentials }));

  it('lists associations across pages and filters by namespace and service account', async () => {
    assert.strictEqual((await eks().listPodIdentityAssociations('demo')).length, 131, 'two pages of at most 100');
    assert.deepStrictEqual(await eks().listPodIdentityAssociations('demo', { namespace: 'payments', serviceAccount: 'api' }), [{ associationId: 'a-abcdefghijklmnop1', namespace: 'payments', serviceAccount: 'api' }]);
  });

  it('describes an association with its timestamps as the SDK parses them', async () => {
    const a = await eks().describePodIdentityAssociation('demo', 'a-abcdefghijklmnop1');
    assert.deepStrictEqual([a.roleArn, a.createdAt, a.disableSessionTags, a.associationArn], [PRIMARY, '2026-11-20T10:00:00.000Z', false, `arn:aws:eks:us-west-2:${ACCOUNT}:podidentityassociation/demo/a-abcdefghijklmnop1`]);
  });

  it('the agent add-on: its status, or absent on ResourceNotFoundException', async () => {
    assert.deepStrictEqual(await eks().describeAgentAddon('demo'), { addonStatus: 'ACTIVE' });
    assert.deepStrictEqual(await eks().describeAgentAddon('other'), { addonStatus: 'absent' });
  });

  it('GetRole\'s URL-encoded trust policy, NoSuchEntity as undefined, and the OIDC providers with their client IDs', async () => {
    const text = await iamGw().getRoleTrustPolicy(IRSA_ROLE);
    assert.match(text!, /^%7B%22Version%22/, 'as IAM returns it');
    assert.strictEqual(await iamGw().getRoleTrustPolicy(`arn:aws:iam::${ACCOUNT}:role/nobody`), undefined);
    assert.deepStrictEqual(await iamGw().listOidcProviders(), [{ arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST_PATH}`, url: HOST_PATH, clientIds: ['sts.amazonaws.com'] }]);
  });

  it('end to end: a Pod Identity role without sts:TagSession is found through the SDK', async () => {
    const kube: WorkloadKubeGateway = {
      getServiceAccount: async (namespace, name) => ({ namespace, name }),
      listServiceAccounts: async () => [],
      getPod: async () => podIdentityPod(),
      agentReadyOnNode: async () => true,
    };
    const e = explainWorkload(await gatherWorkload({ eks: eks(), iam: iamGw(), kube }, CLUSTER, { pod: { namespace: 'payments', name: 'api-6f4dfff6cb-76cv9' } }));
    assert.strictEqual(e.works, false);
    assert.ok(e.steps.some((s) => s.kind === 'trust-tag-session'), JSON.stringify(e.steps.map((s) => s.kind)));
  });
});
