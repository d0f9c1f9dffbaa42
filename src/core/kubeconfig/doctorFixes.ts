/**
 * The fixes the doctor offers that rewrite kubeconfig: the exec block `aws eks update-kubeconfig` writes
 * (awscli customizations/eks/update_kubeconfig.py) and the command that writes it.
 */
import { updateKubeconfigExec, type ExecPlugin } from './execPlugin';

import type { ExecSpec } from './kubeconfig';

/** The `aws eks update-kubeconfig` program and arguments for a cluster, quoted later for the shell that runs them. */
export function updateKubeconfigArgv(cluster: string, region: string, profile?: string): string[] {
  return ['aws', 'eks', 'update-kubeconfig', '--name', cluster, '--region', region, ...(profile ? ['--profile', profile] : [])];
}

/**
 * The exec block a fix writes: for `aws eks get-token`, the form `aws eks update-kubeconfig` writes, keeping the
 * user's aws executable and any other environment variables; for other plugins only the apiVersion changes.
 */
export function rewrittenExec(exec: ExecSpec, plugin: ExecPlugin, clusterName: string, region: string): ExecSpec {
  if (plugin.kind !== 'aws-cli' || plugin.wrapper) return { ...exec, apiVersion: 'client.authentication.k8s.io/v1beta1' };
  const fresh = updateKubeconfigExec({ name: clusterName, region }, plugin.profile.name, plugin.roleArn);
  const kept = exec.env.filter((e) => e.name !== 'AWS_PROFILE' && e.name !== 'AWS_REGION' && e.name !== 'AWS_DEFAULT_REGION');
  return { ...fresh, command: exec.command, env: [...fresh.env, ...kept] };
}
