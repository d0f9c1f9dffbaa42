import * as assert from 'assert';
import { accessLostBySave, readConfigMapData, renderConfigMap, sectionDroppingProblems } from '../../../../src/core/auth/configMapText';
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
