// Runs the integration suite (out/test/integration) inside a real VS Code extension host: code-server's Node
// extension host, with headless Debian Chromium as the workbench. Exits with the suite's code.
// `--restricted` runs out/test/integration-restricted instead, in an untrusted workspace (Restricted Mode).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startCodeServer, workbenchUrl, launchBrowser, makeWorkspace } from './lib/host.mjs';

const timeoutMs = Number(process.env.TEST_TIMEOUT_MS || 600000);
const t0 = Date.now();
const log = (...a) => console.log(`[vscode-host +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-ws-'));
const workspace = makeWorkspace(path.join(ROOT, 'test/fixtures'), scratch);
const restricted = process.argv.includes('--restricted');
fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
const server = await startCodeServer({ workspace, log, keepTmp: !!process.env.KEEP_TMP, restricted });
const browser = await launchBrowser();
let code = 1;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  let finish;
  const done = new Promise((r) => { finish = r; });
  // The workbench hands every log line to codeAutomationLog: the suite's report (mocha's spec reporter, which logs a
  // format string and its values), and VS Code's own chatter (messages without one: sockets, the marketplace and
  // GitHub it cannot reach offline, chat, the saves our tests decline). The report is printed, and so is any Node
  // warning from the extension host (a library's deprecation, say); the rest goes to test-results/.
  const workbenchLog = fs.createWriteStream(path.join(ROOT, 'test-results', `${restricted ? 'integration-restricted' : 'integration'}-${server.hostName}-workbench.log`));
  let quiet = 0;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = args.map(String).join(' ');
    const report = args.length === 0 || (typeof args[0] === 'string' && /%[sdifjoOc]/.test(args[0]));
    if (report || /\(node:\d+\)|Warning:/.test(text)) console[type in console ? type : 'log'](...args);
    else {
      workbenchLog.write(`${type} ${text}\n`);
      quiet++;
    }
  });
  await page.exposeFunction('codeAutomationExit', (c) => finish(c));
  page.on('pageerror', (e) => log('pageerror:', e.message));
  await page.goto(workbenchUrl(server.host, workspace, { testsPath: path.join(ROOT, restricted ? 'out/test/integration-restricted/index' : 'out/test/integration/index') }));
  const timer = setTimeout(() => finish('timeout'), timeoutMs);
  code = await done;
  clearTimeout(timer);
  log('extension tests finished, exit code =', code, `(${quiet} lines of VS Code's own log in ${path.relative(ROOT, workbenchLog.path)})`);
  workbenchLog.end();
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
}
process.exit(code === 0 ? 0 : 1);
