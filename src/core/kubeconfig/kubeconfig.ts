/**
 * The user's kubeconfig as kubectl reads it: each file parsed with `@kubernetes/client-node`, then merged by
 * kubectl's rules, which client-node's own `mergeConfig` does not follow (it throws on a name two files share and
 * lets the last file's current-context win: kubernetes-client/javascript#579). kubectl's rules
 * (k8s.io/client-go/tools/clientcmd/loader.go, "Organizing Cluster Access Using kubeconfig Files" on kubernetes.io):
 * with KUBECONFIG set, its files are merged and the first file to define a cluster, user or context name wins, and
 * the first file that sets current-context wins; without it, only `~/.kube/config` is read.
 */
import * as path from 'path';
import { KubeConfig } from '@kubernetes/client-node';
import { fileFields, type FileFields, type WrittenFields } from './writtenFields';

export interface KubeconfigFile {
  path: string;
  text: string;
}

export interface ExecSpec {
  apiVersion?: string;
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  /** `Never`, `IfAvailable` or `Always` (client-go api/types.go ExecInteractiveMode); v1 requires it. */
  interactiveMode?: string;
  provideClusterInfo?: boolean;
  installHint?: string;
}

/** Every field of a cluster entry that decides how kubectl connects (client-go rest/transport from the kubeconfig). */
export interface ClusterEntry {
  name: string;
  /** The file that defines the cluster entry (the one a repair changes). */
  file?: string;
  server: string;
  caData?: string;
  /** Resolved against the directory of the file that defines the cluster, as client-go's loader resolves it. */
  caFile?: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

export interface KubeContext {
  name: string;
  /** The file that defines the context (the one kubectl would change). */
  file: string;
  current: boolean;
  namespace?: string;
  cluster?: ClusterEntry;
  user?: { name: string; file: string; exec?: ExecSpec; hasStaticCredentials: boolean; certFile?: string; certData?: string; keyFile?: string; keyData?: string };
  /** What is missing for kubectl to use the context at all. */
  problems: string[];
  /** Every field name its context, cluster, user and exec entries are written with, for a fix that replaces them. */
  written?: WrittenFields;
}

export interface Kubeconfig {
  contexts: KubeContext[];
  currentContext?: string;
  /** Files that could not be read as a kubeconfig: kubectl fails on them too. */
  errors: { path: string; message: string }[];
  /**
   * What plain `kubectl` (no --context) fails on before any request, in its words (kubectl 1.32 on this machine):
   * `missing-context`: "Error in configuration: context was not found for specified context: NAME";
   * `no-current-context`: an empty or absent current-context, where kubectl falls back to http://localhost:8080
   * ("The connection to the server localhost:8080 was refused - did you specify the right host or port?").
   */
  currentContextProblem?: { kind: 'missing-context' | 'no-current-context'; message: string };
}

/** The files kubectl reads: every KUBECONFIG entry (path-delimited, empty ones skipped), else ~/.kube/config. */
export function kubeconfigPaths(env: { KUBECONFIG?: string }, home: string, delimiter: string): string[] {
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p.length > 0);
  return listed.length ? [...new Set(listed)] : [`${home}/.kube/config`];
}

function execOf(raw: unknown): ExecSpec | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const e = raw as { apiVersion?: unknown; command?: unknown; args?: unknown; env?: unknown; interactiveMode?: unknown; provideClusterInfo?: unknown; installHint?: unknown };
  if (typeof e.command !== 'string') return undefined;
  const args = Array.isArray(e.args) ? e.args.map((a) => String(a)) : [];
  const env = Array.isArray(e.env) ? e.env.filter((v): v is { name: unknown; value: unknown } => !!v && typeof v === 'object').map((v) => ({ name: String(v.name ?? ''), value: String(v.value ?? '') })) : [];
  return {
    apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : undefined,
    command: e.command,
    args,
    env,
    ...(typeof e.interactiveMode === 'string' ? { interactiveMode: e.interactiveMode } : {}),
    ...(e.provideClusterInfo === true ? { provideClusterInfo: true } : {}),
    ...(typeof e.installHint === 'string' ? { installHint: e.installHint } : {}),
  };
}

/**
 * client-go's loader resolves file references against the directory of the kubeconfig that names them
 * (tools/clientcmd/loader.go ResolveLocalPaths, GetAuthInfoFileReferences): CA, client certificate and key files, and
 * the exec command only when it contains a path separator ("Only resolve exec command if it isn't PATH based").
 */
