/** The emulator's awscli plugin (emulator/awsPlugin.ts) for a test suite, or the suite skipped when there is no awscli. */
import { DEBIAN_AWS, writeAwsPlugin } from '../../emulator/awsPlugin';

export { DEBIAN_AWS, writeAwsPlugin } from '../../emulator/awsPlugin';

/**
 * Writes the wrapper as `dir/aws` and returns its path; without Debian's awscli the suite is skipped, saying so
 * (in CI it fails: scripts/setup-test-host.sh installs awscli).
 */
export function awsPluginOrSkip(suite: Mocha.Context, dir: string): string {
  const plugin = writeAwsPlugin(dir);
  if (plugin) return plugin;
  if (process.env.CI) throw new Error('awscli must be installed (scripts/setup-test-host.sh)');
  console.log(`      skipped: no Debian awscli at ${DEBIAN_AWS} to run as the exec plugin`);
  suite.skip();
}

