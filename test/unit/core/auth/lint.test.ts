import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, lintAwsAuth, Problem } from '../../../../src/core/auth/lint';
import { lintRulesSettingSchema, RULES_DOC_PATH, rulesMarkdown, ruleAnchor } from '../../../../src/core/auth/rules/reference';
import { RULES } from '../../../../src/core/auth/rules/registry';
import type { Rule } from '../../../../src/core/auth/rules/rule';
import { configMap, NODE_ROLE } from '../../helpers';

/** The faster of two lints of `text`, in ms: for the linearity tests, which compare growth, never a fixed time. */
function lintTime(text: string): number {
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const t = process.hrtime.bigint();
    lintAwsAuth(text);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return best;
}

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures');
const role = (body: string) => configMap({ mapRoles: body });
const codes = (text: string, options = {}) => lintAwsAuth(text, options).map((p) => p.code);
const textOf = (text: string, p: Problem) => text.slice(p.offset, p.offset + p.length);

interface Case {
  rule: string;
  fires: string;
  /** The exact text the problem must cover. */
  at?: string;
  nearMiss: string;
  /** The live cluster's facts, for the C rules. */
  cluster?: { name?: string; authenticationMode?: string; accessEntryArns?: string[]; authenticatorLogging?: boolean };
}

const CASES: Case[] = [
  {
    rule: 'A01',
    fires: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles:\n    - rolearn: arn:aws:iam::111122223333:role/A\n      username: a\n',
    nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n'),
  },
  { rule: 'A02', fires: configMap({ maproles: '- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n' }), at: 'maproles', nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n') },
  {
    rule: 'A03',
    fires: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n  groups:\n  - x\n   - y: [\n'),
    nearMiss: configMap({ mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n  groups:\n  - x\n' }),
  },
  { rule: 'A04', fires: role('rolearn: arn:aws:iam::111122223333:role/A\nusername: a\n'), nearMiss: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: ""\n  mapUsers: \'\'\n' },
  { rule: 'A05', fires: role('- username: a\n  groups:\n    - g\n'), nearMiss: role('- RoleArn: arn:aws:iam::111122223333:role/A\n  username: a\n') },
  { rule: 'A06', fires: configMap({ mapUsers: '- username: bob\n' }), nearMiss: configMap({ mapUsers: '- userARN: arn:aws:iam::111122223333:user/bob\n  username: bob\n' }) },
  { rule: 'A07', fires: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: ""\n'), nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n') },
  { rule: 'A08', fires: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n  group:\n    - g\n'), at: 'group', nearMiss: role('- ROLEARN: arn:aws:iam::111122223333:role/A\n  UserName: a\n  Groups:\n    - g\n') },
  { rule: 'A09', fires: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n  groups: developers\n'), at: 'developers', nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n  groups: [developers]\n') },
  { rule: 'A10', fires: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n  groups:\n    - viewers\n     - editors\n'), nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n  groups:\n    - viewers\n    - editors\n') },
  { rule: 'A11', fires: role('- rolearn: arn:aws:iam::111122223333:role/team/Deployer\n  username: d\n'), at: 'arn:aws:iam::111122223333:role/team/Deployer', nearMiss: configMap({ mapUsers: '- userarn: arn:aws:iam::111122223333:user/team/bob\n  username: bob\n' }) },
  {
    rule: 'A12',
    fires: role('- rolearn: arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef\n  username: a\n'),
    nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef\n  username: a\n'),
  },
  { rule: 'A13', fires: role('- rolearn: arn:aws:sts::111122223333:assumed-role/Dev/jane\n  username: a\n'), nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: a\n') },
  { rule: 'A14', fires: role('- rolearn: arn:aws:iam::11112222333:role/A\n  username: a\n- rolearn: arn:aws:iam::111122223333:role/*\n  username: b\n'), nearMiss: role('- rolearn: arn:aws-cn:iam::111122223333:role/A\n  username: a\n') },
  { rule: 'A15', fires: role('- rolearn: arn:aws:iam::111122223333:user/bob\n  username: a\n'), nearMiss: configMap({ mapUsers: '- userarn: arn:aws:iam::111122223333:user/bob\n  username: bob\n' }) },
  {
    rule: 'A16',
    fires: role('- rolearn: arn:aws:iam::111122223333:role/Admin\n  username: a\n- rolearn: arn:aws:iam::111122223333:role/admin\n  username: b\n'),
    nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/Admin\n  username: a\n- rolearn: arn:aws:iam::111122223333:role/Admin2\n  username: b\n'),
  },
  { rule: 'A17', fires: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: "a:{{Session}}"\n'), nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: "a:{{SessionName}}"\n') },
  { rule: 'A18', fires: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: {{SessionName}}\n'), at: '{{SessionName}}', nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: "{{SessionName}}"\n') },
  { rule: 'A19', fires: configMap({ mapUsers: '- userarn: arn:aws:iam::111122223333:user/bob\n  username: bob-{{SessionName}}\n' }), nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a-{{SessionName}}\n') },
  { rule: 'A20', fires: role('- rolearn: arn:aws:iam::111122223333:role/Node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:nodes\n'), nearMiss: role(NODE_ROLE) },
  { rule: 'A21', fires: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n  groups:\n    - system:masters\n'), at: 'system:masters', nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n  groups:\n    - admins\n') },
  { rule: 'A22', fires: role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: eks:a\n'), nearMiss: role(NODE_ROLE) },
  { rule: 'A23', fires: configMap({ mapUsers: '- userarn: arn:aws:iam::111122223333:user/bob\n  username: bob\n' }), nearMiss: configMap({ mapUsers: "''" }) },
  { rule: 'A24', fires: configMap({ mapAccounts: '- 12345\n- 012345678901\n' }), nearMiss: configMap({ mapAccounts: '- "012345678901"\n' }) },
  { rule: 'A25', fires: role('- rolearn: arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS\n  username: a\n'), nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/AWSServiceRoleForAmazonEKS\n  username: a\n') },
  { rule: 'A26', fires: role('- sso:\n    permissionSetName: Admin\n    accountID: "111122223333"\n  username: a\n'), nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef\n  username: a\n') },
  { rule: 'A27', fires: configMap({ mapRoles: NODE_ROLE }, '  name: aws-auth\n  namespace: default\n'), nearMiss: configMap({ mapRoles: NODE_ROLE }) },
  { rule: 'C01', cluster: { name: 'c', authenticationMode: 'API' }, fires: role(NODE_ROLE), at: 'mapRoles', nearMiss: role(NODE_ROLE) },
  {
    rule: 'C02',
    cluster: { name: 'c', authenticationMode: 'API_AND_CONFIG_MAP', accessEntryArns: ['arn:aws:iam::111122223333:role/Dev'] },
    fires: role('- rolearn: arn:aws:iam::111122223333:role/dev\n  username: d\n'),
    at: 'arn:aws:iam::111122223333:role/dev',
    nearMiss: role('- rolearn: arn:aws:iam::111122223333:role/Dev2\n  username: d\n'),
  },
  { rule: 'C03', cluster: { name: 'c', authenticationMode: 'CONFIG_MAP', authenticatorLogging: false }, fires: role(NODE_ROLE), nearMiss: role(NODE_ROLE) },
];

/** The near miss of a C rule is the same document on a cluster where the rule does not apply. */
const NEAR_MISS_CLUSTER: Record<string, Case['cluster']> = {
  C01: { name: 'c', authenticationMode: 'API_AND_CONFIG_MAP' },
  C02: { name: 'c', authenticationMode: 'API_AND_CONFIG_MAP', accessEntryArns: ['arn:aws:iam::111122223333:role/Dev'] },
  C03: { name: 'c', authenticationMode: 'CONFIG_MAP', authenticatorLogging: true },
};

describe('lintAwsAuth rules', () => {
  for (const c of CASES) {
    it(`${c.rule} fires on its input and not on the near miss`, () => {
      const all = lintAwsAuth(c.fires, { cluster: c.cluster });
      const problems = all.filter((p) => p.code === c.rule);
      assert.ok(problems.length > 0, `${c.rule} expected in ${JSON.stringify(all.map((p) => p.code))}`);
      const rule = RULES.find((r) => r.id === c.rule)!;
      for (const p of problems) assert.ok([rule.severity, ...Object.values(rule.variants ?? {})].includes(p.severity), `${c.rule} reports a severity the registry declares: ${p.severity}`);
      for (const p of problems) {
        assert.ok(p.offset >= 0 && p.offset + p.length <= c.fires.length, 'range inside the document');
        assert.ok(p.message.length > 20, 'message explains');
      }
      if (c.at) assert.ok(problems.some((p) => textOf(c.fires, p) === c.at), `${c.rule} covers ${c.at}; got ${problems.map((p) => JSON.stringify(textOf(c.fires, p))).join(', ')}`);
      assert.deepStrictEqual(codes(c.nearMiss, { cluster: NEAR_MISS_CLUSTER[c.rule] }).filter((x) => x === c.rule), [], `${c.rule} must not fire on the near miss`);
    });
  }

  it('has a positive and a near-miss case for every rule of the registry, and no case for a rule it does not know', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    assert.deepStrictEqual(RULES.map((r) => r.id).filter((id) => !covered.has(id)), [], 'rules without a case');
    assert.deepStrictEqual([...covered].filter((id) => !RULES.some((r) => r.id === id)), [], 'cases for unknown rules');
  });

  it('declares each rule once, with a title, a scope and documentation', () => {
    const ids = RULES.map((r) => r.id);
    assert.strictEqual(new Set(ids).size, ids.length, 'unique ids');
    for (const r of RULES) {
      assert.match(r.id, /^[AC]\d\d$/);
      assert.ok(r.title && r.docs.when && r.docs.why && r.docs.fix, `${r.id} is documented`);
      assert.strictEqual(r.scope === 'cluster', r.id.startsWith('C'), `${r.id} scope`);
    }
    const documented = Object.keys(JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', '..', 'src', 'core', 'auth', 'rules', 'ruleDocs.json'), 'utf8')));
    assert.deepStrictEqual(documented, [...ids, 'E00'], 'ruleDocs.json documents exactly the registered rules');
  });

  it('keeps docs/rules.md and the eksAuth.lint.rules setting generated from the registry (npm run docs:rules)', () => {
    const root = path.resolve(__dirname, '..', '..', '..', '..', '..');
    assert.strictEqual(fs.readFileSync(path.join(root, RULES_DOC_PATH), 'utf8'), rulesMarkdown(), 'docs/rules.md is stale: run npm run docs:rules');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const setting = pkg.contributes.configuration.properties['eksAuth.lint.rules'];
    assert.deepStrictEqual(setting, lintRulesSettingSchema(), 'package.json is stale: run npm run docs:rules');
    assert.deepStrictEqual(Object.keys(setting.properties as object), RULES.map((r) => r.id));
    assert.strictEqual(setting.additionalProperties, false, 'a misspelt rule id is flagged in settings.json');
    for (const r of RULES) assert.ok(rulesMarkdown().includes(`<a id="${ruleAnchor(r.id)}"></a>\n## ${r.id}: ${r.title}`));
  });

  it('reports a rule that throws as E00 and still runs the others', () => {
    const broken: Rule = { id: 'A99', title: 'broken', severity: 'error', scope: 'file', docs: { when: 'w', why: 'y', fix: 'f' }, check: { item: () => { throw new Error('boom'); } } };
    const text = role('- rolearn: arn:aws:iam::111122223333:role/team/Deployer\n  username: d\n- rolearn: arn:aws:iam::111122223333:role/B\n  username: b\n');
    const problems = lintAwsAuth(text, {}, [...RULES, broken]);
    const failures = problems.filter((p) => p.code === 'E00');
    assert.strictEqual(failures.length, 1, 'one E00 per failing rule, not per item');
    assert.match(failures[0].message, /rule A99: boom/);
    assert.ok(problems.some((p) => p.code === 'A11'), 'the other rules still report');
  });

  it('uses the catalog severities', () => {
    const sev = (text: string, code: string) => lintAwsAuth(text).find((p) => p.code === code)?.severity;
    assert.strictEqual(sev(CASES.find((c) => c.rule === 'A11')!.fires, 'A11'), 'error');
    assert.strictEqual(sev(CASES.find((c) => c.rule === 'A21')!.fires, 'A21'), 'warning');
    assert.strictEqual(sev(CASES.find((c) => c.rule === 'A23')!.fires, 'A23'), 'info');
  });

  it('accepts a clean node role, IAM user paths and case-insensitive keys with no problem at all', () => {
    const text = configMap({ mapRoles: NODE_ROLE + '- RoleArn: arn:aws:iam::111122223333:role/Dev\n  USERNAME: dev\n  Groups:\n    - developers\n', mapAccounts: '- "111122223333"\n' });
    assert.deepStrictEqual(lintAwsAuth(text), []);
  });

  it('lints the data, not the last-applied-configuration annotation, of kubectl output', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'aws-auth-kubectl.yaml'), 'utf8');
    const problems = lintAwsAuth(text);
    const metadataStart = text.indexOf('metadata:');
    assert.ok(problems.length > 0);
    assert.ok(problems.every((p) => p.offset < metadataStart), 'no problem inside the annotation or managedFields');
    assert.ok(problems.some((p) => p.code === 'A11'));
  });

  it('finds aws-auth in multi-document files and ignores other documents', () => {
    const other = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  key: value\n';
    const text = `${other}---\n${role('- rolearn: arn:aws:iam::111122223333:role/a/B\n  username: b\n')}`;
    const problems = lintAwsAuth(text);
    assert.deepStrictEqual(problems.map((p) => p.code), ['A11']);
    assert.ok(problems[0].offset > other.length);
  });

  it('points A03 at the exact character of the YAML error in the host document', () => {
    const text = role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n  groups:\n    - x\n  - y\n');
    const p = lintAwsAuth(text).find((x) => x.code === 'A03')!;
    assert.ok(p, 'A03 reported');
    const line = text.slice(0, p.offset).split('\n').length;
    assert.strictEqual(text.split('\n')[line - 1].trim(), '- y', 'reported on the offending line');
  });

  it('reads the EKS user guide sample with mis-indented groups as a section-dropping error', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'aws-auth-hybrid.yaml'), 'utf8');
    assert.ok(codes(text).some((c) => c === 'A03' || c === 'A09' || c === 'A04'));
  });

  it('honours severity overrides and disable comments', () => {
    const text = role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n  groups:\n    # eks-auth-disable-next-line A21\n    - system:masters\n- rolearn: arn:aws:iam::111122223333:role/B\n  username: b\n  groups:\n    - system:masters\n');
    const a21 = lintAwsAuth(text).filter((p) => p.code === 'A21');
    assert.strictEqual(a21.length, 1, 'the commented one is suppressed');
    assert.deepStrictEqual(codes(text, { rules: { A21: 'off' } }).filter((c) => c === 'A21'), []);
    assert.strictEqual(lintAwsAuth(text, { rules: { A21: 'error' } }).find((p) => p.code === 'A21')?.severity, 'error');
  });

  it('applies the cluster rules C01-C03 when a cluster context is given', () => {
    const text = role(NODE_ROLE + '- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: dev\n');
    assert.ok(codes(text, { cluster: { authenticationMode: 'API' } }).includes('C01'));
    const c02 = lintAwsAuth(text, { cluster: { authenticationMode: 'API_AND_CONFIG_MAP', accessEntryArns: ['arn:aws:iam::111122223333:role/Dev'] } }).filter((p) => p.code === 'C02');
    assert.strictEqual(c02.length, 1);
    assert.strictEqual(textOf(text, c02[0]), 'arn:aws:iam::111122223333:role/Dev');
    assert.ok(codes(text, { cluster: { authenticationMode: 'CONFIG_MAP', authenticatorLogging: false } }).includes('C03'));
    assert.deepStrictEqual(codes(text, { cluster: { authenticationMode: 'CONFIG_MAP', authenticatorLogging: true } }).filter((c) => c.startsWith('C')), []);
  });
});

