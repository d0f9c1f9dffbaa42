/**
 * `npm run bench:tree`: the explorer's loading code against the emulator with 200 clusters over 4 regions and a
 * cluster with 500 access entries, each call delayed by 50 ms. Prints each figure and its ratio to the sequential
 * lower bound (calls x latency). Targets: all clusters under 1.5 s, the 100-entry expansion under 1 s.
 */
import { startEmulator } from '../emulator/server';
import type { Scenario } from '../emulator/state';
import { SdkEksGateway } from '../src/core/aws/eksGateway';
import { loadAccessEntryPage, loadClusterSummaries } from '../src/core/clusters/loader';

const LATENCY_MS = 50;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const ACCOUNT = '111122223333';

async function main() {
  const scenario: Scenario = {
    accountId: ACCOUNT,
    identities: [{ accessKeyId: 'AKIABENCH', secretAccessKey: 'bench', arn: `arn:aws:iam::${ACCOUNT}:user/bench`, userId: 'AIDABENCH' }],
    clusters: Array.from({ length: 200 }, (_, i) => ({
      name: `cluster-${String(i).padStart(3, '0')}`,
      region: REGIONS[i % REGIONS.length],
      authenticationMode: 'API_AND_CONFIG_MAP',
      accessEntries:
        i === 0
          ? Array.from({ length: 500 }, (_, j) => ({
              principalArn: `arn:aws:iam::${ACCOUNT}:role/team-${String(j).padStart(3, '0')}`,
              policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'namespace' as const, namespaces: [`ns-${j}`] } }],
            }))
          : [],
    })),
  };
  const emulator = await startEmulator(scenario, { latencyMs: LATENCY_MS });
  const gateway = (region: string) => new SdkEksGateway({ region, endpoints: { eks: emulator.endpoint } }, undefined);
  const env = { credentials: { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench' } };
  process.env.AWS_ACCESS_KEY_ID = env.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = env.credentials.secretAccessKey;
  try {
    // Warm the connection pool and the Kubernetes endpoints, as a second expand in the editor would find them.
    await Promise.all(REGIONS.map((r) => loadClusterSummaries(gateway(r))));

    emulator.calls.length = 0;
    let t = Date.now();
    const regions = await Promise.all(REGIONS.map((r) => loadClusterSummaries(gateway(r))));
    const listMs = Date.now() - t;
    const clusters = regions.reduce((n, r) => n + r.length, 0);
    const listCalls = emulator.calls.length;
    console.log(`list all clusters: ${clusters} clusters in ${REGIONS.length} regions, ${listCalls} calls, ${listMs} ms; sequential lower bound ${listCalls * LATENCY_MS} ms; ratio ${(listMs / (listCalls * LATENCY_MS)).toFixed(3)} (target < 1500 ms)`);

    emulator.calls.length = 0;
    t = Date.now();
    const page = await loadAccessEntryPage(gateway(REGIONS[0]), 'cluster-000');
    const expandMs = Date.now() - t;
    const expandCalls = emulator.calls.length;
    console.log(`expand a cluster: ${page.items.length} access entries with ${page.items.reduce((n, e) => n + e.policies.length, 0)} policies (more: ${Boolean(page.nextToken)}), ${expandCalls} calls, ${expandMs} ms; sequential lower bound ${expandCalls * LATENCY_MS} ms; ratio ${(expandMs / (expandCalls * LATENCY_MS)).toFixed(3)} (target < 1000 ms)`);
  } finally {
    await emulator.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
