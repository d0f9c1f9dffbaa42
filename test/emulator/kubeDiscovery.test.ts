// The emulator's Kubernetes API answers what kubectl asks before and during `kubectl auth can-i`: legacy discovery
// (shapes of apimachinery pkg/apis/meta/v1/types.go APIVersions, APIGroupList, APIResourceList) and a
// SelfSubjectAccessReview sent as protobuf (field numbers of kubernetes staging/src/k8s.io/api/authorization/v1/generated.proto
// and apimachinery pkg/runtime/generated.proto, envelope prefix of runtime/serializer/protobuf/protobuf.go).
import * as assert from 'assert';
import * as https from 'https';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { Emulator, startEmulator } from '../../emulator/server';
import { loadScenarioFile } from '../../emulator/state';
import { getEksToken } from '../../src/core/aws/token';

const scenario = loadScenarioFile('demo');
const [admin, dev] = scenario.identities;

/**
 * The body kubectl 1.32.4 posted for `kubectl auth can-i list pods -n default`, copied from its `-v=9` log
 * ("Request Body" hex dump, type.go:252) against this emulator.
 */
const KUBECTL_132_CAN_I_LIST_PODS = Buffer.from(
  [
    '6b3873000a320a17617574686f72697a',
    '6174696f6e2e6b38732e696f2f763112',
    '1753656c665375626a65637441636365',
    '7373526576696577123d0a100a001200',
    '1a0022002a00320038004200121f0a1d',
    '0a0764656661756c7412046c6973741a',
    '0022002a04706f647332003a001a0808',
    '0012001a0020001a002200',
  ].join(''),
  'hex',
);

/** A protobuf field: key (number << 3 | wire type 2), varint length, bytes. */
function field(n: number, bytes: Buffer | string): Buffer {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  if (b.length > 127) throw new Error('one-byte lengths only');
  return Buffer.concat([Buffer.from([(n << 3) | 2, b.length]), b]);
}

/** A SelfSubjectAccessReview with the fields kubectl fills, as kubectl encodes it (every string field present, empty or not). */
function accessReview(a: { namespace: string; verb: string; group: string; resource: string }): Buffer {
  const metadata = Buffer.concat([field(1, ''), field(2, ''), field(3, ''), field(4, ''), field(5, ''), field(6, ''), Buffer.from([0x38, 0x00]), field(8, '')]);
  const attributes = Buffer.concat([field(1, a.namespace), field(2, a.verb), field(3, a.group), field(4, ''), field(5, a.resource), field(6, ''), field(7, '')]);
  const status = Buffer.concat([Buffer.from([0x08, 0x00]), field(2, ''), field(3, ''), Buffer.from([0x20, 0x00])]);
  const raw = Buffer.concat([field(1, metadata), field(2, field(1, attributes)), field(3, status)]);
  const typeMeta = Buffer.concat([field(1, 'authorization.k8s.io/v1'), field(2, 'SelfSubjectAccessReview')]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), field(1, typeMeta), field(2, raw), field(3, ''), field(4, '')]);
}

