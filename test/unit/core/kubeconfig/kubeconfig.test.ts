import * as assert from 'assert';
import { kubeconfigPaths, readKubeconfig } from '../../../../src/core/kubeconfig/kubeconfig';

const file = (ctx: string, server: string, extra = '') => `apiVersion: v1
kind: Config
${extra}clusters:
- name: ${ctx}-c
  cluster:
    server: ${server}
    certificate-authority-data: Q0E=
users:
- name: ${ctx}-u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, ${ctx}]
      env:
      - name: AWS_PROFILE
        value: p
contexts:
- name: ${ctx}
  context: {cluster: ${ctx}-c, user: ${ctx}-u, namespace: ns}
`;

// Merge rules: k8s.io/client-go/tools/clientcmd/loader.go ("the first file to set a particular map key wins") and
// kubernetes-client/javascript#579 (current-context comes from the first file that sets it).
describe('kubeconfig reading as kubectl does', () => {
  it('takes KUBECONFIG as a path list (empty entries skipped, duplicates once), else ~/.kube/config', () => {
    assert.deepStrictEqual(kubeconfigPaths({ KUBECONFIG: '/a::/b:/a' }, '/home/u', ':'), ['/a', '/b']);
    assert.deepStrictEqual(kubeconfigPaths({ KUBECONFIG: 'C:\\a;C:\\b' }, 'C:\\Users\\u', ';'), ['C:\\a', 'C:\\b']);
    assert.deepStrictEqual(kubeconfigPaths({}, '/home/u', ':'), ['/home/u/.kube/config']);
    assert.deepStrictEqual(kubeconfigPaths({ KUBECONFIG: '' }, '/home/u', ':'), ['/home/u/.kube/config']);
  });

  it('merges files: the first file to define a name wins, and the first current-context wins', () => {
    const a = file('one', 'https://a.example', 'current-context: one\n');
    const b = file('one', 'https://b.example', 'current-context: two\n') + '';
    const c = file('two', 'https://c.example');
    const k = readKubeconfig([{ path: 'a', text: a }, { path: 'b', text: b }, { path: 'c', text: c }]);
    assert.deepStrictEqual(k.contexts.map((x) => [x.name, x.file, x.cluster?.server, x.current]), [
      ['one', 'a', 'https://a.example', true],
      ['two', 'c', 'https://c.example', false],
    ]);
    assert.strictEqual(k.currentContext, 'one');
    assert.deepStrictEqual(k.errors, []);
  });

  it('reads the exec plugin, the namespace and the CA', () => {
    const [ctx] = readKubeconfig([{ path: 'a', text: file('one', 'https://a.example') }]).contexts;
    assert.deepStrictEqual(ctx.user?.exec, { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'one'], env: [{ name: 'AWS_PROFILE', value: 'p' }] });
    assert.strictEqual(ctx.namespace, 'ns');
    assert.strictEqual(ctx.cluster?.caData, 'Q0E=');
  });

  it('names what a context lacks, and keeps a broken file from hiding the others', () => {
    const dangling = 'apiVersion: v1\nkind: Config\ncontexts:\n- name: lost\n  context: {cluster: gone, user: nobody}\n';
    const k = readKubeconfig([{ path: 'bad', text: 'clusters: [\n' }, { path: 'd', text: dangling }, { path: 'empty', text: '' }]);
    assert.strictEqual(k.errors.length, 1);
    assert.strictEqual(k.errors[0].path, 'bad');
    const [lost] = k.contexts;
    assert.deepStrictEqual(lost.problems, ['The context names cluster "gone", which no kubeconfig file defines.', 'The context names user "nobody", which no kubeconfig file defines.']);
  });

  it('puts the current context first', () => {
    const k = readKubeconfig([{ path: 'a', text: file('one', 'https://a') + 'current-context: two\n' }, { path: 'b', text: file('two', 'https://b') }]);
    assert.deepStrictEqual(k.contexts.map((c) => c.name), ['two', 'one']);
  });

  // client-go tools/clientcmd/loader.go ResolveLocalPaths and GetAuthInfoFileReferences.
  it('resolves the CA file, client certificates and a relative exec command against the kubeconfig\'s own directory', () => {
    const text = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://k.example", certificate-authority: certs/ca.crt, tls-server-name: api.internal, proxy-url: "http://proxy.corp:3128", insecure-skip-tls-verify: false}
users:
- name: u
  user:
    client-certificate: u.crt
    client-key: /abs/u.key
    exec: {apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, provideClusterInfo: true, command: ./bin/plugin, args: []}
- name: p
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: []}
contexts:
- {name: x, context: {cluster: c, user: u}}
- {name: y, context: {cluster: c, user: p}}
current-context: x
`;
    const k = readKubeconfig([{ path: '/home/me/.kube/config', text }]);
    const x = k.contexts.find((c) => c.name === 'x')!;
    assert.deepStrictEqual(x.cluster, { name: 'c', file: '/home/me/.kube/config', server: 'https://k.example', caData: undefined, caFile: '/home/me/.kube/certs/ca.crt', skipTLSVerify: false, tlsServerName: 'api.internal', proxyUrl: 'http://proxy.corp:3128' });
    assert.deepStrictEqual([x.user?.certFile, x.user?.keyFile], ['/home/me/.kube/u.crt', '/abs/u.key']);
    assert.deepStrictEqual(x.user?.exec, { apiVersion: 'client.authentication.k8s.io/v1', command: '/home/me/.kube/bin/plugin', args: [], env: [], interactiveMode: 'Never', provideClusterInfo: true });
    assert.strictEqual(k.contexts.find((c) => c.name === 'y')!.user?.exec?.command, 'aws', 'a command without a separator is looked up on PATH');
  });

  // kubectl 1.32 on this machine, with KUBECONFIG naming each file.
  it('reports a current-context that names no context, an empty one, and a broken file in kubectl\'s words', () => {
    const missing = readKubeconfig([{ path: 'a', text: file('one', 'https://a.example', 'current-context: nope\n') }]);
    assert.deepStrictEqual(missing.currentContextProblem, { kind: 'missing-context', message: 'Error in configuration: context was not found for specified context: nope' });
    const empty = readKubeconfig([{ path: 'a', text: file('one', 'https://a.example', 'current-context: ""\n') }]);
    assert.strictEqual(empty.currentContextProblem?.kind, 'no-current-context');
    assert.match(empty.currentContextProblem!.message, /localhost:8080 was refused/);
    assert.strictEqual(readKubeconfig([{ path: 'a', text: file('one', 'https://a.example', 'current-context: one\n') }]).currentContextProblem, undefined);
    const broken = readKubeconfig([{ path: 'a', text: file('one', 'https://a.example', 'current-context: one\n') }, { path: '/k/broken.yaml', text: 'apiVersion: v1\nkind: Config\nclusters: [\n' }]);
    assert.match(broken.errors[0].message, /^error loading config file "\/k\/broken\.yaml": /);
  });
});
