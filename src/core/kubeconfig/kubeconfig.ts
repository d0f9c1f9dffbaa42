/**
 * The user's kubeconfig as kubectl reads it: each file parsed with `@kubernetes/client-node`, then merged by
 * kubectl's rules, which client-node's own `mergeConfig` does not follow (it throws on a name two files share and
 * lets the last file's current-context win: kubernetes-client/javascript#579). kubectl's rules
 * (k8s.io/client-go/tools/clientcmd/loader.go, "Organizing Cluster Access Using kubeconfig Files" on kubernetes.io):
 * with KUBECONFIG set, its files are merged and the first file to define a cluster, user or context name wins, and
 * the first file that sets current-context wins; without it, only `~/.kube/config` is read.
 */
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeconfigFile {
  path: string;
  text: string;
}

export interface ExecSpec {
  apiVersion?: string;
  command: string;
  args: string[];
  env: { name: string; value: string }[];
}

export interface KubeContext {
  name: string;
  /** The file that defines the context (the one kubectl would change). */
  file: string;
  current: boolean;
  namespace?: string;
  cluster?: { name: string; server: string; caData?: string; caFile?: string; skipTLSVerify: boolean };
  user?: { name: string; file: string; exec?: ExecSpec; hasStaticCredentials: boolean };
  /** What is missing for kubectl to use the context at all. */
  problems: string[];
}

export interface Kubeconfig {
  contexts: KubeContext[];
  currentContext?: string;
  /** Files that could not be read as a kubeconfig: kubectl fails on them too. */
  errors: { path: string; message: string }[];
}

/** The files kubectl reads: every KUBECONFIG entry (path-delimited, empty ones skipped), else ~/.kube/config. */
export function kubeconfigPaths(env: { KUBECONFIG?: string }, home: string, delimiter: string): string[] {
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p.length > 0);
  return listed.length ? [...new Set(listed)] : [`${home}/.kube/config`];
}

function execOf(raw: unknown): ExecSpec | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const e = raw as { apiVersion?: unknown; command?: unknown; args?: unknown; env?: unknown };
  if (typeof e.command !== 'string') return undefined;
  const args = Array.isArray(e.args) ? e.args.map((a) => String(a)) : [];
  const env = Array.isArray(e.env) ? e.env.filter((v): v is { name: unknown; value: unknown } => !!v && typeof v === 'object').map((v) => ({ name: String(v.name ?? ''), value: String(v.value ?? '') })) : [];
  return { apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : undefined, command: e.command, args, env };
}

export function readKubeconfig(files: KubeconfigFile[]): Kubeconfig {
  const errors: Kubeconfig['errors'] = [];
  const clusters = new Map<string, { file: string; value: KubeConfig['clusters'][number] }>();
  const users = new Map<string, { file: string; value: KubeConfig['users'][number] }>();
  const contexts = new Map<string, { file: string; value: KubeConfig['contexts'][number] }>();
  let currentContext: string | undefined;
  for (const file of files) {
    if (!file.text.trim()) continue;
    const kc = new KubeConfig();
    try {
      kc.loadFromString(file.text, { onInvalidEntry: 'filter' });
    } catch (e) {
      errors.push({ path: file.path, message: (e as Error).message.split('\n')[0] });
      continue;
    }
    for (const c of kc.clusters) if (!clusters.has(c.name)) clusters.set(c.name, { file: file.path, value: c });
    for (const u of kc.users) if (!users.has(u.name)) users.set(u.name, { file: file.path, value: u });
    for (const c of kc.contexts) if (!contexts.has(c.name)) contexts.set(c.name, { file: file.path, value: c });
    if (currentContext === undefined && kc.currentContext) currentContext = kc.currentContext;
  }
  const result: KubeContext[] = [];
  for (const [name, { file, value }] of contexts) {
    const problems: string[] = [];
    const cluster = clusters.get(value.cluster)?.value;
    const userEntry = value.user ? users.get(value.user) : undefined;
    if (!cluster) problems.push(`The context names cluster "${value.cluster}", which no kubeconfig file defines.`);
    if (value.user && !userEntry) problems.push(`The context names user "${value.user}", which no kubeconfig file defines.`);
    const user = userEntry?.value;
    result.push({
      name,
      file,
      current: name === currentContext,
      namespace: value.namespace,
      cluster: cluster ? { name: cluster.name, server: cluster.server, caData: cluster.caData, caFile: cluster.caFile, skipTLSVerify: cluster.skipTLSVerify } : undefined,
      user: user ? { name: user.name, file: userEntry!.file, exec: execOf(user.exec), hasStaticCredentials: !!(user.token || user.certData || user.certFile || user.password) } : undefined,
      problems,
    });
  }
  // The current context first, then the file's order.
  result.sort((a, b) => Number(b.current) - Number(a.current));
  return { contexts: result, currentContext, errors };
}
