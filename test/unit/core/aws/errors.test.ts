import * as assert from 'assert';
import { explainAwsError } from '../../../../src/core/aws/errors';

const err = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name, ...extra });

describe('explainAwsError', () => {
  it('says to run aws sso login for an expired SSO session', () => {
    const e = explainAwsError(err('CredentialsProviderError', 'The SSO session associated with this profile has expired or is otherwise invalid.'), 'dev');
    assert.match(e.next!, /aws sso login --profile dev/);
  });
  it('reads the SDK\'s SSO messages on one line only, and a hostile "sso sso ..." message in linear time', () => {
    // The SDK's own texts: @aws-sdk/credential-provider-sso ("The SSO session associated with this profile has
    // expired. ..." / "... is invalid. ...") and @aws-sdk/token-providers ("Token is expired. ...").
    const sso = (message: string) => explainAwsError(err('CredentialsProviderError', message)).kind === 'sso-expired';
    assert.ok(sso('The SSO session associated with this profile is invalid. To refresh this SSO session run aws sso login with the corresponding profile.'));
    assert.ok(sso('Token is expired. To refresh this SSO session run \'aws sso login\' with the corresponding profile.'));
    assert.ok(!sso('sso\nexpired'), 'the two words on different lines, as `.` reads them');
    const hostile = (n: number) => err('Error', 'sso '.repeat(n / 4));
    const timeOf = (fn: () => void) => {
      const runs = [0, 1, 2].map(() => {
        const t = process.hrtime.bigint();
        fn();
        return Number(process.hrtime.bigint() - t) / 1e6;
      });
      return runs.sort((a, b) => a - b)[1];
    };
    assert.strictEqual(explainAwsError(hostile(65536)).kind, 'other');
    const small = timeOf(() => explainAwsError(hostile(16384)));
    const large = timeOf(() => explainAwsError(hostile(65536)));
    // Four times the message: about four times the time when linear, sixteen when quadratic.
    assert.ok(large < Math.max(8 * small, 20), `16 KiB ${small.toFixed(2)} ms, 64 KiB ${large.toFixed(2)} ms`);
  });
  it('names the refused IAM action', () => {
    const e = explainAwsError(err('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized to perform: eks:ListClusters on resource: *'));
    assert.match(e.message, /eks:ListClusters/);
  });
  it('names an unreachable endpoint', () => {
    const e = explainAwsError(err('Error', 'connect ECONNREFUSED 127.0.0.1:9', { code: 'ECONNREFUSED' }));
    assert.match(e.message, /127\.0\.0\.1:9/);
    assert.match(e.next!, /endpoints/);
  });
  it('recognizes expired credentials and throttling', () => {
    assert.match(explainAwsError(err('ExpiredTokenException', 'The security token included in the request is expired')).message, /expired/);
    assert.match(explainAwsError(err('ThrottlingException', 'Rate exceeded')).message, /throttling/);
  });
  it('says what to do about an update EKS refuses: one at a time, one kind per call', () => {
    const busy = explainAwsError(err('ResourceInUseException', 'Cannot update cluster prod while update 1234 is in progress'));
    assert.match(busy.message, /still in progress/);
    assert.match(busy.next!, /ACTIVE/);
    assert.match(explainAwsError(err('InvalidParameterException', 'Only one type of update can be allowed.')).next!, /one after the other/);
  });
  it('gives each failure a kind that callers act on, whatever the message says', () => {
    const cases: [Error, string][] = [
      [err('TokenProviderError', 'anything'), 'sso-expired'],
      [err('ExpiredTokenException', 'anything'), 'credentials-expired'],
      [err('AccessDeniedException', 'anything'), 'access-denied'],
      [err('InvalidClientTokenId', 'anything'), 'unrecognized-credentials'],
      [err('CredentialsProviderError', 'anything'), 'no-credentials'],
      [err('ThrottlingException', 'anything'), 'throttled'],
      [err('Error', 'anything', { code: 'ECONNREFUSED' }), 'unreachable'],
      [err('ValidationException', 'anything'), 'other'],
    ];
    for (const [e, kind] of cases) assert.strictEqual(explainAwsError(e).kind, kind, `${e.name}`);
  });
});
