import * as assert from 'assert';
import { runCli } from '../../../src/cli/commands';
import { getEksToken } from '../../../src/core/aws/token';
import type { DoctorDeps } from '../../../src/core/kubeconfig/doctor';
import { cliIo } from '../helpers';

const CONFIG = `apiVersion: v1
kind: Config
current-context: good
clusters:
- {name: c, cluster: {server: "https://A.gr7.eu-west-1.eks.amazonaws.com", certificate-authority-data: Q0E=}}
users:
- name: good
  user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [--region, eu-west-1, eks, get-token, --cluster-name, web]}}
- name: stale
  user: {exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: aws, args: [--region, eu-west-1, eks, get-token, --cluster-name, web]}}
contexts:
- {name: good, context: {cluster: c, user: good}}
- {name: stale, context: {cluster: c, user: stale}}
`;

const NOW = Date.parse('2026-12-01T10:00:00Z');
const SECRETS = { accessKeyId: 'AKIAFAKEFAKEFAKE0001', secretAccessKey: 'cli-secret-access-key' };
const deps: DoctorDeps = {
  env: {},
  now: () => NOW,
  mayRunPlugin: () => true,
  runPlugin: async () => ({ kind: 'credential', token: await getEksToken('web', 'eu-west-1', SECRETS, new Date(NOW)), clientCertificate: false, stderr: '', ms: 5 }),
  tokenIdentity: async () => ({ ok: true, arn: 'arn:aws:iam::111122223333:user/me', account: '111122223333' }),
  findOnPath: async () => '/usr/bin/aws',
  profile: async () => ({ exists: true, region: 'eu-west-1' }),
  credentials: async () => ({ accessKeyId: 'AKIAFAKE', secretAccessKey: 's' }),
  assumeRole: async () => ({ accessKeyId: 'ASIAFAKE', secretAccessKey: 's' }),
  callerIdentity: async () => ({ arn: 'arn:aws:iam::111122223333:user/me', account: '111122223333' }),
  describeCluster: async () => ({ endpoint: 'https://A.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=' }),
  cluster: () => ({ whoami: async () => ({ ok: true, value: { username: 'me', groups: [] } }), canI: async (q) => ({ ok: true, value: { allowed: q.verb === 'list' } }), rules: async () => ({ ok: true, value: [] }) }),
  explainDenied: async () => undefined,
};

function io(files: Record<string, string>, env: Record<string, string> = { KUBECONFIG: '/k/config' }) {
  const t = cliIo(files);
  return { ...t, io: { ...t.io, doctor: { env, home: '/home/u', pathDelimiter: ':', readOptional: (p: string) => files[p], deps: async () => deps } } };
}

