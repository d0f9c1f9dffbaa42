/**
 * `npm run emulator -- --scenario demo --port 0`: starts the emulator alone. The first stdout line is
 * `endpoint: http://127.0.0.1:<port>`, then the environment to export, so scripts can read it.
 */
import { writeAwsPlugin } from './awsPlugin';
import { startEmulator } from './server';
import { loadScenarioFile } from './state';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

async function main() {
  const scenario = loadScenarioFile(arg('scenario', 'demo'));
  // `--demo-aws DIR`: the demo kubeconfig's exec plugin is the real awscli, written to DIR (emulator/awsPlugin.ts).
  const demoAwsDir = arg('demo-aws', '');
  const emulator = await startEmulator(scenario, {
    port: Number(arg('port', '0')),
    latencyMs: Number(arg('latency', '0')),
    demoAwsCommand: demoAwsDir ? writeAwsPlugin(demoAwsDir) : undefined,
  });
  console.log(`endpoint: ${emulator.endpoint}`);
  for (const [k, v] of Object.entries(emulator.env)) console.log(`export ${k}=${v}`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: Error) => {
  console.error(`emulator failed to start: ${e.message}`);
  process.exit(1);
});
