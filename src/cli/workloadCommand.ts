/** `eks-auth workload explain`, offline: why a pod gets, or does not get, its IAM role (docs/workload-identity.md). */
import { explainWorkload, issuerHostPath } from '../core/workload/explain';
import { gatherWorkload, NAMESPACED_NAME, type WorkloadGateways, type WorkloadTarget } from '../core/workload/gather';
import { InputFileError, readAddon, readAssociation, readOidcProviders, readPod } from '../core/workload/inputFiles';
import { IRSA_ANNOTATIONS, type WorkloadInputs } from '../core/workload/model';
import { PolicyReadError, readTrustPolicy } from '../core/workload/policyDocument';
import { formatWorkload, WORKLOAD_FORMATS, type WorkloadFormat } from '../core/workload/report';
import { parseSdk } from '../core/workload/sdkVersions';
import type { CliIo } from './commands';
import { readInput } from './inputs';

export const WORKLOAD_USAGE = `  eks-auth workload explain --service-account NS/SA --oidc-issuer URL --trust-policy FILE
                [--role-arn ARN] [--association FILE] [--target-trust-policy FILE] [--pod FILE]
                [--oidc-providers FILE] [--addon FILE] [--sdk NAME@VERSION] [--format text|json|markdown]
  eks-auth workload explain --live --cluster NAME --region REGION [--profile P] (--service-account NS/SA | --pod-name NS/NAME)
                [--sdk NAME@VERSION] [--format text|json|markdown]
                                                          which IAM role a pod gets through IRSA or EKS Pod Identity
                                                          (exit 1: it does not get it)
`;

/** The live side, injected so the command is tested with fakes: the cluster described, and its gateways. */
export interface WorkloadLiveIo {
  connect(profile: string | undefined, region: string, cluster: string): Promise<{ cluster: { name: string; arn?: string; region: string; accountId?: string; oidcIssuer?: string }; gateways: WorkloadGateways }>;
}

const OPTIONS = ['service-account', 'oidc-issuer', 'trust-policy', 'role-arn', 'association', 'target-trust-policy', 'pod', 'oidc-providers', 'addon', 'sdk', 'format', 'cluster', 'account', 'region', 'live', 'profile', 'pod-name'];
const FLAGS = ['live'];
const NS_NAME = NAMESPACED_NAME;

/** A file's text; an unreadable file is an input error (exit 2). */
function text(io: CliIo, file: string): string {
  try {
    return readInput(io, file);
  } catch (e) {
    throw new InputFileError((e as Error).message);
  }
}

function json(io: CliIo, file: string): unknown {
  const body = text(io, file);
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new InputFileError(`${file}: not JSON: ${(e as Error).message}`);
  }
}

/** The account that owns the OIDC provider a trust policy names for this issuer, when no role ARN says it. */
function accountFromTrust(text: string, issuer: string): string | undefined {
  let policy;
  try {
    policy = readTrustPolicy(text);
  } catch (e) {
    if (e instanceof PolicyReadError) return undefined;
    throw e;
  }
  const hostPath = issuerHostPath(issuer);
  for (const s of policy.statements) {
    const fed = s.Principal && s.Principal !== '*' ? s.Principal.Federated : undefined;
    for (const f of Array.isArray(fed) ? fed : fed ? [fed] : []) {
      const m = /^arn:[^:]+:iam::(\d{12}):oidc-provider\/(.+)$/.exec(f);
      if (m && issuerHostPath(m[2]) === hostPath) return m[1];
    }
  }
  return undefined;
}

