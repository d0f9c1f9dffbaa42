import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../../../src/cli/commands';
import { cliIo, configMap, NODE_ROLE } from '../helpers';

const PLANS = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'plans');
const A = '111122223333';
const ADMIN = `- rolearn: arn:aws:iam::${A}:role/Admin\n  username: admin\n  groups:\n    - system:masters\n`;

const io = (files: Record<string, string>) => cliIo(files, PLANS);

describe('eks-auth diff', () => {
  const files = { 'before.yaml': configMap({ mapRoles: NODE_ROLE + ADMIN }), 'after.yaml': configMap({ mapRoles: ADMIN }), 'same.yaml': configMap({ mapRoles: NODE_ROLE + ADMIN }) };

  it('exits 1 on a lockout and names it: the node role no longer joins', async () => {
    const t = io(files);
    assert.strictEqual(await runCli(['diff', '--before', 'before.yaml', '--after', 'after.yaml'], t.io), 1);
    assert.match(t.out.join(''), /LOCKOUT: arn:aws:iam::111122223333:role\/NodeRole loses access \(Unauthorized\).*can no longer join as a node/);
  });

  it('exits 0 with "No principal gains or loses access" for the same file', async () => {
    const t = io(files);
    assert.strictEqual(await runCli(['diff', '--before', 'before.yaml', '--after', 'same.yaml'], t.io), 0);
    assert.match(t.out.join(''), /No principal gains or loses access/);
  });

  it('compares a mode switch with the access entries', async () => {
    const t = io({ ...files, 'entries.json': JSON.stringify([{ principalArn: `arn:aws:iam::${A}:role/Admin`, policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' } }] }]) });
    const code = await runCli(['diff', '--before', 'before.yaml', '--after', 'before.yaml', '--access-entries-before', 'entries.json', '--access-entries-after', 'entries.json', '--mode', 'API_AND_CONFIG_MAP', '--mode-after', 'API', '--format', 'json'], t.io);
    assert.strictEqual(code, 1, 'the node role only had aws-auth');
    const [report] = JSON.parse(t.out.join(''));
    assert.deepStrictEqual(report.diff.adminPathsAfter, [`arn:aws:iam::${A}:role/Admin`], 'the admin keeps its entry');
  });

  it('refuses bad usage with exit 2', async () => {
    for (const args of [['diff'], ['diff', '--before', 'before.yaml'], ['diff', '--before', 'before.yaml', '--after', 'x.yaml'], ['diff', '--before', 'before.yaml', '--after', 'after.yaml', '--format', 'xml'], ['diff', '--before', 'before.yaml', '--after', 'after.yaml', '--mode', 'OPEN'], ['diff', '--wat']]) {
      const t = io(files);
      assert.strictEqual(await runCli(args, t.io), 2, args.join(' '));
      assert.ok(t.err.join('').length > 10, 'says why');
    }
  });
});

describe('eks-auth plan-check (terraform show -json)', () => {
  const LOCKOUTS: [string, RegExp][] = [
    ['remove-node-role.plan.json', /NodeRole loses access/],
    ['delete-last-admin.plan.json', /no cluster-admin path is left \(before: arn:aws:iam::111122223333:role\/Admin\)/],
    ['api-mode-switch.plan.json', /no cluster-admin path is left/],
    ['rewrite-aws-auth.plan.json', /no cluster-admin path is left/],
  ];
  for (const [plan, named] of LOCKOUTS) {
    it(`${plan}: exits 1 and names the lockout`, async () => {
      const t = io({});
      assert.strictEqual(await runCli(['plan-check', plan], t.io), 1, t.out.join('') + t.err.join(''));
      assert.match(t.out.join(''), named);
      assert.match(t.out.join(''), /^prod: lockout/);
    });
  }

  it('names an escalation and exits 0', async () => {
    const t = io({});
    assert.strictEqual(await runCli(['plan-check', 'escalation.plan.json'], t.io), 0);
    assert.match(t.out.join(''), /ESCALATION: arn:aws:iam::111122223333:role\/Contractor gains cluster-admin \(AmazonEKSClusterAdminPolicy \(cluster\)\)/);
  });

  it('passes a safe plan, with what is known only after apply noted', async () => {
    const t = io({});
    assert.strictEqual(await runCli(['plan-check', 'safe.plan.json'], t.io), 0);
    const out = t.out.join('');
    assert.match(out, /^prod: change/);
    assert.match(out, /role\/Viewer: Unauthorized -> arn:aws:sts::111122223333:assumed-role\/Viewer\/.* policies AmazonEKSViewPolicy:apps/);
    assert.match(out, /note: aws_eks_access_entry\.later: its principal or cluster is known only after apply/);
  });

  it('prints JSON, SARIF 2.1.0 and escaped Markdown', async () => {
    const json = io({});
    await runCli(['plan-check', 'delete-last-admin.plan.json', '--format', 'json'], json.io);
    const [report] = JSON.parse(json.out.join(''));
    assert.deepStrictEqual([report.cluster, report.diff.severity, report.diff.adminPathsBefore.length, report.diff.adminPathsAfter.length], ['prod', 'lockout', 1, 0]);
    const sarif = io({});
    await runCli(['plan-check', 'delete-last-admin.plan.json', '--format=sarif'], sarif.io);
    const s = JSON.parse(sarif.out.join(''));
    assert.strictEqual(s.version, '2.1.0');
    assert.deepStrictEqual(s.runs[0].tool.driver.rules.map((r: { id: string }) => r.id), ['lockout', 'escalation', 'change']);
    assert.ok(s.runs[0].results.some((r: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.ruleId === 'lockout' && r.level === 'error' && r.locations[0].physicalLocation.artifactLocation.uri === 'delete-last-admin.plan.json'));
    const md = io({});
    await runCli(['plan-check', 'escalation.plan.json', '--format', 'markdown'], md.io);
    const text = md.out.join('');
    assert.match(text, /^### prod: escalation/);
    assert.match(text, /\| escalation \| arn:aws:iam::111122223333:role\/Contractor \| Unauthorized \|/);
    assert.ok(!/\|[^|]*\[[^\]]*\]\([^)]*\)/.test(text), 'no Markdown link from the plan');
  });

  it('escapes hostile values from the plan in Markdown', async () => {
    const plan = JSON.parse(fs.readFileSync(path.join(PLANS, 'escalation.plan.json'), 'utf8'));
    for (const rc of plan.resource_changes) if (rc.change.after?.principal_arn?.endsWith('Contractor')) rc.change.after.principal_arn = `arn:aws:iam::${A}:role/x](http://evil)|<img>`;
    const t = io({ 'evil.json': JSON.stringify(plan) });
    await runCli(['plan-check', 'evil.json', '--format', 'markdown'], t.io);
    const text = t.out.join('');
    assert.ok(!text.includes('](http://evil)') && !text.includes('<img>'), text);
  });

  it('exits 2 on a file that is not a plan, and says what to run', async () => {
    for (const [name, body] of [['a.json', 'not json'], ['b.json', '{"format_version":"1.2"}']]) {
      const t = io({ [name]: body });
      assert.strictEqual(await runCli(['plan-check', name], t.io), 2);
      assert.match(t.err.join(''), /terraform show -json/);
    }
    const none = io({ 'c.json': '{"resource_changes":[]}' });
    assert.strictEqual(await runCli(['plan-check', 'c.json'], none.io), 0);
    assert.match(none.out.join(''), /changes no EKS access/);
  });
});