function resolveFrom(file: string, ref: string | undefined): string | undefined {
  if (!ref) return ref;
  const p = /^[A-Za-z]:[\\/]|^\\\\/.test(file) || file.includes('\\') ? path.win32 : path.posix;
  return p.isAbsolute(ref) ? ref : p.join(p.dirname(file), ref);
}

function resolveExecCommand(file: string, exec: ExecSpec | undefined): ExecSpec | undefined {
  if (!exec) return exec;
  const windows = file.includes('\\') || /^[A-Za-z]:/.test(file);
  const separator = windows ? '\\' : '/';
  return exec.command.includes(separator) ? { ...exec, command: resolveFrom(file, exec.command)! } : exec;
}

export function readKubeconfig(files: KubeconfigFile[]): Kubeconfig {
  const errors: Kubeconfig['errors'] = [];
  const clusters = new Map<string, { file: string; value: KubeConfig['clusters'][number] }>();
  const users = new Map<string, { file: string; value: KubeConfig['users'][number] }>();
  const contexts = new Map<string, { file: string; value: KubeConfig['contexts'][number] }>();
  let currentContext: string | undefined;
  // Every field name of a file, parsed only when a fix asks for it (updateKubeconfigLoss.ts): most reads never do.
  const fieldsOf = new Map<string, () => FileFields>();
  for (const file of files) {
    if (!file.text.trim()) continue;
    const kc = new KubeConfig();
    try {
      kc.loadFromString(file.text, { onInvalidEntry: 'filter' });
    } catch (e) {
      // kubectl's words around the parser's own: `error loading config file "PATH": yaml: line 3: ...`.
      errors.push({ path: file.path, message: `error loading config file "${file.path}": ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    let fields: FileFields | undefined;
    fieldsOf.set(file.path, () => (fields ??= fileFields(file.text)));
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
    const clusterFile = clusters.get(value.cluster)?.file;
    const writtenFields = (): WrittenFields => {
      const userFields = userEntry ? fieldsOf.get(userEntry.file)?.().users.get(userEntry.value.name) : undefined;
      return { context: fieldsOf.get(file)?.().contexts.get(name) ?? [], cluster: (clusterFile && fieldsOf.get(clusterFile)?.().clusters.get(value.cluster)) || [], user: userFields?.user ?? [], exec: userFields?.exec ?? [] };
    };
    let written: WrittenFields | undefined;
    result.push({
      name,
      file,
      current: name === currentContext,
      namespace: value.namespace,
      cluster: cluster
        ? {
            name: cluster.name,
            file: clusters.get(value.cluster)!.file,
            server: cluster.server,
            caData: cluster.caData,
            caFile: resolveFrom(clusters.get(value.cluster)!.file, cluster.caFile),
            skipTLSVerify: !!cluster.skipTLSVerify,
            ...(cluster.tlsServerName ? { tlsServerName: cluster.tlsServerName } : {}),
            ...(cluster.proxyUrl ? { proxyUrl: cluster.proxyUrl } : {}),
          }
        : undefined,
      user: user
        ? {
            name: user.name,
            file: userEntry!.file,
            exec: resolveExecCommand(userEntry!.file, execOf(user.exec)),
            hasStaticCredentials: !!(user.token || user.certData || user.certFile || user.password),
            ...(user.certFile ? { certFile: resolveFrom(userEntry!.file, user.certFile) } : {}),
            ...(user.certData ? { certData: user.certData } : {}),
            ...(user.keyFile ? { keyFile: resolveFrom(userEntry!.file, user.keyFile) } : {}),
            ...(user.keyData ? { keyData: user.keyData } : {}),
          }
        : undefined,
      problems,
      get written() {
        return (written ??= writtenFields());
      },
    });
  }
  // The current context first, then the file's order.
  result.sort((a, b) => Number(b.current) - Number(a.current));
  let currentContextProblem: Kubeconfig['currentContextProblem'];
  if (files.some((f) => f.text.trim()) && !errors.length) {
    if (!currentContext) currentContextProblem = { kind: 'no-current-context', message: 'No current-context is set: plain kubectl falls back to http://localhost:8080 ("The connection to the server localhost:8080 was refused - did you specify the right host or port?"). Choose one with kubectl config use-context NAME.' };
    else if (!contexts.has(currentContext)) currentContextProblem = { kind: 'missing-context', message: `Error in configuration: context was not found for specified context: ${currentContext}` };
  }
  return { contexts: result, currentContext, errors, ...(currentContextProblem ? { currentContextProblem } : {}) };
}
