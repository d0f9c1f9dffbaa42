import * as assert from 'assert';
import { applyMigration, blockersForApiMode, CLUSTER_ADMIN_POLICY, describeBlockers, ExistingEntry, PlanContext, planMigration, verifyMigration } from '../../../../src/core/access/migrate';
import type { EksGateway } from '../../../../src/core/aws/eksGateway';
import type { IamGateway } from '../../../../src/core/aws/iamGateway';

const A = '111122223333';
const iam: IamGateway = {
  async resolvePrincipal(arn) {
    const real: Record<string, string> = {
      [`arn:aws:iam::${A}:role/node`]: `arn:aws:iam::${A}:role/NodeRole`,
      [`arn:aws:iam::${A}:role/noderole`]: `arn:aws:iam::${A}:role/NodeRole`,
      [`arn:aws:iam::${A}:role/admin`]: `arn:aws:iam::${A}:role/platform/Admin`,
      [`arn:aws:iam::${A}:role/dev`]: `arn:aws:iam::${A}:role/Dev`,
      [`arn:aws:iam::${A}:role/fargate`]: `arn:aws:iam::${A}:role/Fargate`,
      [`arn:aws:iam::${A}:user/ops/bob`]: `arn:aws:iam::${A}:user/ops/bob`,
      [`arn:aws:iam::${A}:role/existing`]: `arn:aws:iam::${A}:role/Existing`,
    };
    return real[arn.toLowerCase().replace(/^arn:aws:iam::\d+:/, `arn:aws:iam::${A}:`).replace(/role\/(.+)$/, (_m, n: string) => `role/${n}`)] ?? real[arn.toLowerCase()];
  },
};

const AWS_AUTH = {
  mapRoles: [
    `- rolearn: arn:aws:iam::${A}:role/NodeRole\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]`,
    `- rolearn: arn:aws:iam::${A}:role/Fargate\n  username: system:node:{{SessionName}}\n  groups: [system:bootstrappers, system:nodes, system:node-proxier]`,
    `- rolearn: arn:aws:iam::${A}:role/Admin\n  username: "admin:{{SessionName}}"\n  groups: [system:masters, platform]`,
    `- rolearn: arn:aws:sts::${A}:assumed-role/Dev/jane\n  username: dev\n  groups: [developers]`,
    `- rolearn: arn:aws:iam::${A}:role/Gone\n  username: gone`,
    `- rolearn: arn:aws:iam::${A}:role/Monitor\n  username: monitor\n  groups: [system:monitoring]`,
    `- rolearn: arn:aws:iam::${A}:role/aws-service-role/x/Svc\n  username: svc`,
    `- rolearn: arn:aws:iam::${A}:role/Existing\n  username: e`,
  ].join('\n') + '\n',
  mapUsers: `- userarn: arn:aws:iam::${A}:user/ops/bob\n  username: bob\n  groups: [ops]\n`,
  mapAccounts: `- "${A}"\n`,
};

/** A hand-written EKS fake that keeps entries and policies as EKS does; fails the n-th create or associate when asked. */
function fakeEks(fail: { create?: number; associate?: number } = {}) {
  const entries = new Map<string, { type?: string; username?: string; kubernetesGroups?: string[] }>();
  const policies: string[] = [];
  let creates = 0;
  let associates = 0;
  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
  const eks = {
    async createAccessEntry(_cluster: string, input: { principalArn: string; type?: string; username?: string; kubernetesGroups?: string[] }) {
      creates++;
      if (creates === fail.create) throw throttled();
      if (entries.has(input.principalArn)) throw Object.assign(new Error('in use'), { name: 'ResourceInUseException' });
      entries.set(input.principalArn, { type: input.type, username: input.username, kubernetesGroups: input.kubernetesGroups ?? [] });
      return {};
    },
    async describeAccessEntry(_c: string, principal: string) {
      const e = entries.get(principal);
      if (!e) throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
      return { principalArn: principal, ...e };
    },
    async associateAccessPolicy(_c: string, principal: string, policy: string) {
      associates++;
      if (associates === fail.associate) throw throttled();
      if (!policies.includes(`${principal} ${policy}`)) policies.push(`${principal} ${policy}`);
    },
    async listAssociatedAccessPolicies(_c: string, principal: string) {
      return policies.filter((p) => p.startsWith(`${principal} `)).map((p) => ({ policyArn: p.split(' ')[1], accessScope: { type: 'cluster' } }));
    },
  } as unknown as EksGateway;
  const existing = (): ExistingEntry[] => [...entries].map(([principalArn, e]) => ({ principalArn, ...e }));
  return { eks, entries, policies, existing };
}

