/**
 * The Pod Identity trust correction keeps the new statement as narrow as EKS lets it be: scoped by the session tags
 * EKS Pod Identity adds (EKS User Guide, pod-id-role "Setting Conditions" and pod-id-abac: `eks-cluster-arn`,
 * `kubernetes-namespace`, `kubernetes-service-account` as `aws:RequestTag/...`), and, when session tags are disabled
 * and no tag condition can hold, the confirmation says the statement is not scoped.
 */
import * as assert from 'assert';
import { explainWorkload } from '../../../../src/core/workload/explain';
import { planWorkloadFixes, type WorkloadFix } from '../../../../src/core/workload/fixPlan';
import type { WorkloadInputs } from '../../../../src/core/workload/model';
import { ACCOUNT, association, CLUSTER, POD_ID_AWS_DOCS_CONDITIONS } from './fixtures';

const ROLE = association().roleArn;
/** A role that trusts EC2 only (the EC2 instance role trust of the IAM User Guide): Pod Identity is not its principal. */
const EC2_ONLY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
/** pod-id-role's conditioned example, for another service account than the one explained. */
const OTHER_SA = JSON.parse(JSON.stringify(POD_ID_AWS_DOCS_CONDITIONS).replace('"api"', '"worker"'));

function inputs(trust: object, over: Partial<WorkloadInputs> = {}, tags = true): WorkloadInputs {
  return {
    cluster: CLUSTER,
    serviceAccount: { namespace: 'payments', name: 'api' },
    association: association({ disableSessionTags: !tags }),
    trustPolicies: { [ROLE]: JSON.stringify(trust) },
    agent: { addonStatus: 'ACTIVE', runningOnNode: true },
    ...over,
  };
}

function correction(i: WorkloadInputs): Extract<WorkloadFix, { kind: 'update-trust-policy' }> {
  const fixes = planWorkloadFixes(i, explainWorkload(i));
  assert.deepStrictEqual(fixes.map((f) => f.kind), ['update-trust-policy'], JSON.stringify(explainWorkload(i).steps));
  return fixes[0] as Extract<WorkloadFix, { kind: 'update-trust-policy' }>;
}

const added = (fix: Extract<WorkloadFix, { kind: 'update-trust-policy' }>) => (JSON.parse(fix.correction.after) as { Statement: Record<string, unknown>[] }).Statement.at(-1)!;

describe('the Pod Identity trust correction: scoped to the cluster, namespace and service account', () => {
  for (const [name, trust, kind] of [
    ['a role that does not trust pods.eks.amazonaws.com', EC2_ONLY, 'trust-principal'],
    ['conditions for another service account', OTHER_SA, 'trust-condition'],
  ] as const) {
    it(`${name}: the added statement names the cluster ARN, namespace and service account, and the confirmation says so`, () => {
      const i = inputs(trust);
      assert.strictEqual(explainWorkload(i).steps.find((s) => s.id === 'trust')?.kind, kind);
      const fix = correction(i);
      assert.deepStrictEqual(added(fix).Condition, {
        StringEquals: { 'aws:RequestTag/eks-cluster-arn': CLUSTER.arn, 'aws:RequestTag/kubernetes-namespace': 'payments', 'aws:RequestTag/kubernetes-service-account': 'api' },
      });
      assert.ok(fix.details.includes(`scoped by its session tags to cluster ${CLUSTER.arn}, namespace payments and service account api`), fix.details.join('\n'));
      // Re-explained before it is offered: it lets this service account in, and the same names in another cluster stay out.
      assert.strictEqual(explainWorkload({ ...i, trustPolicies: { [ROLE]: fix.correction.after } }).works, true);
      const other = { ...CLUSTER, name: 'other', arn: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/other` };
      assert.notStrictEqual(explainWorkload({ ...i, cluster: other, trustPolicies: { [ROLE]: fix.correction.after } }).steps.find((s) => s.id === 'trust')?.verdict, 'ok');
    });
  }

  it('session tags disabled: no tag condition can hold, so the statement is added unscoped and the confirmation says it is not scoped', () => {
    const i = inputs(EC2_ONLY, {}, false);
    const fix = correction(i);
    assert.deepStrictEqual(added(fix), { Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' });
    assert.ok(fix.details.some((d) => d.startsWith('not scoped: session tags are disabled on the association')), fix.details.join('\n'));
    assert.strictEqual(explainWorkload({ ...i, trustPolicies: { [ROLE]: fix.correction.after } }).works, true);
  });
});
