import * as assert from 'assert';
import * as url from 'url';
import { parse } from '../../../src/shared/nodeFetchUrl';

// The fields node-fetch 2 reads from its parsed URL (node-fetch/lib/index.js: getNodeRequestOptions, Request.url)
// and http.request then reads from the options built of them.
const FIELDS = ['protocol', 'auth', 'host', 'port', 'hostname', 'hash', 'search', 'query', 'pathname', 'path', 'href'] as const;

describe('the url module node-fetch gets in the bundles', () => {
  // node-fetch normalises every absolute URL with new URL(...).toString() before parsing it; these are such URLs,
  // of the kinds the Kubernetes client requests: EKS endpoints, the emulator, IPv6 and proxies with credentials.
  const urls = [
    'https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com/api/v1/namespaces/kube-system/configmaps/aws-auth',
    'https://abc.yl4.eu-west-1.eks.amazonaws.com:443/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    'http://127.0.0.1:45678/k8s/prod-payments/api/v1/namespaces/default/pods?limit=500&continue=eyJ2IjoxfQ%3D%3D',
    'https://[::1]:6443/version',
    'http://user:p%40ss@proxy.example:3128/path#frag',
  ];
  for (const u of urls) {
    it(`reads ${u.slice(0, 60)} as Node's url.parse does`, () => {
      const ours = parse(new URL(u).toString());
      const node = url.parse(new URL(u).toString());
      for (const f of FIELDS) assert.strictEqual(ours[f], node[f], f);
    });
  }

  it('gives a relative URL no protocol or host name, so node-fetch rejects it with its own message', () => {
    const ours = parse('/api/v1/pods');
    assert.strictEqual(ours.protocol, null);
    assert.strictEqual(ours.hostname, null);
  });
});
