import * as assert from 'assert';
import { AccessState, diffAccess } from '../../../../src/core/access/accessDiff';
import { formatDiffReport, REPORT_FORMATS } from '../../../../src/core/access/diffReport';

const A = '111122223333';
const NODE = `arn:aws:iam::${A}:role/NodeRole`;
const nodeMapping = `- rolearn: ${NODE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n`;
const adminMapping = `- rolearn: arn:aws:iam::${A}:role/Admin\n  username: admin\n  groups:\n    - system:masters\n`;

describe('access diff report', () => {
  it('lists in Markdown every node role that stops joining, with values from outside escaped', () => {
    const before: AccessState = { mode: 'API_AND_CONFIG_MAP', awsAuth: { mapRoles: nodeMapping + adminMapping }, accessEntries: [], nodeRoles: [{ label: 'node group [x](http://evil)<b>', arn: NODE, kind: 'ec2', entryType: 'EC2_LINUX' }] };
    const after: AccessState = { ...before, awsAuth: { mapRoles: adminMapping } };
    const text = formatDiffReport([{ cluster: 'prod', diff: diffAccess(before, after) }], 'markdown');
    assert.match(text, /\| node or Fargate role \| before \| after \|/);
    assert.match(text, /\| node group .*NodeRole\) \| joins \| cannot join \|/);
    assert.ok(!text.includes('](http://evil)') && !text.includes('<b>'), text);
  });

  it('adds no node role table when every node role joins as before', () => {
    const state: AccessState = { mode: 'API_AND_CONFIG_MAP', awsAuth: { mapRoles: nodeMapping + adminMapping }, accessEntries: [], nodeRoles: [{ label: 'node group general', arn: NODE, kind: 'ec2', entryType: 'EC2_LINUX' }] };
    const text = formatDiffReport([{ cluster: 'prod', diff: diffAccess(state, { ...state, mode: 'API_AND_CONFIG_MAP' }) }], 'markdown');
    assert.ok(!text.includes('node or Fargate role'), text);
    assert.match(text, /No principal gains or loses access\./);
  });

  it('says in every format that node roles could not be checked, when their listing was denied', () => {
    const reason = 'the node groups could not be listed: Access denied: the identity may not call eks:ListNodegroups.';
    const state: AccessState = { mode: 'API_AND_CONFIG_MAP', awsAuth: { mapRoles: nodeMapping + adminMapping }, accessEntries: [], nodeRoles: { unknown: reason } };
    const diffs = [{ cluster: 'prod', diff: diffAccess(state, { ...state, awsAuth: { mapRoles: adminMapping + nodeMapping } }) }];
    assert.match(formatDiffReport(diffs, 'text'), /NOT CHECKED: node roles could not be checked \(the node groups could not be listed: .*eks:ListNodegroups/);
    assert.match(formatDiffReport(diffs, 'markdown'), /- \*\*Not checked:\*\* node roles could not be checked .*eks:ListNodegroups/);
    const results = JSON.parse(formatDiffReport(diffs, 'sarif')).runs[0].results;
    assert.deepStrictEqual(results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level]), [['unchecked', 'warning']]);
  });

  // A plan with no EKS change still gives the pipeline a valid document in the format it asked for: a SARIF upload
  // step fails on anything that is not a SARIF log (SARIF 2.1.0 §3.13: runs with results, which may be empty).
  it('prints a valid report in every format when nothing changes', () => {
    const out = Object.fromEntries(REPORT_FORMATS.map((f) => [f, formatDiffReport([], f)]));
    const sarif = JSON.parse(out.sarif);
    assert.strictEqual(sarif.version, '2.1.0');
    assert.strictEqual(sarif.runs.length, 1);
    assert.deepStrictEqual(sarif.runs[0].results, []);
    assert.strictEqual(sarif.runs[0].tool.driver.name, 'eks-auth');
    assert.deepStrictEqual(JSON.parse(out.json), []);
    for (const f of ['text', 'markdown']) {
      assert.strictEqual(out[f].trimEnd().split('\n').length, 1, `${f}: one line`);
      assert.match(out[f], /changes no EKS access/);
    }
    assert.ok(!/^[#|>-]/.test(out.markdown), 'plain Markdown, no heading or table');
  });

  it('gives each SARIF result the Terraform addresses it comes from as logical locations', () => {
    const before: AccessState = { mode: 'API', accessEntries: [{ principalArn: `arn:aws:iam::${A}:role/Admin`, source: 'module.eks.aws_eks_access_entry.this["admin"]', policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' }, source: 'module.eks.aws_eks_access_policy_association.this["admin_admin"]' }] }] };
    const sarif = JSON.parse(formatDiffReport([{ cluster: 'prod', diff: diffAccess(before, { ...before, accessEntries: [] }) }], 'sarif', 'plan.json'));
    const lockout = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'lockout');
    assert.deepStrictEqual(lockout.locations[0].logicalLocations.map((l: { fullyQualifiedName: string }) => l.fullyQualifiedName), ['module.eks.aws_eks_access_entry.this["admin"]', 'module.eks.aws_eks_access_policy_association.this["admin_admin"]']);
    assert.strictEqual(lockout.locations[0].physicalLocation.artifactLocation.uri, 'plan.json');
  });
});
