/**
 * `npm run bench:doctor`: the kubeconfig doctor on 20 contexts across 2 accounts (one emulator each), every AWS and
 * Kubernetes call delayed by 50 ms, and every context's exec plugin run as kubectl runs it (a plugin that takes 50 ms
 * and prints its ExecCredential). Prints the time against the sequential lower bound (the calls made plus the plugin
 * runs, times 50 ms). Target: at or below 0.15x.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { startEmulator } from '../emulator/server';
import type { Scenario } from '../emulator/state';
import { clearCredentialCache } from '../src/core/aws/clients';
import { getEksToken } from '../src/core/aws/token';
import { diagnoseContext } from '../src/core/kubeconfig/doctor';
import { nodeDoctorDeps } from '../src/core/kubeconfig/doctorGateways';
import { readKubeconfig } from '../src/core/kubeconfig/kubeconfig';

const LATENCY_MS = 50;
const CONTEXTS_PER_ACCOUNT = 10;
const TARGET = 0.15;

function scenario(account: string, key: string): Scenario {
  const arn = `arn:aws:iam::${account}:user/bench`;
  return {
    accountId: account,
    identities: [{ accessKeyId: key, secretAccessKey: 'bench', arn, userId: `AIDA${key.slice(4)}` }],
    clusters: Array.from({ length: CONTEXTS_PER_ACCOUNT }, (_, i) => ({
      name: `c${i}`,
      region: 'us-east-1',
      authenticationMode: 'API',
      accessEntries: [{ principalArn: arn, policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' as const } }] }],
    })),
  };
}

async function main() {
  const accounts = [
    { id: '111122223333', key: 'AKIABENCHACCOUNTA001', profile: 'a' },
    { id: '444455556666', key: 'AKIABENCHACCOUNTB001', profile: 'b' },
  ];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-bench-doctor-'));
  fs.writeFileSync(path.join(dir, 'config'), accounts.map((a) => `[profile ${a.profile}]\nregion = us-east-1\n`).join('\n'));
  fs.writeFileSync(path.join(dir, 'credentials'), accounts.map((a) => `[${a.profile}]\naws_access_key_id = ${a.key}\naws_secret_access_key = bench\n`).join('\n'));
  process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
  // The plugin, standing in for `aws eks get-token` under its name: 50 ms of work, then the ExecCredential its exec
  // env names (tokens made before the clock starts).
  const plugin = path.join(dir, 'aws');
  fs.writeFileSync(plugin, `#!/bin/sh\nsleep ${LATENCY_MS / 1000}\ncat "$EXEC_CREDENTIAL_FILE"\n`, { mode: 0o755 });
  clearCredentialCache();
  const emulators = await Promise.all(accounts.map((a) => startEmulator(scenario(a.id, a.key), { latencyMs: LATENCY_MS })));
  try {
    const runs = await Promise.all(
      accounts.map(async (a, i) => {
        const emu = emulators[i];
        const eks = new EKSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: { accessKeyId: a.key, secretAccessKey: 'bench' } });
        const clusters = await Promise.all(
          emu.state.clusters.map(async (c) => {
            const described = (await eks.send(new DescribeClusterCommand({ name: c.name }))).cluster!;
            return { c, kube: { endpoint: described.endpoint!, caData: described.certificateAuthority!.data! } };
          }),
        );
        for (const { c } of clusters) {
          const token = await getEksToken(c.name, 'us-east-1', { accessKeyId: a.key, secretAccessKey: 'bench' });
          fs.writeFileSync(path.join(dir, `${a.profile}-${c.name}.json`), JSON.stringify({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1beta1', spec: {}, status: { token } }));
        }
        const text = `apiVersion: v1\nkind: Config\nclusters:\n${clusters.map(({ c, kube }) => `- {name: ${c.name}, cluster: {server: "${kube.endpoint}", certificate-authority-data: ${kube.caData}}}`).join('\n')}\nusers:\n${clusters.map(({ c }) => `- name: ${c.name}\n  user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ${plugin}, args: [--region, us-east-1, eks, get-token, --cluster-name, ${c.name}], env: [{name: AWS_PROFILE, value: ${a.profile}}, {name: EXEC_CREDENTIAL_FILE, value: ${path.join(dir, `${a.profile}-${c.name}.json`)}}]}}`).join('\n')}\ncontexts:\n${clusters.map(({ c }) => `- {name: ${a.profile}-${c.name}, context: {cluster: ${c.name}, user: ${c.name}}}`).join('\n')}\n`;
        const deps = nodeDoctorDeps({ env: { ...process.env }, endpoints: { eks: emu.endpoint, sts: emu.endpoint }, explainDenied: async () => undefined });
        return { contexts: readKubeconfig([{ path: a.profile, text }]).contexts, deps, emu };
      }),
    );
    for (const e of emulators) e.calls.length = 0;
    const started = performance.now();
    const reports = await Promise.all(runs.flatMap((r) => r.contexts.map((c) => diagnoseContext(c, r.deps))));
    const elapsed = performance.now() - started;
    const failed = reports.filter((r) => r.verdict !== 'ok');
    if (failed.length) throw new Error(`${failed.length} contexts did not pass: ${failed[0].summary}`);
    const calls = emulators.reduce((n, e) => n + e.calls.length, 0);
    const pluginRuns = reports.length;
    const bound = (calls + pluginRuns) * LATENCY_MS;
    const ratio = elapsed / bound;
    console.log(`kubeconfig doctor: ${reports.length} contexts across ${accounts.length} accounts, ${calls} AWS and Kubernetes calls and ${pluginRuns} exec plugin runs at ${LATENCY_MS} ms each`);
    console.log(`  ${elapsed.toFixed(0)} ms; sequential lower bound ${bound} ms; ratio x${ratio.toFixed(3)} (target <= ${TARGET})${ratio <= TARGET ? '' : '  ABOVE TARGET'}`);
  } finally {
    await Promise.all(emulators.map((e) => e.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
