import * as assert from 'assert';
import { completionsAt, hoverAt } from '../../../../src/core/auth/assist';
import { configMap } from '../../helpers';

describe('hovers and completions', () => {
  const text = configMap({ mapRoles: '- rolearn: arn:aws:iam::111122223333:role/team/Deployer\n  username: d:{{SessionName}}\n  groups:\n    - system:masters\n' });

  it('explains an ARN: kind, account, path and what the authenticator compares', () => {
    const hover = hoverAt(text, text.indexOf('role/team') + 2)!;
    assert.match(hover.markdown, /IAM role/);
    assert.match(hover.markdown, /111122223333/);
    assert.match(hover.markdown, /arn:aws:iam::111122223333:role\/Deployer/);
    assert.match(hover.markdown, /without\*\* a path/);
    assert.strictEqual(text.slice(hover.start, hover.end), 'arn:aws:iam::111122223333:role/team/Deployer');
  });

  it('explains groups and template variables', () => {
    assert.match(hoverAt(text, text.indexOf('system:masters') + 3)!.markdown, /cluster-admin/);
    assert.match(hoverAt(text, text.indexOf('{{SessionName}}') + 4)!.markdown, /session name/);
    assert.strictEqual(hoverAt(text, text.indexOf('apiVersion')), undefined);
  });

  it('completes keys, groups, template variables and node role snippets', () => {
    const keys = 'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/A\n      ';
    const atKeys = completionsAt(keys, keys.length);
    assert.ok(atKeys.some((c) => c.label === 'username'));
    assert.ok(atKeys.some((c) => c.label === 'EC2 node role' && c.insertText.includes('system:bootstrappers')));
    const groups = 'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/A\n      groups:\n        - sys';
    assert.ok(completionsAt(groups, groups.length).some((c) => c.label === 'system:nodes'));
    const tmpl = 'data:\n  mapRoles: |\n    - username: a:{{Se';
    assert.ok(completionsAt(tmpl, tmpl.length).some((c) => c.label === 'SessionName'));
    const users = 'data:\n  mapUsers: |\n    - ';
    assert.ok(completionsAt(users, users.length).some((c) => c.label === 'userarn'));
  });
});
