import * as assert from 'assert';
import { readKubeconfig } from '../../../../src/core/kubeconfig/kubeconfig';
import { rewriteCluster, rewriteExec } from '../../../../src/core/kubeconfig/rewriteExec';

const KUBECONFIG = `# my clusters, by hand
apiVersion: v1
kind: Config
preferences: {colors: true}   # unknown to us, kept
clusters:
- name: a
  cluster: {server: "https://a.example", certificate-authority-data: QQ==}
users:
- name: old
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1alpha1   # stale
      command: aws
      args:
        - eks
        - get-token
        - --cluster-name
        - a
    x-custom: keep-me
- name: other
  user:
    token: 'not-ours'
contexts:
- {name: a, context: {cluster: a, user: old}}
current-context: a
`;
const NEW = { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'a'], env: [{ name: 'AWS_PROFILE', value: 'dev' }] };

describe('rewriting one exec block', () => {
  it('changes only the exec block: comments, other users, unknown fields and flow styles stay byte for byte', () => {
    const r = rewriteExec(KUBECONFIG, 'old', NEW);
    assert.ok(r.ok);
    const start = KUBECONFIG.indexOf('    exec:');
    const end = KUBECONFIG.indexOf('    x-custom');
    assert.strictEqual(r.text.slice(0, start), KUBECONFIG.slice(0, start));
    assert.ok(r.text.endsWith(KUBECONFIG.slice(end)));
    const [ctx] = readKubeconfig([{ path: 'k', text: r.text }]).contexts;
    assert.deepStrictEqual(ctx.user?.exec, NEW);
  });

  it('writes lists in the style of the block it replaces: awscli writes them at their key\'s indentation', () => {
    // The users entry as Debian's awscli 2.9.19 `aws eks update-kubeconfig --name a --region eu-west-1 --profile dev`
    // writes it, with the apiVersion awscli wrote before aws/aws-cli#6476.
    const awscli = 'users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1alpha1\n      args:\n      - --region\n      - eu-west-1\n      - eks\n      - get-token\n      - --cluster-name\n      - a\n      command: aws\n      env:\n      - name: AWS_PROFILE\n        value: dev\n';
    const r = rewriteExec(awscli, 'u', NEW);
    assert.ok(r.ok);
    const after = r.text.split('\n');
    assert.deepStrictEqual(awscli.split('\n').filter((l) => !after.includes(l)), ['      apiVersion: client.authentication.k8s.io/v1alpha1']);
  });

  it('keeps CRLF line endings', () => {
    const crlf = KUBECONFIG.replace(/\n/g, '\r\n');
    const r = rewriteExec(crlf, 'old', NEW);
    assert.ok(r.ok);
    assert.ok(!/[^\r]\n/.test(r.text), 'every line ends with CRLF');
    assert.deepStrictEqual(readKubeconfig([{ path: 'k', text: r.text }]).contexts[0].user?.exec, NEW);
  });

  it('refuses what it cannot rewrite safely, with the reason', () => {
    const refusals: [string, string, RegExp][] = [
      [KUBECONFIG, 'nobody', /no user named nobody/],
      [KUBECONFIG, 'other', /no exec block/],
      ['users: [{name: f, user: {exec: {command: aws}}}]\n', 'f', /flow style/],
      ['users:\n- name: x\n  user: [\n', 'x', /not valid YAML/],
      ['kind: Config\n', 'x', /no users list/],
    ];
    for (const [text, user, reason] of refusals) {
      const r = rewriteExec(text, user, NEW);
      assert.ok(!r.ok && reason.test(r.reason), `${user}: ${JSON.stringify(r)}`);
    }
  });

  it('quotes hostile values so they stay data', () => {
    const r = rewriteExec(KUBECONFIG, 'old', { ...NEW, env: [{ name: 'AWS_PROFILE', value: 'x\n  command: rm -rf /' }] });
    assert.ok(r.ok);
    const exec = readKubeconfig([{ path: 'k', text: r.text }]).contexts[0].user?.exec;
    assert.strictEqual(exec?.command, 'aws');
    assert.strictEqual(exec?.env[0].value, 'x\n  command: rm -rf /');
  });

  it('keeps interactiveMode, provideClusterInfo and installHint of the block it rewrites', () => {
    const r = rewriteExec(KUBECONFIG, 'old', { ...NEW, apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', provideClusterInfo: true, installHint: 'brew install awscli' });
    assert.ok(r.ok);
    const exec = readKubeconfig([{ path: 'k', text: r.text }]).contexts[0].user?.exec;
    assert.deepStrictEqual([exec?.interactiveMode, exec?.provideClusterInfo, exec?.installHint], ['Never', true, 'brew install awscli']);
  });
});

describe('repairing one cluster entry in place', () => {
  it('changes only the server and the CA data of the named cluster, flow style included', () => {
    const r = rewriteCluster(KUBECONFIG, 'a', 'https://NEW.gr7.eu-west-1.eks.amazonaws.com', 'TkVX');
    assert.ok(r.ok);
    const changed = r.text.split('\n').filter((l) => !KUBECONFIG.split('\n').includes(l));
    assert.deepStrictEqual(changed, ['  cluster: {server: "https://NEW.gr7.eu-west-1.eks.amazonaws.com", certificate-authority-data: "TkVX"}']);
    const ctx = readKubeconfig([{ path: 'k', text: r.text }]).contexts[0];
    assert.deepStrictEqual([ctx.cluster?.server, ctx.cluster?.caData, ctx.user?.name], ['https://NEW.gr7.eu-west-1.eks.amazonaws.com', 'TkVX', 'old']);
  });

  it('refuses a cluster it cannot repair in place, saying why', () => {
    const r = rewriteCluster(KUBECONFIG, 'nope', 'https://x', undefined);
    assert.ok(!r.ok && /no cluster named nope/.test(r.reason));
    const systemRoots = KUBECONFIG.replace(', certificate-authority-data: QQ==', '');
    const f = rewriteCluster(systemRoots, 'a', 'https://x', 'TkVX');
    assert.ok(!f.ok && /names no CA to replace/.test(f.reason));
  });

  it('writes EKS\'s CA as certificate-authority-data in place of a CA file, and nothing else', () => {
    const withFile = KUBECONFIG.replace('certificate-authority-data: QQ==', 'certificate-authority: ca.crt');
    const r = rewriteCluster(withFile, 'a', 'https://NEW.gr7.eu-west-1.eks.amazonaws.com', 'TkVX');
    assert.ok(r.ok);
    assert.deepStrictEqual(r.text.split('\n').filter((l) => !withFile.split('\n').includes(l)), ['  cluster: {server: "https://NEW.gr7.eu-west-1.eks.amazonaws.com", certificate-authority-data: "TkVX"}']);
    const cluster = readKubeconfig([{ path: 'k', text: r.text }]).contexts[0].cluster;
    assert.deepStrictEqual([cluster?.caData, cluster?.caFile], ['TkVX', undefined]);
    const block = withFile.replace('  cluster: {server: "https://a.example", certificate-authority: ca.crt}', '  cluster:\n    server: https://a.example\n    certificate-authority: ca.crt # from the platform team');
    assert.notStrictEqual(block, withFile);
    const b = rewriteCluster(block, 'a', 'https://a.example', 'TkVX');
    assert.ok(b.ok && b.text.includes('    certificate-authority-data: "TkVX" # from the platform team\n'), b.ok ? b.text : b.reason);
  });
});
