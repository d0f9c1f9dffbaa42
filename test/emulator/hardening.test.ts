// The emulator as a server facing hostile clients (the demo serves it to a browser): operations are looked up in
// Maps, so `constructor` or `__proto__` are unknown operations answered as AWS answers one; a request is
// authenticated from its headers before its body is read; bodies are bounded and slow ones given up on. Raw sockets
// and the SDK's own signer stand in for clients that the SDK would never be.
import * as assert from 'assert';
import * as net from 'net';
import * as tls from 'tls';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EKSClient, DescribeClusterCommand } from '@aws-sdk/client-eks';
import { startEmulator, Emulator } from '../../emulator/server';
import { loadScenarioFile } from '../../emulator/state';
import { KUBE_MAX_BODY_BYTES } from '../../emulator/kube';
import { getEksToken } from '../../src/core/aws/token';
import { verifyToken } from '../../emulator/tokenVerifier';

const scenario = loadScenarioFile('demo');
const admin = scenario.identities[0];
const creds = { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey };
const MAX_BYTES = 64 * 1024;
const TIMEOUT_MS = 400;

interface Exchange {
  status: number;
  headers: string;
  body: string;
  /** Whether the server closed the connection (within the wait). */
  closed: boolean;
  ms: number;
}

/** Sends raw bytes, then waits for the server to answer (and close, or not) for at most `waitMs`. */
function exchange(port: number, chunks: (string | Buffer)[], waitMs = 3000, secure = false): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: net.Socket = secure ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }) : net.connect(port, '127.0.0.1');
    let data = '';
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head.toLowerCase(), body: rest.join('\r\n\r\n'), closed, ms: Date.now() - started });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on(secure ? 'secureConnect' : 'connect', () => {
      for (const c of chunks) socket.write(c);
    });
    socket.on('data', (d) => (data += d.toString('utf8')));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? ((closed = true), finish()) : reject(e)));
    socket.on('close', () => {
      closed = true;
      finish();
    });
  });
}

/** Request headers signed with the SDK's SigV4 signer; `declare` sets x-amz-content-sha256 to sign over. */
async function signed(port: number, o: { method?: string; path?: string; service: string; headers?: Record<string, string>; body?: string; declare?: string; secret?: string; checksum?: boolean }): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: o.service, region: 'us-east-1', credentials: { ...creds, secretAccessKey: o.secret ?? creds.secretAccessKey }, sha256: Sha256, applyChecksum: o.checksum ?? true });
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...(o.headers ?? {}), ...(o.declare ? { 'x-amz-content-sha256': o.declare } : {}) };
  const req = await signer.sign(new HttpRequest({ method: o.method ?? 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: o.path ?? '/', headers, body: o.body }));
  return req.headers;
}

