/**
 * What an exec plugin in a kubeconfig will do: which tool makes the EKS token, for which cluster, and as which
 * profile, role and region. The flags are the tools' own:
 * - `aws eks get-token` (awscli `customizations/eks/get_token.py`; `aws eks get-token help` lists `--cluster-name`,
 *   `--role-arn`, `--cluster-id` and the global `--region` and `--profile`; argparse also takes an unambiguous prefix,
 *   and `aws eks update-kubeconfig --role-arn` writes `--role`);
 * - `aws-iam-authenticator token` (kubernetes-sigs/aws-iam-authenticator `cmd/aws-iam-authenticator/root.go` and
 *   `token.go`: `-i`/`--cluster-id` or KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID, `-r`/`--role` or DEFAULT_ROLE,
 *   `--region`; the profile is AWS_PROFILE);
 * - `aws-vault exec PROFILE -- COMMAND...`, which runs COMMAND with PROFILE's credentials in the environment.
 */
import type { ExecSpec } from './kubeconfig';

export type PluginKind = 'aws-cli' | 'aws-iam-authenticator' | 'unknown';

/** Where a value in effect came from, so the report can say why it is what it is. */
export type Source = 'args' | 'exec env' | 'editor env' | 'aws-vault' | 'profile config' | 'default';

export interface ExecPlugin {
  kind: PluginKind;
  /** The program the editor must find on its PATH (the wrapper when there is one). */
  command: string;
  wrapper?: { name: 'aws-vault'; profile: string };
  clusterName?: string;
  /** `--cluster-id` of `aws eks get-token`: a local cluster on Outposts, named by its id. */
  outpostClusterId?: string;
  roleArn?: string;
  profile: { name?: string; source: Source };
  region: { name?: string; source: Source };
  apiVersion?: string;
}

function baseName(command: string): string {
  return command.split(/[\\/]/).pop()!.replace(/\.(exe|cmd|bat)$/i, '');
}

/** `--name value`, `--name=value`, and for awscli an unambiguous prefix of the long name. */
function flagValue(args: string[], names: string[], prefixOf?: string, ambiguous: string[] = []): string | undefined {
  let found: string | undefined;
  const matches = (flag: string) => names.includes(flag) || (prefixOf !== undefined && flag.length > 3 && prefixOf.startsWith(flag) && !ambiguous.some((a) => a !== prefixOf && a.startsWith(flag)));
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    if (a.startsWith('-') && eq > 0 && matches(a.slice(0, eq))) found = a.slice(eq + 1);
    else if (matches(a) && i + 1 < args.length) found = args[++i];
  }
  return found;
}

const AWS_GET_TOKEN_FLAGS = ['--cluster-name', '--role-arn', '--cluster-id'];

export function describeExec(exec: ExecSpec, editorEnv: Record<string, string | undefined>): ExecPlugin {
  let command = exec.command;
  let args = exec.args;
  let wrapper: ExecPlugin['wrapper'];
  if (baseName(command) === 'aws-vault' && args[0] === 'exec') {
    const dashes = args.indexOf('--');
    const profile = args.slice(1, dashes < 0 ? undefined : dashes).find((a) => !a.startsWith('-'));
    if (profile) wrapper = { name: 'aws-vault', profile };
    if (dashes >= 0 && dashes + 1 < args.length) {
      command = args[dashes + 1];
      args = args.slice(dashes + 2);
    }
  }
  const execEnv = new Map(exec.env.map((e) => [e.name, e.value]));
  const fromEnv = (names: string[]): { name?: string; source: Source } | undefined => {
    for (const n of names) if (execEnv.get(n)) return { name: execEnv.get(n), source: 'exec env' };
    for (const n of names) if (editorEnv[n]) return { name: editorEnv[n], source: 'editor env' };
    return undefined;
  };
  const tool = baseName(command);
  let kind: PluginKind = 'unknown';
  let clusterName: string | undefined;
  let outpostClusterId: string | undefined;
  let roleArn: string | undefined;
  let profileArg: string | undefined;
  let regionArg: string | undefined;
  if (tool === 'aws') {
    const eks = args.indexOf('eks');
    if (eks >= 0 && args[eks + 1] === 'get-token') {
      kind = 'aws-cli';
      clusterName = flagValue(args, ['--cluster-name'], '--cluster-name', AWS_GET_TOKEN_FLAGS);
      outpostClusterId = flagValue(args, ['--cluster-id'], '--cluster-id', AWS_GET_TOKEN_FLAGS);
      roleArn = flagValue(args, ['--role-arn'], '--role-arn', AWS_GET_TOKEN_FLAGS);
      profileArg = flagValue(args, ['--profile']);
      regionArg = flagValue(args, ['--region']);
    }
  } else if (tool === 'aws-iam-authenticator' && args.includes('token')) {
    kind = 'aws-iam-authenticator';
    clusterName = flagValue(args, ['-i', '--cluster-id']) ?? fromEnv(['KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID'])?.name;
    roleArn = flagValue(args, ['-r', '--role']) ?? fromEnv(['DEFAULT_ROLE'])?.name;
    regionArg = flagValue(args, ['--region']);
  }
  const profile: ExecPlugin['profile'] = wrapper
    ? { name: wrapper.profile, source: 'aws-vault' }
    : profileArg
      ? { name: profileArg, source: 'args' }
      : fromEnv(['AWS_PROFILE']) ?? { name: undefined, source: 'default' };
  const region: ExecPlugin['region'] = regionArg ? { name: regionArg, source: 'args' } : fromEnv(['AWS_REGION', 'AWS_DEFAULT_REGION']) ?? { name: undefined, source: 'default' };
  return { kind, command: exec.command, wrapper, clusterName, outpostClusterId, roleArn, profile, region, apiVersion: exec.apiVersion };
}

/**
 * The exec block `aws eks update-kubeconfig` writes for a cluster (awscli `customizations/eks/update_kubeconfig.py`):
 * `aws --region R eks get-token --cluster-name N [--role ROLE]` with AWS_PROFILE in env when a profile is used.
 */
export function updateKubeconfigExec(cluster: { name: string; region: string }, profile?: string, roleArn?: string): ExecSpec {
  return {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'aws',
    args: ['--region', cluster.region, 'eks', 'get-token', '--cluster-name', cluster.name, ...(roleArn ? ['--role', roleArn] : [])],
    env: profile ? [{ name: 'AWS_PROFILE', value: profile }] : [],
  };
}
