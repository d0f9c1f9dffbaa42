/**
 * `eks-auth doctor [--context NAME] [--format text|json|markdown] [--verb V --resource R [--namespace N]]
 * [--explain-profile P ...] [--timeout SECONDS]`: the kubeconfig doctor for terminals and CI. It runs each context's
 * exec plugin as kubectl does. A refused identity usually cannot read the cluster's access configuration;
 * --explain-profile names profiles that can, for the model's explanation; no other profile is ever loaded for it.
 * --timeout limits each step (a plugin gets at least 60 s unless --timeout is lower). Exit 0 when every EKS context
 * works, 1 when one fails or a kubeconfig file is broken, 2 on a usage error, 3 when only warnings remain.
 */
import type { AccessQuestion, ContextReport, DoctorDeps } from '../core/kubeconfig/doctor';
import { diagnoseContext } from '../core/kubeconfig/doctor';
import { explainWithChosenProfiles } from '../core/kubeconfig/explainRefusal';
import { doctorExitCode, doctorMarkdown, doctorText, publicReports } from '../core/kubeconfig/doctorReport';
import { shellKindOf } from '../core/shell/commandLine';
import { kubeconfigPaths, readKubeconfig, type KubeconfigFile } from '../core/kubeconfig/kubeconfig';
import type { CliIo } from './commands';

export const DOCTOR_USAGE = `  eks-auth doctor [--context NAME] [--format text|json|markdown] [--verb list --resource pods --namespace NS]
                  [--explain-profile PROFILE ...] [--timeout SECONDS]
                                                           why kubectl fails, context by context (exit 1: a context fails)
`;

export interface DoctorIo extends CliIo {
  env: Record<string, string | undefined>;
  home: string;
  pathDelimiter: string;
  /** Undefined when the file does not exist. */
  readOptional(path: string): string | undefined;
  /** `explainProfiles`: profiles that can read the clusters' access configuration, to explain a refusal. */
  deps(explainProfiles: string[]): Promise<DoctorDeps>;
}

export async function doctorCommand(args: string[], io: DoctorIo): Promise<number> {
  let context: string | undefined;
  let format = 'text';
  let timeoutSeconds: number | undefined;
  const question: AccessQuestion = { verb: 'list', resource: 'pods' };
  const explainProfiles: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = args[i + 1];
    if (value === undefined || !['--context', '--format', '--verb', '--resource', '--namespace', '--explain-profile', '--timeout'].includes(a)) {
      io.stderr(`eks-auth doctor: unknown or incomplete argument: ${a}\n${DOCTOR_USAGE}`);
      return 2;
    }
    i++;
    if (a === '--context') context = value;
    else if (a === '--format') format = value;
    else if (a === '--verb') question.verb = value;
    else if (a === '--resource') question.resource = value;
    else if (a === '--explain-profile') explainProfiles.push(value);
    else if (a === '--timeout') {
      timeoutSeconds = Number(value);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
        io.stderr(`eks-auth doctor: --timeout is a number of seconds above 0\n${DOCTOR_USAGE}`);
        return 2;
      }
    } else question.namespace = value;
  }
  if (format !== 'text' && format !== 'json' && format !== 'markdown') {
    io.stderr(`eks-auth doctor: --format is text, json or markdown\n${DOCTOR_USAGE}`);
    return 2;
  }
  const files: KubeconfigFile[] = [];
  for (const p of kubeconfigPaths(io.env, io.home, io.pathDelimiter)) {
    let text: string | undefined;
    try {
      text = io.readOptional(p);
    } catch (e) {
      // kubectl fails on a listed file it cannot read (a directory, no permission) rather than skipping it.
      io.stderr(`eks-auth doctor: cannot read the kubeconfig ${p}: ${(e as Error).message}\n`);
      return 2;
    }
    if (text !== undefined) files.push({ path: p, text });
  }
  const config = readKubeconfig(files);
  for (const e of config.errors) io.stderr(`eks-auth doctor: ${e.path}: ${e.message}\n`);
  if (!files.length) {
    io.stderr(`eks-auth doctor: no kubeconfig found (${kubeconfigPaths(io.env, io.home, io.pathDelimiter).join(', ')}). Write one with: aws eks update-kubeconfig --name CLUSTER --region REGION\n`);
    return 2;
  }
  if (config.errors.length && !config.contexts.length) return 2;
  // Plain kubectl (no --context) fails on these before any request; a named context is still checked.
  if (config.currentContextProblem && !context) io.stderr(`eks-auth doctor: kubectl without --context: ${config.currentContextProblem.message}\n`);
  const chosen = context ? config.contexts.filter((c) => c.name === context) : config.contexts;
  if (context && !chosen.length) {
    io.stderr(`eks-auth doctor: no context named ${context}; the kubeconfig has ${config.contexts.map((c) => c.name).join(', ') || 'none'}\n`);
    return 2;
  }
  const deps = await io.deps(explainProfiles);
  const options = timeoutSeconds ? { stepTimeoutMs: timeoutSeconds * 1000, pluginTimeoutMs: timeoutSeconds * 1000 } : {};
  // Contexts are independent: check them together, as their AWS and Kubernetes calls mostly wait.
  const reports: ContextReport[] = await Promise.all(chosen.map((c) => diagnoseContext(c, deps, question, options)));
  const shown = publicReports(reports);
  io.stdout(
    format === 'json'
      ? `${JSON.stringify({ contexts: shown, errors: config.errors, ...(config.currentContextProblem ? { currentContextProblem: config.currentContextProblem } : {}) }, null, 2)}\n`
      : format === 'markdown'
        ? `${doctorMarkdown(shown)}\n`
        : doctorText(shown, shellKindOf(io.env.SHELL, process.platform)),
  );
  // kubectl refuses to load a merged kubeconfig when one of its files is broken, whatever the context; plain kubectl
  // also fails on a current-context that names nothing.
  return config.errors.length || (config.currentContextProblem?.kind === 'missing-context' && !context) ? 1 : doctorExitCode(reports);
}

/**
 * The model's explanation for the CLI: only with the profiles named by --explain-profile, and only those in the
 * cluster's account. Without one, no profile is loaded and the report says how to get an explanation.
 */
export function cliExplainer(readers: string[]): DoctorDeps['explainDenied'] {
  return async (cluster, principalArn) => {
    if (!readers.length) return undefined;
    const [{ ClusterAccessService }, { CliGateways }] = await Promise.all([import('../core/clusters/clusterAccess'), import('./cliGateways')]);
    const gateways = new CliGateways();
    const chosen = readers.map((profile) => ({ profile, account: async () => (await (await gateways.stsFor(profile, cluster.region)).getCallerIdentity()).account }));
    return explainWithChosenProfiles(new ClusterAccessService(gateways), cluster, principalArn, chosen);
  };
}
