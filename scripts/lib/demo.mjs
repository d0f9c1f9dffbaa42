// The offline demo: the emulator with the demo scenario, AWS profiles that point at it, and a real VS Code
// (code-server) with the extension loaded. Used by `npm start` and by the UI end-to-end test.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT, startCodeServer, workbenchUrl } from './host.mjs';

/** Starts the emulator as a child process and resolves with its endpoint once it prints it. */
/** `demoAws`: a folder where the emulator writes the demo kubeconfig's exec plugin (the real awscli, see emulator/awsPlugin.ts). */
export async function startEmulatorProcess({ scenario = 'demo', log = () => {}, demoAws } = {}) {
  const child = spawn(process.execPath, [path.join(ROOT, 'out/emulator/cli.js'), '--scenario', scenario, '--port', '0', ...(demoAws ? ['--demo-aws', demoAws] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const endpoint = await new Promise((resolve, reject) => {
    lines.once('line', (line) => {
      const m = /^endpoint: (http:\/\/\S+)$/.exec(line);
      if (m) resolve(m[1]);
      else reject(new Error(`unexpected first line from the emulator: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited with code ${code}`)));
  });
  log(`emulator on ${endpoint}`);
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => { child.once('exit', r); setTimeout(r, 3000); });
  };
  return { endpoint, stop };
}

/** `scenario` is a scenario name or a path to a scenario file; `settings` are added to the demo's user settings. */
export async function startDemo({ port, log = () => {}, scenario = 'demo', settings = {} } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-demo-'));
  const emulator = await startEmulatorProcess({ scenario, log, demoAws: path.join(tmp, 'bin') });
  const scenarioFile = scenario.endsWith('.json') ? scenario : path.join(ROOT, 'emulator/scenarios', `${scenario}.json`);
  const scenarioData = JSON.parse(fs.readFileSync(scenarioFile, 'utf8'));
  const [admin, dev = admin] = scenarioData.identities;
  // demo-sso is an IAM Identity Center profile with no session: the kubeconfig doctor's "run aws sso login" case.
  fs.writeFileSync(path.join(tmp, 'config'), '[profile demo-admin]\nregion = us-east-1\n\n[profile demo-dev]\nregion = eu-west-1\n\n[profile demo-sso]\nsso_session = eks-auth-demo-sso\nsso_account_id = 111122223333\nsso_role_name = Developers\nregion = us-east-1\n\n[sso-session eks-auth-demo-sso]\nsso_start_url = https://demo.awsapps.com/start\nsso_region = us-east-1\n');
  fs.writeFileSync(path.join(tmp, 'credentials'), `[demo-admin]\naws_access_key_id = ${admin.accessKeyId}\naws_secret_access_key = ${admin.secretAccessKey}\n\n[demo-dev]\naws_access_key_id = ${dev.accessKeyId}\naws_secret_access_key = ${dev.secretAccessKey}\n`);
  // One working kubectl context and one per common failure, for "EKS: Diagnose kubectl Access".
  const kubeconfig = path.join(tmp, 'kubeconfig');
  const answer = await globalThis.fetch(`${emulator.endpoint}/_emulator/kubeconfig`);
  // Only the demo scenario has the clusters the demo kubeconfig names; other scenarios get an empty one.
  fs.writeFileSync(kubeconfig, answer.ok ? await answer.text() : 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n');
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(ROOT, 'demo/workspace'), workspace, { recursive: true });
  let server;
  try {
    server = await startCodeServer({
      workspace,
      port,
      log,
      settings: {
        'eksAuth.profiles': ['demo-admin'],
        'eksAuth.regions': ['us-east-1', 'eu-west-1'],
        'eksAuth.endpoints.eks': emulator.endpoint,
        'eksAuth.endpoints.logs': emulator.endpoint,
        'eksAuth.endpoints.sts': emulator.endpoint,
        ...settings,
      },
      // The extension host inherits these: the SDK reads the demo profiles, never the user's own.
      env: { AWS_CONFIG_FILE: path.join(tmp, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: emulator.endpoint, EKS_AUTH_TEST_ENDPOINT: emulator.endpoint, KUBECONFIG: kubeconfig },
    });
  } catch (e) {
    await emulator.stop();
    throw e;
  }
  return {
    url: workbenchUrl(server.host, workspace),
    host: server.host,
    workspace,
    endpoint: emulator.endpoint,
    async stop() {
      await server.stop();
      await emulator.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
