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

// Plans shaped as terraform show -json writes them; test/fixtures/plans/README.md names each one's source.
describe('eks-auth plan-check (terraform show -json)', () => {
  const STORIES: { plan: string; exit: number; verdict: string; says: RegExp[] }[] = [
    {
      plan: 'v20-aws-auth-force-drops-node-role.plan.json',
      exit: 1,
      verdict: 'lockout',
      says: [/LOCKOUT: managed node group default-2024: arn:aws:iam::111122223333:role\/default-eks-node-group-\d+ loses access \(Unauthorized\); can no longer join as a node: its nodes go NotReady \(from [^)]*module\.aws_auth\.kubernetes_config_map_v1_data\.aws_auth\[0\].*because aws-auth after the change has no mapRoles entry for it/],
    },
    {
      plan: 'replaced-admin-entry.plan.json',
      exit: 1,
      verdict: 'lockout',
      says: [/LOCKOUT: no cluster-admin path is left \(before: arn:aws:iam::111122223333:role\/PlatformAdmin\) \(from module\.eks\.aws_eks_access_entry\.this\["admin"\].*because .*replaced \(delete, create: replace_by_request\): deleting an access entry deletes its policy associations/],
    },
    { plan: 'rbac-binding-moves-admin.plan.json', exit: 0, verdict: 'change', says: [/PlatformAdmin: platform-admin \[system:masters\] admin -> platform-admin \[platform-admins\] admin \(from .*kubernetes_cluster_role_binding_v1\.platform_admins/, /cluster-admin paths: 1 -> 1/] },
    {
      plan: 'new-cluster-creator-admin.plan.json',
      exit: 0,
      verdict: 'escalation',
      says: [/ESCALATION: arn:aws:iam::111122223333:role\/TerraformDeploy \(the identity that runs apply\) gains cluster-admin \(AmazonEKSClusterAdminPolicy \(cluster\)\) \(from module\.eks\.aws_eks_access_entry\.this\["cluster_creator"\]/, /role\/Viewer: Unauthorized -> .* policies AmazonEKSViewPolicy \(namespace apps\)/],
    },
    { plan: 'new-cluster-no-admin.plan.json', exit: 1, verdict: 'lockout', says: [/LOCKOUT: no principal is cluster-admin of the new cluster .*\(from module\.eks\.aws_eks_cluster\.this\[0\]\)/] },
    { plan: 'new-cluster-bootstrap-admin.plan.json', exit: 0, verdict: 'escalation', says: [/ESCALATION: the identity that runs apply \(cluster creator\) gains cluster-admin .*\(from aws_eks_cluster\.sandbox\)/] },
    { plan: 'destroy-cluster.plan.json', exit: 0, verdict: 'destroy', says: [/DESTROY: the cluster is destroyed, and every access entry, aws-auth and node with it \(from module\.eks\.aws_eks_cluster\.this\[0\]\)/] },
    {
      plan: 'v20-migration-deletes-aws-auth.plan.json',
      exit: 0,
      verdict: 'change',
      says: [/default-eks-node-group-\d+: system:node:\{\{EC2PrivateDNSName\}\} \[system:bootstrappers, system:nodes\] -> system:node:\{\{EC2PrivateDNSName\}\} \[system:bootstrappers, system:nodes\] \(from .*the EC2_LINUX access entry EKS creates for module\.eks\.module\.eks_managed_node_group\["default"\]/, /cluster-admin paths: 2 -> 2/],
    },
  ];
  for (const s of STORIES) {
    it(`${s.plan}: ${s.verdict}, exit ${s.exit}`, async () => {
      const t = io({});
      assert.strictEqual(await runCli(['plan-check', s.plan], t.io), s.exit, t.out.join('') + t.err.join(''));
      const out = t.out.join('');
      assert.ok(out.startsWith(`${s.plan.startsWith('new-cluster-bootstrap') ? 'sandbox' : 'prod'}: ${s.verdict}\n`), out);
      for (const said of s.says) assert.match(out, said);
      if (s.verdict !== 'lockout') assert.ok(!out.includes('LOCKOUT'), out);
    });
  }

  it('a plan with no EKS change: every format valid, exit 0', async () => {
    const outputs: Record<string, string> = {};
    for (const format of ['text', 'json', 'sarif', 'markdown']) {
      const t = io({});
      assert.strictEqual(await runCli(['plan-check', 'no-eks-change.plan.json', '--format', format], t.io), 0);
      outputs[format] = t.out.join('');
    }
    assert.deepStrictEqual(JSON.parse(outputs.json), []);
    const sarif = JSON.parse(outputs.sarif);
    assert.deepStrictEqual([sarif.version, sarif.runs.length, sarif.runs[0].results], ['2.1.0', 1, []]);
    assert.strictEqual(outputs.text, 'The plan changes no EKS access (no aws-auth, access entry, policy association, RBAC binding or authentication mode).\n');
    assert.strictEqual(outputs.markdown.trimEnd().split('\n').length, 1);
  });

  it('prints JSON, SARIF 2.1.0 and escaped Markdown for a lockout', async () => {
    const json = io({});
    await runCli(['plan-check', 'replaced-admin-entry.plan.json', '--format', 'json'], json.io);
    const [report] = JSON.parse(json.out.join(''));
    assert.deepStrictEqual([report.cluster, report.diff.severity, report.diff.adminPathsBefore.length, report.diff.adminPathsAfter.length], ['prod', 'lockout', 1, 0]);
    const sarif = io({});
    await runCli(['plan-check', 'replaced-admin-entry.plan.json', '--format=sarif'], sarif.io);
    const s = JSON.parse(sarif.out.join(''));
    assert.strictEqual(s.version, '2.1.0');
    assert.deepStrictEqual(s.runs[0].tool.driver.rules.map((r: { id: string }) => r.id), ['lockout', 'escalation', 'change', 'destroy', 'unchecked']);
    const lockout = s.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'lockout');
    assert.strictEqual(lockout.level, 'error');
    assert.strictEqual(lockout.locations[0].physicalLocation.artifactLocation.uri, 'replaced-admin-entry.plan.json');
    assert.ok(lockout.locations[0].logicalLocations.some((l: { fullyQualifiedName: string }) => l.fullyQualifiedName === 'module.eks.aws_eks_access_entry.this["admin"]'));
    const md = io({});
    await runCli(['plan-check', 'new-cluster-creator-admin.plan.json', '--format', 'markdown'], md.io);
    const text = md.out.join('');
    assert.match(text, /^### prod: escalation/);
    assert.match(text, /\| escalation \| arn:aws:iam::111122223333:role\/TerraformDeploy \| Unauthorized \|/);
    assert.ok(!/\|[^|]*\[[^\]]*\]\([^)]*\)/.test(text), 'no Markdown link from the plan');
  });

  it('escapes hostile values from the plan in Markdown', async () => {
    const plan = JSON.parse(fs.readFileSync(path.join(PLANS, 'new-cluster-creator-admin.plan.json'), 'utf8'));
    for (const rc of plan.resource_changes) if (rc.change.after?.principal_arn?.endsWith('Viewer')) rc.change.after.principal_arn = `arn:aws:iam::${A}:role/x](http://evil)|<img>`;
    const t = io({ 'evil.json': JSON.stringify(plan) });
    await runCli(['plan-check', 'evil.json', '--format', 'markdown'], t.io);
    const text = t.out.join('');
    assert.ok(!text.includes('](http://evil)') && !text.includes('<img>'), text);
  });

  it('exits 2 on a file that is not a plan, and says what to run', async () => {
    for (const [name, body] of [['a.json', 'not json'], ['b.json', '{"variables":{}}']]) {
      const t = io({ [name]: body });
      assert.strictEqual(await runCli(['plan-check', name], t.io), 2);
      assert.match(t.err.join(''), /terraform show -json/);
    }
  });
});
