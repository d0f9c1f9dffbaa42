/**
 * The native build of go/awsauthyaml: go-yaml v2, sigs.k8s.io/yaml and encoding/json from Debian's packages, the
 * libraries aws-iam-authenticator reads aws-auth with. Built (and cached in out/go) by scripts/buildGo.mjs; a batch of
 * requests goes through one process.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');
const BINARY = path.join(ROOT, 'out', 'go', 'awsauthyaml');

/** Builds the oracle and the product's WebAssembly when a Go source changed; fails saying why when Go is missing. */
export function buildGoOracle(): string {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'buildGo.mjs'), '--required'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!fs.existsSync(BINARY)) throw new Error(`the Go oracle was not built: ${BINARY}`);
  return BINARY;
}

/** Sends each request (one JSON object) and returns the responses in order. */
export function askGoOracle<T>(requests: object[]): T[] {
  const input = requests.map((r, id) => JSON.stringify({ id, ...r })).join('\n') + '\n';
  const run = spawnSync(buildGoOracle(), [], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`Go oracle exited with ${run.status}: ${run.stderr}`);
  const lines = run.stdout.split('\n').filter(Boolean);
  if (lines.length !== requests.length) throw new Error(`Go oracle answered ${lines.length} of ${requests.length} requests`);
  return lines.map((l) => JSON.parse(l) as T);
}
