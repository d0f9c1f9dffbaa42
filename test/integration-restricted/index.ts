/** Entry point for the suite that runs in Restricted Mode (an untrusted workspace): see scripts/run-ext-tests.mjs. */
import { runSuite } from '../integration/index';

export function run(): Promise<void> {
  return runSuite(__dirname, 'integration-restricted-stats.json');
}
