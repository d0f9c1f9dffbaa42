import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readTerraformPlan } from '../../../../src/core/access/terraformPlan';
import { loadAwsAuth } from '../../../../src/core/auth/authenticator';
import { knownRoles } from '../../../../src/core/clusters/nodeRoles';

// Fixtures: test/fixtures/plans/README.md names the source of each and the jsonplan/plan.go lines their shape follows.
const PLANS = path.resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'plans');
const json = (name: string) => JSON.parse(fs.readFileSync(path.join(PLANS, name), 'utf8'));
const plan = (name: string) => readTerraformPlan(fs.readFileSync(path.join(PLANS, name), 'utf8'));
const read = (p: unknown) => readTerraformPlan(JSON.stringify(p));
type Change = { address: string; change: { actions: string[]; after?: Record<string, unknown>; after_unknown?: Record<string, unknown>; after_sensitive?: unknown } };
const change = (p: { resource_changes: Change[] }, address: string) => p.resource_changes.find((c) => c.address === address)!;
const ROLES = (data?: Record<string, string>) => loadAwsAuth(data ?? {}).roles.map((r) => r.arn.split('/').pop());
const NODE = 'default-eks-node-group-20240304101224380600000002';
const AUTH = 'module.aws_auth.kubernetes_config_map_v1_data.aws_auth[0]';