describe('emulator Kubernetes API: discovery and protobuf SelfSubjectAccessReview (kubectl auth can-i)', function () {
  this.timeout(60000);
  let emu: Emulator;
  let endpoint: URL;
  let ca: Buffer;
  const tokens: { [who: string]: string } = {};

  before(async () => {
    emu = await startEmulator(scenario);
    const eks = new EKSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: admin, maxAttempts: 1 });
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'prod-payments' }));
    endpoint = new URL(cluster!.endpoint!);
    ca = Buffer.from(cluster!.certificateAuthority!.data!, 'base64');
    tokens.admin = await getEksToken('prod-payments', 'us-east-1', admin);
    tokens.dev = await getEksToken('prod-payments', 'us-east-1', dev);
  });
  after(() => emu?.close());

  function call(method: string, path: string, o: { token?: string; contentType?: string; body?: Buffer } = {}): Promise<{ status: number; json: { [key: string]: unknown } }> {
    return new Promise((resolve, reject) => {
      const headers: { [key: string]: string } = { accept: 'application/vnd.kubernetes.protobuf,application/json' };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      if (o.contentType) headers['content-type'] = o.contentType;
      const req = https.request({ host: endpoint.hostname, port: endpoint.port, path, method, ca, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { [key: string]: unknown } }));
      });
      req.on('error', reject);
      req.end(o.body);
    });
  }
  const canI = (token: string, body: Buffer) => call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { token, contentType: 'application/vnd.kubernetes.protobuf', body });

  it('asks for a signed-in caller before discovery, as the API server does', async () => {
    assert.strictEqual((await call('GET', '/api')).status, 401);
    assert.strictEqual((await call('GET', '/apis')).status, 401);
  });

  it('lists the core version and the groups the emulator serves', async () => {
    const api = await call('GET', '/api', { token: tokens.dev });
    assert.strictEqual(api.status, 200);
    assert.strictEqual(api.json.kind, 'APIVersions');
    assert.deepStrictEqual(api.json.versions, ['v1']);
    assert.deepStrictEqual(api.json.serverAddressByClientCIDRs, [{ clientCIDR: '0.0.0.0/0', serverAddress: endpoint.host }]);
    const apis = await call('GET', '/apis', { token: tokens.dev });
    assert.strictEqual(apis.json.kind, 'APIGroupList');
    const groups = apis.json.groups as { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion: { groupVersion: string; version: string } }[];
    assert.deepStrictEqual(groups.map((g) => g.name), ['authentication.k8s.io', 'authorization.k8s.io', 'rbac.authorization.k8s.io']);
    assert.deepStrictEqual(groups[2].preferredVersion, { groupVersion: 'rbac.authorization.k8s.io/v1', version: 'v1' });
  });

  it('lists each group version\'s resources so kubectl can map `pods` and the reviews', async () => {
    const core = await call('GET', '/api/v1', { token: tokens.dev });
    assert.strictEqual(core.json.kind, 'APIResourceList');
    assert.strictEqual(core.json.groupVersion, 'v1');
    assert.strictEqual(core.json.apiVersion, undefined);
    const resources = core.json.resources as { name: string; namespaced: boolean; kind: string; verbs: string[]; shortNames?: string[] }[];
    const pods = resources.find((r) => r.name === 'pods')!;
    assert.deepStrictEqual([pods.kind, pods.namespaced, pods.verbs.includes('list'), pods.shortNames], ['Pod', true, true, ['po']]);
    assert.ok(resources.some((r) => r.name === 'serviceaccounts/token'));
    const authz = await call('GET', '/apis/authorization.k8s.io/v1', { token: tokens.dev });
    assert.strictEqual(authz.json.apiVersion, 'v1');
    assert.deepStrictEqual((authz.json.resources as { name: string }[]).map((r) => r.name), ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']);
    assert.strictEqual((await call('GET', '/apis/apps/v1', { token: tokens.dev })).status, 404);
  });

  it('the test encoder writes kubectl\'s own bytes, so its field numbers are kubectl\'s', () => {
    assert.deepStrictEqual(accessReview({ namespace: 'default', verb: 'list', group: '', resource: 'pods' }), KUBECTL_132_CAN_I_LIST_PODS);
  });

  it('answers kubectl 1.32\'s protobuf review in JSON with the caller\'s RBAC verdict', async () => {
    const r = await canI(tokens.admin, KUBECTL_132_CAN_I_LIST_PODS);
    assert.strictEqual(r.status, 201);
    assert.strictEqual(r.json.kind, 'SelfSubjectAccessReview');
    assert.deepStrictEqual(r.json.spec, { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } });
    assert.strictEqual((r.json.status as { allowed: boolean }).allowed, true);
  });

  it('says no where RBAC says no: the edit role does not write RoleBindings', async () => {
    const yes = await canI(tokens.dev, accessReview({ namespace: 'default', verb: 'list', group: '', resource: 'pods' }));
    assert.strictEqual((yes.json.status as { allowed: boolean }).allowed, true);
    const no = await canI(tokens.dev, accessReview({ namespace: 'default', verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' }));
    assert.strictEqual(no.status, 201);
    assert.strictEqual((no.json.status as { allowed: boolean }).allowed, false);
  });

  it('refuses a body that is not a protobuf message with the API server\'s 400', async () => {
    const json = Buffer.from('{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1"}');
    const r = await canI(tokens.admin, json);
    assert.strictEqual(r.status, 400);
    assert.strictEqual(r.json.reason, 'BadRequest');
    assert.strictEqual(r.json.message, 'the object provided is unrecognized (must be of type SelfSubjectAccessReview): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"SelfSubjectAccessRevi ...)');
    const cut = await canI(tokens.admin, KUBECTL_132_CAN_I_LIST_PODS.subarray(0, 40));
    assert.strictEqual(cut.status, 400);
    assert.match(String(cut.json.message), /must be of type SelfSubjectAccessReview\): unexpected EOF \(6b3873000a32/);
  });
});