/** A request head; `connection: close` so that a kept-alive answer ends the exchange without waiting. */
const head = (method: string, path: string, headers: Record<string, string>) => `${method} ${path} HTTP/1.1\r\n${Object.entries({ connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;

describe('the emulator hardened like a server', function () {
  this.timeout(30000);
  let emu: Emulator;
  let port: number;
  before(async () => {
    emu = await startEmulator(scenario, { queryTiming: { scheduledMs: 0, runningMs: 20 }, bodyLimits: { maxBytes: MAX_BYTES, timeoutMs: TIMEOUT_MS } });
    port = Number(new URL(emu.endpoint).port);
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  /** A complete signed request of each protocol, sent raw. */
  async function call(service: string, body: string, extra: Record<string, string>, path = '/', method = 'POST') {
    const headers = await signed(port, { service, body, headers: extra, path, method });
    return exchange(port, [head(method, path, { ...headers, 'content-length': String(Buffer.byteLength(body)) }), body]);
  }

  describe('dispatch through Maps: names of Object.prototype are unknown operations', () => {
    const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

    it('CloudWatch Logs (awsJson1.1) answers UnknownOperationException, HTTP 400 (as CloudWatch Logs answered in aws/aws-sdk-net#1536)', async () => {
      for (const name of [...names, 'Frobnicate']) {
        const r = await call('logs', '{}', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${name}` });
        assert.strictEqual(r.status, 400, name);
        assert.strictEqual((JSON.parse(r.body) as { __type: string }).__type, 'UnknownOperationException', name);
      }
      const otherPrefix = await call('logs', '{}', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'DynamoDB_20120810.DescribeLogGroups' });
      assert.strictEqual((JSON.parse(otherPrefix.body) as { __type: string }).__type, 'UnknownOperationException', 'only the Logs_20140328 prefix names a Logs operation');
    });

    it('STS and IAM (query) answer InvalidAction, HTTP 400 (AWS Common Errors)', async () => {
      for (const [service, version] of [['sts', '2011-06-15'], ['iam', '2010-05-08']]) {
        for (const name of names) {
          const r = await call(service, `Action=${encodeURIComponent(name)}&Version=${version}`, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
          assert.strictEqual(r.status, 400, `${service} ${name}`);
          assert.match(r.body, /<Code>InvalidAction<\/Code>/, `${service} ${name}`);
        }
      }
    });

    it('EKS (rest-json) answers an unknown route 404 UnknownOperationException, and a cluster named __proto__ is not found', async () => {
      for (const name of names) {
        const route = await call('eks', '', {}, `/${name}`, 'GET');
        assert.strictEqual(route.status, 404, name);
        assert.match(route.headers, /x-amzn-errortype: unknownoperationexception/, name);
        const cluster = await call('eks', '', {}, `/clusters/${name}`, 'GET');
        assert.strictEqual(cluster.status, 404, name);
        assert.match(cluster.headers, /x-amzn-errortype: resourcenotfoundexception/, name);
      }
    });

    it('a log group named __proto__ or constructor is a log group like any other', async () => {
      const logs = new CloudWatchLogsClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: creds, maxAttempts: 1 });
      for (const name of ['__proto__', 'constructor']) await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
      await assert.rejects(logs.send(new CreateLogGroupCommand({ logGroupName: '__proto__' })), { name: 'ResourceAlreadyExistsException' });
      const listed = (await logs.send(new DescribeLogGroupsCommand({}))).logGroups!.map((g) => g.logGroupName);
      assert.ok(listed.includes('__proto__') && listed.includes('constructor'), listed.join(', '));
    });

    it('AssumeRole of a role named like a prototype member is refused, not a crash', async () => {
      for (const name of names) {
        const r = await call('sts', `Action=AssumeRole&Version=2011-06-15&RoleArn=${name}&RoleSessionName=s1`, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
        assert.strictEqual(r.status, 403, name);
        assert.match(r.body, /<Code>AccessDenied<\/Code>/, name);
      }
    });

    it('an EKS token that signs a header named constructor is refused, not a crash of the Kubernetes endpoint', () => {
      const now = new Date();
      const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      const url = `https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${admin.accessKeyId}%2F${amzDate.slice(0, 8)}%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=${amzDate}&X-Amz-Expires=60&X-Amz-SignedHeaders=constructor%3Bhost%3Bx-k8s-aws-id&X-Amz-Signature=${'0'.repeat(64)}`;
      const verdict = verifyToken(`k8s-aws-v1.${Buffer.from(url).toString('base64url')}`, { clusterId: 'prod-payments', region: 'us-east-1', lookup: () => admin, now });
      assert.deepStrictEqual(verdict.ok, false);
      assert.match(verdict.ok ? '' : verdict.error, /SignatureDoesNotMatch/);
    });

    it('Logs Insights fields named constructor or __proto__ are plain fields', async () => {
      const logs = new CloudWatchLogsClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: creds, maxAttempts: 1 });
      const now = Math.floor(Date.now() / 1000);
      const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: '/aws/eks/prod-payments/cluster', queryString: 'parse @message "level=* " as __proto__ | fields __proto__, constructor, toString | limit 3', startTime: now - 3600, endTime: now }));
      let out;
      for (let i = 0; i < 50 && out?.status !== 'Complete'; i++) {
        out = await logs.send(new GetQueryResultsCommand({ queryId }));
        if (out.status !== 'Complete') await new Promise((r) => setTimeout(r, 20));
      }
      assert.strictEqual(out?.status, 'Complete');
      assert.ok(out!.results!.length > 0);
      for (const row of out!.results!) {
        assert.deepStrictEqual(row.map((f) => f.field).filter((f) => f !== '@ptr'), ['__proto__'], 'the parsed field, and no prototype members');
        assert.match(row[0].value ?? '', /^(info|warning)$/);
      }
    });
  });

  describe('the signature before the body', () => {
    it('refuses an unsigned request at once, without waiting for its body, and closes the connection', async () => {
      const r = await exchange(port, [head('POST', '/', { host: `127.0.0.1:${port}`, connection: 'keep-alive', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.DescribeLogGroups', 'content-length': '50000' })]);
      assert.strictEqual(r.status, 403);
      assert.strictEqual((JSON.parse(r.body) as { __type: string }).__type, 'MissingAuthenticationTokenException');
      assert.match(r.headers, /connection: close/);
      assert.ok(r.ms < TIMEOUT_MS, `answered in ${r.ms} ms, before any body arrived`);
      assert.ok(r.closed, 'the connection is closed, so the body is never read');
    });

    it('refuses a wrong signature over the declared payload hash before reading the body', async () => {
      const headers = await signed(port, { service: 'eks', path: '/clusters/prod-payments/access-entries', declare: 'a'.repeat(64), secret: 'not-the-secret', headers: { 'content-type': 'application/json' } });
      const r = await exchange(port, [head('POST', '/clusters/prod-payments/access-entries', { ...headers, connection: 'keep-alive', 'content-length': '40000' })]);
      assert.strictEqual(r.status, 403);
      assert.match(r.headers, /x-amzn-errortype: invalidsignatureexception/);
      assert.ok(r.ms < TIMEOUT_MS && r.closed, `refused in ${r.ms} ms and closed, no body sent`);
    });

    it('refuses a body that is not the one whose hash was signed', async () => {
      const declared = '{"principalArn":"arn:aws:iam::111122223333:role/NewTeam"}';
      const { createHash } = await import('crypto');
      const headers = await signed(port, { service: 'eks', path: '/clusters/prod-payments/access-entries', declare: createHash('sha256').update(declared).digest('hex'), headers: { 'content-type': 'application/json' } });
      const sent = '{"principalArn":"arn:aws:iam::111122223333:role/Auditor"}';
      const r = await exchange(port, [head('POST', '/clusters/prod-payments/access-entries', { ...headers, 'content-length': String(sent.length) }), sent]);
      assert.strictEqual(r.status, 403);
      assert.match(r.headers, /x-amzn-errortype: invalidsignatureexception/);
      assert.ok(!emu.state.clusters.find((c) => c.name === 'prod-payments')!.accessEntries.has('arn:aws:iam::111122223333:role/Auditor'), 'nothing was created');
    });

    it('accepts a request signed without x-amz-content-sha256 (as botocore signs), reading the bounded body to hash it', async () => {
      const body = 'Action=GetCallerIdentity&Version=2011-06-15';
      const headers = await signed(port, { service: 'sts', body, checksum: false, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } });
      assert.ok(!('x-amz-content-sha256' in headers));
      const r = await exchange(port, [head('POST', '/', { ...headers, 'content-length': String(body.length) }), body]);
      assert.strictEqual(r.status, 200, r.body);
      assert.match(r.body, new RegExp(`<Arn>${admin.arn}</Arn>`));
    });

    it('verifies a presigned GET (query-string SigV4), as an STS GetCallerIdentity URL is', async () => {
      const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: creds, sha256: Sha256 });
      const request = new HttpRequest({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port, path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: `127.0.0.1:${port}` } });
      const presigned = await signer.presign(request, { expiresIn: 60 });
      const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
      const ok = await fetch(`${emu.endpoint}/?${query}`);
      assert.strictEqual(ok.status, 200);
      assert.match(await ok.text(), new RegExp(`<Arn>${admin.arn}</Arn>`));
      const forged = await fetch(`${emu.endpoint}/?${query.replace(/X-Amz-Signature=[0-9a-f]{4}/, 'X-Amz-Signature=0000')}`);
      assert.strictEqual(forged.status, 403);
      assert.match(await forged.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
    });
  });

  describe('bounded bodies and timeouts', () => {
    it('refuses a declared Content-Length over the limit with 413 at once and closes the connection', async () => {
      const headers = await signed(port, { service: 'logs', declare: 'b'.repeat(64), headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.PutLogEvents' } });
      const r = await exchange(port, [head('POST', '/', { ...headers, connection: 'keep-alive', 'content-length': String(MAX_BYTES + 1) })]);
      assert.strictEqual(r.status, 413);
      assert.ok(r.ms < TIMEOUT_MS && r.closed, `413 in ${r.ms} ms, connection closed`);
    });

    it('counts a chunked body as it streams and stops at the limit', async () => {
      const headers = await signed(port, { service: 'logs', declare: 'c'.repeat(64), headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.PutLogEvents' } });
      const chunk = 'x'.repeat(16 * 1024);
      const chunks = Array.from({ length: 8 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      const r = await exchange(port, [head('POST', '/', { ...headers, connection: 'keep-alive', 'transfer-encoding': 'chunked' }), ...chunks]);
      assert.strictEqual(r.status, 413);
      assert.ok(r.closed);
    });

    it('gives up on a body that stops half-way: 408 after the body timeout, connection closed', async () => {
      const headers = await signed(port, { service: 'logs', declare: 'd'.repeat(64), headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.DescribeLogGroups' } });
      const r = await exchange(port, [head('POST', '/', { ...headers, connection: 'keep-alive', 'content-length': '100' }), '{"logGroupNamePrefix":'], 5000);
      assert.strictEqual(r.status, 408);
      assert.ok(r.closed);
      assert.ok(r.ms >= TIMEOUT_MS - 50 && r.ms < TIMEOUT_MS + 2000, `gave up after ${r.ms} ms (timeout ${TIMEOUT_MS} ms)`);
    });

    it('drops a client that never finishes its headers', async () => {
      const r = await exchange(port, [`POST / HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nx-amz-target: Logs_20140328.`], 5000);
      assert.ok(r.closed, 'the socket was closed');
      assert.ok(r.ms < TIMEOUT_MS + 2500, `after ${r.ms} ms`);
    });

    describe('Kubernetes endpoint', () => {
      let kubePort: number;
      let token: string;
      before(async () => {
        const eks = new EKSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: creds, maxAttempts: 1 });
        const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'prod-payments' }));
        kubePort = Number(new URL(cluster!.endpoint!).port);
        token = await getEksToken('prod-payments', 'us-east-1', creds);
      });
      const path = '/api/v1/namespaces/kube-system/configmaps/aws-auth';

      it('answers 401 to a request without a token before reading its body', async () => {
        const r = await exchange(kubePort, [head('PUT', path, { host: 'localhost', connection: 'keep-alive', 'content-type': 'application/json', 'content-length': '2000000' })], 3000, true);
        assert.strictEqual(r.status, 401);
        assert.ok(r.ms < TIMEOUT_MS && r.closed, `in ${r.ms} ms, closed`);
      });

      it('refuses a body over the API server limit with its Status: 413 RequestEntityTooLarge', async () => {
        const r = await exchange(kubePort, [head('PUT', path, { host: 'localhost', connection: 'keep-alive', authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(KUBE_MAX_BODY_BYTES + 1) })], 3000, true);
        assert.strictEqual(r.status, 413);
        const status = JSON.parse(r.body) as { reason: string; message: string; code: number };
        assert.deepStrictEqual([status.reason, status.message, status.code], ['RequestEntityTooLarge', 'Request entity too large: limit is 3145728', 413]);
        assert.ok(r.ms < TIMEOUT_MS && r.closed, `in ${r.ms} ms, closed`);
      });

      it('gives up on a half-sent body with 408', async () => {
        const r = await exchange(kubePort, [head('PUT', path, { host: 'localhost', connection: 'keep-alive', authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '500' }), '{"data":'], 5000, true);
        assert.strictEqual(r.status, 408);
        assert.ok(r.closed);
      });

      it('keeps a ConfigMap key named __proto__ as a key through a PATCH', async () => {
        const body = JSON.stringify({ data: JSON.parse('{"__proto__":"kept","mapAccounts":"- \\"444455556666\\"\\n"}') });
        const r = await exchange(kubePort, [head('PATCH', path, { host: 'localhost', authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json', 'content-length': String(Buffer.byteLength(body)) }), body], 3000, true);
        assert.strictEqual(r.status, 200, r.body);
        const data = emu.state.clusters.find((c) => c.name === 'prod-payments')!.awsAuth!.data;
        assert.strictEqual(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, 'kept');
        assert.ok(Object.keys(data).includes('mapRoles'), 'the other keys stay');
      });
    });
  });
});
