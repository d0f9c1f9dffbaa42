// `npm run test:electron`: the same integration suite in desktop VS Code through @vscode/test-electron, for
// machines that can download VS Code. Runs against the engines.vscode minimum and stable.
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { runTests } from '@vscode/test-electron';
import { ROOT } from './lib/host.mjs';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-electron-'));
fs.cpSync(path.join(ROOT, 'test/fixtures'), workspace, { recursive: true });
let failed = false;
for (const version of ['1.100.3', 'stable']) {
  try {
    await runTests({
      version,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'out/test/integration/index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
  } catch (e) {
    console.error(`VS Code ${version}: ${e.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
