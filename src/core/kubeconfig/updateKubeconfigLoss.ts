/**
 * What `aws eks update-kubeconfig --alias CONTEXT --kubeconfig FILE` would take from a context that works apart from
 * its endpoint or CA. awscli does not edit the context: it replaces it. From Debian's awscli 2.9.19
 * (/usr/lib/python3/dist-packages/awscli/customizations/eks/):
 * - update_kubeconfig.py `get_cluster_entry`: a cluster entry of only `certificate-authority-data` and `server`,
 *   named by the cluster ARN;
 * - `get_user_entry`: a user named by the ARN whose exec is `aws --region R eks get-token --cluster-name N`
 *   (`--cluster-id` on Outposts, `--role A` with --role-arn), apiVersion v1beta1, and `env` holding only AWS_PROFILE;
 * - kubeconfig.py `_make_context`: a context of only `cluster` and `user`; `insert_entry` replaces an entry of the same
 *   name whole; `insert_cluster_user_pair` sets current-context; `KubeconfigWriter` dumps the whole file again.
 * The endpoint, the CA and the exec's STS region are what the fix is for (any STS region of the partition signs a
 * token the cluster accepts); anything else the context has is lost.
 */
import type { KubeContext } from './kubeconfig';

/** Fields awscli writes again (their values are EKS's): the CA file gives way to EKS's CA data, as the fix intends. */
const KEPT = {
  context: ['cluster', 'user'],
  cluster: ['server', 'certificate-authority-data', 'certificate-authority'],
  user: ['exec'],
  exec: ['apiVersion', 'command', 'args', 'env'],
};

/** `aws eks get-token`'s flags that awscli writes, each with a value (`--role` is how it writes --role-arn). */
const GET_TOKEN_FLAGS = ['--region', '--cluster-name', '--cluster-id', '--role', '--role-arn'];

/**
 * What the context would lose if awscli rewrote it, each in words for the report; empty when the result keeps
 * everything the context has (it is shaped as awscli writes it). `profile` is the one the fix passes (`--profile`),
 * which awscli writes as AWS_PROFILE. A context whose fields could not be read is judged to lose them.
 */
export function lostByUpdateKubeconfig(ctx: KubeContext, profile: string | undefined): string[] {
  const { cluster, user, written } = ctx;
  const exec = user?.exec;
  if (!cluster || !user || !exec || !written?.context.includes('cluster')) return ['the context as written (its fields could not be read)'];
  const lost: string[] = [];
  // awscli writes new entries into the context's file; an entry of another KUBECONFIG file is not rewritten.
  if (cluster.file !== ctx.file) lost.push(`cluster ${cluster.name} from ${cluster.file ?? 'another file'} (awscli writes its entries into ${ctx.file})`);
  if (user.file !== ctx.file) lost.push(`user ${user.name} from ${user.file} (awscli writes its entries into ${ctx.file})`);
  const extra = (kind: keyof typeof KEPT, fields: string[], words: (f: string) => string) => fields.filter((f) => !KEPT[kind].includes(f)).forEach((f) => lost.push(words(f)));
  extra('context', written.context, (f) => (f === 'namespace' && ctx.namespace ? `the context's namespace ${ctx.namespace}` : `the context's ${f}`));
  extra('cluster', written.cluster, (f) => `the cluster's ${f}`);
  if (written.cluster.includes('certificate-authority') && written.cluster.includes('certificate-authority-data')) lost.push('the cluster\'s certificate-authority file (awscli keeps only certificate-authority-data)');
  extra('user', written.user, (f) => `the user's ${f}`);
  extra('exec', written.exec, (f) => `the exec block's ${f}`);
  if (exec.command !== 'aws') {
    // A wrapper (aws-vault exec P --, granted), another plugin or a path: awscli writes plain `aws` from PATH.
    lost.push(`the exec command ${[exec.command, ...exec.args].join(' ')} (awscli writes aws --region R eks get-token)`);
    return lost;
  }
  const args = exec.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const flag = a.split('=')[0];
    if (GET_TOKEN_FLAGS.includes(flag)) {
      if (!a.includes('=')) i++;
    } else if ((a === 'eks' && args[i + 1] === 'get-token') || (a === 'get-token' && args[i - 1] === 'eks')) {
      continue;
    } else if (a.startsWith('-') && !a.includes('=') && i + 1 < args.length && !args[i + 1].startsWith('-') && args[i + 1] !== 'eks') {
      lost.push(`the exec argument ${a} ${args[++i]}`);
    } else lost.push(`the exec argument ${a}`);
  }
  for (const e of exec.env) {
    if (e.name !== 'AWS_PROFILE') lost.push(`the exec env ${e.name}`);
    else if (e.value !== profile) lost.push(`the exec env AWS_PROFILE ${e.value} (awscli writes ${profile ?? 'none'})`);
  }
  return lost;
}
