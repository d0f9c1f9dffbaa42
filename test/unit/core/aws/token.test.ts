import * as assert from 'assert';
import { decodeEksToken, getEksToken, stsHost } from '../../../../src/core/aws/token';

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

  it("signs for the STS host of the region's partition", async () => {
    const hosts = Object.fromEntries(['us-east-1', 'cn-north-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1'].map((r) => [r, stsHost(r)]));
    assert.deepStrictEqual(hosts, {
      'us-east-1': 'sts.us-east-1.amazonaws.com',
      'cn-north-1': 'sts.cn-north-1.amazonaws.com.cn',
      'us-gov-west-1': 'sts.us-gov-west-1.amazonaws.com',
      'us-iso-east-1': 'sts.us-iso-east-1.c2s.ic.gov',
      'us-isob-east-1': 'sts.us-isob-east-1.sc2s.sgov.gov',
      'eu-isoe-west-1': 'sts.eu-isoe-west-1.cloud.adc-e.uk',
      'us-isof-south-1': 'sts.us-isof-south-1.csp.hci.ic.gov',
      'eusc-de-east-1': 'sts.eusc-de-east-1.amazonaws.eu',
    });
    assert.strictEqual(decodeEksToken(await getEksToken('c', 'cn-north-1', creds, at)).url.host, 'sts.cn-north-1.amazonaws.com.cn');
  });
});
