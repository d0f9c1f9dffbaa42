/**
 * Where an EKS token may go (docs/trust.md): only to an HTTPS endpoint, verified with the CA DescribeCluster
 * returned. A listener on plain HTTP stands in for a host a hostile DescribeCluster answer could name: it must
 * receive nothing, not even a request without the token.
 */
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { ClientNodeKubeGateway } from '../../../../src/core/aws/kubeGateway';

describe('the Kubernetes gateway sends a token only where it can verify the cluster', () => {
  let listener: http.Server;
  let url: string;
  const received: string[] = [];
  before(async () => {
    listener = http.createServer((req, res) => {
      received.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  });
  after(() => new Promise((r) => listener.close(r)));

  const credentials = async () => ({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' });

  it('refuses an endpoint that is not HTTPS, before making a token', () => {
    let made = 0;
    assert.throws(() => new ClientNodeKubeGateway({ clusterName: 'prod', region: 'us-east-1', endpoint: url, caData: 'Q0E=', credentials: async () => (made++, credentials()) }), /not HTTPS .*no token was sent/);
    assert.strictEqual(made, 0);
    assert.deepStrictEqual(received, []);
  });

  it('refuses a cluster with no certificate authority, and an endpoint that is not a URL', () => {
    assert.throws(() => new ClientNodeKubeGateway({ clusterName: 'prod', region: 'us-east-1', endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com', caData: '', credentials }), /no certificate authority/);
    assert.throws(() => new ClientNodeKubeGateway({ clusterName: 'prod', region: 'us-east-1', endpoint: 'ABC.gr7.us-east-1.eks.amazonaws.com', caData: 'Q0E=', credentials }), /no valid endpoint/);
    assert.deepStrictEqual(received, []);
  });
});
