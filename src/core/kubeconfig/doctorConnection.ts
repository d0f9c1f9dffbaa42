/**
 * Step 1 checked by connecting: kubectl got no HTTP answer from the server (client-go's transport failed before any
 * status). Says why, and, with EKS's own word for the endpoint (DescribeCluster), whether the kubeconfig is stale or
 * trusts another CA, with the fixes that write EKS's values (what `aws eks update-kubeconfig` writes).
 */
import { trimTrailing } from '../linearText';
import { updateKubeconfigArgv } from './doctorFixes';
import type { DoctorDeps, DoctorFix, DoctorStep, NetworkFailure } from './doctorTypes';
import { message, NETWORK_WORDS, timed } from './doctorWalk';
import type { ExecPlugin } from './execPlugin';

import type { ClusterEntry, ExecSpec } from './kubeconfig';

export interface Unreachable {
  request: DoctorStep;
  mapping: DoctorStep;
  /** The failed SelfSubjectReview: no HTTP answer. */
  who: { message: string; network?: NetworkFailure };
  cluster: ClusterEntry;
  clusterId: string | undefined;
  plugin: ExecPlugin;
  profileName: string | undefined;
  execEnv: ExecSpec['env'];
  ref: { region: string };
  deps: DoctorDeps;
  stepMs: number;
  signal: AbortSignal | undefined;
}

/**
 * What EKS's own word (DescribeCluster) says about a server that gave no answer: the kubeconfig names another
 * endpoint (`staleEndpoint`) or trusts another CA (`otherCa`), names the same endpoint (`sameEndpoint`), or EKS was
 * not asked or did not answer (`unknown`).
 */
export type UnreachableKind = 'staleEndpoint' | 'otherCa' | 'sameEndpoint' | 'unknown';

export interface UnreachableOutcome {
  kind: UnreachableKind;
  /** The report's summary: the stale endpoint or other CA when EKS says so, else why kubectl cannot connect. */
  summary: string;
}

/** Fills the request and mapping steps for a server that gave no answer. */
export async function explainUnreachable(u: Unreachable): Promise<UnreachableOutcome> {
  const { request, mapping, who, cluster, clusterId, plugin, profileName, execEnv, ref, deps, stepMs } = u;
  request.status = 'fail';
  const kind = who.network ?? 'other';
  const cannot = `kubectl cannot connect: ${NETWORK_WORDS[kind]}: ${who.message}`;
  request.evidence.push(cannot);
  mapping.status = 'skip';
  mapping.evidence.push('Not checked: the server could not be reached.');
  let outcome: UnreachableOutcome = { kind: 'unknown', summary: cannot };
  if (kind === 'timeout') request.evidence.push('A private endpoint needs a network path (VPN, peering, a bastion); check proxies and firewalls.');
  if (clusterId && !u.signal?.aborted) {
    const stale = await timed(stepMs, u.signal, async (signal) => {
      const creds = await deps.credentials(plugin.profile.source === 'args' ? profileName : deps.env.AWS_ACCESS_KEY_ID || execEnv.some((e) => e.name === 'AWS_ACCESS_KEY_ID') ? undefined : profileName, { ...deps.env, ...Object.fromEntries(execEnv.map((e) => [e.name, e.value])) });
      return deps.describeCluster(creds, ref.region, clusterId, signal);
    }).catch((e: unknown) => ({ ok: false as const, kind: 'error' as const, error: e }));
    if (stale.ok) {
      const described = stale.value;
      // Trailing slashes cut by a loop: `/\/+$/` retried every slash of a long run (the server is kubeconfig text).
      const sameServer = (a: string, b: string) => trimTrailing(a, '/').toLowerCase() === trimTrailing(b, '/').toLowerCase();
      const updateKubeconfig: DoctorFix = { kind: 'updateKubeconfig', label: 'Refresh the endpoint and CA with aws eks update-kubeconfig', argv: updateKubeconfigArgv(clusterId, ref.region, profileName) };
      const repair = (server: string): DoctorFix[] =>
        cluster.file && !cluster.caFile ? [{ kind: 'repairCluster', label: `Point cluster ${cluster.name} at EKS's endpoint and CA, in place in ${cluster.file}`, file: cluster.file, cluster: cluster.name, server, ...(described.caData ? { caData: described.caData } : {}) }] : [];
      if (described.endpoint && !sameServer(described.endpoint, cluster.server)) {
        const said = `EKS DescribeCluster says the endpoint of ${clusterId} is ${described.endpoint}: the kubeconfig is stale (was the cluster re-created?).`;
        request.evidence.push(said);
        outcome = { kind: 'staleEndpoint', summary: said };
        request.fixes.push(...repair(described.endpoint), updateKubeconfig);
      } else if (kind === 'tls' && described.caData && cluster.caData && described.caData.replace(/\s/g, '') !== cluster.caData.replace(/\s/g, '')) {
        const said = 'EKS DescribeCluster gives another CA than the kubeconfig\'s: kubectl fails with "x509: certificate signed by unknown authority".';
        request.evidence.push(said);
        outcome = { kind: 'otherCa', summary: said };
        request.fixes.push(...repair(cluster.server), updateKubeconfig);
      } else if (described.endpoint) {
        request.evidence.push(`EKS DescribeCluster gives the same endpoint (${described.status ?? 'status unknown'}): the kubeconfig is current; the network path is the problem.`);
        outcome = { kind: 'sameEndpoint', summary: cannot };
      }
    } else if ('error' in stale) request.evidence.push(`prediction: could not ask EKS whether the endpoint changed: ${message(stale.error)}`);
  }
  return outcome;
}
