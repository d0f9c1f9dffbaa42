import * as assert from 'assert';
import { explainAccess } from '../../../../src/core/access/explain';
import { accessLostBySave, readAwsAuthFile, readConfigMapData, renderConfigMap, sectionDroppingProblems } from '../../../../src/core/auth/configMapText';
import { lintAwsAuth } from '../../../../src/core/auth/lint';
import { NODE_ROLE } from '../../helpers';

const A = '111122223333';
const ADMIN = `- rolearn: arn:aws:iam::${A}:role/Admin\n  username: admin\n  groups:\n    - system:masters\n`;
const BEFORE = { mapRoles: NODE_ROLE + ADMIN, mapUsers: `- userarn: arn:aws:iam::${A}:user/bob\n  username: bob\n` };

/** What the editor would save: the rendered ConfigMap with an edit applied. */
const saved = (text: string) => readConfigMapData(text);

describe('saving aws-auth: what a save takes away', () => {
  it('names the sections, node roles and admins an empty buffer would remove', () => {
    const lost = accessLostBySave(BEFORE, saved(''));
    assert.deepStrictEqual(lost, [
      'mapRoles is removed: its 2 mappings stop working',
      'mapUsers is removed: its 1 mappings stop working',
      `the node role arn:aws:iam::${A}:role/NodeRole loses its mapping: nodes that use it can no longer join (they go NotReady)`,
      `arn:aws:iam::${A}:role/Admin loses system:masters (cluster-admin)`,
    ]);
  });

  it('treats a document without data:, or without mapRoles, as removing them', () => {
    assert.match(accessLostBySave(BEFORE, saved('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n')).join('\n'), /mapRoles is removed/);
    const withoutRoles = renderConfigMap({ mapUsers: BEFORE.mapUsers }, '1');
    const lost = accessLostBySave(BEFORE, saved(withoutRoles));
    assert.ok(lost.some((l) => l.startsWith('mapRoles is removed')) && !lost.some((l) => l.startsWith('mapUsers')));
  });

  it('names a node role that loses a node group, and an admin that loses system:masters, after an edit', () => {
    const edited = renderConfigMap({ mapRoles: NODE_ROLE.replace('    - system:nodes\n', '') + ADMIN.replace('system:masters', 'viewers'), mapUsers: BEFORE.mapUsers }, '1');
    assert.deepStrictEqual(accessLostBySave(BEFORE, saved(edited)), [
      `the node role arn:aws:iam::${A}:role/NodeRole loses its mapping: nodes that use it can no longer join (they go NotReady)`,
      `arn:aws:iam::${A}:role/Admin loses system:masters (cluster-admin)`,
    ]);
  });

  it('says nothing for an edit that takes nothing away, nor for a CRLF copy of the same file', () => {
    const text = renderConfigMap({ ...BEFORE, mapRoles: BEFORE.mapRoles + `- rolearn: arn:aws:iam::${A}:role/New\n  username: new\n` }, '1');
    assert.deepStrictEqual(accessLostBySave(BEFORE, saved(text)), []);
    assert.deepStrictEqual(accessLostBySave(BEFORE, saved(text.replace(/\n/g, '\r\n'))), []);
  });

  it('keeps reporting a section the authenticator would drop', () => {
    const broken = renderConfigMap({ mapRoles: NODE_ROLE + '  - x: [\n' }, '1');
    assert.ok(sectionDroppingProblems(broken).some((p) => /mapRoles/.test(p)));
  });
});

/**
 * Which ConfigMap the authenticator reads: kube-system/aws-auth only (aws-iam-authenticator
 * pkg/mapper/configmap/configmap.go: the kube-system client and the metadata.name=aws-auth field selector). The linter,
 * explain and the diff follow that one rule.
 */
describe('reading an aws-auth file as the authenticator does', () => {
  const configMap = (metadata: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n${metadata}data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/Admin\n      username: admin\n      groups:\n        - system:masters\n`;
  const caller = 'arn:aws:sts::111122223333:assumed-role/Admin/jane';

  it('an aws-auth in another namespace is flagged by the linter and explain does not authenticate from it', () => {
    const text = configMap('  name: aws-auth\n  namespace: default\n');
    assert.ok(lintAwsAuth(text).some((p) => p.code === 'A27'));
    const file = readAwsAuthFile(text);
    assert.strictEqual(file.data, undefined);
    assert.deepStrictEqual(file.ignored, ['default/aws-auth']);
    assert.strictEqual(explainAccess(caller, { mode: 'CONFIG_MAP', accessEntries: [], awsAuth: file.data }).authenticated, false);
  });

  it('another name is ignored the same way; kube-system/aws-auth beside it is the one read', () => {
    const text = configMap('  name: aws-auth-old\n  namespace: kube-system\n') + '---\n' + configMap('  name: aws-auth\n  namespace: kube-system\n').replace('system:masters', 'viewers');
    const file = readAwsAuthFile(text);
    assert.deepStrictEqual(file.ignored, ['kube-system/aws-auth-old']);
    assert.deepStrictEqual(explainAccess(caller, { mode: 'CONFIG_MAP', accessEntries: [], awsAuth: file.data }).groups, ['viewers']);
  });

  it('kube-system/aws-auth, and one without a namespace (applied with -n), authenticate', () => {
    for (const metadata of ['  name: aws-auth\n  namespace: kube-system\n', '  name: aws-auth\n']) {
      const file = readAwsAuthFile(configMap(metadata));
      assert.strictEqual(explainAccess(caller, { mode: 'CONFIG_MAP', accessEntries: [], awsAuth: file.data }).authenticated, true, metadata);
    }
  });
});
