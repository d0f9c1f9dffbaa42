// Runs mocha test files in this process and writes their counts to a JSON file. scripts/test.mjs runs the suites
// that start their own VS Code (e2e, vsix) once per host, each run in a process of its own: an ES module test file
// registers its tests only the first time it is imported.
// Usage: node scripts/lib/mocha-part.mjs STATS_FILE TIMEOUT_MS FILE...
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

const [statsFile, timeout, ...files] = process.argv.slice(2);
const mocha = new Mocha({ timeout: Number(timeout), color: true, reporter: 'spec' });
files.forEach((f) => mocha.addFile(f));
await mocha.loadFilesAsync();
const stats = await new Promise((resolve) => {
  const runner = mocha.run(() => resolve(runner.stats));
});
fs.mkdirSync(path.dirname(statsFile), { recursive: true });
fs.writeFileSync(statsFile, JSON.stringify({ passes: stats.passes, failures: stats.failures, pending: stats.pending }));
// Playwright and code-server handles can outlive the suite; the counts are written.
process.exit(stats.failures > 0 ? 1 : 0);
