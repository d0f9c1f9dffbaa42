import * as assert from 'assert';
import { applyMigration, blockersForApiMode, CLUSTER_ADMIN_POLICY, planMigration } from '../../../../src/core/access/migrate';
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

/** A hand-written EKS fake: records calls, fails the n-th create when asked. */
function fakeEks(failOnCreate?: number) {
  const entries = new Map<string, { type?: string; username?: string; groups?: string[] }>();
  const policies: string[] = [];
  let creates = 0;
  const eks = {
    async createAccessEntry(_cluster: string, input: { principalArn: string; type?: string; username?: string; kubernetesGroups?: string[] }) {
      creates++;
      if (creates === failOnCreate) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      if (entries.has(input.principalArn)) throw Object.assign(new Error('in use'), { name: 'ResourceInUseException' });
      entries.set(input.principalArn, { type: input.type, username: input.username, groups: input.kubernetesGroups });
      return {};
    },
    async associateAccessPolicy(_c: string, principal: string, policy: string) {
      policies.push(`${principal} ${policy}`);
    },
  } as unknown as EksGateway;
  return { eks, entries, policies };
}

describe('migration to access entries', () => {
  it('plans each mapping: node types, admin policy, real ARNs with paths, and why others are skipped', async () => {
    const { items } = await planMigration(AWS_AUTH, [`arn:aws:iam::${A}:role/Existing`], iam);
    const summary = items.map((i) => [i.mapping.arn.split(/[:/]/).pop(), i.action, i.entry?.type ?? i.skipKind]);
    assert.deepStrictEqual(summary, [
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
    const { items } = await planMigration(AWS_AUTH, [], iam);
    const { eks, entries, policies } = fakeEks(3);
    const first = await applyMigration(eks, 'c', items);
    assert.deepStrictEqual(first.map((r) => r.outcome), ['created', 'created', 'failed']);
    assert.strictEqual(entries.size, 2);
    const second = await applyMigration(eks, 'c', (await planMigration(AWS_AUTH, [...entries.keys()], iam)).items);
    assert.deepStrictEqual(second.map((r) => r.outcome), ['created', 'created', 'created']);
    assert.strictEqual(entries.size, 5);
    assert.deepStrictEqual(policies, [`arn:aws:iam::${A}:role/platform/Admin ${CLUSTER_ADMIN_POLICY}`]);
    // An interrupted run that created an entry but not its policy: the retry finds it and finishes the job.
    const again = await applyMigration(eks, 'c', items);
    assert.ok(again.every((r) => r.outcome === 'existed'));
  });

  it('keeps API mode off the table while a mapping would lose access', async () => {
    const { items } = await planMigration(AWS_AUTH, [], iam);
    const results = await applyMigration(fakeEks().eks, 'c', items);
    assert.deepStrictEqual(blockersForApiMode(items, results).map((i) => i.mapping.arn.split(/[:/]/).pop()), ['Gone', 'Monitor', 'Svc', A]);
    const clean = await planMigration({ mapRoles: AWS_AUTH.mapRoles.split('\n- ').slice(0, 1).join('') + '\n' }, [], iam);
    assert.deepStrictEqual(blockersForApiMode(clean.items, await applyMigration(fakeEks().eks, 'c', clean.items)), []);
  });
});
