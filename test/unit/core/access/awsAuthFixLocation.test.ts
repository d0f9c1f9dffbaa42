import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { awsAuthFixLocation } from '../../../../src/core/access/awsAuthFixLocation';
import { renderConfigMap } from '../../../../src/core/auth/configMapText';

const A = '111122223333';
/** The demo cluster's aws-auth, rendered as the aws-auth editor shows it (eks-auth: file system). */
const demo = JSON.parse(readFileSync(path.join(__dirname, '../../../../../emulator/scenarios/demo.json'), 'utf8')) as { clusters: { name: string; awsAuth?: Record<string, string> }[] };
const prodPayments = demo.clusters.find((c) => c.name === 'prod-payments')!.awsAuth!;

/** The 1-based line and its text where the location falls. */
function lineAt(text: string, offset: number): { line: number; text: string; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, text: text.split('\n')[before.length - 1], column: before[before.length - 1].length };
}

describe('awsAuthFixLocation (where a mapping fix opens aws-auth)', () => {
  const text = renderConfigMap(prodPayments, '1000');

  it('puts the cursor on the rolearn line of an entry that maps the SSO role with its path (never matches)', () => {
    const at = awsAuthFixLocation(text, `arn:aws:iam::${A}:role/AWSReservedSSO_Developers_0123456789abcdef`)!;
    assert.strictEqual(at.kind, 'entry');
    const l = lineAt(text, at.offset);
    assert.match(l.text, /^\s*- rolearn: arn:aws:iam::111122223333:role\/aws-reserved\/sso\.amazonaws\.com\/us-east-1\/AWSReservedSSO_Developers_/);
    assert.strictEqual(text.slice(at.offset, at.offset + 'rolearn'.length), 'rolearn');
  });

  it('finds a session-ARN entry through the caller role, and the mapping itself for a mapped principal', () => {
    const session = awsAuthFixLocation(text, `arn:aws:iam::${A}:role/DataScientist`)!;
    assert.strictEqual(session.kind, 'entry');
    assert.match(lineAt(text, session.offset).text, /assumed-role\/DataScientist\/jane/);
    const mapped = awsAuthFixLocation(text, `arn:aws:iam::${A}:role/PlatformAdmin`)!;
    assert.match(lineAt(text, mapped.offset).text, /rolearn: arn:aws:iam::111122223333:role\/PlatformAdmin$/);
  });

  it('points at a dropped entry and at the earlier of two entries where the later one replaces it', () => {
    const data = { mapRoles: `- rolearn: arn:aws:iam::${A}:role/Ops\n  username: ops\n  groups: [a]\n- rolearn: arn:aws:iam::${A}:role/Ops\n  username: ops2\n  groups: [b]\n`, mapUsers: `- username: bob\n  groups: [x]\n` };
    const t = renderConfigMap(data, '1');
    const replaced = awsAuthFixLocation(t, `arn:aws:iam::${A}:role/Ops`)!;
    assert.strictEqual(lineAt(t, replaced.offset).line, lineAt(t, t.indexOf('- rolearn')).line);
    // Validate() drops an entry with both rolearn and sso (aws-iam-authenticator pkg/config/mapper.go).
    const both = `- username: x\n  sso:\n    permissionSetName: Dev\n    accountID: "${A}"\n  rolearn: arn:aws:iam::${A}:role/Dropped\n`;
    const t2 = renderConfigMap({ mapRoles: data.mapRoles + both }, '1');
    const dropped = awsAuthFixLocation(t2, `arn:aws:iam::${A}:role/Dropped`)!;
    assert.strictEqual(dropped.kind, 'entry');
    assert.match(lineAt(t2, dropped.offset).text, /^\s+rolearn: arn:aws:iam::111122223333:role\/Dropped$/, 'the rolearn line, not the entry start');
  });

  it('an unmapped role: the end of the last mapRoles line, where the next entry is typed', () => {
    const at = awsAuthFixLocation(text, `arn:aws:iam::${A}:role/Nobody`)!;
    assert.strictEqual(at.kind, 'newEntry');
    const l = lineAt(text, at.offset);
    assert.match(l.text, /^\s+- system:masters$/);
    assert.strictEqual(l.column, l.text.length);
    assert.match(text.split('\n')[l.line], /^ {2}mapUsers: \|/, 'the next line leaves mapRoles');
  });

  it('no mapRoles: the data: line; an IAM user goes to the end of mapUsers', () => {
    const t = renderConfigMap({ mapUsers: `- userarn: arn:aws:iam::${A}:user/alice\n  username: alice\n` }, '1');
    const role = awsAuthFixLocation(t, `arn:aws:iam::${A}:role/Nobody`)!;
    assert.deepStrictEqual([role.kind, lineAt(t, role.offset).text], ['data', 'data:']);
    const user = awsAuthFixLocation(t, `arn:aws:iam::${A}:user/bob`)!;
    assert.strictEqual(user.kind, 'newEntry');
    assert.match(lineAt(t, user.offset).text, /username: alice$/);
  });
});