describe('lintAwsAuth quick fixes', () => {
  const fixOnce = (text: string, code: string) => {
    const p = lintAwsAuth(text).find((x) => x.code === code);
    assert.ok(p?.fixes?.length, `${code} offers a fix`);
    return applyEdits(text, p!.fixes![0].edits);
  };
  const cases: [string, string][] = [
    ['A11', role('- rolearn: arn:aws:iam::111122223333:role/team/Deployer\n  username: d\n')],
    ['A12', role('- rolearn: arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_A_0123456789abcdef\n  username: a\n')],
    ['A13', role('- rolearn: arn:aws:sts::111122223333:assumed-role/Dev/jane\n  username: a\n')],
    ['A18', role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: {{SessionName}}\n')],
    ['A20', role('- rolearn: arn:aws:iam::111122223333:role/Node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:nodes\n')],
    ['A20', role('- rolearn: arn:aws:iam::111122223333:role/Node\n  username: system:node:{{EC2PrivateDNSName}}\n')],
    ['A02', configMap({ MapRoles: NODE_ROLE })],
    ['A08', role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n  group:\n    - g\n')],
    ['A16', role('- rolearn: arn:aws:iam::111122223333:role/Admin\n  username: a\n- rolearn: arn:aws:iam::111122223333:role/Admin\n  username: b\n')],
    ['A16', role('- rolearn: arn:aws:iam::111122223333:role/Admin\n  username: a\n- rolearn: arn:aws:iam::111122223333:role/Admin\n  username: b\n- rolearn: arn:aws:iam::111122223333:role/C\n  username: c\n')],
    ['A01', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles:\n  - rolearn: arn:aws:iam::111122223333:role/A\n    username: a\n  mapUsers: ""\n'],
    ['A24', configMap({ mapAccounts: '- 111122223333\n' })],
  ];
  for (const [code, text] of cases) {
    it(`${code}: the fix removes the problem and adds none`, () => {
      const before = lintAwsAuth(text);
      const fixed = fixOnce(text, code);
      const after = lintAwsAuth(fixed);
      const count = (list: Problem[]) => list.filter((p) => p.code === code).length;
      assert.strictEqual(count(after), count(before) - 1, `one ${code} fewer:\n${fixed}`);
      const newCodes = after.map((p) => p.code).filter((c) => !before.some((b) => b.code === c));
      assert.deepStrictEqual(newCodes, [], `no new problem:\n${fixed}`);
    });
  }

  it('quotes a template username exactly where it was', () => {
    const fixed = fixOnce(role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: {{SessionName}}\n'), 'A18');
    assert.ok(fixed.includes('      username: "{{SessionName}}"\n'));
  });

  it('keeps indentation when it adds node groups', () => {
    const fixed = fixOnce(role('- rolearn: arn:aws:iam::111122223333:role/Node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:nodes\n'), 'A20');
    assert.ok(fixed.includes('        - system:nodes\n        - system:bootstrappers\n'), fixed);
  });

  it('fixes ARNs inside a double-quoted scalar with escapes', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: "- rolearn: arn:aws:iam::111122223333:role/x/Dev\\n  username: dev\\n"\n';
    const p = lintAwsAuth(text).find((x) => x.code === 'A11')!;
    assert.strictEqual(textOf(text, p), 'arn:aws:iam::111122223333:role/x/Dev');
    assert.deepStrictEqual(codes(applyEdits(text, p.fixes![0].edits)), []);
  });
});

describe('lintAwsAuth on CRLF files', () => {
  const crlf = (t: string) => t.replace(/\n/g, '\r\n');
  for (const c of CASES) {
    it(`${c.rule}: the same problems at the same text, with the same fixes, when lines end in CRLF`, () => {
      const lf = lintAwsAuth(c.fires, { cluster: c.cluster });
      const text = crlf(c.fires);
      const got = lintAwsAuth(text, { cluster: c.cluster });
      const view = (t: string, ps: Problem[]) => ps.map((p) => [p.code, t.slice(p.offset, p.offset + p.length).replace(/\r/g, ''), (p.fixes ?? []).map((f) => f.title)]);
      assert.deepStrictEqual(view(text, got), view(c.fires, lf));
      for (const p of got) {
        for (const fix of p.fixes ?? []) {
          const fixed = applyEdits(text, fix.edits);
          assert.ok(!/(^|[^\r])\n/.test(fixed), `${fix.title} writes CRLF line breaks only`);
          const count = (t: string) => lintAwsAuth(t, { cluster: c.cluster }).filter((q) => q.code === p.code).length;
          assert.ok(count(fixed) < count(text), `${fix.title} removes a ${p.code}`);
        }
      }
    });
  }
});

describe('lintAwsAuth on hostile input', () => {
  it('turns a flow list into a block string the authenticator reads as the same list (A01 fix)', () => {
    const text = 'data:\n  mapRoles: [{rolearn: arn:aws:iam::111122223333:role/A, username: a},\n    {rolearn: arn:aws:iam::111122223333:role/B, username: b}]\n';
    const [a01] = lintAwsAuth(text).filter((p) => p.code === 'A01');
    const fixed = applyEdits(text, a01.fixes![0].edits);
    assert.deepStrictEqual(lintAwsAuth(fixed), []);
    assert.ok(fixed.startsWith("data:\n  mapRoles: |\n    [{rolearn: arn:aws:iam::111122223333:role/A, username: a},\n    {rolearn"), fixed);
  });

  it('lints an unclosed {{ run in a username and an entry with 20,000 keys in linear time', () => {
    const braces = (n: number) => role(`- rolearn: arn:aws:iam::111122223333:role/A\n  username: a${'{{'.repeat(n)}\n`);
    const keys = (n: number) => role('- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n' + Array.from({ length: n }, (_, i) => `  key${i}: v\n`).join(''));
    for (const [name, make, n] of [['{{ run', braces, 12_500], ['keys', keys, 5_000]] as const) {
      const small = lintTime(make(n));
      const large = lintTime(make(4 * n));
      // Four times the input: about four times the time when linear, sixteen when quadratic (npm run bench:shapes).
      assert.ok(large < Math.max(8 * small, 30), `${name}: ${n} ${small.toFixed(1)} ms, ${4 * n} ${large.toFixed(1)} ms`);
    }
    assert.strictEqual(lintAwsAuth(keys(20_000)).filter((p) => p.code === 'A08').length, 20_000, 'every unknown key is reported');
  });

  it('offers the A16 fix for a last mapUsers entry holding a long run of spaces, in linear time', () => {
    // The fix trimmed the section with /\s+$/, which retried every space of a run that does not end the text:
    // 64 Ki spaces in a username took 2.4 s of linting.
    const users = (n: number) => configMap({ mapUsers: `- userarn: arn:aws:iam::111122223333:user/Jane\n  username: jane\n- userarn: arn:aws:iam::111122223333:user/jane\n  username: "a${' '.repeat(n)}b"\n` });
    const a16 = (text: string) => lintAwsAuth(text).find((p) => p.code === 'A16');
    const fixed = applyEdits(users(65536), a16(users(65536))!.fixes![0].edits);
    assert.ok(fixed.endsWith('  mapUsers: |\n    - userarn: arn:aws:iam::111122223333:user/Jane\n      username: jane\n'), JSON.stringify(fixed.slice(-120)));
    assert.strictEqual(a16(fixed), undefined);
    const small = lintTime(users(16384));
    const large = lintTime(users(65536));
    // Four times the input: about four times the time when linear, sixteen when quadratic (npm run bench:shapes).
    assert.ok(large < Math.max(8 * small, 30), `16 Ki spaces ${small.toFixed(1)} ms, 64 Ki ${large.toFixed(1)} ms`);
  });

  it('offers the A01 fix for a bare list of 200,000 lines without overflowing the stack', () => {
    const text = `data:\n  mapRoles:\n${'    - rolearn: arn:aws:iam::111122223333:role/A\n'.repeat(200_000)}`;
    const a01 = lintAwsAuth(text).find((p) => p.code === 'A01');
    assert.ok(a01?.fixes?.length, 'the fix is there');
  });

  it('reports a session ARN without a session name as A14 with the authenticator\'s reason, not as an analysis failure', () => {
    const problems = lintAwsAuth(role('- rolearn: arn:aws:sts::111122223333:assumed-role/Dev\n  username: d\n'));
    assert.ok(!problems.some((p) => p.code === 'E00'), problems.map((p) => p.message).join(' | '));
    assert.ok(problems.some((p) => p.code === 'A14' && /does not have a role/.test(p.message)), problems.map((p) => p.message).join(' | '));
  });

  it('never throws and keeps ranges inside the document', () => {
    const inputs = ['', '---', 'data: [', '\t\tdata:\n\tmapRoles: |\n\t- x', 'data:\n  mapRoles: |\n    - ' + 'a'.repeat(100000), '\u0000\uffff\ud800', 'data:\n  mapRoles: 12\n  mapUsers: true\n  mapAccounts: {a: 1}'];
    for (const input of inputs) {
      for (const p of lintAwsAuth(input)) {
        assert.notStrictEqual(p.code, 'E00', `analysis failed on ${JSON.stringify(input.slice(0, 40))}: ${p.message}`);
        assert.ok(p.offset >= 0 && p.offset + p.length <= input.length, JSON.stringify(input.slice(0, 40)));
      }
    }
    assert.ok(codes('data:\n  mapRoles: 12\n').includes('A01'));
  });
});
