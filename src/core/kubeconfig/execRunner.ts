/**
 * Runs a kubeconfig's exec credential plugin the way kubectl runs it, so the doctor sees the token kubectl would send
 * rather than one it made itself. Modelled on kubernetes/client-go `plugin/pkg/client/auth/exec/exec.go`
 * (newAuthenticator, isInteractive, refreshCredsLocked, wrapCmdRunErrorLocked) and Go's `os/exec` LookPath:
 * - the apiVersion must be v1beta1 or v1 ("exec plugin: invalid apiVersion %q"; v1alpha1 was removed in 1.24), and
 *   v1 needs interactiveMode (client-go tools/clientcmd/validation.go; kubectl 1.32 prints "interactiveMode must be
 *   specified for USER to use exec authentication plugin");
 * - the command is found as Go's exec.Command finds it (a name without a separator on PATH; on Windows also with each
 *   PATHEXT extension), relative paths with a separator having been resolved against the kubeconfig's directory;
 * - the environment is the caller's with the exec block's `env` after it (Go keeps the last of duplicate names), and
 *   KUBERNETES_EXEC_INFO always carries an ExecCredential whose spec says whether the run is interactive and, with
 *   provideClusterInfo, the cluster;
 * - stdin is given only to an interactive run. The doctor's runs never are (no terminal behind them), so `Always`
 *   fails as kubectl fails without a terminal: "exec plugin cannot support interactive mode: standard input is not a
 *   terminal";
 * - stdout is decoded as an ExecCredential of the configured version; a different version, no status, or neither a
 *   token nor a certificate pair fail with client-go's messages.
 * client-go sets no time limit on a plugin; the doctor does (a plugin waiting for a browser or MFA would hang it), and
 * says so when it ends a run.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { ClusterEntry, ExecSpec } from './kubeconfig';

export const EXEC_INFO_ENV = 'KUBERNETES_EXEC_INFO';
export const SUPPORTED_EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];
const MAX_STDOUT_BYTES = 1 << 20;
const MAX_STDERR_BYTES = 64 << 10;

/** What kubectl refuses in an exec block before running anything; undefined when it would run the plugin. */
export function execConfigProblem(exec: ExecSpec, userName: string): string | undefined {
  const problems: string[] = [];
  if (!exec.apiVersion) problems.push(`apiVersion must be specified for ${userName} to use exec authentication plugin`);
  if (!exec.interactiveMode && (!exec.apiVersion || exec.apiVersion === 'client.authentication.k8s.io/v1')) problems.push(`interactiveMode must be specified for ${userName} to use exec authentication plugin`);
  if (exec.interactiveMode && !['Never', 'IfAvailable', 'Always'].includes(exec.interactiveMode)) problems.push(`invalid interactiveMode for ${userName}: ${exec.interactiveMode}`);
  if (problems.length) return problems.join('; ');
  if (!SUPPORTED_EXEC_API_VERSIONS.includes(exec.apiVersion!)) return `exec plugin: invalid apiVersion "${exec.apiVersion}"`;
  return undefined;
}

