import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifyToken } from '../../emulator/tokenVerifier';
import { getEksToken } from '../../src/core/aws/token';

const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const AT = new Date('2026-11-28T10:00:00Z');
const lookup = (id: string) => (id === KEY.accessKeyId ? KEY : undefined);
const opts = (now = new Date(AT.getTime() + 60_000), region = 'us-east-1', clusterId = 'prod') => ({ clusterId, region, lookup, now });

interface Variant {
  host?: string;
  protocol?: string;
  path?: string;
  query?: Record<string, string>;
  expires?: number;
  date?: Date;
  cluster?: string | null;
  region?: string;
  secret?: string;
  accessKeyId?: string;
}

/** A token signed by the SDK's SigV4 signer, with one thing changed: hostile tokens for the verifier's table. */
async function token(v: Variant = {}): Promise<string> {
  const region = v.region ?? 'us-east-1';
  const host = v.host ?? `sts.${region}.amazonaws.com`;
  const headers: Record<string, string> = { host };
  if (v.cluster !== null) headers['x-k8s-aws-id'] = v.cluster ?? 'prod';
  const signer = new SignatureV4({ service: 'sts', region, credentials: { accessKeyId: v.accessKeyId ?? KEY.accessKeyId, secretAccessKey: v.secret ?? KEY.secretAccessKey }, sha256: Sha256, uriEscapePath: true });
  const req = new HttpRequest({ method: 'GET', protocol: v.protocol ?? 'https:', hostname: host, path: v.path ?? '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15', ...(v.query ?? {}) }, headers });
  const signed = await signer.presign(req, { expiresIn: v.expires ?? 60, signingDate: v.date ?? AT, unhoistableHeaders: new Set(['x-k8s-aws-id']) });
  const query = Object.entries(signed.query ?? {}).map(([k, val]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(val))}`).join('&');
  return 'k8s-aws-v1.' + Buffer.from(`${signed.protocol}//${signed.hostname}${signed.path}?${query}`).toString('base64url');
}

const minutes = (m: number) => new Date(AT.getTime() + m * 60_000);

