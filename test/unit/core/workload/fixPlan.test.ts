/**
 * The fixes an explanation offers and exactly what each would send, through a recording fake gateway: the plan comes
 * from the failing step's kind, a corrected trust policy is checked by the model before it is offered, and a fix
 * applied to the inputs makes the explanation pass.
 */
import * as assert from 'assert';
import { explainWorkload } from '../../../../src/core/workload/explain';
import type { OwnedPod, WorkloadFixGateway } from '../../../../src/core/workload/fixGateway';
import { applyWorkloadFix, needsPods, planWorkloadFixes, podsForRestart, withAssociationRole, type WorkloadFix } from '../../../../src/core/workload/fixPlan';
import { applyRestart, RestartIncomplete, withWorkloads } from '../../../../src/core/workload/restartPlan';
import type { WorkloadInputs } from '../../../../src/core/workload/model';
import { ACCOUNT, association, CLUSTER, HOST_PATH, IRSA_AWS_DOCS, ISSUER, POD_ID_AWS_DOCS, POD_ID_NO_TAG_SESSION, podIdentityPod, PROVIDER_ARN } from './fixtures';

const IRSA_ROLE = `arn:aws:iam::${ACCOUNT}:role/my-role`;
const POD_ROLE = association().roleArn;
const PROVIDER = { arn: PROVIDER_ARN, url: HOST_PATH, clientIds: ['sts.amazonaws.com'] };

function recorder(): { gw: WorkloadFixGateway; calls: [string, ...unknown[]][] } {
  const calls: [string, ...unknown[]][] = [];
  const gw: WorkloadFixGateway = {
    async createOidcProvider(r) {
      calls.push(['CreateOpenIDConnectProvider', r]);
      return `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST_PATH}`;
    },
    async addClientIdToOidcProvider(r) {
      calls.push(['AddClientIDToOpenIDConnectProvider', r]);
    },
    async updateAssumeRolePolicy(name, doc) {
      calls.push(['UpdateAssumeRolePolicy', name, JSON.parse(doc)]);
    },
    async createPodIdentityAssociation(r) {
      calls.push(['CreatePodIdentityAssociation', r]);
      return 'a-new';
    },
    async createAddon(cluster, addon) {
      calls.push(['CreateAddon', cluster, addon]);
    },
    async listPods() {
      return [];
    },
    async getReplicaSetOwner(ns, name) {
      calls.push(['GetReplicaSet', `${ns}/${name}`]);
      return name.startsWith('api-') ? { kind: 'Deployment', name: 'api' } : undefined;
    },
    async restartWorkload(w, at) {
      calls.push(['PatchRestartedAt', `${w.kind} ${w.namespace}/${w.name}`, at]);
      return { paused: w.name === 'paused' };
    },
    async deletePod(ns, name, uid) {
      calls.push(['DeletePod', `${ns}/${name}`, uid]);
      if (name === 'gone-1') throw new Error('Operation cannot be fulfilled on pods "gone-1": precondition failed');
    },
  };
  return { gw, calls };
}

/** default/my-service-account with IRSA (the EKS User Guide's example), trust policy and providers as given. */
function irsa(trust: object | undefined, over: Partial<WorkloadInputs> = {}): WorkloadInputs {
  return {
    cluster: CLUSTER,
    serviceAccount: { namespace: 'default', name: 'my-service-account', annotations: { 'eks.amazonaws.com/role-arn': IRSA_ROLE } },
    association: null,
    trustPolicies: trust ? { [IRSA_ROLE]: encodeURIComponent(JSON.stringify(trust)) } : {},
    oidcProviders: [PROVIDER],
    ...over,
  };
}

function podIdentity(trust: object, over: Partial<WorkloadInputs> = {}): WorkloadInputs {
  return { cluster: CLUSTER, serviceAccount: { namespace: 'payments', name: 'api' }, association: association(), trustPolicies: { [POD_ROLE]: JSON.stringify(trust) }, agent: { addonStatus: 'ACTIVE', runningOnNode: true }, ...over };
}

const plan = (inputs: WorkloadInputs, pods?: OwnedPod[]) => planWorkloadFixes(inputs, explainWorkload(inputs), pods);
const only = <K extends WorkloadFix['kind']>(fixes: WorkloadFix[], kind: K) => {
  assert.deepStrictEqual(fixes.map((f) => f.kind), [kind]);
  return fixes[0] as Extract<WorkloadFix, { kind: K }>;
};

