import * as assert from 'assert';
import { decodeEksToken, getEksToken, verifyEksToken } from '../../../../src/core/aws/token';

const creds = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' };
const at = new Date('2026-11-28T10:00:00Z');

describe('EKS bearer token', () => {
  it('is k8s-aws-v1. + base64url of a presigned GetCallerIdentity URL that signs x-k8s-aws-id', async () => {
    const token = await getEksToken('prod', 'eu-west-1', creds, at);
    assert.match(token, /^k8s-aws-v1\.[A-Za-z0-9_-]+$/, 'base64url without padding');
    const d = decodeEksToken(token);
    assert.strictEqual(d.url.host, 'sts.eu-west-1.amazonaws.com');
    assert.strictEqual(d.url.searchParams.get('Action'), 'GetCallerIdentity');
    assert.strictEqual(d.url.searchParams.get('Version'), '2011-06-15');
    assert.strictEqual(d.url.searchParams.get('X-Amz-Expires'), '60');
    assert.deepStrictEqual(d.signedHeaders.sort(), ['host', 'x-k8s-aws-id']);
    assert.strictEqual(d.accessKeyId, 'AKIAEXAMPLE');
    assert.strictEqual(d.signedAt.toISOString(), at.toISOString());
  });

  it('is a pure function of cluster, region, credentials and time', async () => {
    assert.strictEqual(await getEksToken('prod', 'eu-west-1', creds, at), await getEksToken('prod', 'eu-west-1', creds, at));
    assert.notStrictEqual(await getEksToken('prod', 'eu-west-1', creds, at), await getEksToken('staging', 'eu-west-1', creds, at));
  });

  it('carries the session token of temporary credentials', async () => {
    const d = decodeEksToken(await getEksToken('prod', 'us-east-1', { ...creds, sessionToken: 'SESSION' }, at));
    assert.strictEqual(d.sessionToken, 'SESSION');
  });

  it('verifies for its own cluster only, and expires after 15 minutes', async () => {
    const token = await getEksToken('prod', 'us-east-1', creds, at);
    const lookup = (id: string) => (id === creds.accessKeyId ? creds : undefined);
    assert.strictEqual(await verifyEksToken(token, 'prod', lookup, new Date(at.getTime() + 60_000)), undefined);
    assert.match((await verifyEksToken(token, 'other', lookup, at))!, /another cluster|SignatureDoesNotMatch/);
    assert.match((await verifyEksToken(token, 'prod', lookup, new Date(at.getTime() + 16 * 60_000)))!, /expired/);
    assert.match((await verifyEksToken('k8s-aws-v1.bm9wZQ', 'prod', lookup, at))!, /not properly formatted/);
  });
});
