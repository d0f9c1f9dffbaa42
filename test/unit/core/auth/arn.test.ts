import * as assert from 'assert';
import { arnProblem, canonicalize, parseArn, stripPath } from '../../../../src/core/auth/arn';

const canonical = (arn: string) => (canonicalize(arn) as { canonical: string }).canonical;

describe('ARNs', () => {
  it('canonicalizes assumed-role sessions to role ARNs without a path, and keeps user paths', () => {
    assert.strictEqual(canonical('arn:aws:sts::111122223333:assumed-role/Dev/jane@example.com'), 'arn:aws:iam::111122223333:role/Dev');
    assert.strictEqual(canonical('arn:aws-us-gov:sts::111122223333:assumed-role/Dev/s'), 'arn:aws-us-gov:iam::111122223333:role/Dev');
    assert.strictEqual(canonical('arn:aws:iam::111122223333:user/team/bob'), 'arn:aws:iam::111122223333:user/team/bob');
  });

  it('strips role paths, including SSO reserved paths', () => {
    assert.strictEqual(stripPath('arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_A_1'), 'arn:aws:iam::111122223333:role/AWSReservedSSO_A_1');
    assert.strictEqual(stripPath('arn:aws:iam::111122223333:user/a/b'), 'arn:aws:iam::111122223333:user/a/b');
  });

  it('names what is wrong with a malformed ARN', () => {
    assert.match(arnProblem('arn:aws:iam::1234:role/A')!, /12 digits/);
    assert.match(arnProblem('arn:aws:iam::111122223333:role/*')!, /wildcards/);
    assert.match(arnProblem('arn:azure:iam::111122223333:role/A')!, /partition/);
    assert.match(arnProblem('arn:aws:iam::111122223333:group/A')!, /expected/);
    assert.strictEqual(arnProblem('arn:aws-iso-b:iam::111122223333:role/A'), undefined);
    assert.strictEqual(parseArn('not an arn'), undefined);
    assert.match((canonicalize('arn:aws:sts::111122223333:assumed-role/R') as { error: string }).error, /does not have a role/, 'pkg/arn/arn.go:57');
  });
});
