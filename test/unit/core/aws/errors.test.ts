import * as assert from 'assert';
import { explainAwsError } from '../../../../src/core/aws/errors';

const err = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name, ...extra });

describe('explainAwsError', () => {
  it('says to run aws sso login for an expired SSO session', () => {
    const e = explainAwsError(err('CredentialsProviderError', 'The SSO session associated with this profile has expired or is otherwise invalid.'), 'dev');
    assert.match(e.next!, /aws sso login --profile dev/);
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
