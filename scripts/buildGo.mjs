// Builds our Go reading of aws-auth (go/awsauthyaml: go-yaml v2, sigs.k8s.io/yaml, encoding/json) from Debian's
// packages, offline: GO111MODULE=off against /usr/share/gocode (scripts/setup-test-host.sh installs them).
//   dist/goyaml/awsauthyaml.wasm + wasm_exec.js   the copy the extension and the CLI load (GOOS=js GOARCH=wasm)
//   out/go/awsauthyaml                            the native oracle the tests and the emulator spawn
// Each output is rebuilt only when a Go source is newer. Usage: node scripts/buildGo.mjs [--wasm] [--native] [--required]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'go', 'awsauthyaml');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function goEnv() {
  return { ...process.env, GO111MODULE: 'off', GOPATH: process.env.EKS_AUTH_GOPATH ?? '/usr/share/gocode', GOFLAGS: '', GOCACHE: process.env.GOCACHE ?? path.join(root, 'out', 'go', 'cache') };
}

function hasGo() {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function build(output, extraEnv, flags) {
  const stale = !fs.existsSync(output) || fs.statSync(output).mtimeMs < newestSource(source);
  if (!stale) return false;
  fs.mkdirSync(path.dirname(output), { recursive: true });
  // Relative to the repository: the package sits outside GOPATH, so its own ./config import resolves locally.
  execFileSync('go', ['build', '-trimpath', ...flags, '-o', output, './go/awsauthyaml'], { cwd: root, env: { ...goEnv(), ...extraEnv }, stdio: 'inherit' });
  return true;
}

/** Builds what is asked; returns the paths. Throws when Go is missing and `required`. */
export function buildGo({ wasm = true, native = true, required = false } = {}) {
  const out = { wasm: path.join(root, 'dist', 'goyaml', 'awsauthyaml.wasm'), wasmExec: path.join(root, 'dist', 'goyaml', 'wasm_exec.js'), native: path.join(root, 'out', 'go', 'awsauthyaml') };
  if (!hasGo()) {
    const message = 'Go is not installed: the go-yaml reader of aws-auth is not built (run scripts/setup-test-host.sh)';
    if (required) throw new Error(message);
    console.warn(message);
    return out;
  }
  if (wasm) {
    build(out.wasm, { GOOS: 'js', GOARCH: 'wasm' }, ['-ldflags=-s -w']);
    // The JavaScript half of Go's WebAssembly ABI comes with the same Go installation (lib/wasm from Go 1.24 on).
    const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    const exec = [path.join(goroot, 'misc', 'wasm', 'wasm_exec.js'), path.join(goroot, 'lib', 'wasm', 'wasm_exec.js')].find((p) => fs.existsSync(p));
    if (!exec) throw new Error(`wasm_exec.js not found under ${goroot}`);
    fs.copyFileSync(exec, out.wasmExec);
  }
  if (native) build(out.native, {}, []);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const only = args.includes('--wasm') || args.includes('--native');
  buildGo({ wasm: !only || args.includes('--wasm'), native: !only || args.includes('--native'), required: args.includes('--required') });
}
