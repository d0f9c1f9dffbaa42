/** Gathering the live inputs through fake gateways: what is read, what is skipped, and what a 403 leaves explained. */
import * as assert from 'assert';
import { explainWorkload } from '../../../../src/core/workload/explain';
import { planWorkloadFixes } from '../../../../src/core/workload/fixPlan';
import { gatherCluster, gatherWorkload, type WorkloadGateways } from '../../../../src/core/workload/gather';
import type { PodIdentityAssociationInfo } from '../../../../src/core/workload/model';
import type { OtherAccountReader } from '../../../../src/core/workload/otherAccounts';
import { ACCOUNT, association, CLUSTER, HOST_PATH, IRSA_TERRAFORM, OTHER_ACCOUNT, POD_ID_AWS_DOCS, podIdentityPod, PROVIDER_ARN, TARGET_AWS_DOCS } from './fixtures';

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

  it('a target role in another account is not read with the cluster account\'s credentials; the step names the account whose profile would check it', async () => {
    const target = `arn:aws:iam::${OTHER_ACCOUNT}:role/x`;
    const { gw, calls } = fakes({ associations: [association({ targetRoleArn: target })], roles: { [PRIMARY]: JSON.stringify(POD_ID_AWS_DOCS) } });
    const without = explainWorkload(await gatherWorkload(gw, CLUSTER, { serviceAccount: { namespace: 'payments', name: 'api' } }));
    assert.deepStrictEqual(without.steps.find((s) => s.id === 'target-trust')!.evidence[0], 'the trust policy was not given', 'the CLI has no configured profiles to name');
    const e = explainWorkload(await gatherWorkload({ ...gw, otherAccounts: { forAccount: async () => undefined } }, CLUSTER, { serviceAccount: { namespace: 'payments', name: 'api' } }));
    assert.ok(!calls.some((c) => c.includes(OTHER_ACCOUNT)));
    const step = e.steps.find((s) => s.id === 'target-trust')!;
    assert.strictEqual(step.verdict, 'unknown');
    // The explorer's profiles are eksAuth.profiles, or every profile of the shared files when it is empty (README).
    assert.ok(step.evidence[0].includes(`is in account ${OTHER_ACCOUNT}; the cluster account's credentials cannot read it, and none of the explorer's profiles is in account ${OTHER_ACCOUNT} (those in eksAuth.profiles, or every profile of ~/.aws/config and ~/.aws/credentials when that setting is empty)`), step.evidence[0]);
    assert.strictEqual(step.fix, `Add a profile for account ${OTHER_ACCOUNT} (to ~/.aws/config, and to eksAuth.profiles when that setting lists profiles) to check this step.`);
  });

  describe('a target role in another account, with the user\'s configured profiles', () => {
    const TARGET = `arn:aws:iam::${OTHER_ACCOUNT}:role/eks-pod-identity-aws-resources`;
    /** A reader whose profile `shared` is in OTHER_ACCOUNT and answers GetRole as given. */
    function other(getRole: (arn: string) => Promise<string | undefined>, reads: string[]): OtherAccountReader {
      return {
        async forAccount(account) {
          return account === OTHER_ACCOUNT ? { profile: 'shared', iam: { getRoleTrustPolicy: async (arn) => (reads.push(arn), getRole(arn)) } } : undefined;
        },
      };
    }
    const run = async (reader: OtherAccountReader) => {
      const { gw, calls } = fakes({ associations: [association({ targetRoleArn: TARGET })], roles: { [PRIMARY]: JSON.stringify(POD_ID_AWS_DOCS) } });
      const e = explainWorkload(await gatherWorkload({ ...gw, otherAccounts: reader }, CLUSTER, { serviceAccount: { namespace: 'payments', name: 'api' } }));
      assert.ok(!calls.some((c) => c.includes(OTHER_ACCOUNT)), 'never with the cluster account\'s credentials');
      return { e, step: e.steps.find((s) => s.id === 'target-trust')! };
    };

    it('reads the target\'s trust policy with the profile in its account and judges the step', async () => {
      const reads: string[] = [];
      const { e, step } = await run(other(async () => encodeURIComponent(JSON.stringify(TARGET_AWS_DOCS)), reads));
      assert.deepStrictEqual(reads, [TARGET]);
      assert.deepStrictEqual([e.works, e.roleArn, step.verdict], [true, TARGET, 'ok'], JSON.stringify(e.steps.filter((s) => s.verdict !== 'ok')));
      assert.ok(step.evidence.includes(`read with profile shared (account ${OTHER_ACCOUNT})`), step.evidence.join(' | '));
    });

    it('a target trust policy that does not trust the first role fails, read the same way', async () => {
      const wrong = JSON.stringify(TARGET_AWS_DOCS).replace('eks-pod-identity-primary-role', 'someone-else');
      const { e, step } = await run(other(async () => wrong, []));
      assert.deepStrictEqual([e.works, step.verdict, step.kind], [false, 'fail', 'target-trust']);
    });

    it('the profile may not read it: the refusal names the profile and the permission; a failing profile leaves the step unknown', async () => {
      const refused = await run(other(async () => { throw Object.assign(new Error('not authorized to perform: iam:GetRole'), { name: 'AccessDenied' }); }, []));
      assert.strictEqual(refused.step.verdict, 'unknown');
      assert.ok(refused.e.steps.some((s) => s.kind === 'not-permitted' && s.fix === `Allow iam:GetRole for profile shared (account ${OTHER_ACCOUNT}) to explain this step too.`), JSON.stringify(refused.e.steps));
      const failed = await run(other(async () => { throw new Error('The SSO session associated with this profile has expired'); }, []));
      assert.strictEqual(failed.step.verdict, 'unknown');
      assert.ok(failed.step.evidence.includes(`read with profile shared (account ${OTHER_ACCOUNT}), which failed: The SSO session associated with this profile has expired`), failed.step.evidence.join(' | '));
    });

    it('a target role the profile\'s account does not have is role-missing', async () => {
      const { step } = await run(other(async () => undefined, []));
      assert.deepStrictEqual([step.verdict, step.kind], ['fail', 'role-missing']);
    });
  });

  describe('an IRSA role in another account (EKS User Guide cross-account-access, option 1): its account\'s providers, with the profile there', () => {
    const ROLE_B = `arn:aws:iam::${OTHER_ACCOUNT}:role/account-b-role`;
    const PROVIDER_B = `arn:aws:iam::${OTHER_ACCOUNT}:oidc-provider/${HOST_PATH}`;
    const TRUST_B = JSON.stringify(IRSA_TERRAFORM).split(PROVIDER_ARN).join(PROVIDER_B).replace(`arn:aws:iam::${ACCOUNT}:role/payments-api`, ROLE_B);
    const run = async (providersOfB: { arn: string; url: string; clientIds: string[] }[] | undefined) => {
      const { gw, calls } = fakes({ serviceAccounts: { 'payments/api': { 'eks.amazonaws.com/role-arn': ROLE_B } } });
      const reader: OtherAccountReader = {
        async forAccount(account) {
          if (account !== OTHER_ACCOUNT) return undefined;
          return { profile: 'shared', iam: { getRoleTrustPolicy: async () => encodeURIComponent(TRUST_B), ...(providersOfB ? { listOidcProviders: async () => providersOfB } : {}) } };
        },
      };
      const inputs = await gatherWorkload({ ...gw, otherAccounts: reader }, CLUSTER, { serviceAccount: { namespace: 'payments', name: 'api' } });
      const e = explainWorkload(inputs);
      assert.ok(!calls.some((c) => c.includes(OTHER_ACCOUNT)), "never with the cluster account's credentials");
      return { e, step: e.steps.find((s) => s.id === 'oidc-provider')!, fixes: planWorkloadFixes(inputs, e) };
    };

    it("B's provider for the issuer: the step passes on it, read with B's profile, and the trust policy is judged", async () => {
      const { e, step } = await run([{ arn: PROVIDER_B, url: HOST_PATH, clientIds: ['sts.amazonaws.com'] }]);
      assert.deepStrictEqual([step.verdict, step.evidence[0]], ['ok', PROVIDER_B]);
      assert.ok(step.evidence.includes(`read with profile shared (account ${OTHER_ACCOUNT})`), step.evidence.join(' | '));
      assert.deepStrictEqual([e.works, e.roleArn], [true, ROLE_B], JSON.stringify(e.steps.filter((s) => s.verdict !== 'ok')));
    });

    it("B has no provider for the issuer (the cluster account's does not count): the step fails in account B and no fix writes there", async () => {
      const { e, step, fixes } = await run([]);
      assert.deepStrictEqual([step.verdict, step.kind], ['fail', 'oidc-provider-missing']);
      assert.deepStrictEqual(fixes, [], "the cluster account's credentials cannot create B's provider");
      assert.match(step.title, new RegExp(`in account ${OTHER_ACCOUNT}$`));
      assert.match(step.fix!, new RegExp(`^In account ${OTHER_ACCOUNT}: aws iam create-open-id-connect-provider .* --profile shared$`));
      assert.strictEqual(e.works, false);
    });
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
