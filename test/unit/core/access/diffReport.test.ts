import * as assert from 'assert';
import { AccessState, diffAccess } from '../../../../src/core/access/accessDiff';
import { formatDiffReport } from '../../../../src/core/access/diffReport';

const A = '111122223333';
const NODE = `arn:aws:iam::${A}:role/NodeRole`;
const nodeMapping = `- rolearn: ${NODE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n`;
const adminMapping = `- rolearn: arn:aws:iam::${A}:role/Admin\n  username: admin\n  groups:\n    - system:masters\n`;

describe('access diff report', () => {
  it('lists in Markdown every node role that stops joining, with values from outside escaped', () => {
    const before: AccessState = { mode: 'API_AND_CONFIG_MAP', awsAuth: { mapRoles: nodeMapping + adminMapping }, accessEntries: [], nodeRoles: [{ label: 'node group [x](http://evil)<b>', arn: NODE, kind: 'ec2' }] };
    const after: AccessState = { ...before, awsAuth: { mapRoles: adminMapping } };
    const text = formatDiffReport([{ cluster: 'prod', diff: diffAccess(before, after) }], 'markdown');
    assert.match(text, /\| node or Fargate role \| before \| after \|/);
    assert.match(text, /\| node group .*NodeRole\) \| joins \| cannot join \|/);
    assert.ok(!text.includes('](http://evil)') && !text.includes('<b>'), text);
  });

  it('adds no node role table when every node role joins as before', () => {
    const state: AccessState = { mode: 'API_AND_CONFIG_MAP', awsAuth: { mapRoles: nodeMapping + adminMapping }, accessEntries: [], nodeRoles: [{ label: 'node group general', arn: NODE, kind: 'ec2' }] };
    const text = formatDiffReport([{ cluster: 'prod', diff: diffAccess(state, { ...state, mode: 'API_AND_CONFIG_MAP' }) }], 'markdown');
    assert.ok(!text.includes('node or Fargate role'), text);
    assert.match(text, /No principal gains or loses access\./);
  });
});
