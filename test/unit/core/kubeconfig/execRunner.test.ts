// The exec plugin run as client-go runs it (kubernetes/client-go plugin/pkg/client/auth/exec/exec.go:
// refreshCredsLocked, isInteractive, wrapCmdRunErrorLocked) and found as Go's exec.LookPath finds it. The messages
// are client-go's, as kubectl 1.32 prints them on this machine.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execConfigProblem, lookPath, parseExecCredential, runExecPlugin } from '../../../../src/core/kubeconfig/execRunner';
import type { ClusterEntry, ExecSpec } from '../../../../src/core/kubeconfig/kubeconfig';

const CLUSTER: ClusterEntry = { name: 'c', server: 'https://127.0.0.1:6443', caData: 'Q0E=', skipTLSVerify: false, tlsServerName: 'kube.internal' };
const V1BETA1 = 'client.authentication.k8s.io/v1beta1';
const exec = (command: string, extra: Partial<ExecSpec> = {}): ExecSpec => ({ apiVersion: V1BETA1, command, args: [], env: [], ...extra });

describe('exec plugins run as kubectl runs them', function () {
  this.timeout(20000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-exec-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, body: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  };
  const run = (e: ExecSpec, env: Record<string, string | undefined> = { PATH: process.env.PATH }, more: { timeoutMs?: number; signal?: AbortSignal } = {}) =>
    runExecPlugin({ exec: e, userName: 'u', cluster: CLUSTER, env, timeoutMs: more.timeoutMs ?? 10000, signal: more.signal });

  it('refuses what kubectl refuses before running: v1alpha1, no apiVersion, v1 without interactiveMode', () => {
    assert.strictEqual(execConfigProblem(exec('aws', { apiVersion: 'client.authentication.k8s.io/v1alpha1' }), 'u'), 'exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"');
    assert.strictEqual(execConfigProblem(exec('aws', { apiVersion: undefined }), 'u'), 'apiVersion must be specified for u to use exec authentication plugin; interactiveMode must be specified for u to use exec authentication plugin');
    assert.strictEqual(execConfigProblem(exec('aws', { apiVersion: 'client.authentication.k8s.io/v1' }), 'u'), 'interactiveMode must be specified for u to use exec authentication plugin');
    assert.strictEqual(execConfigProblem(exec('aws', { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' }), 'u'), undefined);
    assert.strictEqual(execConfigProblem(exec('aws'), 'u'), undefined, 'v1beta1 defaults interactiveMode to IfAvailable');
  });

  it('gives the plugin the environment with the exec env over it, KUBERNETES_EXEC_INFO, and no stdin', async () => {
    const plugin = script('dump', `printf '{"kind":"ExecCredential","apiVersion":"${V1BETA1}","status":{"token":"t-1","expirationTimestamp":"2030-01-01T00:00:00Z"}}'\nprintf '%s\\n' "A=$A" "B=$B" "INFO=$KUBERNETES_EXEC_INFO" >&2\nif read line; then echo "STDIN=$line" >&2; else echo "STDIN=none" >&2; fi`);
    const r = await run(exec(plugin, { env: [{ name: 'A', value: 'from-exec' }], provideClusterInfo: true }), { PATH: process.env.PATH, A: 'from-editor', B: 'kept' });
    assert.ok(r.kind === 'credential', JSON.stringify(r));
    assert.strictEqual(r.token, 't-1');
    assert.strictEqual(r.expiresAt?.toISOString(), '2030-01-01T00:00:00.000Z');
    const lines = r.stderr.split('\n');
    assert.ok(lines.includes('A=from-exec') && lines.includes('B=kept'), r.stderr);
    assert.ok(lines.includes('STDIN=none'), 'stdin only for interactive runs');
    const info = JSON.parse(lines.find((l) => l.startsWith('INFO='))!.slice(5)) as { kind: string; apiVersion: string; spec: { interactive: boolean; cluster?: Record<string, unknown> } };
    assert.deepStrictEqual(info, { kind: 'ExecCredential', apiVersion: V1BETA1, spec: { interactive: false, cluster: { server: 'https://127.0.0.1:6443', 'tls-server-name': 'kube.internal', 'certificate-authority-data': 'Q0E=' } } });
    const without = await run(exec(plugin));
    assert.ok(without.kind === 'credential' && !/"cluster"/.test(without.stderr), 'the cluster only with provideClusterInfo');
  });

  it('finds the command on PATH as Go does, skipping the current directory, and says what kubectl says when it is missing', async () => {
    script('my-plugin', 'exit 0');
    assert.strictEqual(await lookPath('my-plugin', { PATH: `/nonexistent:${dir}` }, 'linux'), path.join(dir, 'my-plugin'));
    assert.strictEqual(await lookPath('my-plugin', { PATH: '.' }, 'linux'), undefined, 'exec.ErrDot: never the current directory');
    const missing = await run(exec('no-such-plugin-x', { installHint: 'Install it with brew.' }), { PATH: dir });
    assert.deepStrictEqual(missing, { kind: 'not-found', message: 'exec: executable no-such-plugin-x not found\n\nInstall it with brew.' });
  });

  it('applies the Windows PATHEXT rules: aws finds aws.exe, aws.exe is taken as named', async () => {
    const files = new Set(['C:\\tools\\aws.EXE'.toLowerCase(), 'c:\\bin\\kubelogin.exe']);
    const exists = async (f: string) => files.has(f.toLowerCase());
    assert.strictEqual(await lookPath('aws', { Path: 'C:\\bin;C:\\tools', PATHEXT: '.COM;.EXE;.BAT;.CMD' }, 'win32', exists), 'C:\\tools\\aws.exe');
    assert.strictEqual(await lookPath('kubelogin.exe', { Path: 'C:\\bin' }, 'win32', exists), 'C:\\bin\\kubelogin.exe');
    assert.strictEqual(await lookPath('aws', { Path: 'C:\\bin' }, 'win32', exists), undefined);
  });

  it('reports the exit code as client-go does, with the plugin\'s stderr', async () => {
    const plugin = script('fails', 'echo "Error when retrieving token from sso: Token has expired and refresh failed" >&2\nexit 255');
    const r = await run(exec(plugin));
    assert.ok(r.kind === 'exit');
    assert.strictEqual(r.message, `exec: executable ${plugin} failed with exit code 255`);
    assert.match(r.stderr, /Token has expired/);
  });

  it('decodes ExecCredential v1 and v1beta1 and refuses another version, as client-go does', () => {
    const cred = (v: string, status: object | null = { token: 'x' }) => JSON.stringify({ kind: 'ExecCredential', apiVersion: v, status });
    assert.deepStrictEqual(parseExecCredential(cred('client.authentication.k8s.io/v1'), 'client.authentication.k8s.io/v1'), { ok: true, token: 'x', clientCertificate: false });
    assert.deepStrictEqual(parseExecCredential(cred('client.authentication.k8s.io/v1alpha1'), V1BETA1), { ok: false, message: `exec plugin is configured to use API version ${V1BETA1}, plugin returned version client.authentication.k8s.io/v1alpha1` });
    assert.deepStrictEqual(parseExecCredential(cred(V1BETA1, null), V1BETA1), { ok: false, message: "exec plugin didn't return a status field" });
    assert.deepStrictEqual(parseExecCredential(cred(V1BETA1, {}), V1BETA1), { ok: false, message: "exec plugin didn't return a token or cert/key pair" });
    assert.deepStrictEqual(parseExecCredential(cred(V1BETA1, { clientCertificateData: 'c' }), V1BETA1), { ok: false, message: 'exec plugin returned only certificate or key, not both' });
    assert.match((parseExecCredential('not json', V1BETA1) as { message: string }).message, /^decoding stdout: /);
  });

  it('ends a plugin that does not finish within its time limit, and its children with it', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const plugin = script('hangs', `sleep 30 & echo $! > ${pidFile}\nwait`);
    const started = Date.now();
    const r = await run(exec(plugin), undefined, { timeoutMs: 300 });
    assert.strictEqual(r.kind, 'timeout');
    assert.ok(Date.now() - started < 5000);
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 100));
    // Gone, or a zombie waiting for a reaper that this container's init may never be: either way no longer running.
    const state = fs.existsSync(`/proc/${child}/stat`) ? fs.readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone';
    assert.ok(state === 'gone' || state === 'Z', `the sleeping child was killed with its process group (state ${state})`);
  });

  it('stops a running plugin when cancelled', async () => {
    const plugin = script('slow', 'sleep 30');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const started = Date.now();
    const r = await run(exec(plugin), undefined, { signal: ac.signal });
    assert.strictEqual(r.kind, 'cancelled');
    assert.ok(Date.now() - started < 5000);
  });

  it('refuses interactiveMode Always without a terminal, as kubectl does', async () => {
    const r = await run(exec('/bin/true', { interactiveMode: 'Always' }));
    assert.deepStrictEqual(r, { kind: 'config', message: 'exec plugin cannot support interactive mode: standard input is not a terminal' });
  });
});