async function isExecutable(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    const st = await fs.promises.stat(file);
    if (st.isDirectory()) return false;
    // Go's unix findExecutable: any execute bit; on Windows the extension decides.
    return platform === 'win32' || (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Go's exec.LookPath: a name with a separator is used as it is; otherwise each PATH entry is tried in order. Since
 * Go 1.19 a match in the current directory (an empty or `.` entry) is refused (exec.ErrDot), so it is skipped here.
 * On Windows, a name without one of the PATHEXT extensions is tried with each (default `.com;.exe;.bat;.cmd`).
 */
export async function lookPath(command: string, env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform, executable = (file: string) => isExecutable(file, platform)): Promise<string | undefined> {
  const win = platform === 'win32';
  const p = win ? path.win32 : path.posix;
  const pathext = (env.PATHEXT ?? env.Pathext ?? '.com;.exe;.bat;.cmd').split(';').filter(Boolean).map((e) => e.toLowerCase());
  const candidates = (base: string) => (win && !pathext.includes(p.extname(base).toLowerCase()) ? pathext.map((e) => base + e) : [base]);
  const hasSeparator = win ? /[\\/]/.test(command) : command.includes('/');
  if (hasSeparator) {
    for (const c of candidates(command)) if (await executable(c)) return c;
    return undefined;
  }
  const PATH = env.PATH ?? env.Path ?? '';
  for (const dir of PATH.split(win ? ';' : ':')) {
    if (!dir || dir === '.' || !p.isAbsolute(dir)) continue;
    for (const c of candidates(p.join(dir, command))) if (await executable(c)) return c;
  }
  return undefined;
}

/** The cluster as client-go passes it to a plugin with provideClusterInfo (clientauthentication Cluster). */
function clusterInfo(cluster: ClusterEntry): Record<string, unknown> {
  return {
    server: cluster.server,
    ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
    ...(cluster.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
    ...(cluster.caData ? { 'certificate-authority-data': cluster.caData } : cluster.caFile && fs.existsSync(cluster.caFile) ? { 'certificate-authority-data': fs.readFileSync(cluster.caFile).toString('base64') } : {}),
    ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
  };
}

/** The KUBERNETES_EXEC_INFO value client-go sets: an ExecCredential with only a spec. */
export function execInfo(exec: ExecSpec, cluster: ClusterEntry, interactive: boolean): string {
  return JSON.stringify({ kind: 'ExecCredential', apiVersion: exec.apiVersion, spec: { interactive, ...(exec.provideClusterInfo ? { cluster: clusterInfo(cluster) } : {}) } });
}

/** The environment a plugin runs with: the caller's, then the exec block's entries over it. */
export function pluginEnv(base: Record<string, string | undefined>, exec: ExecSpec, info: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const e of exec.env) env[e.name] = e.value;
  env[EXEC_INFO_ENV] = info;
  return env;
}

export type ExecOutcome =
  | { kind: 'credential'; token?: string; clientCertificate: boolean; expiresAt?: Date; stderr: string; ms: number }
  | { kind: 'config'; message: string }
  | { kind: 'not-found'; message: string }
  | { kind: 'exit'; code: number | null; signal?: string; message: string; stderr: string }
  | { kind: 'output'; message: string; stderr: string }
  | { kind: 'timeout'; message: string; stderr: string }
  | { kind: 'cancelled'; message: string };

/** Decodes a plugin's stdout as client-go does for the configured version. */
export function parseExecCredential(stdout: string, apiVersion: string): { ok: true; token?: string; clientCertificate: boolean; expiresAt?: Date } | { ok: false; message: string } {
  let doc: { apiVersion?: unknown; kind?: unknown; status?: { token?: unknown; clientCertificateData?: unknown; clientKeyData?: unknown; expirationTimestamp?: unknown } | null };
  try {
    doc = JSON.parse(stdout) as typeof doc;
  } catch (e) {
    return { ok: false, message: `decoding stdout: ${(e as Error).message}` };
  }
  if (!doc || typeof doc !== 'object') return { ok: false, message: "decoding stdout: couldn't get version/kind" };
  if (doc.kind !== 'ExecCredential' || typeof doc.apiVersion !== 'string') return { ok: false, message: `decoding stdout: no kind "${String(doc.kind ?? '')}" is registered for version "${String(doc.apiVersion ?? '')}"` };
  if (doc.apiVersion !== apiVersion) return { ok: false, message: `exec plugin is configured to use API version ${apiVersion}, plugin returned version ${doc.apiVersion}` };
  const status = doc.status;
  if (!status) return { ok: false, message: "exec plugin didn't return a status field" };
  const token = typeof status.token === 'string' ? status.token : '';
  const cert = typeof status.clientCertificateData === 'string' ? status.clientCertificateData : '';
  const key = typeof status.clientKeyData === 'string' ? status.clientKeyData : '';
  if (!token && !cert && !key) return { ok: false, message: "exec plugin didn't return a token or cert/key pair" };
  if (!cert !== !key) return { ok: false, message: 'exec plugin returned only certificate or key, not both' };
  const exp = typeof status.expirationTimestamp === 'string' ? new Date(status.expirationTimestamp) : undefined;
  return { ok: true, ...(token ? { token } : {}), clientCertificate: !!cert, ...(exp && !Number.isNaN(exp.getTime()) ? { expiresAt: exp } : {}) };
}

export interface ExecRunOptions {
  exec: ExecSpec;
  userName: string;
  cluster: ClusterEntry;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  signal?: AbortSignal;
  platform?: NodeJS.Platform;
}

/** Runs the plugin once, as kubectl would for a request with no cached credential. */
export async function runExecPlugin(o: ExecRunOptions): Promise<ExecOutcome> {
  const problem = execConfigProblem(o.exec, o.userName);
  if (problem) return { kind: 'config', message: problem };
  // No terminal behind the doctor: IfAvailable is not interactive, Always cannot run (isInteractive).
  if (o.exec.interactiveMode === 'Always') return { kind: 'config', message: 'exec plugin cannot support interactive mode: standard input is not a terminal' };
  const platform = o.platform ?? process.platform;
  const file = await lookPath(o.exec.command, o.env, platform);
  const notFound = `exec: executable ${o.exec.command} not found${o.exec.installHint ? `\n\n${o.exec.installHint}` : ''}`;
  if (!file) return { kind: 'not-found', message: notFound };
  if (platform === 'win32' && /\.(bat|cmd)$/i.test(file)) {
    // Node runs batch files only through cmd.exe (CVE-2024-27980), where arguments would be re-parsed: refuse.
    return { kind: 'config', message: `${file} is a batch file; the doctor does not run batch files through cmd.exe. Run kubectl to check this context.` };
  }
  if (o.signal?.aborted) return { kind: 'cancelled', message: 'Cancelled before the plugin ran.' };
  const started = Date.now();
  const env = pluginEnv(o.env, o.exec, execInfo(o.exec, o.cluster, false));
  return new Promise<ExecOutcome>((resolve) => {
    let stdout = Buffer.alloc(0);
    let stderr = '';
    let ended: 'timeout' | 'cancelled' | undefined;
    const child = spawn(file, o.exec.args, { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, detached: platform !== 'win32' });
    const kill = () => {
      // The plugin's own children (aws-vault runs aws) go too: the whole process group on POSIX.
      try {
        if (platform !== 'win32' && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      ended = 'timeout';
      kill();
    }, o.timeoutMs);
    const onAbort = () => {
      ended = 'cancelled';
      kill();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_STDOUT_BYTES) stdout = Buffer.concat([stdout, d]);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_STDERR_BYTES) stderr += d.toString('utf8');
    });
    const finish = (outcome: ExecOutcome) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    child.on('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ENOENT' ? { kind: 'not-found', message: notFound } : { kind: 'exit', code: null, message: `exec: ${e.message}`, stderr }));
    child.on('close', (code, signal) => {
      if (ended === 'timeout') return finish({ kind: 'timeout', message: `exec: executable ${o.exec.command} did not finish within ${Math.round(o.timeoutMs / 1000)} s (kubectl would keep waiting: is it asking for MFA or a browser sign-in?)`, stderr });
      if (ended === 'cancelled') return finish({ kind: 'cancelled', message: 'Cancelled while the plugin ran.' });
      if (code !== 0) return finish({ kind: 'exit', code, ...(signal ? { signal } : {}), message: `exec: executable ${o.exec.command} failed with exit code ${code ?? -1}`, stderr });
      const parsed = parseExecCredential(stdout.toString('utf8'), o.exec.apiVersion!);
      if (!parsed.ok) return finish({ kind: 'output', message: parsed.message, stderr });
      finish({ kind: 'credential', ...(parsed.token ? { token: parsed.token } : {}), clientCertificate: parsed.clientCertificate, ...(parsed.expiresAt ? { expiresAt: parsed.expiresAt } : {}), stderr, ms: Date.now() - started });
    });
  });
}
