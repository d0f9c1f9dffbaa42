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
});
