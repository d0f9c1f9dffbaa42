import * as assert from 'assert';
import { AccessContext, explainAccess, explanationMarkdown, renderTemplate } from '../../../../src/core/access/explain';
import { parseArn } from '../../../../src/core/auth/arn';

const A = '111122223333';
const roles = (yaml: string): Record<string, string> => ({ mapRoles: yaml });
const ctx = (c: Partial<AccessContext>): AccessContext => ({ mode: 'CONFIG_MAP', accessEntries: [], ...c });

interface Case {
  name: string;
  arn: string;
  context: AccessContext;
  verdict: RegExp;
  username?: string;
  groups?: string[];
  nearMiss?: RegExp;
  fix?: 'createAccessEntry' | 'openAwsAuth';
}

const CASES: Case[] = [
  {
    name: 'CONFIG_MAP: an assumed-role session mapped by mapRoles, with its session name rendered',
    arn: `arn:aws:sts::${A}:assumed-role/Dev/jane@example.com`,
    context: ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Dev\n  username: "dev:{{SessionName}}"\n  groups: [developers]\n`) }),
    verdict: /Authenticated by aws-auth mapRoles as dev:jane-example\.com/,
    username: 'dev:jane-example.com',
    groups: ['developers'],
  },
  { name: 'SessionNameRaw keeps the @', arn: `arn:aws:sts::${A}:assumed-role/Dev/jane@x`, context: ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Dev\n  username: "{{SessionNameRaw}}-{{AccountID}}"\n`) }), verdict: /Authenticated/, username: `jane@x-${A}` },
  { name: 'a case difference still matches', arn: `arn:aws:iam::${A}:role/dev`, context: ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Dev\n  username: d\n`) }), verdict: /Authenticated/ },
  { name: 'a mapping written with a role path is a near miss', arn: `arn:aws:sts::${A}:assumed-role/Deployer/ci`, context: ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/ci/Deployer\n  username: d\n`) }), verdict: /Unauthorized/, nearMiss: /path \/ci\//, fix: 'openAwsAuth' },
  { name: 'a role typed with its path is compared without it', arn: `arn:aws:iam::${A}:role/ci/Deployer`, context: ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Deployer\n  username: d\n`) }), verdict: /Authenticated/ },
  { name: 'a mapping written as a session ARN', arn: `arn:aws:iam::${A}:role/Data`, context: ctx({ awsAuth: roles(`- rolearn: arn:aws:sts::${A}:assumed-role/Data/jane\n  username: d\n`) }), verdict: /Unauthorized/, nearMiss: /session ARN/ },
  {
    name: 'a duplicate shadows the first entry: the last one wins',
    arn: `arn:aws:iam::${A}:role/Admin`,
    context: ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Admin\n  username: a\n  groups: [system:masters]\n- rolearn: arn:aws:iam::${A}:role/admin\n  username: b\n  groups: [viewers]\n`) }),
    verdict: /as b with groups viewers/,
    nearMiss: /2 times/,
  },
  { name: 'mapUsers after mapRoles', arn: `arn:aws:iam::${A}:user/ops/bob`, context: ctx({ awsAuth: { mapUsers: `- userarn: arn:aws:iam::${A}:user/ops/bob\n  username: bob\n` } }), verdict: /mapUsers as bob/ },
  { name: 'mapAccounts: username is the ARN, no groups', arn: `arn:aws:iam::${A}:user/x`, context: ctx({ awsAuth: { mapAccounts: `- "${A}"\n` } }), verdict: /mapAccounts as arn:aws:iam::111122223333:user\/x with groups none/ },
  {
    name: 'API_AND_CONFIG_MAP: the access entry wins over aws-auth',
    arn: `arn:aws:iam::${A}:role/Dev`,
    context: ctx({ mode: 'API_AND_CONFIG_MAP', accessEntries: [{ principalArn: `arn:aws:iam::${A}:role/Dev`, username: 'from-entry', kubernetesGroups: ['g'], policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'namespace', namespaces: ['a'] } }] }], awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Dev\n  username: from-aws-auth\n`) }),
    verdict: /the access entry as from-entry with groups g and policies AmazonEKSViewPolicy \(namespaces a\)/,
  },
  { name: 'API ignores aws-auth', arn: `arn:aws:iam::${A}:role/Dev`, context: ctx({ mode: 'API', awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Dev\n  username: d\n`) }), verdict: /Unauthorized: no access entry/, nearMiss: /API mode/, fix: 'createAccessEntry' },
  { name: 'an access entry with a role path matches the session', arn: `arn:aws:sts::${A}:assumed-role/Ops/s`, context: ctx({ mode: 'API', accessEntries: [{ principalArn: `arn:aws:iam::${A}:role/teams/Ops` }] }), verdict: /Authenticated by the access entry/ },
  {
    name: '{{EC2PrivateDNSName}} renders for an instance session',
    arn: `arn:aws:sts::${A}:assumed-role/Node/i-0abc123def`,
    context: ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n`) }),
    verdict: /Authenticated/,
  },
  {
    name: '{{EC2PrivateDNSName}} fails for a person',
    arn: `arn:aws:sts::${A}:assumed-role/Node/alice`,
    context: ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n`) }),
    verdict: /cannot be rendered/,
  },
  {
    name: 'a node role with one fixed username is a near miss',
    arn: `arn:aws:sts::${A}:assumed-role/Node/i-1`,
    context: ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Node\n  username: system:node:node-1\n  groups: [system:bootstrappers, system:nodes]\n`) }),
    verdict: /Authenticated/,
    nearMiss: /same for every node/,
  },
  { name: 'a broken mapRoles section is dropped', arn: `arn:aws:iam::${A}:role/Dev`, context: ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Dev\n  groups: [\n`) }), verdict: /Unauthorized/ },
];