export async function workloadCommand(args: string[], io: CliIo & { workload?: WorkloadLiveIo }): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'explain') {
    io.stderr(`eks-auth workload: expected "explain"\n${WORKLOAD_USAGE}`);
    return 2;
  }
  const opts: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(rest[i]);
    if (!m || !OPTIONS.includes(m[1])) {
      io.stderr(`eks-auth workload explain: unknown argument: ${rest[i]}\n${WORKLOAD_USAGE}`);
      return 2;
    }
    opts[m[1]] = FLAGS.includes(m[1]) ? 'true' : (m[2] ?? rest[++i] ?? '');
  }
  const format = (opts.format ?? 'text') as WorkloadFormat;
  if (!WORKLOAD_FORMATS.includes(format)) {
    io.stderr(`eks-auth workload explain: --format must be one of ${WORKLOAD_FORMATS.join(', ')}, not: ${opts.format}\n`);
    return 2;
  }
  const sdk = opts.sdk !== undefined ? parseSdk(opts.sdk) : undefined;
  if (opts.sdk !== undefined && !sdk) {
    io.stderr('eks-auth workload explain: --sdk is NAME@VERSION, for example js-v3@3.458.0\n');
    return 2;
  }
  if (opts.live) return live(opts, format, sdk, io);
  let inputs: WorkloadInputs;
  try {
    const pod = opts.pod ? readPod(json(io, opts.pod)) : undefined;
    const saText = opts['service-account'] ?? (pod ? `${pod.namespace}/${pod.serviceAccountName ?? 'default'}` : undefined);
    const sa = saText ? NS_NAME.exec(saText) : null;
    if (!sa) throw new UsageError('needs --service-account NAMESPACE/NAME (or a --pod to take it from)');
    if (!opts['trust-policy'] && !opts.association) throw new UsageError('needs --trust-policy FILE (the role\'s trust policy, as written or as GetRole returns it)');
    const [namespace, name] = [sa[1], sa[3]];
    const association = opts.association ? readAssociation(json(io, opts.association), namespace, name) : null;
    if (opts.association && !association) throw new InputFileError(`${opts.association}: no association for ${namespace}/${name}`);
    const trust = opts['trust-policy'] ? text(io, opts['trust-policy']) : undefined;
    const trustPolicies: Record<string, string> = {};
    if (association && trust !== undefined) trustPolicies[association.roleArn] = trust;
    if (opts['role-arn'] && trust !== undefined) trustPolicies[opts['role-arn']] = trust;
    if (opts['target-trust-policy']) {
      if (!association?.targetRoleArn) throw new UsageError('--target-trust-policy needs an --association with a targetRoleArn');
      trustPolicies[association.targetRoleArn] = text(io, opts['target-trust-policy']);
    }
    const roleFromPod = pod?.containers.flatMap((c) => c.env ?? []).find((e) => e.name === 'AWS_ROLE_ARN')?.value;
    const irsaRole = association ? undefined : (opts['role-arn'] ?? roleFromPod);
    if (irsaRole && trust !== undefined) trustPolicies[irsaRole] ??= trust;
    const issuer = opts['oidc-issuer'];
    if (!association && !issuer) throw new UsageError('IRSA needs --oidc-issuer URL (aws eks describe-cluster --query cluster.identity.oidc.issuer)');
    inputs = {
      cluster: { name: opts.cluster, region: opts.region, accountId: opts.account ?? (issuer && trust !== undefined ? accountFromTrust(trust, issuer) : undefined), oidcIssuer: issuer },
      serviceAccount: { namespace, name, annotations: irsaRole ? { [IRSA_ANNOTATIONS.roleArn]: irsaRole } : undefined },
      association,
      trustPolicies,
      unnamedRoleTrustPolicy: !association && !irsaRole ? trust : undefined,
      oidcProviders: opts['oidc-providers'] ? readOidcProviders(json(io, opts['oidc-providers'])) : undefined,
      pod,
      agent: opts.addon ? readAddon(json(io, opts.addon)) : undefined,
      sdk,
    };
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`eks-auth workload explain: ${e.message}\n${WORKLOAD_USAGE}`);
      return 2;
    }
    if (e instanceof InputFileError) {
      io.stderr(`eks-auth workload explain: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
  const explanation = explainWorkload(inputs);
  io.stdout(formatWorkload(explanation, `${inputs.serviceAccount.namespace}/${inputs.serviceAccount.name}`, format));
  return explanation.works ? 0 : 1;
}

class UsageError extends Error {}

async function live(opts: Record<string, string>, format: WorkloadFormat, sdk: WorkloadInputs['sdk'], io: CliIo & { workload?: WorkloadLiveIo }): Promise<number> {
  const sa = opts['service-account'] ? NS_NAME.exec(opts['service-account']) : null;
  const pod = opts['pod-name'] ? NS_NAME.exec(opts['pod-name']) : null;
  const offlineOnly = ['trust-policy', 'association', 'target-trust-policy', 'pod', 'oidc-providers', 'addon', 'oidc-issuer', 'role-arn'].filter((k) => opts[k] !== undefined);
  if (!opts.cluster || !opts.region || !!sa === !!pod || offlineOnly.length) {
    io.stderr(`eks-auth workload explain --live: needs --cluster, --region and one of --service-account NS/SA or --pod-name NS/NAME${offlineOnly.length ? `; --${offlineOnly.join(', --')} are for the offline form` : ''}\n${WORKLOAD_USAGE}`);
    return 2;
  }
  if (!io.workload) {
    io.stderr('eks-auth workload explain --live: not available here\n');
    return 2;
  }
  const target: WorkloadTarget = sa ? { serviceAccount: { namespace: sa[1], name: sa[3] } } : { pod: { namespace: pod![1], name: pod![3] } };
  let inputs: WorkloadInputs;
  try {
    const { cluster, gateways } = await io.workload.connect(opts.profile, opts.region, opts.cluster);
    inputs = { ...(await gatherWorkload(gateways, cluster, target)), sdk };
  } catch (e) {
    io.stderr(`eks-auth workload explain: ${(e as Error).message}\n`);
    return 1;
  }
  const explanation = explainWorkload(inputs);
  io.stdout(formatWorkload(explanation, `${inputs.serviceAccount.namespace}/${inputs.serviceAccount.name}`, format));
  return explanation.works ? 0 : 1;
}
