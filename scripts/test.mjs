// `npm test`: unit tests, the emulator suite, then the suites that need a real VS Code (integration, Restricted Mode,
// the UI end-to-end test, the installed VSIX) on each VS Code host scripts/setup-test-host.sh installs (the
// engines.vscode floor and the current code-server), then one count line for the whole run that says where each part
// ran. `node scripts/test.mjs unit integration --host=current` runs some parts on some hosts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { ROOT, HOSTS } from './lib/host.mjs';

// The tests run on the Node LTS that scripts/node.sh starts (package.json's scripts use it), the CLI's own floor.
const floorMajor = Number(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node.replace(/^>=\s*/, '').split('.')[0]);
if (Number(process.versions.node.split('.')[0]) < floorMajor) {
  console.error(`npm test runs on Node ${floorMajor} or later (this is ${process.version}): use 'npm test' or 'bash scripts/node.sh scripts/test.mjs'.`);
  process.exit(1);
}

const totals = { passes: 0, failures: 0, pending: 0 };
/** part name -> where it ran, for the count line */
const ranOn = new Map();
const add = (label, stats) => {
  totals.passes += stats.passes; totals.failures += stats.failures; totals.pending += stats.pending;
  console.log(`\n== ${label}: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped\n`);
};
const ran = (part, where) => ranOn.set(part, [...(ranOn.get(part) ?? []), where]);

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

const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const wants = (part) => only.length === 0 || only.includes(part);
const hostNames = args.filter((a) => a.startsWith('--host=')).map((a) => a.slice('--host='.length));
const hosts = hostNames.length ? HOSTS.filter((h) => hostNames.includes(h.name)) : HOSTS;
const nodeLabel = `Node ${process.versions.node}`;

if (wants('unit')) {
  await runMocha(`unit (${nodeLabel})`, files(path.join(ROOT, 'out/test/unit'), '.test.js'), 20000);
  ran('unit', nodeLabel);
}
if (wants('emulator')) {
  await runMocha(`emulator (${nodeLabel})`, files(path.join(ROOT, 'out/test/emulator'), '.test.js'), 20000);
  ran('emulator', nodeLabel);
}

/** A child process that writes its counts to test-results/<statsName> (absent counts are a failure). */
function runChild(label, statsName, childArgs, host) {
  const statsFile = path.join(ROOT, 'test-results', statsName);
  fs.rmSync(statsFile, { force: true });
  console.log(`\n== ${label}\n`);
  const run = spawnSync(process.execPath, childArgs(statsFile), { stdio: 'inherit', env: { ...process.env, EKS_AUTH_TEST_HOST: host.name } });
  if (fs.existsSync(statsFile)) add(label, JSON.parse(fs.readFileSync(statsFile, 'utf8')));
  else add(`${label} did not report`, { passes: 0, failures: 1, pending: 0 });
  if (run.status !== 0 && totals.failures === 0) totals.failures += 1;
}

const parts = [
  // scripts/run-ext-tests.mjs writes its counts to test-results/integration[-restricted]-stats.json.
  { part: 'integration', title: 'integration', run: () => [path.join(ROOT, 'scripts/run-ext-tests.mjs')], stats: 'integration-stats.json' },
  { part: 'restricted', title: 'Restricted Mode (untrusted workspace)', run: () => [path.join(ROOT, 'scripts/run-ext-tests.mjs'), '--restricted'], stats: 'integration-restricted-stats.json' },
  { part: 'e2e', title: 'UI end-to-end', run: (s) => [path.join(ROOT, 'scripts/lib/mocha-part.mjs'), s, '180000', ...files(path.join(ROOT, 'test/e2e'), '.test.mjs')], stats: 'e2e-stats.json' },
  // Last: it rebuilds dist/ for production to package the VSIX.
  { part: 'vsix', title: 'installed VSIX', run: (s) => [path.join(ROOT, 'scripts/lib/mocha-part.mjs'), s, '300000', ...files(path.join(ROOT, 'test/vsix'), '.test.mjs')], stats: 'vsix-stats.json' },
];
for (const p of parts) {
  if (!wants(p.part)) continue;
  for (const host of hosts) {
    runChild(`${p.title} on ${host.label}`, p.stats, p.run, host);
    ran(p.part, `VS Code ${host.vscode} (Node ${host.node})`);
  }
}

// "unit, emulator on Node 22.23.5; integration, restricted, e2e, vsix on VS Code 1.103.2 (Node 22.23.5) and ..."
const groups = new Map();
for (const [part, where] of ranOn) {
  const key = where.join(' and ');
  groups.set(key, [...(groups.get(key) ?? []), part]);
}
const where = [...groups].map(([on, ps]) => `${ps.join(', ')} on ${on}`).join('; ');
console.log(`Tests: ${totals.passes} passed, ${totals.failures} failed${totals.pending ? `, ${totals.pending} skipped` : ''}${where ? ` (${where})` : ''}`);
process.exit(totals.failures > 0 ? 1 : 0);
