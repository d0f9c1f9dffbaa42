import * as assert from 'assert';
import { AccessState, diffAccess, diffText } from '../../../../src/core/access/accessDiff';

const A = '111122223333';
const NODE = `arn:aws:iam::${A}:role/NodeRole`;
const FARGATE = `arn:aws:iam::${A}:role/FargatePod`;
const ADMIN = `arn:aws:iam::${A}:role/Admin`;
const DEV = `arn:aws:iam::${A}:role/Dev`;
const ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
const VIEW_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

const nodeMapping = `- rolearn: ${NODE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n`;
const fargateMapping = `- rolearn: ${FARGATE}\n  username: system:node:{{SessionName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n    - system:node-proxier\n`;
const adminMapping = `- rolearn: ${ADMIN}\n  username: admin\n  groups:\n    - system:masters\n`;
const devMapping = (groups: string) => `- rolearn: ${DEV}\n  username: dev\n  groups:\n    - ${groups}\n`;

const base: AccessState = {
  mode: 'API_AND_CONFIG_MAP',
  awsAuth: { mapRoles: nodeMapping + fargateMapping + adminMapping + devMapping('developers') },
  accessEntries: [],
  nodeRoles: [
    { label: 'node group general', arn: NODE, kind: 'ec2', entryType: 'EC2_LINUX' },
    { label: 'Fargate profile default', arn: FARGATE, kind: 'fargate', entryType: 'FARGATE_LINUX' },
  ],
};
const withRoles = (mapRoles: string): AccessState => ({ ...base, awsAuth: { mapRoles } });

interface Case {
  name: string;
  before: AccessState;
  after: AccessState;
  severity: 'lockout' | 'escalation' | 'change' | 'none';
  /** Text each of the lockouts or escalations must name. */
  names?: RegExp[];
}