describe('the emulator token verifier (aws-iam-authenticator pkg/token/token.go, and STS)', () => {
  it("accepts the extension's token for its own cluster, within 15 minutes", async () => {
    const t = await getEksToken('prod', 'us-east-1', KEY, AT);
    assert.deepStrictEqual(verifyToken(t, opts()), { ok: true, accessKeyId: KEY.accessKeyId });
    assert.deepStrictEqual(verifyToken(t, opts(minutes(14.9))).ok, true);
  });

  const BAD: [string, () => Promise<string> | string, RegExp, Date?, string?][] = [
    ['another cluster', () => token({ cluster: 'other' }), /SignatureDoesNotMatch/],
    ['a wrong secret', () => token({ secret: 'nope' }), /SignatureDoesNotMatch/],
    ['an unknown access key', () => token({ accessKeyId: 'AKIAUNKNOWN' }), /InvalidClientTokenId/],
    ['a token without its prefix', async () => (await token()).replace('k8s-aws-v1.', 'k8s-aws-v2.'), /missing expected "k8s-aws-v1\." prefix/],
    ['an evil host', () => token({ host: 'sts.us-east-1.evil.example' }), /unexpected hostname "sts\.us-east-1\.evil\.example"/],
    ['a non-STS host', () => token({ host: 'attacker.example.com' }), /could not parse region/],
    ['an http scheme', () => token({ protocol: 'http:' }), /unexpected scheme "http"/],
    ['another path', () => token({ path: '/x' }), /unexpected path/],
    ['an extra query parameter', () => token({ query: { Evil: '1' } }), /non-whitelisted query parameter "Evil"/],
    ['another action', () => token({ query: { Action: 'AssumeRole' } }), /unexpected action parameter/],
    ['an unsigned cluster header', () => token({ cluster: null }), /did not sign the x-k8s-aws-id header/],
    ['X-Amz-Expires=3600', () => token({ expires: 3600 }), /invalid X-Amz-Expires parameter in pre-signed URL: 3600/],
    ['a token 16 minutes old', () => token(), /X-Amz-Date parameter is expired \(15 minute expiration\)/, minutes(16)],
    ['a date 20 minutes in the future', () => token({ date: minutes(20) }), /SignatureDoesNotMatch: Signature not yet current/],
    ['a date 7 days in the future', () => token({ date: minutes(7 * 24 * 60) }), /Signature not yet current/],
    ['base64 with padding', async () => (await token()) + '==', /illegal base64 data/],
    ['a token over 4 KiB', () => 'k8s-aws-v1.' + 'A'.repeat(5000), /token is too large/],
    ['a China host for a us-east-1 cluster', () => token({ host: 'sts.cn-north-1.amazonaws.com.cn', region: 'cn-north-1' }), /unexpected hostname "sts\.cn-north-1\.amazonaws\.com\.cn"/],
    ['the global host in China', () => token({ host: 'sts.amazonaws.com', region: 'cn-north-1' }), /global endpoint unsupported in partition aws-cn/, undefined, 'cn-north-1'],
    ['a credential scoped to another region than its host', () => token({ host: 'sts.us-west-2.amazonaws.com', region: 'us-east-1' }), /Credential should be scoped/],
  ];
  for (const [name, make, error, now, region] of BAD) {
    it(`refuses ${name}`, async () => {
      const verdict = verifyToken(await make(), opts(now, region));
      assert.strictEqual(verdict.ok, false);
      assert.match((verdict as { error: string }).error, error);
    });
  }

  it('accepts the STS hosts of its own partition: regional, FIPS, dual-stack, China, GovCloud, the global host in aws', async () => {
    const good: [string, string, string][] = [
      ['us-east-1', 'sts.us-east-1.amazonaws.com', 'us-east-1'],
      ['us-east-1', 'sts-fips.us-east-1.amazonaws.com', 'us-east-1'],
      ['us-east-1', 'sts.us-east-1.api.aws', 'us-east-1'],
      ['us-east-1', 'sts.amazonaws.com', 'us-east-1'],
      ['cn-north-1', 'sts.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
      ['us-gov-west-1', 'sts.us-gov-west-1.amazonaws.com', 'us-gov-west-1'],
    ];
    for (const [clusterRegion, host, signingRegion] of good) {
      const verdict = verifyToken(await token({ host, region: signingRegion }), opts(undefined, clusterRegion));
      assert.deepStrictEqual(verdict, { ok: true, accessKeyId: KEY.accessKeyId }, `${host} for a cluster in ${clusterRegion}`);
    }
    const cn = await getEksToken('prod', 'cn-north-1', KEY, AT);
    assert.strictEqual(verifyToken(cn, opts(undefined, 'cn-north-1')).ok, true, "the extension's China token");
  });
});

const AWS = '/usr/bin/aws';
const FAKETIME = '/usr/bin/faketime';
const PYTHON = '/usr/bin/python3';

/** Tools from Debian's packages (awscli, faketime, python3-botocore), installed by scripts/setup-test-host.sh. */
describe('known answers from awscli and botocore (Debian packages)', function () {
  this.timeout(60000);
  before(function () {
    if (![AWS, FAKETIME, PYTHON].every((f) => fs.existsSync(f))) {
      if (process.env.CI) throw new Error('awscli, faketime and python3-botocore must be installed (scripts/setup-test-host.sh)');
      this.skip();
    }
  });
  const env = { ...process.env, AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey, AWS_SESSION_TOKEN: '', AWS_PROFILE: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', TZ: 'UTC' };
  delete (env as Record<string, string | undefined>).AWS_SESSION_TOKEN;
  delete (env as Record<string, string | undefined>).AWS_PROFILE;

  // faketime -f freezes the clock (without it the time runs on from the given one and a slow start changes the date).
  it('accepts the token `aws eks get-token` makes at a fixed time (faketime), and refuses it 16 minutes later', () => {
    const out = execFileSync(FAKETIME, ['-f', '2026-11-28 10:00:00', AWS, 'eks', 'get-token', '--cluster-name', 'prod', '--region', 'us-east-1', '--output', 'json'], { env, encoding: 'utf8' });
    const t = JSON.parse(out).status.token as string;
    assert.deepStrictEqual(verifyToken(t, opts(minutes(1))), { ok: true, accessKeyId: KEY.accessKeyId });
    assert.match((verifyToken(t, opts(minutes(16))) as { error: string }).error, /expired/);
    assert.match((verifyToken(t, opts(minutes(1), 'us-east-1', 'staging')) as { error: string }).error, /SignatureDoesNotMatch/, 'made for prod only');
  });

  it("computes with botocore the same SigV4 signature as the extension's token, for the same credentials and time", async () => {
    const ours = new URL(Buffer.from((await getEksToken('prod', 'eu-west-1', KEY, AT)).slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
    const script = [
      'import sys',
      'from botocore.auth import SigV4QueryAuth',
      'from botocore.awsrequest import AWSRequest',
      'from botocore.credentials import Credentials',
      "req = AWSRequest(method='GET', url='https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15', headers={'x-k8s-aws-id': 'prod'})",
      "SigV4QueryAuth(Credentials(sys.argv[1], sys.argv[2]), 'sts', 'eu-west-1', expires=60).add_auth(req)",
      'print(req.url)',
    ].join('\n');
    const out = execFileSync(FAKETIME, ['-f', '2026-11-28 10:00:00', PYTHON, '-c', script, KEY.accessKeyId, KEY.secretAccessKey], { env, encoding: 'utf8' }).trim();
    const theirs = new URL(out);
    assert.strictEqual(theirs.searchParams.get('X-Amz-Date'), '20261128T100000Z', 'faketime fixed the date');
    assert.strictEqual(ours.searchParams.get('X-Amz-Signature'), theirs.searchParams.get('X-Amz-Signature'));
    assert.strictEqual(ours.searchParams.get('X-Amz-SignedHeaders'), theirs.searchParams.get('X-Amz-SignedHeaders'));
  });
});
