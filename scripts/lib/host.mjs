// Starts a real VS Code (code-server, whose extension host is a real Node process) and drives its workbench with
// Debian's Chromium through playwright-core. Shared by the integration runner, the UI test and the offline demo.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER = process.env.CODE_SERVER || path.join(ROOT, '.vscode-test-host/node_modules/.bin/code-server');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

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
 * Returns { url, host, tmp, stop }. `env` reaches the extension host, which inherits code-server's environment.
 */
/** `restricted`: workspace trust on and this workspace not trusted, so the extension runs in Restricted Mode. */
export async function startCodeServer({ workspace, settings = {}, env = {}, port, keepTmp = false, log = () => {}, installVsix, restricted = false }) {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server not found at ${CODE_SERVER}: run scripts/setup-test-host.sh first`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-host-'));
  if (installVsix) {
    // As a user installs it: into the extensions folder, then loaded like any installed extension.
    const r = spawnSync(CODE_SERVER, ['--install-extension', installVsix, '--extensions-dir', path.join(tmp, 'extensions'), '--user-data-dir', path.join(tmp, 'user-data')], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: tmp, XDG_DATA_HOME: tmp } });
    if (r.status !== 0) throw new Error(`code-server --install-extension failed: ${r.stdout}${r.stderr}`);
    log(r.stdout.trim());
  }
  fs.mkdirSync(path.join(tmp, 'user-data/User'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'user-data/User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false, 'window.commandCenter': false, 'editor.stickyScroll.enabled': false,
    'workbench.colorTheme': 'Default Dark Modern',
    ...(restricted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false } : {}),
    ...settings,
  }, null, 2));
  fs.writeFileSync(path.join(tmp, 'config.yaml'), '');
  const host = `127.0.0.1:${port ?? await freePort()}`;
  const child = spawn(CODE_SERVER, [
    '--config', path.join(tmp, 'config.yaml'), '--auth', 'none', '--bind-addr', host,
    '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions'),
    '--disable-telemetry', '--disable-update-check', ...(restricted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--ignore-last-opened', workspace,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, XDG_CONFIG_HOME: tmp, XDG_DATA_HOME: tmp, TMPDIR: tmp }, detached: false });
  const out = fs.createWriteStream(path.join(tmp, 'code-server.log'));
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start (log: ${tmp}/code-server.log)`)), 60000);
    child.stdout.on('data', (d) => { if (/HTTP server listening/.test(d)) { clearTimeout(timer); resolve(); } });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`code-server exited ${code} (log: ${tmp}/code-server.log)`)); });
  });
  log(`code-server on http://${host} (log: ${tmp}/code-server.log)`);
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
  return { host, url: `http://${host}/?folder=${encodeURIComponent(workspace)}`, tmp, stop };
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
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Copies a folder of fixtures into a fresh workspace folder under `tmp`. */
export function makeWorkspace(source, tmp) {
  const ws = path.join(tmp, 'workspace');
  fs.cpSync(source, ws, { recursive: true });
  return ws;
}
