import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readTerraformPlan } from '../../../../src/core/access/terraformPlan';
import { loadAwsAuth } from '../../../../src/core/auth/authenticator';

const PLANS = path.resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'plans');
const plan = (name: string) => readTerraformPlan(fs.readFileSync(path.join(PLANS, name), 'utf8'));

describe('Terraform plans', () => {
  it('reads the authentication mode before and after, and aws-auth written by yamlencode (quoted keys)', () => {
    const [c] = plan('api-mode-switch.plan.json');
    assert.deepStrictEqual([c.cluster, c.before.mode, c.after.mode], ['prod', 'API_AND_CONFIG_MAP', 'API']);
    const roles = loadAwsAuth(c.before.awsAuth!).roles;
    assert.deepStrictEqual(roles.map((r) => [r.arn, r.username, r.groups]), [
      ['arn:aws:iam::111122223333:role/NodeRole', 'system:node:{{EC2PrivateDNSName}}', ['system:bootstrappers', 'system:nodes']],
      ['arn:aws:iam::111122223333:role/Admin', 'admin', ['system:masters']],
    ]);
  });

  it('ties policy associations to their entries, before and after', () => {
    const [c] = plan('delete-last-admin.plan.json');
    assert.deepStrictEqual(c.before.accessEntries.map((e) => [e.principalArn, e.policies?.map((p) => p.policyArn?.split('/').pop())]), [['arn:aws:iam::111122223333:role/Admin', ['AmazonEKSClusterAdminPolicy']]]);
    assert.deepStrictEqual(c.after.accessEntries, []);
  });

  it('treats a replaced ConfigMap (delete, create) as its before and after data', () => {
    const [c] = plan('rewrite-aws-auth.plan.json');
    assert.strictEqual(loadAwsAuth(c.before.awsAuth!).roles.length, 2);
    assert.strictEqual(loadAwsAuth(c.after.awsAuth!).roles.length, 1);
  });

  it('leaves out what is known only after apply, and says so', () => {
    const [c] = plan('safe.plan.json');
    assert.ok(!c.after.accessEntries.some((e) => e.principalArn.endsWith('Later')));
    assert.ok(c.notes.some((n) => /aws_eks_access_entry\.later/.test(n)));
  });

  it('says what is wrong with a file that is not a plan', () => {
    assert.throws(() => readTerraformPlan('{'), /not JSON.*terraform show -json/);
    assert.throws(() => readTerraformPlan('{}'), /no resource_changes/);
    assert.throws(() => readTerraformPlan('{"format_version":"2.0","resource_changes":[]}'), /format_version 2\.0 is not supported/);
    assert.deepStrictEqual(readTerraformPlan('{"format_version":"1.2","resource_changes":[],"future_field":1}'), [], 'unknown properties are ignored');
  });
});
