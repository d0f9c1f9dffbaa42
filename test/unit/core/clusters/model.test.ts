import * as assert from 'assert';
import { allowedModeChanges, nodeRoleStatus, readMappings, shadowedBy, summarizeCluster, supportsAccessEntries } from '../../../../src/core/clusters/model';
import { groupsProblem, parseGroups, principalProblem, usernameProblem } from '../../../../src/core/access/accessEntryRules';

const A = '111122223333';

describe('cluster model', () => {
  it('knows which platform versions support access entries', () => {
    assert.strictEqual(supportsAccessEntries('1.27', 'eks.5'), false);
    assert.strictEqual(supportsAccessEntries('1.27', 'eks.10'), true);
    assert.strictEqual(supportsAccessEntries('1.30', 'eks.1'), false);
    assert.strictEqual(supportsAccessEntries('1.31', 'eks.1'), true);
  });

  it('summarizes DescribeCluster, defaulting to CONFIG_MAP when accessConfig is absent', () => {
    const s = summarizeCluster({ name: 'c', version: '1.29', platformVersion: 'eks.3', logging: { clusterLogging: [{ types: ['api', 'authenticator'], enabled: true }, { types: ['audit'], enabled: false }] }, resourcesVpcConfig: { subnetIds: ['a', 'b'] } });
    assert.strictEqual(s.mode, 'CONFIG_MAP');
    assert.strictEqual(s.authenticatorLogging, true);
    assert.deepStrictEqual(s.enabledLogTypes, ['api', 'authenticator']);
    assert.strictEqual(s.subnetCount, 2);
  });

  it('allows authentication mode changes forward only', () => {
    assert.deepStrictEqual(allowedModeChanges('CONFIG_MAP'), ['API_AND_CONFIG_MAP'], 'EKS refuses CONFIG_MAP to API in one step');
    assert.deepStrictEqual(allowedModeChanges('API_AND_CONFIG_MAP'), ['API']);
    assert.deepStrictEqual(allowedModeChanges('API'), []);
  });

  it('reads mappings as the authenticator does: a broken section contributes nothing', () => {
    const { mappings, errors } = readMappings({ mapRoles: '- rolearn: x\n  groups: [\n', mapUsers: `- UserArn: arn:aws:iam::${A}:user/bob\n  username: bob\n  groups: [a]\n`, mapAccounts: `- "${A}"\n` });
    assert.strictEqual(errors.length, 1);
    assert.deepStrictEqual(mappings.map((m) => [m.section, m.arn, m.groups]), [['mapUsers', `arn:aws:iam::${A}:user/bob`, ['a']], ['mapAccounts', A, []]]);
  });

  it('tells whether a node role is mapped, by what, and why not', () => {
    const role = `arn:aws:iam::${A}:role/Node`;
    const nodeMapping = (groups: string[], arn = role) => ({ mapRoles: `- rolearn: ${arn}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [${groups.join(', ')}]\n` });
    const good = nodeMapping(['system:bootstrappers', 'system:nodes']);
    assert.deepStrictEqual(nodeRoleStatus(role, 'CONFIG_MAP', [], good), { mapped: true, by: 'aws-auth', reason: 'aws-auth mapRoles entry' });
    assert.match(nodeRoleStatus(role, 'CONFIG_MAP', [], nodeMapping(['system:nodes'])).reason, /lacks system:bootstrappers/);
    assert.strictEqual(nodeRoleStatus(role, 'API', [], good).mapped, false, 'aws-auth is ignored in API mode');
    assert.strictEqual(nodeRoleStatus(role, 'API', [{ principalArn: role, type: 'EC2_LINUX' }], undefined).mapped, true);
    assert.match(nodeRoleStatus(role, 'API', [{ principalArn: role, type: 'STANDARD' }], undefined).reason, /node type/);
    assert.strictEqual(nodeRoleStatus(`arn:aws:iam::${A}:role/path/Node`, 'CONFIG_MAP', [], good).mapped, true, 'node roles with a path match their path-less mapping');
    assert.strictEqual(nodeRoleStatus(role, 'CONFIG_MAP', [], nodeMapping(['system:bootstrappers', 'system:nodes'], `arn:aws:iam::${A}:role/path/Node`)).mapped, false, 'a mapping written with the path never matches');
    assert.match(nodeRoleStatus(role, 'CONFIG_MAP', [], { mapRoles: `- rolearn: ${role}\n  username: system:node:{{SessionName}}-{{EC2PrivateDNSName}}x\n  groups: [system:bootstrappers, system:nodes]\n  bad: [\n` }).reason, /not in aws-auth/, 'a section with a YAML error maps nothing');
  });

  it('finds the access entry that shadows an aws-auth mapping', () => {
    assert.strictEqual(shadowedBy({ section: 'mapRoles', arn: `arn:aws:iam::${A}:role/Dev`, groups: [] }, [`arn:aws:iam::${A}:role/dev`]), `arn:aws:iam::${A}:role/dev`);
    assert.strictEqual(shadowedBy({ section: 'mapAccounts', arn: A, groups: [] }, [A]), undefined);
  });

  it('validates access entry input against the service rules', () => {
    assert.match(principalProblem(`arn:aws:sts::${A}:assumed-role/R/s`)!, /role ARN arn:aws:iam::111122223333:role\/R/);
    assert.match(principalProblem(`arn:aws:iam::${A}:user/bob`, 'EC2_LINUX')!, /need an IAM role/);
    assert.strictEqual(principalProblem(`arn:aws:iam::${A}:role/path/R`), undefined, 'access entries may include role paths');
    assert.match(usernameProblem('eks:admin')!, /eks:/);
    assert.match(groupsProblem(parseGroups('dev, system:masters'))!, /system:masters/);
    assert.deepStrictEqual(parseGroups('a, b c'), ['a', 'b', 'c']);
  });
});
