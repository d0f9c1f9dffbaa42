/**
 * IRSA with a role in another account: STS looks for the IAM OIDC provider in the role's account (EKS User Guide,
 * cross-account-access "Authenticate to another account with IRSA", option 1: account B creates a provider for
 * account A's issuer), so the cluster account's providers do not count and no fix changes a provider for it.
 * Also the provider a fix creates (sts.amazonaws.com plus a custom audience) and the account of an association's role
 * (iam:PassRole: EKS User Guide, pod-id-association prerequisites and pod-id-assign-target-role).
 */
import * as assert from 'assert';
import { explainWorkload } from '../../../../src/core/workload/explain';
import { associationRoleProblem, planWorkloadFixes, type WorkloadFix } from '../../../../src/core/workload/fixPlan';
import type { WorkloadInputs } from '../../../../src/core/workload/model';
import { ACCOUNT, CLUSTER, HOST_PATH, IRSA_AWS_DOCS, OTHER_ACCOUNT, PROVIDER_ARN } from './fixtures';

const ROLE_B = `arn:aws:iam::${OTHER_ACCOUNT}:role/account-b-role`;
const PROVIDER_B = `arn:aws:iam::${OTHER_ACCOUNT}:oidc-provider/${HOST_PATH}`;
/** The EKS User Guide's trust policy, with the provider in account B as cross-account-access option 1 has it. */
const TRUST_B = JSON.parse(JSON.stringify(IRSA_AWS_DOCS).split(PROVIDER_ARN).join(PROVIDER_B));

function irsa(roleArn: string, over: Partial<WorkloadInputs> = {}, annotations: Record<string, string> = {}): WorkloadInputs {
  return {
    cluster: CLUSTER,
    serviceAccount: { namespace: 'default', name: 'my-service-account', annotations: { 'eks.amazonaws.com/role-arn': roleArn, ...annotations } },
    association: null,
    trustPolicies: { [roleArn]: JSON.stringify(roleArn === ROLE_B ? TRUST_B : IRSA_AWS_DOCS) },
    ...over,
  };
}

const providerStep = (i: WorkloadInputs) => explainWorkload(i).steps.find((s) => s.id === 'oidc-provider')!;
const kinds = (i: WorkloadInputs) => planWorkloadFixes(i, explainWorkload(i)).map((f) => f.kind);

describe('IRSA with a role in another account', () => {
  it("the cluster account's provider for the issuer does not count: the step is unknown and names account B", () => {
    const i = irsa(ROLE_B, { oidcProviders: [{ arn: PROVIDER_ARN, url: HOST_PATH, clientIds: ['sts.amazonaws.com'] }] });
    const step = providerStep(i);
    assert.deepStrictEqual([step.verdict, step.kind], ['unknown', 'not-checked']);
    assert.match(step.title, new RegExp(`account ${OTHER_ACCOUNT}`));
    assert.ok(step.evidence[0].includes(PROVIDER_B), step.evidence.join('\n'));
    assert.match(step.source, /cross-account-access/);
  });

  it('no provider at all in the cluster account: neither "Create the IAM OIDC Provider" nor "Add the Client ID" is offered for B', () => {
    assert.deepStrictEqual(kinds(irsa(ROLE_B, { oidcProviders: [] })), []);
    const custom = irsa(ROLE_B, { oidcProviders: [{ arn: PROVIDER_ARN, url: HOST_PATH, clientIds: ['sts.amazonaws.com'] }] }, { 'eks.amazonaws.com/audience': 'vault.example.com' });
    assert.ok(!kinds(custom).some((k) => k === 'create-oidc-provider' || k === 'add-client-id'), kinds(custom).join());
  });

  it("a provider listed with an ARN in another account than the role's does not count, even for the same issuer", () => {
    // The cluster account unknown (an offline explanation): providers are matched by their ARN's account.
    const i = irsa(`arn:aws:iam::${ACCOUNT}:role/my-role`, { cluster: { ...CLUSTER, arn: undefined, accountId: undefined }, oidcProviders: [{ arn: PROVIDER_B, url: HOST_PATH, clientIds: ['sts.amazonaws.com'] }] });
    assert.strictEqual(providerStep(i).kind, 'oidc-provider-missing');
    const b = irsa(ROLE_B, { cluster: { ...CLUSTER, arn: undefined, accountId: undefined }, oidcProviders: [{ arn: PROVIDER_B, url: HOST_PATH, clientIds: ['sts.amazonaws.com'] }] });
    assert.strictEqual(providerStep(b).verdict, 'ok');
  });
});

describe('the provider the fix creates, and the role an association may name', () => {
  it('a custom audience: the new provider lists sts.amazonaws.com too, so the cluster\'s other service accounts work', () => {
    const i = irsa(`arn:aws:iam::${ACCOUNT}:role/my-role`, { oidcProviders: [] }, { 'eks.amazonaws.com/audience': 'vault.example.com' });
    const fix = planWorkloadFixes(i, explainWorkload(i)).find((f) => f.kind === 'create-oidc-provider') as Extract<WorkloadFix, { kind: 'create-oidc-provider' }>;
    assert.deepStrictEqual(fix.request.clientIds, ['sts.amazonaws.com', 'vault.example.com']);
    assert.match(fix.details[0], /ClientIDList=sts\.amazonaws\.com,vault\.example\.com$/);
  });

  it("an association's role must be in the cluster's account (iam:PassRole); the confirmation names the permission", () => {
    const i: WorkloadInputs = { cluster: CLUSTER, serviceAccount: { namespace: 'payments', name: 'api' }, association: null, oidcProviders: [] };
    const fix = planWorkloadFixes(i, explainWorkload(i)).find((f) => f.kind === 'create-association') as Extract<WorkloadFix, { kind: 'create-association' }>;
    assert.ok(fix.details.some((d) => d.includes('iam:PassRole')), fix.details.join('\n'));
    assert.deepStrictEqual(associationRoleProblem(fix, ROLE_B), { kind: 'other-account', roleAccount: OTHER_ACCOUNT, clusterAccount: ACCOUNT });
    assert.deepStrictEqual(associationRoleProblem(fix, 'my-role'), { kind: 'not-a-role' });
    assert.strictEqual(associationRoleProblem(fix, ` arn:aws:iam::${ACCOUNT}:role/pods `), undefined);
  });
});

describe('no fix writes to another account', () => {
  it("a cross-account IRSA role whose trust policy fails: no UpdateAssumeRolePolicy with the cluster account's credentials", () => {
    const wrong = JSON.parse(JSON.stringify(TRUST_B).replace('system:serviceaccount:default:', 'system:serviceaccount:payments:'));
    const i = irsa(ROLE_B, { trustPolicies: { [ROLE_B]: JSON.stringify(wrong) }, oidcProviders: [] });
    assert.strictEqual(explainWorkload(i).steps.find((s) => s.id === 'trust')?.kind, 'trust-condition');
    assert.deepStrictEqual(kinds(i), []);
  });
});
