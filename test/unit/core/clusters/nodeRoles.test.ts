import * as assert from 'assert';
import { isUnknown, knownRoles, listNodeRoles } from '../../../../src/core/clusters/nodeRoles';
import { accessDenied, FakeCluster, FakeWorld, fakeSource } from '../../fakeGateways';

const A = '111122223333';

async function rolesOf(cluster: FakeCluster) {
  const w: FakeWorld = { identities: [{ profile: 'dev', label: 'dev', regions: ['us-east-1'], sso: false }], calls: [], clusters: { 'us-east-1': [cluster] } };
  return listNodeRoles(await fakeSource(w).eksFor('dev', 'us-east-1'), cluster.name, 'dev');
}

describe('listNodeRoles', () => {
  it('lists each node group and Fargate profile with the access entry type its nodes join with', async () => {
    // amiType values from the SDK's AMITypes enum (@aws-sdk/client-eks dist-es/models/enums.js); a node group with a
    // custom AMI in its launch template has amiType CUSTOM, and one described without the field is read the same way.
    const list = await rolesOf({
      name: 'c',
      nodegroups: [
        { nodegroupName: 'linux', nodeRole: `arn:aws:iam::${A}:role/Linux`, amiType: 'AL2023_x86_64_STANDARD' },
        { nodegroupName: 'win', nodeRole: `arn:aws:iam::${A}:role/Win`, amiType: 'WINDOWS_CORE_2022_x86_64' },
        { nodegroupName: 'custom', nodeRole: `arn:aws:iam::${A}:role/Custom`, amiType: 'CUSTOM' },
      ],
      fargate: [{ fargateProfileName: 'default', podExecutionRoleArn: `arn:aws:iam::${A}:role/Pod` }],
    });
    assert.ok(!isUnknown(list));
    assert.deepStrictEqual(
      list.map((r) => [r.label, r.kind, r.entryType]),
      [
        ['node group linux', 'ec2', 'EC2_LINUX'],
        ['node group win', 'ec2', 'EC2_WINDOWS'],
        ['node group custom', 'ec2', 'EC2_LINUX'],
        ['Fargate profile default', 'fargate', 'FARGATE_LINUX'],
      ],
    );
  });

  it('says the roles are unknown, and why, when ListNodegroups is denied: never an empty list', async () => {
    const list = await rolesOf({ name: 'c', nodegroupsError: accessDenied('eks:ListNodegroups'), fargate: [{ fargateProfileName: 'f', podExecutionRoleArn: `arn:aws:iam::${A}:role/Pod` }] });
    assert.ok(isUnknown(list), 'a half-listed set would hide the node groups');
    assert.match(list.unknown, /node groups could not be listed: Access denied: the identity may not call eks:ListNodegroups/);
    assert.deepStrictEqual(knownRoles(list), []);
  });

  it('says the roles are unknown when ListFargateProfiles is denied', async () => {
    const list = await rolesOf({ name: 'c', nodegroups: [{ nodegroupName: 'ng', nodeRole: `arn:aws:iam::${A}:role/Node` }], fargateError: accessDenied('eks:ListFargateProfiles') });
    assert.ok(isUnknown(list));
    assert.match(list.unknown, /Fargate profiles could not be listed: .*eks:ListFargateProfiles/);
  });
});
