// `npm run test:electron`: the same integration suite in desktop VS Code through @vscode/test-electron, for
// machines that can download VS Code. Runs against the engines.vscode floor (the floor host's VS Code,
// scripts/test-hosts.json) and stable.
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { runTests } from '@vscode/test-electron';
import { ROOT } from './lib/host.mjs';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-electron-'));
fs.cpSync(path.join(ROOT, 'test/fixtures'), workspace, { recursive: true });
let failed = false;
const floor = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/test-hosts.json'), 'utf8')).hosts.find((h) => h.name === 'floor').codeServer;
// code-server x.y.z is VS Code 1.y.z (its version follows VS Code's minor and patch).
for (const version of [`1.${floor.split('.').slice(1).join('.')}`, 'stable']) {
  try {
    await runTests({
      version,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'out/test/integration/index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (e) {
    console.error(`VS Code ${version}: ${e.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
