/**
 * The emulator's own trust policy evaluator (emulator/trustPolicy.ts), case by case, from the IAM User Guide's
 * "Policy evaluation logic" (an explicit Deny wins; no Allow is an implicit deny), "IAM JSON policy elements:
 * Condition operators" (StringLike wildcards, negated operators on a missing key, ...IfExists, ForAnyValue/ForAllValues)
 * and "Grant a user permission to assume a role with web identity" (the OIDC `sub`/`aud` keys).
 */
import * as assert from 'assert';
import { trustAllows, type TrustRequest } from '../../emulator/trustPolicy';

const HOST = 'oidc.eks.us-east-1.amazonaws.com/id/ABC';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${HOST}`;
const request: TrustRequest = { principal: { type: 'Federated', id: PROVIDER }, action: 'sts:AssumeRoleWithWebIdentity', context: { [`${HOST}:sub`]: 'system:serviceaccount:payments:api', [`${HOST}:aud`]: 'sts.amazonaws.com' } };
const allow = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity', ...extra });
const judge = (statement: unknown) => trustAllows(JSON.stringify({ Version: '2012-10-17', Statement: statement }), request).reason;

describe('the emulator\'s trust policy evaluator (emulator/trustPolicy.ts)', () => {
  const cases: [string, unknown, string][] = [
    ['a single statement object', allow(), 'allowed'],
    ['a list of Federated principals and an action list with a wildcard', allow({ Principal: { Federated: ['arn:aws:iam::111122223333:oidc-provider/other', PROVIDER] }, Action: ['STS:AssumeRoleWith*'] }), 'allowed'],
    ['another provider', allow({ Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/other' } }), 'no-allow'],
    ['Principal "*"', allow({ Principal: '*' }), 'allowed'],
    ['NotAction not naming the action', allow({ Action: undefined, NotAction: 'sts:AssumeRole' }), 'allowed'],
    ['sub and aud with StringEquals', allow({ Condition: { StringEquals: { [`${HOST}:sub`]: 'system:serviceaccount:payments:api', [`${HOST}:aud`]: 'sts.amazonaws.com' } } }), 'allowed'],
    ['sub naming another namespace', allow({ Condition: { StringEquals: { [`${HOST}:sub`]: 'system:serviceaccount:default:api' } } }), 'no-allow'],
    ['StringLike with a namespace wildcard', allow({ Condition: { StringLike: { [`${HOST}:sub`]: 'system:serviceaccount:payments:*' } } }), 'allowed'],
    ['condition keys in another case', allow({ Condition: { StringEquals: { [`${HOST.toUpperCase()}:SUB`]: 'system:serviceaccount:payments:api' } } }), 'allowed'],
    ['values compared with case', allow({ Condition: { StringEquals: { [`${HOST}:sub`]: 'SYSTEM:serviceaccount:payments:api' } } }), 'no-allow'],
    ['a missing key: StringEquals fails, StringNotEquals and ...IfExists hold', [allow({ Condition: { StringEquals: { [`${HOST}:amr`]: 'x' } } }), allow({ Condition: { StringNotEquals: { [`${HOST}:amr`]: 'x' }, StringEqualsIfExists: { [`${HOST}:email`]: 'y' } } })], 'allowed'],
    ['ForAnyValue:StringEquals over the audience', allow({ Condition: { 'ForAnyValue:StringEquals': { [`${HOST}:aud`]: ['a', 'sts.amazonaws.com'] } } }), 'allowed'],
    ['an explicit Deny wins', [allow(), { ...allow(), Effect: 'Deny' }], 'explicit-deny'],
    ['an operator it does not know: the Allow does not apply', allow({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }), 'no-allow'],
    ['an operator it does not know: the Deny applies', [allow(), { ...allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), Effect: 'Deny' }], 'explicit-deny'],
  ];
  for (const [name, statement, expected] of cases) it(`${name}: ${expected}`, () => assert.strictEqual(judge(statement), expected));

  // A Pod Identity target role as EKS User Guide pod-id-assign-target-role writes its trust: the cluster account's
  // root as principal, narrowed to the association's role with ArnEquals aws:PrincipalARN.
  const FIRST = 'arn:aws:iam::111122223333:role/eks-pod-identity-primary-role';
  const target = (principal: string, arn: string) => JSON.stringify({ Statement: { Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', Condition: { ArnEquals: { 'aws:PrincipalARN': arn } } } });
  const chained: TrustRequest = { principal: { type: 'AWS', id: FIRST }, action: 'sts:AssumeRole', context: { 'aws:PrincipalArn': FIRST } };
  it('an AWS account principal trusts its roles; ArnEquals narrows them; another account or role is not trusted', () => {
    assert.deepStrictEqual(
      [target('arn:aws:iam::111122223333:root', FIRST), target('111122223333', 'arn:aws:iam::111122223333:role/eks-pod-*'), target('arn:aws:iam::444455556666:root', FIRST), target('arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:role/other')].map((t) => trustAllows(t, chained).reason),
      ['allowed', 'allowed', 'no-allow', 'no-allow'],
    );
  });

  it('reads the URL-encoded text GetRole returns, and allows nothing for text that is not JSON', () => {
    assert.strictEqual(trustAllows(encodeURIComponent(JSON.stringify({ Statement: allow() })), request).reason, 'allowed');
    assert.strictEqual(trustAllows('{"Statement": [', request).reason, 'unreadable');
  });
});
