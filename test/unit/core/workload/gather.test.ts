/** Gathering the live inputs through fake gateways: what is read, what is skipped, and what a 403 leaves explained. */
import * as assert from 'assert';
import { explainWorkload } from '../../../../src/core/workload/explain';
import { gatherCluster, gatherWorkload, type WorkloadGateways } from '../../../../src/core/workload/gather';
import type { PodIdentityAssociationInfo } from '../../../../src/core/workload/model';
import { ACCOUNT, association, CLUSTER, HOST_PATH, IRSA_TERRAFORM, OTHER_ACCOUNT, POD_ID_AWS_DOCS, podIdentityPod, PROVIDER_ARN } from './fixtures';

const PRIMARY = `arn:aws:iam::${ACCOUNT}:role/eks-pod-identity-primary-role`;
const IRSA_ROLE = `arn:aws:iam::${ACCOUNT}:role/payments-api`;

/** An AccessDenied as the SDK raises it (error name from the service's error code). */
function accessDenied(action: string): Error {
  return Object.assign(new Error(`User: arn:aws:sts::${ACCOUNT}:assumed-role/ReadOnly/jane is not authorized to perform: ${action}`), { name: 'AccessDenied' });
}

function fakes(over: { associations?: PodIdentityAssociationInfo[]; roles?: Record<string, string>; deny?: string[]; serviceAccounts?: Record<string, Record<string, string>> } = {}) {
  const calls: string[] = [];
  const deny = (op: string) => {
    calls.push(op);
    if (over.deny?.includes(op)) throw accessDenied(op);
  };
  const associations = over.associations ?? [];
  const gw: WorkloadGateways = {
    eks: {
      async listPodIdentityAssociations(_c, f) {
        deny('eks:ListPodIdentityAssociations');
        return associations.filter((a) => a.namespace === f?.namespace && a.serviceAccount === f?.serviceAccount).map((a) => ({ associationId: a.associationId!, namespace: a.namespace, serviceAccount: a.serviceAccount }));
      },
      async describePodIdentityAssociation(_c, id) {
        deny('eks:DescribePodIdentityAssociation');
        return associations.find((a) => a.associationId === id)!;
      },
      async describeAgentAddon() {
        deny('eks:DescribeAddon');
        return { addonStatus: 'ACTIVE' };
      },
    },
    iam: {
      async getRoleTrustPolicy(arn) {
        deny(`iam:GetRole ${arn}`);
        const t = over.roles?.[arn];
        return t === undefined ? undefined : encodeURIComponent(t);
      },
      async listOidcProviders() {
        deny('iam:ListOpenIDConnectProviders');
        return [{ arn: PROVIDER_ARN, url: HOST_PATH, clientIds: ['sts.amazonaws.com'] }];
      },
    },
    kube: {
      async getServiceAccount(namespace, name) {
        deny('get serviceaccounts');
        const annotations = (over.serviceAccounts ?? { 'payments/api': {} })[`${namespace}/${name}`];
        return annotations ? { namespace, name, annotations } : undefined;
      },
      async listServiceAccounts() {
        return [];
      },
      async getPod() {
        deny('get pods');
        return podIdentityPod();
      },
      async agentReadyOnNode() {
        deny('list pods');
        return true;
      },
    },
  };
  return { gw, calls };
}

