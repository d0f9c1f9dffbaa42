/**
 * Step 1 checked by connecting: kubectl got no HTTP answer from the server (client-go's transport failed before any
 * status). Says why, and, with EKS's own word for the endpoint (DescribeCluster), whether the kubeconfig is stale or
 * trusts another CA, with the fixes that write EKS's values (what `aws eks update-kubeconfig` writes).
 */
import { trimTrailing } from '../linearText';
import { pluginAws, updateKubeconfigArgv } from './doctorFixes';
import { clusterArnParts, isRegionName, regionOfEndpoint, type DoctorDeps, type DoctorFix, type DoctorStep, type NetworkFailure } from './doctorTypes';
import { message, NETWORK_WORDS, timed, type Timed } from './doctorWalk';
import type { ExecPlugin } from './execPlugin';
import { lostByUpdateKubeconfig } from './updateKubeconfigLoss';
import { tryCommandLine } from '../shell/commandLine';

import type { ClusterEntry, ExecSpec, KubeContext } from './kubeconfig';

export interface Unreachable {
  request: DoctorStep;
  mapping: DoctorStep;
  /** The failed SelfSubjectReview: no HTTP answer. */
  who: { message: string; network?: NetworkFailure };
  cluster: ClusterEntry;
  /** The failing context: the update-kubeconfig fix replaces it, and is offered only when that loses nothing of it. */
  context: KubeContext;
  clusterId: string | undefined;
  plugin: ExecPlugin;
  profileName: string | undefined;
  execEnv: ExecSpec['env'];
  /** The exec's command: the aws the fix runs when the plugin is `aws eks get-token`. */
  execCommand: string;
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

/**
 * The regions where the cluster may be, most telling first: the region in the cluster entry's ARN (update-kubeconfig
 * names the entry by it) or the context's, the region in the EKS endpoint's host name, then the exec's region. An
 * exec `--region` other than the cluster's still makes tokens that work (any STS region of the partition), so it
 * comes last: asking EKS only there would not find a re-created cluster, and a fix with it would fail again.
 */
export function clusterRegions(cluster: ClusterEntry, context: string, execRegion: string): string[] {
  const arnRegion = (name: string) => {
    const region = clusterArnParts(name)?.region;
    return region && isRegionName(region) ? region : undefined;
  };
  const found = [arnRegion(cluster.name), arnRegion(context), regionOfEndpoint(cluster.server), execRegion];
  return [...new Set(found.filter((r): r is string => !!r))];
}

const isNotFound = (e: unknown) => (e as { name?: string }).name === 'ResourceNotFoundException';

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
    const credentials = () => deps.credentials(plugin.profile.source === 'args' ? profileName : deps.env.AWS_ACCESS_KEY_ID || execEnv.some((e) => e.name === 'AWS_ACCESS_KEY_ID') ? undefined : profileName, { ...deps.env, ...Object.fromEntries(execEnv.map((e) => [e.name, e.value])) });
    // The first region where EKS knows the cluster: that region goes into the fix.
    let region = ref.region;
    let stale: Timed<Awaited<ReturnType<DoctorDeps['describeCluster']>>> | { ok: false; kind: 'error'; error: unknown } = { ok: false, kind: 'error', error: new Error('no region to ask') };
    for (const candidate of clusterRegions(cluster, u.context.name, ref.region)) {
      region = candidate;
      stale = await timed(stepMs, u.signal, async (signal) => deps.describeCluster(await credentials(), candidate, clusterId, signal)).catch((e: unknown) => ({ ok: false as const, kind: 'error' as const, error: e }));
      if (stale.ok || !('error' in stale) || !isNotFound(stale.error)) break;
    }
    if (stale.ok) {
      const described = stale.value;
      // Trailing slashes cut by a loop: `/\/+$/` retried every slash of a long run (the server is kubeconfig text).
      const sameServer = (a: string, b: string) => trimTrailing(a, '/').toLowerCase() === trimTrailing(b, '/').toLowerCase();
      const argv = updateKubeconfigArgv({ aws: await pluginAws(plugin.kind === 'aws-cli' && !plugin.wrapper ? u.execCommand : 'aws', deps.findOnPath), cluster: clusterId, region, profile: profileName, roleArn: plugin.roleArn, context: u.context.name, file: u.context.file });
      // awscli replaces the context whole: offered only when the result keeps everything the context has.
      const lost = lostByUpdateKubeconfig(u.context, profileName);
      const updateKubeconfig: DoctorFix[] = lost.length ? [] : [{ kind: 'updateKubeconfig', label: 'Refresh the endpoint and CA with aws eks update-kubeconfig', argv, file: u.context.file, context: u.context.name }];
      // In place needs a CA to replace (a cluster trusting the system roots would not trust EKS's CA).
      const repair = (server: string): DoctorFix[] =>
        cluster.file && (cluster.caData || cluster.caFile || !described.caData)
          ? [{ kind: 'repairCluster', label: cluster.caFile && !cluster.caData && described.caData ? `Point cluster ${cluster.name} at EKS's endpoint and CA (as certificate-authority-data, in place of the CA file ${cluster.caFile}), in place in ${cluster.file}` : `Point cluster ${cluster.name} at EKS's endpoint and CA, in place in ${cluster.file}`, file: cluster.file, cluster: cluster.name, server, ...(described.caData ? { caData: described.caData } : {}) }]
          : [];
      const offer = (fixes: DoctorFix[]) => {
        if (lost.length) request.evidence.push(`aws eks update-kubeconfig is not offered: it would replace context ${u.context.name} with one holding only a cluster and an awscli user named by the cluster ARN, and the context would lose ${lost.join('; ')}.`);
        if (!fixes.length && !updateKubeconfig.length) request.evidence.push(`No fix can be made without losing part of the context: edit the cluster entry ${cluster.name} in ${cluster.file ?? u.context.file} by hand, or run (it rewrites the whole file) ${tryCommandLine('posix', argv) ?? argv.join(' ')}`);
        request.fixes.push(...fixes, ...updateKubeconfig);
      };
      if (described.endpoint && !sameServer(described.endpoint, cluster.server)) {
        const said = `EKS DescribeCluster says the endpoint of ${clusterId} is ${described.endpoint}: the kubeconfig is stale (was the cluster re-created?).`;
        request.evidence.push(said, ...(region !== ref.region ? [`EKS knows ${clusterId} in ${region}, not in the exec's ${ref.region}.`] : []));
        outcome = { kind: 'staleEndpoint', summary: said };
        offer(repair(described.endpoint));
      } else if (kind === 'tls' && described.caData && cluster.caData && described.caData.replace(/\s/g, '') !== cluster.caData.replace(/\s/g, '')) {
        const said = 'EKS DescribeCluster gives another CA than the kubeconfig\'s: kubectl fails with "x509: certificate signed by unknown authority".';
        request.evidence.push(said);
        outcome = { kind: 'otherCa', summary: said };
        offer(repair(cluster.server));
      } else if (described.endpoint) {
        request.evidence.push(`EKS DescribeCluster gives the same endpoint (${described.status ?? 'status unknown'}): the kubeconfig is current; the network path is the problem.`);
        outcome = { kind: 'sameEndpoint', summary: cannot };
      }
    } else if ('error' in stale) request.evidence.push(`prediction: could not ask EKS whether the endpoint changed: ${message(stale.error)}`);
  }
  return outcome;
}
