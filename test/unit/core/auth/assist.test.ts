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

  it('completes after 100,000 blank lines in linear time', () => {
    const make = (n: number) => 'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/A\n' + '\n'.repeat(n);
    const time = (text: string) => {
      const t = process.hrtime.bigint();
      completionsAt(text, text.length);
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const small = Math.min(time(make(25_000)), time(make(25_000)));
    const large = Math.min(time(make(100_000)), time(make(100_000)));
    // Four times the lines: about four times the time when linear, sixteen when quadratic (npm run bench:shapes).
    assert.ok(large < Math.max(8 * small, 20), `25,000 lines ${small.toFixed(1)} ms, 100,000 lines ${large.toFixed(1)} ms`);
  });

  it('escapes an ARN from the file in its hover: markup in it renders as its characters', () => {
    const text = 'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/x`**bold**<b>[y](z)\n';
    const hover = hoverAt(text, text.indexOf('role/x') + 2);
    assert.ok(hover);
    assert.ok(!hover.markdown.includes('<b>') && !hover.markdown.includes('**bold**') && !hover.markdown.includes('[y](z)'), hover.markdown);
    assert.ok(!/(^|[^\\])`/.test(hover.markdown), 'every backtick from the file is escaped');
  });
});

