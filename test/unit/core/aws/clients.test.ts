import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { clearCredentialCache, credentialsFor, onCredentialsNearExpiry, refreshingProvider } from '../../../../src/core/aws/clients';

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000);

/** Restores the environment variables a test changed. */
function withEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  return () => apply(saved);
}

describe('credentials near expiry', function () {
  this.timeout(20000);
  afterEach(() => clearCredentialCache());

  it('uses environment credentials that expire in a minute (aws-vault exec), says so once, and does not spin', async () => {
    const restore = withEnv({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token', AWS_CREDENTIAL_EXPIRATION: inMinutes(1).toISOString(), AWS_PROFILE: undefined });
    const notices: Date[] = [];
    const stop = onCredentialsNearExpiry((_p, e) => notices.push(e));
    try {
      const provider = credentialsFor(undefined);
      const started = Date.now();
      const all = await Promise.all(Array.from({ length: 50 }, () => provider()));
      for (let i = 0; i < 50; i++) await provider();
      assert.ok(Date.now() - started < 2000, 'answered at once');
      assert.ok(all.every((c) => c.accessKeyId === 'AKIAEXAMPLE'), 'the near-expiry credentials are used');
      assert.strictEqual(notices.length, 1, 'one notice, not one per call');
    } finally {
      stop();
      restore();
    }
  });

  it('runs a credential_process that returns a near expiry once, not hundreds of times', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-cp-'));
    const counter = path.join(dir, 'count');
    const script = path.join(dir, 'creds.js');
    fs.writeFileSync(script, `require('fs').appendFileSync(${JSON.stringify(counter)}, 'x');\nconsole.log(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAPROC', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 120000).toISOString() }));\n`);
    fs.writeFileSync(path.join(dir, 'config'), `[profile proc]\ncredential_process = ${process.execPath} ${script}\nregion = us-east-1\n`);
    fs.writeFileSync(path.join(dir, 'credentials'), '');
    const restore = withEnv({ AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') });
    try {
      const provider = credentialsFor('proc');
      await Promise.all(Array.from({ length: 20 }, () => provider()));
      for (let i = 0; i < 20; i++) assert.strictEqual((await provider()).accessKeyId, 'AKIAPROC');
      assert.strictEqual(fs.readFileSync(counter, 'utf8').length, 1, 'the process ran once for 40 calls');
    } finally {
      restore();
    }
  });

  it('fetches an SSO-style session again only after 30 s while it is still valid, and at once when it is expired', async () => {
    let t = 0;
    let calls = 0;
    let expiresAt = 4 * 60_000;
    const base = async () => {
      calls++;
      return { accessKeyId: `AKIA${calls}`, secretAccessKey: 's', expiration: new Date(expiresAt) };
    };
    const notices: Date[] = [];
    const provider = refreshingProvider(base, (e) => notices.push(e), () => t);
    await Promise.all([provider(), provider(), provider()]);
    assert.strictEqual(calls, 1, 'concurrent callers share one fetch');
    t = 29_000;
    await provider();
    assert.strictEqual(calls, 1, 'near expiry but fetched 29 s ago: used as is');
    t = 31_000;
    await provider();
    assert.strictEqual(calls, 2, 'after 30 s, one new fetch');
    expiresAt = 60 * 60_000;
    t = 62_000;
    assert.strictEqual((await provider()).accessKeyId, 'AKIA3');
    t = 10 * 60_000;
    await provider();
    assert.strictEqual(calls, 3, 'fresh credentials are not fetched again');
    assert.strictEqual(notices.length, 2, 'each near-expiry fetch is reported');
    t = 61 * 60_000;
    await provider();
    assert.strictEqual(calls, 4, 'expired credentials are fetched again at once');
  });

  it('forgets a failed fetch, so the next call tries again', async () => {
    let calls = 0;
    const provider = refreshingProvider(async () => {
      calls++;
      if (calls === 1) throw new Error('The SSO session has expired');
      return { accessKeyId: 'AKIA', secretAccessKey: 's' };
    });
    await assert.rejects(provider(), /SSO session/);
    assert.strictEqual((await provider()).accessKeyId, 'AKIA');
  });
});
