/**
 * What the real SDK clients put on the wire for each workload identity fix, captured by a local HTTP server: the IAM
 * query parameters (no ThumbprintList) and the EKS REST paths and bodies (@aws-sdk/client-iam and client-eks
 * schemas), and the Kubernetes requests of the restart fix, as client-node sends them.
 */
import * as assert from 'assert';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import selfsigned from 'selfsigned';
import { SdkWorkloadFixGateway } from '../../../../src/core/workload/fixGateway';

interface Seen {
  method: string;
  path: string;
  body: string;
  contentType?: string;
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

function iamAnswer(action: string): string {
  const result = action === 'CreateOpenIDConnectProvider' ? `<CreateOpenIDConnectProviderResult><OpenIDConnectProviderArn>arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC</OpenIDConnectProviderArn></CreateOpenIDConnectProviderResult>` : '';
  return `<${action}Response xmlns="${IAM_NS}">${result}<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${action}Response>`;
}

/** A Kubernetes API server stand-in over HTTPS (client-node only talks to an HTTPS endpoint it can verify). */
async function withKubeServer(use: (kube: { endpoint: string; caData: string }, seen: Seen[]) => Promise<void>): Promise<void> {
  const seen: Seen[] = [];
  const cert = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const server = https.createServer({ key: cert.private, cert: cert.cert }, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', body, contentType: req.headers['content-type'] });
      res.writeHead(200, { 'content-type': 'application/json' });
      const rs = req.url?.includes('/replicasets/');
      res.end(JSON.stringify(rs ? { kind: 'ReplicaSet', apiVersion: 'apps/v1', metadata: { name: 'api-6f4dfff6cb', namespace: 'payments', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'd-1', controller: true }] } } : { kind: req.method === 'DELETE' ? 'Pod' : 'Deployment', apiVersion: 'v1', metadata: { name: 'x' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await use({ endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, caData: Buffer.from(cert.cert).toString('base64') }, seen);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

async function withServer(use: (endpoint: string, seen: Seen[]) => Promise<void>): Promise<void> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', body, contentType: req.headers['content-type'] });
      const action = new URLSearchParams(body).get('Action');
      if (action) {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(iamAnswer(action));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(req.url?.endsWith('/pod-identity-associations') ? JSON.stringify({ association: { associationId: 'a-1' } }) : JSON.stringify({ addon: { addonName: 'eks-pod-identity-agent', status: 'CREATING' } }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

function gateway(endpoint: string, kube?: { endpoint: string; caData: string }): SdkWorkloadFixGateway {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' };
  return new SdkWorkloadFixGateway(
    { region: 'us-east-1' },
    { clusterName: 'demo', region: 'us-east-1', endpoint: kube?.endpoint ?? 'https://127.0.0.1:1', caData: kube?.caData ?? 'Q0E=', credentials: async () => credentials },
    { eks: new EKSClient({ region: 'us-east-1', endpoint, credentials }), iam: new IAMClient({ region: 'us-east-1', endpoint, credentials }) },
  );
}

describe('workload fix gateway (the SDK requests)', () => {
  it('CreateOpenIDConnectProvider: the issuer URL and the client ID, and no ThumbprintList', () =>
    withServer(async (endpoint, seen) => {
      const arn = await gateway(endpoint).createOidcProvider({ url: 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC', clientIds: ['sts.amazonaws.com'] });
      assert.strictEqual(arn, 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC');
      const params = Object.fromEntries(new URLSearchParams(seen[0].body));
      assert.deepStrictEqual(params, { Action: 'CreateOpenIDConnectProvider', Version: '2010-05-08', Url: 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC', 'ClientIDList.member.1': 'sts.amazonaws.com' });
    }));

  it('AddClientIDToOpenIDConnectProvider: the provider ARN and the one client ID (client-iam AddClientIDToOpenIDConnectProviderRequest)', () =>
    withServer(async (endpoint, seen) => {
      await gateway(endpoint).addClientIdToOidcProvider({ providerArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC', clientId: 'vault.example.com' });
      const params = Object.fromEntries(new URLSearchParams(seen[0].body));
      assert.deepStrictEqual(params, { Action: 'AddClientIDToOpenIDConnectProvider', Version: '2010-05-08', OpenIDConnectProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC', ClientID: 'vault.example.com' });
    }));

  it('UpdateAssumeRolePolicy: the role name and the whole new document', () =>
    withServer(async (endpoint, seen) => {
      const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] });
      await gateway(endpoint).updateAssumeRolePolicy('my-role', doc);
      const params = new URLSearchParams(seen[0].body);
      assert.deepStrictEqual([params.get('Action'), params.get('RoleName'), params.get('PolicyDocument')], ['UpdateAssumeRolePolicy', 'my-role', doc]);
    }));

  it('CreatePodIdentityAssociation and CreateAddon: the EKS REST paths and bodies', () =>
    withServer(async (endpoint, seen) => {
      const gw = gateway(endpoint);
      assert.strictEqual(await gw.createPodIdentityAssociation({ clusterName: 'demo', namespace: 'payments', serviceAccount: 'api', roleArn: 'arn:aws:iam::111122223333:role/r' }), 'a-1');
      await gw.createAddon('demo', 'eks-pod-identity-agent');
      assert.deepStrictEqual(seen.map((s) => `${s.method} ${s.path}`), ['POST /clusters/demo/pod-identity-associations', 'POST /clusters/demo/addons']);
      const association = JSON.parse(seen[0].body);
      assert.deepStrictEqual([association.namespace, association.serviceAccount, association.roleArn], ['payments', 'api', 'arn:aws:iam::111122223333:role/r']);
      assert.strictEqual(JSON.parse(seen[1].body).addonName, 'eks-pod-identity-agent');
    }));

  // kubectl rollout restart (kubectl pkg/cmd/rollout/rollout_restart.go, pkg/polymorphichelpers/objectrestarter.go):
  // a strategic merge patch of the pod template's restartedAt annotation; a delete carries DeleteOptions.preconditions.uid.
  it('the restart on the wire: GET the ReplicaSet, PATCH the Deployment as kubectl does, DELETE a pod only with its uid', () =>
    withKubeServer(async (kube, seen) => {
      const gw = gateway('http://127.0.0.1:1', kube);
      assert.deepStrictEqual(await gw.getReplicaSetOwner('payments', 'api-6f4dfff6cb'), { kind: 'Deployment', name: 'api' });
      await gw.restartWorkload({ kind: 'Deployment', namespace: 'payments', name: 'api' }, '2026-12-02T14:30:05Z');
      await gw.restartWorkload({ kind: 'StatefulSet', namespace: 'payments', name: 'db' }, '2026-12-02T14:30:05Z');
      await gw.restartWorkload({ kind: 'DaemonSet', namespace: 'kube-system', name: 'agent' }, '2026-12-02T14:30:05Z');
      await gw.deletePod('payments', 'legacy-rs-abcde', 'u-4');
      assert.deepStrictEqual(seen.map((s) => `${s.method} ${s.path}`), [
        'GET /apis/apps/v1/namespaces/payments/replicasets/api-6f4dfff6cb',
        'PATCH /apis/apps/v1/namespaces/payments/deployments/api',
        'PATCH /apis/apps/v1/namespaces/payments/statefulsets/db',
        'PATCH /apis/apps/v1/namespaces/kube-system/daemonsets/agent',
        'DELETE /api/v1/namespaces/payments/pods/legacy-rs-abcde',
      ]);
      assert.strictEqual(seen[1].contentType, 'application/strategic-merge-patch+json');
      assert.deepStrictEqual(JSON.parse(seen[1].body), { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-12-02T14:30:05Z' } } } } });
      assert.deepStrictEqual(JSON.parse(seen[4].body).preconditions, { uid: 'u-4' });
    }));
});