describe('explainAccess', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const e = explainAccess(c.arn, c.context);
      assert.match(e.verdict, c.verdict);
      if (c.username) assert.strictEqual(e.username, c.username);
      if (c.groups) assert.deepStrictEqual(e.groups, c.groups);
      if (c.nearMiss) assert.ok(e.nearMisses.some((n) => c.nearMiss!.test(n)), e.nearMisses.join(' | '));
      if (c.fix) assert.strictEqual(e.fix?.kind, c.fix);
      assert.ok(e.steps.length >= 3);
    });
  }

  it('names the RBAC bindings that grant the resulting user and groups, and warns when none does', () => {
    const bindings = [
      { kind: 'ClusterRoleBinding' as const, name: 'devs', roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'Group', name: 'developers' }] },
      { kind: 'RoleBinding' as const, name: 'bob', namespace: 'ops', roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'User', name: 'bob' }] },
    ];
    const e = explainAccess(`arn:aws:iam::${A}:role/Dev`, ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Dev\n  username: dev\n  groups: [developers]\n`), bindings }));
    assert.deepStrictEqual(e.bindings.map((b) => b.name), ['devs']);
    const none = explainAccess(`arn:aws:iam::${A}:role/Dev`, ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Dev\n  username: dev\n  groups: [nobody]\n`), bindings }));
    assert.match(none.steps.find((s) => s.title === 'RBAC bindings')!.detail, /Forbidden/);
  });

  it('renders templates and says what cannot be known in advance', () => {
    const caller = parseArn(`arn:aws:sts::${A}:assumed-role/R/a@b`);
    assert.deepStrictEqual(renderTemplate('{{AccountID}}:{{SessionName}}:{{Nope}}', caller), { value: `${A}:a-b:{{Nope}}`, notes: ['{{Nope}} is not a template variable and stays as literal text'] });
    assert.match(renderTemplate('{{SessionName}}', parseArn(`arn:aws:iam::${A}:user/u`)).notes[0], /empty/);
  });

  it('prints the steps as a Markdown table', () => {
    const md = explanationMarkdown(explainAccess(`arn:aws:iam::${A}:role/X`, ctx({ awsAuth: {} })), 'prod');
    assert.match(md, /^# Access for arn:aws:iam::111122223333:role\/X on prod/);
    assert.match(md, /\| \*\*no match\*\* \| aws-auth \|/);
  });
});
