/**
 * Mocha entry point that the VS Code extension host loads through `extensionTestsPath`. It writes its counts to
 * test-results/ so the top-level runner can add them to the suite's total.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Runs every `*.test.js` in `dir` and writes the counts to test-results/`statsName`. */
export function runSuite(dir: string, statsName: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000, grep: process.env.EKS_AUTH_TEST_GREP });
  for (const file of fs.readdirSync(dir).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(dir, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
      fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
      fs.writeFileSync(path.join(ROOT, 'test-results', statsName), JSON.stringify({ passes: stats.passes, failures: stats.failures, pending: stats.pending }));
      if (failures > 0) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
  });
}

export function run(): Promise<void> {
  return runSuite(__dirname, 'integration-stats.json');
}