describe('workload identity fixes: what each would send', () => {
  it('offers nothing when the pod gets its role', () => {
    assert.deepStrictEqual(plan(irsa(IRSA_AWS_DOCS)), []);
  });

  it('missing OIDC provider: CreateOpenIDConnectProvider for the issuer, client ID sts.amazonaws.com, no thumbprint', async () => {
    const inputs = irsa(IRSA_AWS_DOCS, { cluster: { ...CLUSTER, oidcIssuer: `${ISSUER}/` }, oidcProviders: [] });
    const fix = only(plan(inputs), 'create-oidc-provider');
    const { gw, calls } = recorder();
    await applyWorkloadFix(fix, gw);
    assert.deepStrictEqual(calls, [['CreateOpenIDConnectProvider', { url: ISSUER, clientIds: ['sts.amazonaws.com'] }]], 'the trailing slash is dropped, as IAM keys the provider');
    assert.ok(!('thumbprints' in fix.request) && !JSON.stringify(fix.request).includes('humbprint'));
    const after = explainWorkload({ ...inputs, oidcProviders: [PROVIDER] });
    assert.strictEqual(after.works, true);
  });

  it('trust policy for another namespace: adds the statement for this service account and keeps the old one', async () => {
    const wrong = JSON.parse(JSON.stringify(IRSA_AWS_DOCS).replace('system:serviceaccount:default:', 'system:serviceaccount:payments:'));
    const inputs = irsa(wrong);
    assert.strictEqual(explainWorkload(inputs).steps.find((s) => s.id === 'trust')?.kind, 'trust-condition');
    const fix = only(plan(inputs), 'update-trust-policy');
    const { gw, calls } = recorder();
    await applyWorkloadFix(fix, gw);
    const [op, roleName, sent] = calls[0] as [string, string, { Statement: { Condition?: { StringEquals: Record<string, string> } }[] }];
    assert.deepStrictEqual([op, roleName, sent.Statement.length], ['UpdateAssumeRolePolicy', 'my-role', 2]);
    assert.deepStrictEqual(sent.Statement[0], wrong.Statement[0], 'the existing statement is kept as written');
    assert.deepStrictEqual(sent.Statement[1].Condition?.StringEquals, { [`${HOST_PATH}:sub`]: 'system:serviceaccount:default:my-service-account', [`${HOST_PATH}:aud`]: 'sts.amazonaws.com' });
    assert.match(fix.correction.before, /system:serviceaccount:payments:my-service-account/, 'the diff shows the document decoded from GetRole\'s URL encoding');
    assert.strictEqual(explainWorkload({ ...inputs, trustPolicies: { [IRSA_ROLE]: fix.correction.after } }).works, true);
  });

  it('an audience the OIDC provider does not list: adds it as a client ID, names the other way, and only then corrects the trust policy', async () => {
    const VAULT = { namespace: 'default', name: 'my-service-account', annotations: { 'eks.amazonaws.com/role-arn': IRSA_ROLE, 'eks.amazonaws.com/audience': 'vault.example.com' } };
    const inputs = irsa(IRSA_AWS_DOCS, { serviceAccount: VAULT });
    const kinds = explainWorkload(inputs).steps.filter((s) => s.verdict === 'fail').map((s) => s.kind);
    assert.ok(kinds.includes('oidc-client-id-missing') && kinds.includes('trust-condition'), kinds.join());
    const fix = only(plan(inputs), 'add-client-id');
    assert.deepStrictEqual(fix.details, [
      `iam:AddClientIDToOpenIDConnectProvider OpenIDConnectProviderArn=${PROVIDER_ARN} ClientID=vault.example.com`,
      'instead: remove the eks.amazonaws.com/audience annotation from default/my-service-account and restart its pods; the webhook then asks for sts.amazonaws.com, which the provider lists',
      `the trust policy of ${IRSA_ROLE} does not accept this token either; the explanation offers to correct it next`,
    ]);
    const { gw, calls } = recorder();
    await applyWorkloadFix(fix, gw);
    assert.deepStrictEqual(calls, [['AddClientIDToOpenIDConnectProvider', { providerArn: PROVIDER_ARN, clientId: 'vault.example.com' }]]);
    // Re-explained with the provider as IAM now has it: the audience is accepted, and the trust policy fix follows.
    const added = { ...inputs, oidcProviders: [{ ...PROVIDER, clientIds: ['sts.amazonaws.com', 'vault.example.com'] }] };
    assert.strictEqual(explainWorkload(added).steps.find((s) => s.id === 'oidc-provider')?.verdict, 'ok');
    const trust = only(plan(added), 'update-trust-policy');
    assert.strictEqual(explainWorkload({ ...added, trustPolicies: { [IRSA_ROLE]: trust.correction.after } }).works, true);
  });

  it('an audience the provider does not list, with a trust policy that expects it: adding the client ID alone lets the pod in', async () => {
    const trusting = JSON.parse(JSON.stringify(IRSA_AWS_DOCS).replace(':aud":"sts.amazonaws.com"', ':aud":"vault.example.com"'));
    const inputs = irsa(trusting, { serviceAccount: { namespace: 'default', name: 'my-service-account', annotations: { 'eks.amazonaws.com/role-arn': IRSA_ROLE, 'eks.amazonaws.com/audience': 'vault.example.com' } } });
    const fix = only(plan(inputs), 'add-client-id');
    assert.strictEqual(fix.details.length, 2, 'no trust policy line when the trust policy accepts the audience');
    assert.strictEqual(explainWorkload({ ...inputs, oidcProviders: [{ ...PROVIDER, clientIds: ['sts.amazonaws.com', 'vault.example.com'] }] }).works, true);
  });

  it('Pod Identity trust without sts:TagSession (a single statement object): adds the action to that statement', async () => {
    const inputs = podIdentity(POD_ID_NO_TAG_SESSION);
    const fix = only(plan(inputs), 'update-trust-policy');
    const { gw, calls } = recorder();
    await applyWorkloadFix(fix, gw);
    const sent = calls[0][2] as { Statement: { Action: string[] }[] };
    assert.deepStrictEqual(sent.Statement.map((s) => s.Action), [['sts:AssumeRole', 'sts:TagSession']]);
    assert.strictEqual(explainWorkload({ ...inputs, trustPolicies: { [POD_ROLE]: fix.correction.after } }).works, true);
  });

  it('an explicit Deny is not outvoted by an added Allow: no trust fix is offered', () => {
    const deny = { Version: '2012-10-17', Statement: [...POD_ID_AWS_DOCS.Statement, { Effect: 'Deny', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const inputs = podIdentity(deny);
    assert.strictEqual(explainWorkload(inputs).steps.find((s) => s.id === 'trust')?.kind, 'trust-explicit-deny');
    assert.deepStrictEqual(plan(inputs), []);
  });

  it('no mechanism: CreatePodIdentityAssociation once the user names the role', async () => {
    const inputs: WorkloadInputs = { cluster: CLUSTER, serviceAccount: { namespace: 'payments', name: 'api' }, association: null, oidcProviders: [PROVIDER] };
    const fix = only(plan(inputs), 'create-association');
    const { gw, calls } = recorder();
    await assert.rejects(applyWorkloadFix(fix, gw), /needs a role/);
    assert.deepStrictEqual(calls, [], 'nothing is sent without a role');
    const named = withAssociationRole(fix, POD_ROLE);
    assert.match(named.details[0], /roleArn=arn:aws:iam::111122223333:role\/eks-pod-identity-primary-role$/);
    await applyWorkloadFix(named, gw);
    assert.deepStrictEqual(calls, [['CreatePodIdentityAssociation', { clusterName: 'demo', namespace: 'payments', serviceAccount: 'api', roleArn: POD_ROLE }]]);
  });

  // What `kubectl rollout restart` does (kubectl pkg/polymorphichelpers/objectrestarter.go): the workload's pod
  // template gets kubectl.kubernetes.io/restartedAt, and its controller rolls the pods; deleting them all at once
  // would ignore maxUnavailable and PodDisruptionBudgets.
  it('pods created before the association: restarts each Deployment and StatefulSet once, deletes a bare ReplicaSet\'s pod by uid, names an ownerless one', async () => {
    const before = { creationTimestamp: '2026-11-19T09:00:00Z', containers: [{ name: 'api' }], volumes: [] };
    const inputs = podIdentity(POD_ID_AWS_DOCS, { pod: podIdentityPod(before) });
    const explanation = explainWorkload(inputs);
    assert.ok(needsPods(explanation));
    const pod = (name: string, uid: string, owner?: { kind: string; name: string }): OwnedPod => ({ ...podIdentityPod({ ...before, name, uid }), owner });
    const listed: OwnedPod[] = [
      pod('api-6f4dfff6cb-76cv9', 'u-1', { kind: 'ReplicaSet', name: 'api-6f4dfff6cb' }),
      pod('api-6f4dfff6cb-x8k2q', 'u-2', { kind: 'ReplicaSet', name: 'api-6f4dfff6cb' }),
      pod('db-0', 'u-3', { kind: 'StatefulSet', name: 'db' }),
      pod('legacy-rs-abcde', 'u-4', { kind: 'ReplicaSet', name: 'legacy-rs' }),
      pod('debug', 'u-5'),
      { ...podIdentityPod({ name: 'api-new', uid: 'u-6' }), owner: { kind: 'ReplicaSet', name: 'api-7c9d8b5f4d' } },
      { ...podIdentityPod({ ...before, name: 'worker-1', uid: 'u-7', serviceAccountName: 'worker' }), owner: { kind: 'ReplicaSet', name: 'worker-5d' } },
    ];
    const { gw, calls } = recorder();
    gw.listPods = async () => listed;
    const pods = await podsForRestart(gw, inputs, explanation);
    assert.deepStrictEqual(calls, [['GetReplicaSet', 'payments/api-6f4dfff6cb'], ['GetReplicaSet', 'payments/legacy-rs']], 'each stale pod\'s ReplicaSet read once; not those of the new pod or of another service account');
    calls.length = 0;
    const fix = only(planWorkloadFixes(inputs, explanation, pods), 'restart-pods');
    assert.strictEqual(fix.action, 'Restart 2 workloads and 1 pod of payments/api so the webhook admits new pods');
    assert.deepStrictEqual(fix.details, [
      'rollout restart Deployment payments/api: patch spec.template.metadata.annotations kubectl.kubernetes.io/restartedAt=<now>; its controller replaces the pods by its rollout rules',
      'rollout restart StatefulSet payments/db: patch spec.template.metadata.annotations kubectl.kubernetes.io/restartedAt=<now>; its controller replaces the pods by its rollout rules',
      'delete pod payments/legacy-rs-abcde if its uid is still u-4 (re-created by ReplicaSet legacy-rs, which has no rollout)',
      'left alone: pod payments/debug has no controller that would create it again',
    ]);
    await applyRestart(fix.plan, gw, new Date('2026-12-02T14:30:05.123Z'));
    assert.deepStrictEqual(calls, [
      ['PatchRestartedAt', 'Deployment payments/api', '2026-12-02T14:30:05Z'],
      ['PatchRestartedAt', 'StatefulSet payments/db', '2026-12-02T14:30:05Z'],
      ['DeletePod', 'payments/legacy-rs-abcde', 'u-4'],
    ]);
  });

  it('a ReplicaSet that cannot be read: its pods are named, never deleted (they may belong to a Deployment)', async () => {
    const before = { creationTimestamp: '2026-11-19T09:00:00Z', containers: [{ name: 'api' }], volumes: [] };
    const inputs = podIdentity(POD_ID_AWS_DOCS, { pod: podIdentityPod(before) });
    const pods = await withWorkloads([{ ...podIdentityPod(before), owner: { kind: 'ReplicaSet', name: 'api-6f4dfff6cb' } }], {
      getReplicaSetOwner: async () => {
        throw new Error('replicasets.apps "api-6f4dfff6cb" is forbidden');
      },
    });
    assert.deepStrictEqual(plan(inputs, pods), []);
  });

  it('a restart that fails part way: the error says what was already done (a paused Deployment named as such) and which step failed', async () => {
    const { gw, calls } = recorder();
    const restart = { workloads: [{ kind: 'Deployment' as const, namespace: 'payments', name: 'api' }, { kind: 'Deployment' as const, namespace: 'payments', name: 'paused' }], deletes: [{ ...podIdentityPod({ name: 'gone-1', uid: 'u-9' }), uid: 'u-9', owner: { kind: 'Job', name: 'migrate' } }, { ...podIdentityPod({ name: 'never', uid: 'u-10' }), uid: 'u-10', owner: { kind: 'Job', name: 'migrate' } }], leftAlone: [] };
    await assert.rejects(applyRestart(restart, gw, new Date('2026-12-02T14:30:05Z')), (e: unknown) => {
      assert.ok(e instanceof RestartIncomplete);
      assert.deepStrictEqual([e.done, e.failedStep], [['restarted Deployment payments/api (kubectl.kubernetes.io/restartedAt=2026-12-02T14:30:05Z)', 'restarted Deployment payments/paused (kubectl.kubernetes.io/restartedAt=2026-12-02T14:30:05Z); it is paused, so its pods are replaced only after kubectl rollout resume'], 'delete pod payments/gone-1']);
      return true;
    });
    assert.deepStrictEqual(calls.map((c) => c[1]), ['Deployment payments/api', 'Deployment payments/paused', 'payments/gone-1'], 'nothing after the failure');
  });

  it('no pod to restart that a controller owns: no restart is offered', () => {
    const before = { creationTimestamp: '2026-11-19T09:00:00Z', containers: [{ name: 'api' }], volumes: [] };
    const inputs = podIdentity(POD_ID_AWS_DOCS, { pod: podIdentityPod(before) });
    assert.deepStrictEqual(plan(inputs, [{ ...podIdentityPod(before) }]), []);
  });

  it('agent add-on missing: CreateAddon eks-pod-identity-agent', async () => {
    const inputs = podIdentity(POD_ID_AWS_DOCS, { agent: { addonStatus: 'absent' } });
    const fix = only(plan(inputs), 'install-agent');
    const { gw, calls } = recorder();
    await applyWorkloadFix(fix, gw);
    assert.deepStrictEqual(calls, [['CreateAddon', 'demo', 'eks-pod-identity-agent']]);
  });
});
