import * as assert from 'assert';
import { AccessContext, explainAccess, explanationMarkdown } from '../../../../src/core/access/explain';
import { parseAuthenticatorLine } from '../../../../src/core/insights/parser';

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
    nearMiss: /later entry \(2\) for the same ARN replaces it/,
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
    name: '{{EC2PrivateDNSName}} renders for an instance session (17-character instance id)',
    arn: `arn:aws:sts::${A}:assumed-role/Node/i-0abc123def4567890`,
    context: ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n`) }),
    verdict: /Authenticated/,
  },
  {
    // pkg/server/server.go: instanceIDPattern = ^i-(\w{8}|\w{17})$; a 10-character id is no instance id.
    name: '{{EC2PrivateDNSName}} fails for a session that is not an 8- or 17-character instance id',
    arn: `arn:aws:sts::${A}:assumed-role/Node/i-0abc123def`,
    context: ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n`) }),
    verdict: /cannot be rendered/,
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

  it('escapes every value from aws-auth in the Markdown', () => {
    const e = explainAccess(`arn:aws:iam::${A}:role/Dev`, ctx({ awsAuth: roles(`- rolearn: arn:aws:iam::${A}:role/Dev\n  username: "[x](command:evil) <img src=x onerror=alert(1)> | cell"\n`) }));
    const md = explanationMarkdown(e);
    assert.ok(!md.includes('](command:'), md);
    assert.ok(!md.includes('<img'), md);
    assert.ok(!/[^\\]\| cell/.test(md), 'a pipe from the data must not open a table cell');
  });

  it('prints the steps as a Markdown table', () => {
    const md = explanationMarkdown(explainAccess(`arn:aws:iam::${A}:role/X`, ctx({ awsAuth: {} })), 'prod');
    assert.match(md, /^# Access for arn:aws:iam::111122223333:role\/X on prod/);
    assert.match(md, /\| \*\*no match\*\* \| aws\\-auth mapRoles \|/);
  });

  it('offers a fix only for an ARN an IAM principal can have: never for one read from a hostile log line', () => {
    const hostile = parseAuthenticatorLine(`level=warning msg="access denied" arn="arn:aws:iam::${A}:role/<details open ontoggle=alert(1)>" error="ARN is not mapped"`);
    assert.strictEqual(hostile.outcome, 'denied-unmapped');
    for (const mode of ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'] as const) {
      const e = explainAccess(hostile.arn!, ctx({ mode, awsAuth: {} }));
      assert.strictEqual(e.authenticated, false);
      assert.strictEqual(e.fix, undefined, `no "Create an access entry" for ${hostile.arn} in ${mode}`);
    }
    const valid = explainAccess(`arn:aws:iam::${A}:role/Real-Name_1`, ctx({ mode: 'API', awsAuth: {} }));
    assert.strictEqual(valid.fix?.kind, 'createAccessEntry');
  });
});