describe('eks-auth doctor', () => {
  it('reports every context and exits 1 when one fails', async () => {
    const t = io({ '/k/config': CONFIG });
    assert.strictEqual(await runCli(['doctor'], t.io), 1);
    const out = t.out.join('');
    assert.match(out, /^OK {2}good \(current\): kubectl reaches web as me/m);
    assert.match(out, /^FAIL {2}stale: kubectl fails with "exec plugin: invalid apiVersion "client\.authentication\.k8s\.io\/v1alpha1"": .*removed in Kubernetes 1\.24/m);
    assert.match(out, /fix: Rewrite the exec block of user stale/);
  });

  it('checks one context with --context and prints JSON', async () => {
    const t = io({ '/k/config': CONFIG });
    assert.strictEqual(await runCli(['doctor', '--context', 'good', '--format', 'json'], t.io), 0);
    const parsed = JSON.parse(t.out.join('')) as { contexts: { context: string; verdict: string; steps: unknown[] }[] };
    assert.deepStrictEqual(parsed.contexts.map((c) => [c.context, c.verdict, c.steps.length]), [['good', 'ok', 6]]);
  });

  it('asks the cluster what --verb and --resource name', async () => {
    const t = io({ '/k/config': CONFIG });
    assert.strictEqual(await runCli(['doctor', '--context', 'good', '--verb', 'delete', '--resource', 'pods', '--namespace', 'prod'], t.io), 1);
    assert.match(t.out.join(''), /may not delete pods in namespace prod/);
  });

  it('exits 2 on a usage error, an unknown context and a missing kubeconfig, saying what to do', async () => {
    const bad = io({ '/k/config': CONFIG });
    assert.strictEqual(await runCli(['doctor', '--format', 'yaml'], bad.io), 2);
    assert.strictEqual(await runCli(['doctor', '--context'], bad.io), 2);
    assert.strictEqual(await runCli(['doctor', '--context', 'nope'], bad.io), 2);
    assert.match(bad.err.join(''), /no context named nope; the kubeconfig has good, stale/);
    const none = io({}, {});
    assert.strictEqual(await runCli(['doctor'], none.io), 2);
    assert.match(none.err.join(''), /no kubeconfig found \(\/home\/u\/\.kube\/config\)\. Write one with: aws eks update-kubeconfig/);
  });
  it('exits 2 naming a kubeconfig file it cannot read, and survives hostile files', async () => {
    const t = io({});
    t.io.doctor.readOptional = () => {
      throw new Error('EISDIR: illegal operation on a directory, read');
    };
    assert.strictEqual(await runCli(['doctor'], t.io), 2);
    assert.match(t.err.join(''), /cannot read the kubeconfig \/k\/config: EISDIR/);
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const hostile = io({ '/k/config': `${deep}\n` });
    assert.strictEqual(await runCli(['doctor'], hostile.io), 2, 'nothing but a file that is not a kubeconfig');
    const mixed = io({ '/k/config': CONFIG, '/k/bad': 'clusters: [\n' }, { KUBECONFIG: '/k/config:/k/bad' });
    assert.strictEqual(await runCli(['doctor', '--context', 'good'], mixed.io), 1, 'kubectl cannot load a merged kubeconfig with a broken file');
    assert.match(mixed.err.join(''), /\/k\/bad: /);
    assert.match(hostile.err.join(''), /\/k\/config: /);
    assert.match(mixed.err.join(''), /error loading config file "\/k\/bad": /, 'kubectl\'s words: error loading config file "PATH": ...');
  });

  // kubectl 1.32 on this machine: "Error in configuration: context was not found for specified context: nope", and
  // with an empty current-context it falls back to localhost:8080.
  it('reports a current-context that names no context, and an empty one, as plain kubectl fails on them', async () => {
    const missing = io({ '/k/config': CONFIG.replace('current-context: good', 'current-context: nope') });
    assert.strictEqual(await runCli(['doctor'], missing.io), 1);
    assert.match(missing.err.join(''), /kubectl without --context: Error in configuration: context was not found for specified context: nope/);
    const named = io({ '/k/config': CONFIG.replace('current-context: good', 'current-context: nope') });
    assert.strictEqual(await runCli(['doctor', '--context', 'good'], named.io), 0, 'kubectl --context good works');
    const empty = io({ '/k/config': CONFIG.replace('current-context: good', 'current-context: ""') });
    await runCli(['doctor', '--format', 'json'], empty.io);
    assert.strictEqual((JSON.parse(empty.out.join('')) as { currentContextProblem?: { kind: string } }).currentContextProblem?.kind, 'no-current-context');
    assert.match(empty.err.join(''), /localhost:8080/);
  });

  it('prints no credential from an exec block in text, JSON or Markdown', async () => {
    const withKeys = CONFIG.replace('args: [--region, eu-west-1, eks, get-token, --cluster-name, web]}}\n- name: stale', 'args: [--region, eu-west-1, eks, get-token, --cluster-name, web], env: [{name: AWS_SECRET_ACCESS_KEY, value: exec-block-secret-1}, {name: AWS_SESSION_TOKEN, value: exec-block-session-1}]}}\n- name: stale')
      .replace('apiVersion: client.authentication.k8s.io/v1alpha1, command: aws, args: [--region, eu-west-1, eks, get-token, --cluster-name, web]}}', 'apiVersion: client.authentication.k8s.io/v1alpha1, command: aws, args: [--region, eu-west-1, eks, get-token, --cluster-name, web], env: [{name: AWS_SECRET_ACCESS_KEY, value: exec-block-secret-2}]}}');
    assert.ok(withKeys.includes('exec-block-secret-1') && withKeys.includes('exec-block-secret-2'));
    for (const format of ['text', 'json', 'markdown']) {
      const t = io({ '/k/config': withKeys });
      await runCli(['doctor', '--format', format], t.io);
      const all = t.out.join('') + t.err.join('');
      assert.ok(all.includes('stale'), format);
      for (const secret of ['exec-block-secret-1', 'exec-block-session-1', 'exec-block-secret-2', SECRETS.secretAccessKey]) assert.ok(!all.includes(secret), `${format} leaks ${secret}`);
    }
  });

  it('takes --timeout in seconds for each step', async () => {
    const t = io({ '/k/config': CONFIG });
    t.io.doctor.deps = async () => ({ ...deps, cluster: () => ({ whoami: () => new Promise(() => undefined), canI: async () => ({ ok: true, value: { allowed: true } }), rules: async () => ({ ok: true, value: [] }) }) });
    const started = Date.now();
    assert.strictEqual(await runCli(['doctor', '--context', 'good', '--timeout', '0.2'], t.io), 1);
    assert.ok(Date.now() - started < 5000);
    assert.match(t.out.join(''), /no answer before the time limit/);
    assert.strictEqual(await runCli(['doctor', '--timeout', 'soon'], io({ '/k/config': CONFIG }).io), 2);
  });
});