describe('Terraform plans', () => {
  it('every fixture is named in the README with its source', () => {
    const readme = fs.readFileSync(path.join(PLANS, 'README.md'), 'utf8');
    for (const f of fs.readdirSync(PLANS).filter((n) => n.endsWith('.json'))) {
      assert.match(readme, new RegExp(`\\| \`${f.replace(/\./g, '\\.')}\` \\|[^|]+\\|[^|]{20,}\\|`), f);
      assert.strictEqual(json(f).format_version, '1.2', `${f}: shaped as terraform show -json writes it`);
      for (const key of ['terraform_version', 'planned_values', 'configuration']) assert.ok(key in json(f), `${f} has ${key}`);
    }
  });

  it('after_unknown.data {} is a known map: the forced v20 aws-auth is read [jsonplan/plan.go:936-966 unknownAsBool]', () => {
    const p = json('v20-aws-auth-force-drops-node-role.plan.json');
    assert.deepStrictEqual(change(p, AUTH).change.after_unknown, { data: {}, id: true, metadata: [{}] }, 'the fixture has the create shape');
    const [c] = read(p);
    assert.deepStrictEqual(ROLES(c.before.awsAuth), [NODE, 'GitHubActionsOIDC', 'PlatformAdmin']);
    assert.deepStrictEqual(ROLES(c.after.awsAuth), ['GitHubActionsOIDC', 'PlatformAdmin']);
    assert.strictEqual(c.after.awsAuthSource, AUTH, 'the resource that writes aws-auth');
    assert.deepStrictEqual(knownRoles(c.after.nodeRoles).map((r) => [r.label, r.kind, r.entryType]), [['managed node group default-2024', 'ec2', 'EC2_LINUX']]);
    assert.ok(!c.notes.some((n) => /known only after apply/.test(n)), c.notes.join('\n'));
  });

  it('after_unknown.data true (the whole map unknown) keeps aws-auth as before, and says so [plan.go:910-918: an unknown value is true]', () => {
    const p = json('v20-aws-auth-force-drops-node-role.plan.json');
    const ch = change(p, AUTH).change;
    ch.after_unknown = { data: true, id: true, metadata: [{}] };
    delete ch.after!.data;
    const [c] = read(p);
    assert.deepStrictEqual(ROLES(c.after.awsAuth), [NODE, 'GitHubActionsOIDC', 'PlatformAdmin']);
    assert.ok(c.notes.some((n) => n.includes(`${AUTH}: its data is known only after apply`)), c.notes.join('\n'));
  });

  it('an unknown key inside a known data map is the only one taken as before', () => {
    const p = json('v20-aws-auth-force-drops-node-role.plan.json');
    const ch = change(p, AUTH).change;
    ch.after_unknown = { data: { mapRoles: true }, id: true, metadata: [{}] };
    delete (ch.after!.data as Record<string, string>).mapRoles;
    const [c] = read(p);
    assert.deepStrictEqual(ROLES(c.after.awsAuth), [NODE, 'GitHubActionsOIDC', 'PlatformAdmin']);
    assert.ok(c.notes.some((n) => n.includes('data.mapRoles is known only after apply')));
  });

  it('a replaced entry (delete, create) loses the associations the plan keeps as they are [plan.go:98-113; EKS user guide grant-k8s-access.adoc:354]', () => {
    const [c] = plan('replaced-admin-entry.plan.json');
    const admin = (s: typeof c.before) => s.accessEntries.find((e) => e.principalArn.endsWith('PlatformAdmin'))!;
    assert.deepStrictEqual(admin(c.before).policies?.map((p) => p.policyArn?.split('/').pop()), ['AmazonEKSClusterAdminPolicy']);
    assert.deepStrictEqual(admin(c.after).policies, []);
    assert.match(admin(c.after).sourceNote ?? '', /replaced \(delete, create: replace_by_request\): deleting an access entry deletes its policy associations/);
  });

  it('keeps an association that the same plan replaces or creates with its entry', () => {
    for (const actions of [['delete', 'create'], ['create', 'delete']]) {
      const p = json('replaced-admin-entry.plan.json');
      change(p, 'module.eks.aws_eks_access_policy_association.this["admin_admin"]').change.actions = actions;
      const [c] = read(p);
      assert.deepStrictEqual(c.after.accessEntries.find((e) => e.principalArn.endsWith('PlatformAdmin'))!.policies?.map((x) => x.policyArn?.split('/').pop()), ['AmazonEKSClusterAdminPolicy'], actions.join());
    }
  });

  it('ties entries whose cluster_name is known only after apply to the new cluster, through the configuration [jsonconfig/expression.go:30-36]', () => {
    const [c] = plan('new-cluster-creator-admin.plan.json');
    assert.deepStrictEqual([c.cluster, c.change, c.before.absent, c.after.mode], ['prod', 'create', true, 'API_AND_CONFIG_MAP']);
    assert.deepStrictEqual(c.after.accessEntries.filter((e) => e.type === 'STANDARD').map((e) => [e.principalArn.split('/').pop(), e.policies?.length]), [['TerraformDeploy', 1], ['Viewer', 1]]);
    assert.ok(!c.notes.some((n) => /aws_eks_access_entry.*not in the diff/.test(n)), c.notes.join('\n'));
    // The identity that runs apply, from data.aws_iam_session_context in prior_state (what the module maps).
    assert.deepStrictEqual([c.after.callerArn, c.after.callerLabel], ['arn:aws:iam::111122223333:role/TerraformDeploy', 'the identity that runs apply']);
  });

  it('names the creator of a new cluster with bootstrap admin left to EKS (null: the default, true) [terraform-provider-aws eks/cluster.go]', () => {
    const [c] = plan('new-cluster-bootstrap-admin.plan.json');
    assert.deepStrictEqual([c.after.creatorAdmin, c.after.creatorLabel, c.after.creatorSource], [true, 'the identity that runs apply (cluster creator)', 'aws_eks_cluster.sandbox']);
  });

  it('marks a destroyed cluster absent after the change', () => {
    const [c] = plan('destroy-cluster.plan.json');
    assert.deepStrictEqual([c.change, c.after.absent, c.before.absent], ['destroy', true, undefined]);
  });

  it('reads RBAC bindings the plan creates', () => {
    const [c] = plan('rbac-binding-moves-admin.plan.json');
    assert.deepStrictEqual(c.before.bindings, undefined);
    assert.deepStrictEqual(c.after.bindings, [{ kind: 'ClusterRoleBinding', name: 'platform-admins', namespace: undefined, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'platform-admins' }], source: 'kubernetes_cluster_role_binding_v1.platform_admins' }]);
  });

  it('gives managed node groups the access entry EKS creates once the cluster has the API, and none in CONFIG_MAP [terraform-aws-eks docs/UPGRADE-20.0.md:232,252]', () => {
    const [c] = plan('v20-migration-deletes-aws-auth.plan.json');
    assert.deepStrictEqual([c.before.mode, c.after.mode], ['CONFIG_MAP', 'API_AND_CONFIG_MAP']);
    assert.deepStrictEqual(c.before.accessEntries, []);
    const eks = c.after.accessEntries.find((e) => e.type === 'EC2_LINUX')!;
    assert.ok(eks.principalArn.endsWith(NODE));
    assert.match(eks.source ?? '', /EKS creates for module\.eks\.module\.eks_managed_node_group\["default"\].*UPGRADE-20\.0\.md/);
    assert.strictEqual(c.after.awsAuth, undefined, 'Terraform deletes its aws-auth data');
  });

  it('a forgotten object (removed block, destroy = false) stays as it was [plan.go:98-113 "forget"]', () => {
    const p = json('destroy-cluster.plan.json');
    for (const rc of p.resource_changes) {
      rc.change.actions = ['forget'];
    }
    const [c] = read(p);
    assert.strictEqual(c.change, 'none');
    assert.deepStrictEqual(c.after.accessEntries.map((e) => e.principalArn), c.before.accessEntries.map((e) => e.principalArn));
  });

  it('notes aws-auth data marked sensitive, which the report still names principals from [plan.go:131-137]', () => {
    const p = json('v20-aws-auth-force-drops-node-role.plan.json');
    change(p, AUTH).change.after_sensitive = { data: { mapRoles: true }, metadata: [{}] };
    const [c] = read(p);
    assert.ok(c.notes.some((n) => n.startsWith(`${AUTH}: data is marked sensitive`)), c.notes.join('\n'));
    assert.deepStrictEqual(ROLES(c.after.awsAuth), ['GitHubActionsOIDC', 'PlatformAdmin'], 'and compared all the same');
    assert.ok(!plan('v20-aws-auth-force-drops-node-role.plan.json')[0].notes.some((n) => /sensitive/.test(n)), 'nothing sensitive, no note');
  });

  it('finds no cluster in a plan with no EKS change', () => {
    assert.deepStrictEqual(plan('no-eks-change.plan.json'), []);
  });

  it('says what is wrong with a file that is not a plan', () => {
    assert.throws(() => readTerraformPlan('{'), /not JSON.*terraform show -json/);
    assert.throws(() => readTerraformPlan('{}'), /no resource_changes/);
    assert.throws(() => readTerraformPlan('{"format_version":"2.0","resource_changes":[]}'), /format_version 2\.0 is not supported/);
    assert.deepStrictEqual(readTerraformPlan('{"format_version":"1.2","resource_changes":[],"future_field":1}'), [], 'unknown properties are ignored');
    assert.deepStrictEqual(readTerraformPlan('{"format_version":"1.2","applyable":false,"complete":true,"errored":false}'), [], 'resource_changes is omitempty: an empty plan has none');
  });
});