/** What the planner knows of the cluster: its entries and their policies, and the caller's account. */
function context(existing: ExistingEntry[] = [], eks?: EksGateway): PlanContext {
  return { existing, iam, callerAccount: A, policiesOf: async (arn) => (eks ? eks.listAssociatedAccessPolicies('c', arn) : []) };
}

const summarize = (items: Awaited<ReturnType<typeof planMigration>>['items']) => items.map((i) => [i.mapping.arn.split(/[:/]/).pop(), i.action, i.action === 'skip' ? i.skipKind : i.entry!.type]);

describe('migration to access entries', () => {
  it('plans each mapping: node types, admin policy, real ARNs with paths, and why others are skipped', async () => {
    const { items } = await planMigration(AWS_AUTH, context([{ principalArn: `arn:aws:iam::${A}:role/Existing`, type: 'STANDARD', username: 'e', kubernetesGroups: [] }]));
    assert.deepStrictEqual(summarize(items), [
      ['NodeRole', 'create', 'EC2_LINUX'],
      ['Fargate', 'create', 'FARGATE_LINUX'],
      ['Admin', 'create', 'STANDARD'],
      ['jane', 'skip', 'never-matched'],
      ['Gone', 'skip', 'loses-access'],
      ['Monitor', 'skip', 'loses-access'],
      ['Svc', 'skip', 'loses-access'],
      ['Existing', 'skip', 'exists'],
      ['bob', 'create', 'STANDARD'],
      [A, 'skip', 'loses-access'],
    ]);
    const admin = items[2].entry!;
    assert.strictEqual(admin.principalArn, `arn:aws:iam::${A}:role/platform/Admin`, 'the IAM path comes back');
    assert.deepStrictEqual(admin.kubernetesGroups, ['platform']);
    assert.deepStrictEqual(admin.policies, [{ policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: 'cluster' } }]);
    assert.match(items[3].reason!, /never matched \(a session ARN\).*arn:aws:iam::111122223333:role\/Dev/);
    assert.match(items[4].reason!, /no longer exists/);
    assert.match(items[5].reason!, /system:monitoring/);
  });

  it('resumes after a partial failure without creating duplicates', async () => {
    const { items } = await planMigration(AWS_AUTH, context());
    const f = fakeEks({ create: 3 });
    const first = await applyMigration(f.eks, 'c', items);
    assert.deepStrictEqual(first.map((r) => r.outcome), ['created', 'created', 'failed']);
    assert.strictEqual(f.entries.size, 2);
    const second = await applyMigration(f.eks, 'c', (await planMigration(AWS_AUTH, context(f.existing(), f.eks))).items);
    assert.deepStrictEqual(second.map((r) => r.outcome), ['created', 'created', 'created']);
    assert.strictEqual(f.entries.size, 5);
    assert.deepStrictEqual(f.policies, [`arn:aws:iam::${A}:role/platform/Admin ${CLUSTER_ADMIN_POLICY}`]);
    // The old plan run again: every entry is there and grants what it should, so nothing is created twice.
    const again = await applyMigration(f.eks, 'c', items);
    assert.ok(again.every((r) => r.outcome === 'existed'));
    assert.deepStrictEqual(await verifyMigration(f.eks, 'c', items), []);
  });

  it('finishes an entry that an interrupted run created without its policy, and keeps API mode off until then', async () => {
    const { items } = await planMigration(AWS_AUTH, context());
    const f = fakeEks({ associate: 1 });
    const first = await applyMigration(f.eks, 'c', items);
    assert.deepStrictEqual(first.map((r) => r.outcome), ['created', 'created', 'failed'], 'the Admin entry was created, then associating its policy failed');
    assert.ok(f.entries.has(`arn:aws:iam::${A}:role/platform/Admin`) && !f.policies.length, 'an entry without cluster-admin: the fault the resume must repair');
    const missing = await verifyMigration(f.eks, 'c', items);
    assert.ok(missing.some((i) => i.entry?.principalArn.endsWith('platform/Admin')), 'read back: the policy is missing');
    assert.ok(blockersForApiMode(items, first, missing).some((i) => i.mapping.arn.endsWith('role/Admin')));

    const resumed = await planMigration(AWS_AUTH, context(f.existing(), f.eks));
    const admin = resumed.items.find((i) => i.mapping.arn.endsWith('role/Admin'))!;
    assert.deepStrictEqual([admin.action, admin.missingPolicies?.map((p) => p.policyArn)], ['complete', [CLUSTER_ADMIN_POLICY]]);
    const second = await applyMigration(f.eks, 'c', resumed.items);
    assert.ok(second.some((r) => r.item === admin && r.outcome === 'completed'));
    assert.deepStrictEqual(f.policies, [`arn:aws:iam::${A}:role/platform/Admin ${CLUSTER_ADMIN_POLICY}`]);
    assert.deepStrictEqual(await verifyMigration(f.eks, 'c', resumed.items), []);
  });

  it('never attaches a policy to an entry that appeared meanwhile with other groups', async () => {
    const { items } = await planMigration(AWS_AUTH, context());
    const f = fakeEks();
    f.entries.set(`arn:aws:iam::${A}:role/platform/Admin`, { type: 'STANDARD', username: 'someone', kubernetesGroups: ['viewers'] });
    const results = await applyMigration(f.eks, 'c', items);
    const failed = results.find((r) => r.outcome === 'failed')!;
    assert.match(failed.message!, /appeared meanwhile with username someone instead of admin:\{\{SessionName\}\}; groups viewers instead of platform/);
    assert.deepStrictEqual(f.policies, [], 'no AmazonEKSClusterAdminPolicy for the other entry');
  });

  it('plans an existing entry that grants something else as a blocker, named with the difference', async () => {
    const existing = [{ principalArn: `arn:aws:iam::${A}:role/Existing`, type: 'STANDARD', username: 'e', kubernetesGroups: ['admins'] }];
    const { items } = await planMigration(AWS_AUTH, context(existing));
    const item = items.find((i) => i.mapping.arn.endsWith('role/Existing'))!;
    assert.deepStrictEqual([item.action, item.skipKind], ['skip', 'differs']);
    assert.match(item.reason!, /groups admins instead of \(none\)/);
    assert.ok(blockersForApiMode(items, []).includes(item));
  });

  it('never resolves a role of another account by name, and says what to check', async () => {
    const asked: string[] = [];
    const spy: IamGateway = { resolvePrincipal: async (arn) => (asked.push(arn), iam.resolvePrincipal(arn)) };
    const awsAuth = { mapRoles: `- rolearn: arn:aws:iam::999999999999:role/PlatformAdmin\n  username: other-admin\n  groups: [system:masters]\n- rolearn: arn:aws:iam::${A}:role/dev\n  username: dev\n` };
    const { items } = await planMigration(awsAuth, { ...context(), iam: spy });
    assert.deepStrictEqual(summarize(items), [['PlatformAdmin', 'skip', 'other-account'], ['dev', 'create', 'STANDARD']]);
    assert.deepStrictEqual(asked, [`arn:aws:iam::${A}:role/dev`], 'IAM is asked only about the caller account');
    assert.match(items[0].reason!, /^other account: path not verifiable\. .*account 999999999999.*aws iam get-role --role-name PlatformAdmin/);
    assert.match(describeBlockers(blockersForApiMode(items, [])), /mapRoles arn:aws:iam::999999999999:role\/PlatformAdmin: other account/);
  });

  it('plans a role mapped in mapRoles and again in mapUsers once, with what the authenticator grants (the role mapping)', async () => {
    const awsAuth = { mapRoles: `- rolearn: arn:aws:iam::${A}:role/dev\n  username: dev\n  groups: [viewers]\n`, mapUsers: `- userarn: arn:aws:iam::${A}:role/dev\n  username: dev\n  groups: [system:masters]\n` };
    const { items } = await planMigration(awsAuth, context());
    const creates = items.filter((i) => i.action === 'create');
    assert.strictEqual(creates.length, 1);
    assert.deepStrictEqual([creates[0].entry!.kubernetesGroups, creates[0].entry!.policies], [['viewers'], []], 'no cluster-admin policy from the shadowed user mapping');
  });

  it('plans the cluster admin policy in the partition of the principal (arn:aws-cn in China)', async () => {
    const cnIam: IamGateway = { resolvePrincipal: async (arn) => arn };
    const { items } = await planMigration({ mapRoles: `- rolearn: arn:aws-cn:iam::${A}:role/Admin\n  username: admin\n  groups: [system:masters]\n` }, { ...context(), iam: cnIam });
    assert.deepStrictEqual(items[0].entry?.policies.map((p) => p.policyArn), ['arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']);
  });

  it('keeps API mode off the table while a mapping would lose access', async () => {
    const { items } = await planMigration(AWS_AUTH, context());
    const results = await applyMigration(fakeEks().eks, 'c', items);
    assert.deepStrictEqual(blockersForApiMode(items, results).map((i) => i.mapping.arn.split(/[:/]/).pop()), ['Gone', 'Monitor', 'Svc', A]);
    const clean = await planMigration({ mapRoles: AWS_AUTH.mapRoles.split('\n- ').slice(0, 1).join('') + '\n' }, context());
    assert.deepStrictEqual(blockersForApiMode(clean.items, await applyMigration(fakeEks().eks, 'c', clean.items)), []);
  });
});
