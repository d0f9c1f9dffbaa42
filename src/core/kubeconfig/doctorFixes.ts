/**
 * The fixes the doctor offers that rewrite kubeconfig: the exec block `aws eks update-kubeconfig` writes
 * (awscli customizations/eks/update_kubeconfig.py) and the command that writes it.
 */
import { updateKubeconfigExec, type ExecPlugin } from './execPlugin';

import type { ExecSpec } from './kubeconfig';

/**
 * The aws a fix runs: the one kubectl runs for the plugin, found on the editor's PATH as the plugin is (exec.go looks
 * the command up with exec.LookPath). A terminal's shell may put another aws first (a shell rc that adds pyenv's or
 * Homebrew's awscli v1, which has no `sso login`), so a bare `aws` there could be a different CLI with its own cache.
 */
export async function pluginAws(command: string, findOnPath: (command: string) => Promise<string | undefined>): Promise<string> {
  if (/[\\/]/.test(command)) return command;
  return (await findOnPath(command).catch(() => undefined)) ?? command;
}

/** What `aws eks update-kubeconfig` is told, so that it rewrites the failing context itself. */
export interface UpdateKubeconfigTarget {
  /** The aws the exec plugin runs (`aws` from PATH otherwise), so the fix is made by the CLI that makes the tokens. */
  aws: string;
  cluster: string;
  region: string;
  profile?: string;
  roleArn?: string;
  /** The failing context's name: `--alias` makes awscli replace that context instead of adding one named by the ARN. */
  context: string;
  /** The file that defines the context: `--kubeconfig`, else awscli writes to the first KUBECONFIG file. */
  file: string;
}

/**
 * The `aws eks update-kubeconfig` program and arguments that repair a context, quoted later for the shell that runs
 * them. awscli (customizations/eks/update_kubeconfig.py, 2.9.19) writes the cluster and user entries named by the
 * cluster ARN and, with `--alias`, the context of that name (replacing an entry with the same name, kubeconfig.py
 * `insert_entry`), makes it current, and writes `--kubeconfig` rather than the first KUBECONFIG file.
 */
export function updateKubeconfigArgv(t: UpdateKubeconfigTarget): string[] {
  return [
    t.aws, 'eks', 'update-kubeconfig', '--name', t.cluster, '--region', t.region,
    ...(t.profile ? ['--profile', t.profile] : []),
    ...(t.roleArn ? ['--role-arn', t.roleArn] : []),
    '--alias', t.context, '--kubeconfig', t.file,
  ];
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