const CASES: Case[] = [
  { name: 'no change', before: base, after: { ...base }, severity: 'none' },
  { name: 'an edit that only adds a group', before: base, after: withRoles(nodeMapping + fargateMapping + adminMapping + devMapping('developers\n    - viewers')), severity: 'change' },
  { name: 'an aws-auth edit that drops the node role', before: base, after: withRoles(fargateMapping + adminMapping + devMapping('developers')), severity: 'lockout', names: [/node group general .* can no longer join|NodeRole loses access/] },
  { name: 'a Fargate role that loses system:nodes', before: base, after: withRoles(nodeMapping + fargateMapping.replace('    - system:nodes\n', '') + adminMapping + devMapping('developers')), severity: 'lockout', names: [/FargatePod/] },
  { name: 'an empty aws-auth', before: base, after: { ...base, awsAuth: {} }, severity: 'lockout', names: [/no cluster-admin path is left/, /NodeRole/] },
  { name: 'the last admin mapping removed', before: base, after: withRoles(nodeMapping + fargateMapping + devMapping('developers')), severity: 'lockout', names: [/no cluster-admin path is left \(before: arn:aws:iam::111122223333:role\/Admin\)/] },
  { name: 'a principal gains system:masters', before: base, after: withRoles(nodeMapping + fargateMapping + adminMapping + devMapping('system:masters')), severity: 'escalation', names: [/role\/Dev gains cluster-admin \(system:masters\)/] },
  {
    name: 'an access entry with the cluster admin policy for a new principal',
    before: base,
    after: { ...base, accessEntries: [{ principalArn: `arn:aws:iam::${A}:role/Ops`, type: 'STANDARD', username: 'ops', policies: [{ policyArn: ADMIN_POLICY, accessScope: { type: 'cluster' } }] }] },
    severity: 'escalation',
    names: [/role\/Ops gains cluster-admin \(AmazonEKSClusterAdminPolicy \(cluster\)\)/],
  },
  {
    name: 'an access entry that shadows the only admin mapping (API_AND_CONFIG_MAP: the entry wins)',
    before: base,
    after: { ...base, accessEntries: [{ principalArn: ADMIN, type: 'STANDARD', username: 'admin', policies: [{ policyArn: VIEW_POLICY, accessScope: { type: 'cluster' } }] }] },
    severity: 'lockout',
    names: [/no cluster-admin path is left/],
  },
  { name: 'a switch to API mode while everyone depends on aws-auth', before: base, after: { ...base, mode: 'API' }, severity: 'lockout', names: [/no cluster-admin path is left/, /node group general|NodeRole/] },
  {
    name: 'deleting the last access entry with the admin policy',
    before: { ...base, awsAuth: { mapRoles: nodeMapping + fargateMapping }, accessEntries: [{ principalArn: ADMIN, username: 'admin', policies: [{ policyArn: ADMIN_POLICY, accessScope: { type: 'cluster' } }] }] },
    after: { ...base, awsAuth: { mapRoles: nodeMapping + fargateMapping }, accessEntries: [] },
    severity: 'lockout',
    names: [/no cluster-admin path is left \(before: arn:aws:iam::111122223333:role\/Admin\)/],
  },
  {
    name: 'disassociating the admin policy from the last admin entry',
    before: { ...base, awsAuth: { mapRoles: nodeMapping + fargateMapping }, accessEntries: [{ principalArn: ADMIN, username: 'admin', policies: [{ policyArn: ADMIN_POLICY, accessScope: { type: 'cluster' } }] }] },
    after: { ...base, awsAuth: { mapRoles: nodeMapping + fargateMapping }, accessEntries: [{ principalArn: ADMIN, username: 'admin', policies: [] }] },
    severity: 'lockout',
    names: [/no cluster-admin path is left/],
  },
  {
    name: 'an admin policy scoped to namespaces only is not cluster-admin',
    before: base,
    after: { ...base, accessEntries: [{ principalArn: `arn:aws:iam::${A}:role/Ops`, username: 'ops', policies: [{ policyArn: ADMIN_POLICY, accessScope: { type: 'namespace', namespaces: ['apps'] } }] }] },
    severity: 'change',
  },
  { name: 'the caller loses its own access', before: { ...base, callerArn: `arn:aws:sts::${A}:assumed-role/Dev/me` }, after: { ...withRoles(nodeMapping + fargateMapping + adminMapping), callerArn: `arn:aws:sts::${A}:assumed-role/Dev/me` }, severity: 'lockout', names: [/role\/Dev \(you\) loses access/] },
  {
    name: 'a cluster-admin RBAC binding to a group counts as an admin path',
    before: { ...base, bindings: [{ kind: 'ClusterRoleBinding', name: 'ops-admin', roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'developers' }] }] },
    after: { ...withRoles(nodeMapping + fargateMapping + devMapping('developers')), bindings: [{ kind: 'ClusterRoleBinding', name: 'ops-admin', roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'developers' }] }] },
    severity: 'change',
  },
  { name: 'a switch to API mode when aws-auth could not be read (fails closed)', before: { ...base, awsAuth: undefined, awsAuthError: '403 Forbidden' }, after: { ...base, awsAuth: undefined, mode: 'API' }, severity: 'lockout', names: [/aws-auth could not be read \(403 Forbidden\)/] },
  { name: 'the creator keeps implicit admin in CONFIG_MAP', before: { ...base, mode: 'CONFIG_MAP', creatorAdmin: true }, after: { ...withRoles(nodeMapping + fargateMapping + devMapping('developers')), mode: 'CONFIG_MAP', creatorAdmin: true }, severity: 'change' },
];

