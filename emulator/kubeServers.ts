/**
 * One Kubernetes API endpoint per cluster (emulator/kube.ts), started the first time something needs it (a
 * DescribeCluster, the demo kubeconfig) and kept for the emulator's life: keyed by region and name, so a cluster keeps
 * its endpoint and CA across resets, as a real cluster keeps them while the extension reconnects.
 */
import type { Call } from './http';
import { startKubeServer, type KubeServer } from './kube';
import { KUBE_FAULT_KINDS, kubeFaultStatus, type FaultInjector } from './faults';
import type { Cluster, EmulatorState } from './state';
import type { WorkloadWorld } from './workload';

export interface KubeServerDeps {
  /** Read on every request, so a server answers from the state as it is after a reset. */
  state(): EmulatorState;
  workload(): WorkloadWorld;
  calls(): Call[];
  faults: FaultInjector;
  bodyTimeoutMs: number;
}

export interface KubeServers {
  /** Starts (once) the cluster's Kubernetes endpoint and returns it; the cluster's `kube` field is set to it. */
  kubeFor(cluster: Cluster): Promise<{ endpoint: string; caData: string }>;
  closeAll(): Promise<void>;
}

export function kubeServers(deps: KubeServerDeps): KubeServers {
  const servers = new Map<string, Promise<KubeServer>>();

  async function kubeFor(cluster: Cluster) {
    const key = `${cluster.region}/${cluster.name}`;
    let pending = servers.get(key);
    if (!pending) {
      pending = startKubeServer(
        () => deps.state().clusters.find((c) => c.region === cluster.region && c.name === cluster.name),
        () => deps.state().identities,
        (operation, params) => deps.calls().push({ service: 'kube', operation: `${cluster.name} ${operation}`, region: cluster.region, params, at: Date.now() }),
        async (operation) => {
          const target = `kube:${operation}`;
          await deps.faults.delay(target);
          const fault = deps.faults.take(target, KUBE_FAULT_KINDS);
          return fault ? kubeFaultStatus(fault.kind) : undefined;
        },
        deps.bodyTimeoutMs,
        deps.workload,
      );
      servers.set(key, pending);
    }
    const server = await pending;
    cluster.kube = { endpoint: server.endpoint, caData: server.caData };
    return cluster.kube;
  }

  return {
    kubeFor,
    closeAll: async () => {
      await Promise.all([...servers.values()].map(async (p) => (await p).close()));
    },
  };
}
