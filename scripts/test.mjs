// `npm test`: unit tests, the emulator suite, the integration suite inside a real VS Code, and the UI end-to-end
// test, then one count line for the whole run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { ROOT } from './lib/host.mjs';

// The SDK warns once per process that releases after January 2027 need Node 22; the bundled SDK is pinned.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const totals = { passes: 0, failures: 0, pending: 0 };
const add = (label, stats) => {
  totals.passes += stats.passes; totals.failures += stats.failures; totals.pending += stats.pending;
  console.log(`\n== ${label}: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped\n`);
};

function files(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(suffix)).sort().map((f) => path.join(dir, f));
}

async function runMocha(label, testFiles, timeout) {
  const mocha = new Mocha({ timeout, color: true, reporter: 'spec' });
  testFiles.forEach((f) => mocha.addFile(f));
  await mocha.loadFilesAsync();
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
  add(label, stats);
}

const only = process.argv.slice(2);
const wants = (part) => only.length === 0 || only.includes(part);

if (wants('unit')) await runMocha('unit', files(path.join(ROOT, 'out/test/unit'), '.test.js'), 20000);
if (wants('emulator')) await runMocha('emulator', files(path.join(ROOT, 'out/test/emulator'), '.test.js'), 20000);

/** A suite inside a real VS Code host (scripts/run-ext-tests.mjs), which writes its counts to test-results/. */
function runHostSuite(label, statsName, args = []) {
  const statsFile = path.join(ROOT, 'test-results', statsName);
  fs.rmSync(statsFile, { force: true });
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/run-ext-tests.mjs'), ...args], { stdio: 'inherit' });
  if (fs.existsSync(statsFile)) add(label, JSON.parse(fs.readFileSync(statsFile, 'utf8')));
  else add(`${label} did not report`, { passes: 0, failures: 1, pending: 0 });
  if (run.status !== 0 && totals.failures === 0) totals.failures += 1;
}

if (wants('integration')) runHostSuite('integration (real VS Code host)', 'integration-stats.json');
if (wants('restricted')) runHostSuite('Restricted Mode (real VS Code host, untrusted workspace)', 'integration-restricted-stats.json', ['--restricted']);

if (wants('e2e')) await runMocha('UI end-to-end', files(path.join(ROOT, 'test/e2e'), '.test.mjs'), 180000);
// Last: it rebuilds dist/ for production to package the VSIX.
if (wants('vsix')) await runMocha('installed VSIX', files(path.join(ROOT, 'test/vsix'), '.test.mjs'), 300000);

console.log(`Tests: ${totals.passes} passed, ${totals.failures} failed${totals.pending ? `, ${totals.pending} skipped` : ''}`);
process.exit(totals.failures > 0 ? 1 : 0);