describe('access diff', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.severity}`, () => {
      const d = diffAccess(c.before, c.after);
      assert.strictEqual(d.severity, c.severity, diffText(d));
      for (const name of c.names ?? []) assert.ok([...d.lockouts, ...d.escalations].some((l) => name.test(l)), `${name} in ${[...d.lockouts, ...d.escalations].join(' | ')}`);
    });
  }

  it('counts the admin paths before and after, and reports node role coverage', () => {
    const d = diffAccess(base, { ...base, mode: 'API' });
    assert.deepStrictEqual(d.adminPathsBefore, [ADMIN]);
    assert.deepStrictEqual(d.adminPathsAfter, []);
    assert.deepStrictEqual(d.nodeRoles.map((r) => [r.label, r.before, r.after]), [['node group general', true, false], ['Fargate profile default', true, false]]);
    assert.match(diffText(d), /cluster-admin paths: 1 -> 0/);
  });

  // Why a principal's access changes, in the authenticator's own rules (docs/authenticator.md, pkg/config/types.go,
  // pkg/mapper/configmap/configmap.go): the finding says it, so a reviewer does not have to know them.
  const REASONS: [string, string, RegExp][] = [
    ['a later duplicate for the same ARN wins, groups not merged', nodeMapping + fargateMapping + adminMapping + adminMapping.replace('system:masters', 'viewers') + devMapping('developers'), /mapRoles entry 3 is overridden by mapRoles entry 4 for the same ARN: the last duplicate wins/],
    ['a role ARN with a path never matches', nodeMapping + fargateMapping + adminMapping.replace('role/Admin', 'role/team/Admin') + devMapping('developers'), /has a path in its role ARN \(arn:aws:iam::111122223333:role\/team\/Admin\): STS reports role sessions without the path/],
    ['a YAML error drops the whole section', nodeMapping + fargateMapping + adminMapping + devMapping('developers') + '- rolearn: [unclosed\n', /mapRoles has a YAML error \(.*\): the authenticator drops the whole mapRoles section/],
  ];
  for (const [name, mapRoles, reason] of REASONS) {
    it(`says why the admin loses cluster-admin: ${name}`, () => {
      const d = diffAccess({ ...base, awsAuthSource: 'module.aws_auth.kubernetes_config_map_v1_data.aws_auth[0]' }, { ...withRoles(mapRoles), awsAuthSource: 'module.aws_auth.kubernetes_config_map_v1_data.aws_auth[0]' });
      const lost = d.findings.find((f) => f.kind === 'lockout' && /no cluster-admin path is left/.test(f.message));
      assert.ok(lost, diffText(d));
      assert.ok(lost.reasons.some((r) => reason.test(r)), lost.reasons.join(' | '));
      assert.deepStrictEqual(lost.sources, ['module.aws_auth.kubernetes_config_map_v1_data.aws_auth[0]'], 'names the resource that writes aws-auth');
    });
  }

  it('a destroyed cluster is reported as destroyed, not as a lockout', () => {
    const d = diffAccess(base, { ...base, absent: true });
    assert.deepStrictEqual([d.severity, d.lockouts, d.principals], ['destroy', [], []]);
    assert.match(diffText(d), /^DESTROY: the cluster is destroyed/);
  });

  it('a new cluster with no admin at all is a lockout; with the creator admin it names who', () => {
    const created: AccessState = { mode: 'API', accessEntries: [], absent: true };
    const none = diffAccess(created, { mode: 'API', accessEntries: [{ principalArn: DEV, policies: [{ policyArn: VIEW_POLICY, accessScope: { type: 'cluster' } }] }] });
    assert.strictEqual(none.severity, 'lockout');
    assert.match(none.lockouts[0], /no principal is cluster-admin of the new cluster/);
    const withCreator = diffAccess(created, { mode: 'API', accessEntries: [], creatorAdmin: true, creatorLabel: 'the identity that runs apply (cluster creator)', creatorSource: 'aws_eks_cluster.this' });
    assert.strictEqual(withCreator.severity, 'escalation');
    assert.deepStrictEqual(withCreator.findings.map((f) => [f.message.split(' gains')[0], f.sources]), [['the identity that runs apply (cluster creator)', ['aws_eks_cluster.this']]]);
  });

  it('grows linearly with the size of aws-auth (keyed lookups, no scan per principal)', () => {
    // Each principal used to be found by scanning every mapping and every entry: quadratic (4,000 took 3.5 times
    // 2,000). The speed target itself is printed by npm run bench:shapes.
    const roles = (n: number) => Array.from({ length: n }, (_, i) => `- rolearn: arn:aws:iam::${A}:role/team-role-${i}\n  username: user-${i}\n  groups:\n    - team-${i % 40}\n`).join('');
    const entries = (n: number) => Array.from({ length: n / 4 }, (_, i) => ({ principalArn: `arn:aws:iam::${A}:role/entry-${i}`, policies: [{ policyArn: VIEW_POLICY, accessScope: { type: 'cluster' } }] }));
    const time = (n: number) => {
      const before: AccessState = { mode: 'API_AND_CONFIG_MAP', awsAuth: { mapRoles: roles(n) }, accessEntries: entries(n) };
      const after: AccessState = { ...before, awsAuth: { mapRoles: roles(n).replace('role/team-role-1\n', 'role/team-role-1x\n') }, accessEntries: entries(n).slice(1) };
      diffAccess(before, after);
      const t = process.hrtime.bigint();
      const d = diffAccess(before, after);
      assert.strictEqual(d.principals.length, 3);
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const small = time(1_000);
    const large = time(4_000);
    // Four times the mappings: about four times the time when linear, sixteen when quadratic.
    assert.ok(large < Math.max(8 * small, 150), `1,000 mappings ${small.toFixed(0)} ms, 4,000 ${large.toFixed(0)} ms`);
  });

  it('shows no internal placeholder: the session is {{SessionName}}, a policy scope is in words', () => {
    const d = diffAccess(base, { ...base, accessEntries: [{ principalArn: `arn:aws:iam::${A}:role/Ops`, policies: [{ policyArn: ADMIN_POLICY, accessScope: { type: 'cluster' } }, { policyArn: VIEW_POLICY, accessScope: { type: 'namespace', namespaces: ['apps'] } }] }] });
    const text = diffText(d);
    assert.match(text, /role\/Ops: Unauthorized -> arn:aws:sts::111122223333:assumed-role\/Ops\/\{\{SessionName\}\} \[no groups\] admin policies AmazonEKSClusterAdminPolicy \(cluster\), AmazonEKSViewPolicy \(namespace apps\)/);
    assert.ok(!/eks-auth-diff|:\*/.test(text), text);
    // A confirmation whose title names the escalation shows it once: not again in its detail.
    assert.strictEqual(diffText(d, Infinity, { findings: false }).split('gains cluster-admin').length - 1, 0);
    assert.strictEqual(text.split('gains cluster-admin').length - 1, 1);
  });

  it('says which side could not list its node roles, and ignores a side where the cluster does not exist', () => {
    const denied = { unknown: 'the node groups could not be listed: Access denied: the identity may not call eks:ListNodegroups.' };
    const d = diffAccess({ ...base, nodeRoles: denied }, { ...base, mode: 'API' });
    // The after side lists the roles, so the lockout is named by its node group; the before side's gap is still said.
    assert.ok(d.lockouts.some((l) => l.startsWith('node group general: ')), d.lockouts.join(' | '));
    assert.deepStrictEqual(d.unchecked.length, 1);
    assert.match(d.unchecked[0], /eks:ListNodegroups/);
    assert.deepStrictEqual(diffAccess({ ...base, absent: true, nodeRoles: denied }, base).unchecked, [], 'a cluster that does not exist yet has no nodes to check');
    assert.deepStrictEqual(diffAccess(base, base).unchecked, []);
  });

  it('writes a readable line per principal, before -> after', () => {
    const d = diffAccess(base, withRoles(nodeMapping + fargateMapping + adminMapping + devMapping('system:masters')));
    assert.match(diffText(d), /escalation: arn:aws:iam::111122223333:role\/Dev: dev \[developers\] -> dev \[system:masters\] admin/);
  });
});
