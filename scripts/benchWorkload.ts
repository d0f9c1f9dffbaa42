/**
 * `npm run bench:workload`: the workload identity section of a cluster with 500 service accounts (100 with an IRSA
 * annotation, 100 with a Pod Identity association, each with its own role), and the explanation of one pod, with
 * every call delayed by 50 ms. EKS and IAM go through the real SDK to emulator/workload.ts; Kubernetes is a gateway
 * with the same delay. Prints each figure beside the sequential lower bound (calls x latency) and the target from
 * issue 25: the section at or below 0.15x that bound, one pod under 1 s.
 */
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { serveWorkload, WorkloadWorld } from '../emulator/workload';
import { explainWorkload } from '../src/core/workload/explain';
import { gatherCluster, gatherWorkload } from '../src/core/workload/gather';
import type { PodInfo, ServiceAccountInfo } from '../src/core/workload/model';
import { SdkWorkloadEksGateway, SdkWorkloadIamGateway, type WorkloadKubeGateway } from '../src/core/workload/workloadGateway';

const LATENCY_MS = 50;
const ACCOUNT = '111122223333';
const HOST_PATH = 'oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const CLUSTER = { name: 'bench', arn: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/bench`, region: 'us-west-2', accountId: ACCOUNT, oidcIssuer: `https://${HOST_PATH}` };

const delay = () => new Promise((r) => setTimeout(r, LATENCY_MS));

async function main() {
  const world = new WorkloadWorld();
  const serviceAccounts: ServiceAccountInfo[] = [];
  for (let i = 0; i < 500; i++) {
    const ns = `team-${i % 25}`;
    const name = `sa-${i}`;
    if (i % 5 === 0) {
      const role = `arn:aws:iam::${ACCOUNT}:role/irsa-${i}`;
      serviceAccounts.push({ namespace: ns, name, annotations: { 'eks.amazonaws.com/role-arn': role } });
      world.roles.set(role, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST_PATH}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${HOST_PATH}:sub`]: `system:serviceaccount:${ns}:${name}`, [`${HOST_PATH}:aud`]: 'sts.amazonaws.com' } } }] }));
    } else {
      serviceAccounts.push({ namespace: ns, name });
      if (i % 5 === 1) {
        const role = `arn:aws:iam::${ACCOUNT}:role/pod-${i}`;
        world.associations.push({ clusterName: 'bench', region: 'us-west-2', accountId: ACCOUNT, namespace: ns, serviceAccount: name, roleArn: role, associationId: `a-${String(i).padStart(17, '0')}`, createdAt: new Date('2026-11-01T00:00:00Z'), modifiedAt: new Date('2026-11-01T00:00:00Z') });
        world.roles.set(role, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] }));
      }
    }
  }
  world.agentAddons.set('us-west-2/bench', 'ACTIVE');
  world.oidcProviders.push({ accountId: ACCOUNT, url: HOST_PATH, clientIds: ['sts.amazonaws.com'], thumbprints: [] });

  const served = await serveWorkload(world, { latencyMs: LATENCY_MS, account: ACCOUNT });
  let kubeCalls = 0;
  const pod: PodInfo = {
    name: 'sa-1-pod',
    namespace: 'team-1',
    serviceAccountName: 'sa-1',
    creationTimestamp: '2026-11-21T00:00:00Z',
    nodeName: 'node-1',
    containers: [{ name: 'app', env: [{ name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: 'http://169.254.170.23/v1/credentials' }, { name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', value: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token' }] }],
  };
  const kube: WorkloadKubeGateway = {
    getServiceAccount: async (namespace, name) => (kubeCalls++, await delay(), serviceAccounts.find((s) => s.namespace === namespace && s.name === name)),
    listServiceAccounts: async () => (kubeCalls++, await delay(), serviceAccounts),
    getPod: async () => (kubeCalls++, await delay(), pod),
    agentReadyOnNode: async () => (kubeCalls++, await delay(), true),
  };
  const credentials = { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench' };
  const gateways = {
    eks: new SdkWorkloadEksGateway({ region: 'us-west-2' }, new EKSClient({ region: 'us-west-2', endpoint: served.endpoint, credentials })),
    iam: new SdkWorkloadIamGateway({ region: 'us-west-2' }, new IAMClient({ region: 'us-east-1', endpoint: served.endpoint, credentials })),
    kube,
  };
  try {
    // Warm the connection pool, as a second expand in the editor would find it.
    await gatherCluster(gateways, CLUSTER);

    served.calls.length = 0;
    kubeCalls = 0;
    let t = Date.now();
    const section = await gatherCluster(gateways, CLUSTER);
    const sectionMs = Date.now() - t;
    const calls = served.calls.length + kubeCalls;
    const bound = calls * LATENCY_MS;
    const working = section.rows.filter((r) => r.explanation.works).length;
    console.log(`workload section: ${serviceAccounts.length} service accounts, ${section.associations?.length ?? 0} associations, ${section.rows.length} explained (${working} working), ${calls} calls, ${sectionMs} ms; sequential lower bound ${bound} ms; ratio ${(sectionMs / bound).toFixed(3)} (target <= 0.15)`);

    served.calls.length = 0;
    kubeCalls = 0;
    t = Date.now();
    const one = explainWorkload(await gatherWorkload(gateways, CLUSTER, { pod: { namespace: 'team-1', name: 'sa-1-pod' } }));
    const podMs = Date.now() - t;
    console.log(`explain one pod: ${one.works ? 'works' : 'broken'} (${one.mechanism}), ${served.calls.length + kubeCalls} calls, ${podMs} ms (target < 1000 ms)`);
  } finally {
    await served.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