describe('gathering the workload inputs', () => {
  it('a pod with an association: reads the association, its role\'s trust policy, the add-on and the agent on its node', async () => {
    const { gw, calls } = fakes({ associations: [association()], roles: { [PRIMARY]: JSON.stringify(POD_ID_AWS_DOCS) } });
    const inputs = await gatherWorkload(gw, CLUSTER, { pod: { namespace: 'payments', name: 'api-6f4dfff6cb-76cv9' } });
    const e = explainWorkload(inputs);
    assert.deepStrictEqual([e.works, e.mechanism, e.roleArn], [true, 'pod-identity', PRIMARY], JSON.stringify(e.steps.filter((s) => s.verdict !== 'ok')));
    assert.ok(calls.includes('list pods'), 'the agent on the pod\'s node was looked for');
  });

  it('IRSA without iam:ListOpenIDConnectProviders: says which permission, and still judges the trust policy', async () => {
    const { gw } = fakes({ roles: { [IRSA_ROLE]: JSON.stringify(IRSA_TERRAFORM) }, deny: ['iam:ListOpenIDConnectProviders'], serviceAccounts: { 'payments/api': { 'eks.amazonaws.com/role-arn': IRSA_ROLE } } });
    const e = explainWorkload(await gatherWorkload(gw, CLUSTER, { serviceAccount: { namespace: 'payments', name: 'api' } }));
    const read = e.steps.find((s) => s.kind === 'not-permitted')!;
    assert.match(read.fix!, /iam:ListOpenIDConnectProviders/);
    assert.strictEqual(e.steps.find((s) => s.id === 'oidc-provider')!.verdict, 'unknown');
    assert.strictEqual(e.steps.find((s) => s.id === 'trust')!.verdict, 'ok');
  });

  it('a role that does not exist, and a service account that does not exist', async () => {
    const { gw } = fakes({ serviceAccounts: { 'payments/api': { 'eks.amazonaws.com/role-arn': IRSA_ROLE } } });
    const e = explainWorkload(await gatherWorkload(gw, CLUSTER, { serviceAccount: { namespace: 'payments', name: 'api' } }));
    assert.ok(e.steps.some((s) => s.kind === 'role-missing'));
    const none = explainWorkload(await gatherWorkload(fakes({ serviceAccounts: {} }).gw, CLUSTER, { serviceAccount: { namespace: 'payments', name: 'ghost' } }));
    assert.ok(none.steps.some((s) => s.kind === 'service-account-missing'));
  });

  it('a target role in another account is not read with the cluster account\'s credentials', async () => {
    const target = `arn:aws:iam::${OTHER_ACCOUNT}:role/x`;
    const { gw, calls } = fakes({ associations: [association({ targetRoleArn: target })], roles: { [PRIMARY]: JSON.stringify(POD_ID_AWS_DOCS) } });
    const e = explainWorkload(await gatherWorkload(gw, CLUSTER, { serviceAccount: { namespace: 'payments', name: 'api' } }));
    assert.ok(!calls.some((c) => c.includes(OTHER_ACCOUNT)));
    assert.strictEqual(e.steps.find((s) => s.id === 'target-trust')!.verdict, 'unknown');
  });

  it('a pod that may not be read is an error that says what to do, not a guess at its service account', async () => {
    const { gw } = fakes({ deny: ['get pods'] });
    await assert.rejects(gatherWorkload(gw, CLUSTER, { pod: { namespace: 'payments', name: 'p' } }), /get pods is not allowed\): name its service account instead/);
  });

  it('other errors are raised, not hidden as missing permissions', async () => {
    const { gw } = fakes();
    gw.eks.describeAgentAddon = async () => {
      throw Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });
    };
    await assert.rejects(gatherWorkload(gw, CLUSTER, { serviceAccount: { namespace: 'payments', name: 'api' } }), /socket hang up/);
  });
});

describe('gathering a cluster\'s workload section', () => {
  it('explains every service account with an annotation or an association, reading each role once', async () => {
    const assocs = [association(), association({ associationId: 'a-2', namespace: 'billing', serviceAccount: 'worker' })];
    const { gw, calls } = fakes({ associations: assocs, roles: { [PRIMARY]: JSON.stringify(POD_ID_AWS_DOCS), [IRSA_ROLE]: JSON.stringify(IRSA_TERRAFORM) } });
    gw.eks.listPodIdentityAssociations = async () => assocs.map((a) => ({ associationId: a.associationId!, namespace: a.namespace, serviceAccount: a.serviceAccount }));
    gw.kube.listServiceAccounts = async () => [
      { namespace: 'payments', name: 'api', annotations: { 'eks.amazonaws.com/role-arn': IRSA_ROLE } },
      { namespace: 'billing', name: 'worker' },
      { namespace: 'default', name: 'default' },
    ];
    const out = await gatherCluster(gw, CLUSTER);
    assert.deepStrictEqual(out.rows.map((r) => [r.serviceAccount, r.explanation.mechanism, r.explanation.works]), [
      ['payments/api', 'pod-identity', true],
      ['billing/worker', 'pod-identity', true],
    ]);
    assert.strictEqual(calls.filter((c) => c === `iam:GetRole ${PRIMARY}`).length, 1, 'two associations, one role, one GetRole');
    assert.ok(calls.includes(`iam:GetRole ${IRSA_ROLE}`), 'the annotated role is read too');
  });

  it('without eks:ListPodIdentityAssociations the IRSA service accounts are still explained', async () => {
    const { gw } = fakes({ roles: { [IRSA_ROLE]: JSON.stringify(IRSA_TERRAFORM) }, deny: ['eks:ListPodIdentityAssociations'] });
    gw.eks.listPodIdentityAssociations = async () => {
      throw accessDenied('eks:ListPodIdentityAssociations');
    };
    gw.kube.listServiceAccounts = async () => [{ namespace: 'payments', name: 'api', annotations: { 'eks.amazonaws.com/role-arn': IRSA_ROLE } }];
    const out = await gatherCluster(gw, CLUSTER);
    assert.deepStrictEqual(out.unreadable.map((u) => u.permission), ['eks:ListPodIdentityAssociations and eks:DescribePodIdentityAssociation']);
    assert.deepStrictEqual(out.rows.map((r) => [r.serviceAccount, r.explanation.works]), [['payments/api', true]]);
  });
});
