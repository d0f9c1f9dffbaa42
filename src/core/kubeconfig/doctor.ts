/**
 * "Why does my kubectl get Unauthorized?": one context of the user's kubeconfig walked through the six steps of the
 * EKS authentication flow, each with its evidence, a verdict and the fix, ending with the cluster's own answer
 * (SelfSubjectReview, SelfSubjectAccessReview) rather than only the authenticator model's. Every call goes through
 * injected dependencies, so the extension, the CLI and the tests run the same walk. No token, secret or session
 * credential is ever put into the report.
 */
import type { AccessExplanation } from '../access/explain';
import type { TokenCredentials } from '../aws/token';
import { trimTrailing } from '../linearText';
import { describeExec, ExecPlugin, updateKubeconfigExec } from './execPlugin';
import type { ExecSpec, KubeContext } from './kubeconfig';

export type StepId = 'request' | 'exec' | 'token' | 'sts' | 'mapping' | 'rbac';
export type StepStatus = 'pass' | 'fail' | 'warn' | 'skip';

export type DoctorFix =
  | { kind: 'ssoLogin'; label: string; profile: string }
  | { kind: 'rewriteExec'; label: string; file: string; user: string; exec: ExecSpec }
  | { kind: 'updateKubeconfig'; label: string; argv: string[] }
  | { kind: 'createAccessEntry' | 'openAwsAuth'; label: string; cluster: { profile?: string; region: string; cluster: string }; principalArn: string };

export interface DoctorStep {
  id: StepId;
  title: string;
  status: StepStatus;
  evidence: string[];
  fixes: DoctorFix[];
}

export interface ContextReport {
  context: string;
  current: boolean;
  /** `not-eks`: the context does not make EKS tokens, so there is nothing of ours to check. */
  verdict: 'ok' | 'fail' | 'warn' | 'not-eks';
  summary: string;
  plugin?: ExecPlugin;
  identityArn?: string;
  username?: string;
  groups?: string[];
  steps: DoctorStep[];
}

export const STEP_TITLES: Record<StepId, string> = {
  request: '1. kubectl sends the request to the cluster in the kubeconfig',
  exec: '2. The exec plugin makes a token from a presigned STS GetCallerIdentity request',
  token: '3. The API server hands the token to the authenticator',
  sts: '4. The authenticator asks STS who is calling',
  mapping: '5. An access entry or aws-auth maps the IAM principal to a username and groups',
  rbac: '6. RBAC authorises the request',
};

export interface AccessQuestion {
  verb: string;
  resource: string;
  namespace?: string;
  group?: string;
}

/** A Kubernetes API answer, or the HTTP status and message it refused with. */
export type KubeAnswer<T> = { ok: true; value: T } | { ok: false; code: number; message: string };

export interface ClusterAsk {
  /** SelfSubjectReview (authentication.k8s.io/v1, served from Kubernetes 1.28; 404 before). */
  whoami(): Promise<KubeAnswer<{ username: string; groups: string[]; uid?: string }>>;
  canI(q: AccessQuestion): Promise<KubeAnswer<{ allowed: boolean; reason?: string }>>;
  /** SelfSubjectRulesReview: what the identity may do in a namespace, as `verbs resources` lines. */
  rules(namespace: string): Promise<KubeAnswer<string[]>>;
}

export interface SsoSession {
  /** The IAM Identity Center session's end, from the SSO token cache; undefined when no cached token was found. */
  expiresAt?: Date;
  startUrl?: string;
}

export interface DoctorDeps {
  /** The editor's environment, for AWS_PROFILE, AWS_REGION and PATH. */
  env: Record<string, string | undefined>;
  now(): number;
  findOnPath(command: string): Promise<string | undefined>;
  /** The profile as the shared config files define it; `exists` false when they do not. */
  profile(name: string | undefined): Promise<{ exists: boolean; region?: string; sso?: SsoSession }>;
  credentials(profile: string | undefined): Promise<TokenCredentials & { expiration?: Date }>;
  assumeRole(credentials: TokenCredentials, roleArn: string, region: string): Promise<TokenCredentials & { expiration?: Date }>;
  callerIdentity(credentials: TokenCredentials, region: string): Promise<{ arn: string; account: string }>;
  describeCluster(credentials: TokenCredentials, region: string, name: string): Promise<{ arn?: string; endpoint?: string; caData?: string; status?: string }>;
  /** The bearer token the exec plugin would make (`k8s-aws-v1.`...), made in-process with the same credentials. */
  eksToken(clusterName: string, region: string, credentials: TokenCredentials, now: Date): Promise<string>;
  cluster(server: string, caData: string | undefined, token: string): ClusterAsk;
  /** The authenticator model's explanation for a principal the cluster refused; undefined when it cannot be read. */
  explainDenied(cluster: { profile?: string; region: string; cluster: string }, principalArn: string): Promise<AccessExplanation | undefined>;
}

export function formatAge(ms: number): string {
  const abs = Math.abs(ms);
  const text = abs < 90_000 ? `${Math.round(abs / 1000)} s` : abs < 90 * 60_000 ? `${Math.round(abs / 60_000)} min` : abs < 48 * 3600_000 ? `${Math.round(abs / 3600_000)} h` : `${Math.round(abs / 86400_000)} days`;
  return ms >= 0 ? `expires in ${text}` : `expired ${text} ago`;
}

/** The region in an EKS endpoint host (`ABC.gr7.us-west-2.eks.amazonaws.com`), a hint when the exec names none. */
export function regionOfEndpoint(server: string): string | undefined {
  return /\.([a-z]{2}(?:-[a-z]+)+-\d)\.eks\.amazonaws\.com(?:\.cn)?(?::\d+)?(?:\/|$)/.exec(server)?.[1];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];
const errorName = (e: unknown) => (e as { name?: string } | undefined)?.name ?? '';

/** The `aws eks update-kubeconfig` program and arguments for a cluster, quoted later for the shell that runs them. */
function updateKubeconfigArgv(cluster: string, region: string, profile?: string): string[] {
  return ['aws', 'eks', 'update-kubeconfig', '--name', cluster, '--region', region, ...(profile ? ['--profile', profile] : [])];
}

/** The program and arguments a fix runs in a terminal, or undefined for a fix that runs none. */
export function fixArgv(fix: DoctorFix): string[] | undefined {
  if (fix.kind === 'updateKubeconfig') return fix.argv;
  if (fix.kind === 'ssoLogin') return ['aws', 'sso', 'login', '--profile', fix.profile];
  return undefined;
}

/**
 * The exec block a fix writes: for `aws eks get-token`, the form `aws eks update-kubeconfig` writes, keeping the
 * user's aws executable and any other environment variables; for other plugins only the apiVersion changes.
 */
function rewrittenExec(exec: ExecSpec, plugin: ExecPlugin, clusterName: string, region: string): ExecSpec {
  if (plugin.kind !== 'aws-cli' || plugin.wrapper) return { ...exec, apiVersion: 'client.authentication.k8s.io/v1beta1' };
  const fresh = updateKubeconfigExec({ name: clusterName, region }, plugin.profile.name, plugin.roleArn);
  const kept = exec.env.filter((e) => e.name !== 'AWS_PROFILE' && e.name !== 'AWS_REGION' && e.name !== 'AWS_DEFAULT_REGION');
  return { ...fresh, command: exec.command, env: [...fresh.env, ...kept] };
}

class Walk {
  readonly steps: DoctorStep[] = [];
  step(id: StepId): DoctorStep {
    const s: DoctorStep = { id, title: STEP_TITLES[id], status: 'pass', evidence: [], fixes: [] };
    this.steps.push(s);
    return s;
  }
  skipRest() {
    for (const id of Object.keys(STEP_TITLES) as StepId[]) if (!this.steps.some((s) => s.id === id)) this.steps.push({ id, title: STEP_TITLES[id], status: 'skip', evidence: ['Not checked: an earlier step failed.'], fixes: [] });
  }
}

export async function diagnoseContext(ctx: KubeContext, deps: DoctorDeps, question: AccessQuestion = { verb: 'list', resource: 'pods' }, isCancelled: () => boolean = () => false): Promise<ContextReport> {
  const base = { context: ctx.name, current: ctx.current };
  const exec = ctx.user?.exec;
  if (!exec || !ctx.cluster) {
    const why = ctx.problems[0] ?? (ctx.user?.hasStaticCredentials ? 'The context authenticates with a static token or certificate, not an EKS exec plugin.' : 'The context has no exec plugin.');
    return { ...base, verdict: ctx.problems.length ? 'fail' : 'not-eks', summary: why, steps: [] };
  }
  const plugin = describeExec(exec, deps.env);
  if (plugin.kind === 'unknown') {
    return { ...base, verdict: 'not-eks', plugin, summary: `The exec plugin ${exec.command} is not one EKS Auth Explorer recognises (aws eks get-token, aws-iam-authenticator token, aws-vault exec ... -- aws ...).`, steps: [] };
  }
  const walk = new Walk();
  const report = (verdict: ContextReport['verdict'], summary: string, extra: Partial<ContextReport> = {}): ContextReport => {
    walk.skipRest();
    const order = Object.keys(STEP_TITLES);
    walk.steps.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
    return { ...base, verdict, summary, plugin, steps: walk.steps, ...extra };
  };

  // Step 1: where kubectl sends the request. Compared with EKS once the identity is known (below).
  const request = walk.step('request');
  request.evidence.push(`server ${ctx.cluster.server}`, ctx.cluster.caData ? 'CA from certificate-authority-data' : ctx.cluster.caFile ? `CA file ${ctx.cluster.caFile}` : 'no CA in the kubeconfig');
  if (ctx.cluster.skipTLSVerify) {
    request.status = 'warn';
    request.evidence.push('insecure-skip-tls-verify is set: kubectl does not check who answers.');
  }

  // Step 2: the exec plugin, the profile and the credentials it would use.
  const execStep = walk.step('exec');
  const profileName = plugin.profile.name;
  const profile = await deps.profile(profileName);
  let region = plugin.region.name;
  let regionSource: string = plugin.region.source;
  if (!region && profile.region) {
    region = profile.region;
    regionSource = 'profile config';
  }
  const endpointRegion = regionOfEndpoint(ctx.cluster.server);
  execStep.evidence.push(
    `plugin ${plugin.kind === 'aws-cli' ? 'aws eks get-token' : 'aws-iam-authenticator token'}${plugin.wrapper ? ` inside aws-vault exec ${plugin.wrapper.profile}` : ''}`,
    `apiVersion ${plugin.apiVersion ?? '(none)'}`,
    `cluster name ${plugin.clusterName ?? plugin.outpostClusterId ?? '(none)'}`,
    `profile ${profileName ?? 'default'} (${plugin.profile.source})`,
    `region ${region ?? '(none)'} (${regionSource})`,
    ...(plugin.roleArn ? [`role ${plugin.roleArn}`] : []),
  );
  const fixedExec = (clusterName: string, fixRegion: string): DoctorFix => ({
    kind: 'rewriteExec',
    label: `Rewrite the exec block of user ${ctx.user!.name} (v1beta1, --cluster-name ${clusterName}, --region ${fixRegion}${profileName ? `, AWS_PROFILE ${profileName}` : ''})`,
    file: ctx.user!.file,
    user: ctx.user!.name,
    exec: rewrittenExec(exec, plugin, clusterName, fixRegion),
  });
  const failExec = (why: string, fix?: DoctorFix) => {
    execStep.status = 'fail';
    execStep.evidence.push(why);
    if (fix) execStep.fixes.push(fix);
  };
  const found = await deps.findOnPath(exec.command);
  execStep.evidence.push(found ? `${exec.command} found at ${found}` : `${exec.command} is not on the editor's PATH`);
  if (!found) failExec(`kubectl started from this editor fails with "exec: ${exec.command}: executable file not found in $PATH". Install it, or start the editor from a shell whose PATH has it.`);
  if (plugin.apiVersionProblem) failExec(plugin.apiVersionProblem, plugin.clusterName && (region ?? endpointRegion) ? fixedExec(plugin.clusterName, (region ?? endpointRegion)!) : undefined);
  if (!plugin.clusterName) failExec('The exec args name no cluster (--cluster-name, or -i for aws-iam-authenticator).');
  if (!region && plugin.kind === 'aws-cli') failExec('No region is in effect: aws eks get-token fails with "You must specify a region".', plugin.clusterName && endpointRegion ? fixedExec(plugin.clusterName, endpointRegion) : undefined);
  if (profileName && !profile.exists && !plugin.wrapper) failExec(`Profile ${profileName} is not in the AWS config files the editor sees.`);
  if (execStep.status === 'fail') return report('fail', execStep.evidence[execStep.evidence.length - 1]);
  if (isCancelled()) return report('warn', 'Cancelled.');

  if (profile.sso) {
    const expiresAt = profile.sso.expiresAt;
    if (!expiresAt || expiresAt.getTime() <= deps.now()) {
      execStep.status = 'fail';
      execStep.evidence.push(expiresAt ? `IAM Identity Center session ${formatAge(expiresAt.getTime() - deps.now())}` : 'No IAM Identity Center session is cached for this profile');
      execStep.fixes.push({ kind: 'ssoLogin', label: `Run aws sso login --profile ${profileName ?? 'default'}, then check again`, profile: profileName ?? 'default' });
      return report('fail', `The SSO session of profile ${profileName ?? 'default'} has ${expiresAt ? 'expired' : 'not started'}: run aws sso login.`);
    }
    execStep.evidence.push(`IAM Identity Center session ${formatAge(expiresAt.getTime() - deps.now())}`);
  }
  // awscli and the SDK take AWS_ACCESS_KEY_ID from the environment before AWS_PROFILE; only --profile overrides it.
  const envKeys = !plugin.wrapper && plugin.profile.source !== 'args' && !!(exec.env.find((e) => e.name === 'AWS_ACCESS_KEY_ID')?.value || deps.env.AWS_ACCESS_KEY_ID);
  if (envKeys && profileName) {
    execStep.status = 'warn';
    execStep.evidence.push(`AWS_ACCESS_KEY_ID is set in the environment, so the token is made with those keys, not with profile ${profileName}.`);
  }
  let credentials: TokenCredentials & { expiration?: Date };
  try {
    credentials = await deps.credentials(envKeys ? undefined : profileName);
  } catch (e) {
    const sso = /sso|token/i.test(message(e)) && !!profile.sso;
    failExec(`The credentials of profile ${profileName ?? 'default'} could not be loaded: ${message(e)}`, sso ? { kind: 'ssoLogin', label: `Run aws sso login --profile ${profileName}, then check again`, profile: profileName! } : undefined);
    return report('fail', execStep.evidence[execStep.evidence.length - 1]);
  }
  if (credentials.expiration) execStep.evidence.push(`credentials ${formatAge(credentials.expiration.getTime() - deps.now())}`);
  const stsRegion = region ?? 'us-east-1';
  if (plugin.roleArn) {
    try {
      credentials = await deps.assumeRole(credentials, plugin.roleArn, stsRegion);
      execStep.evidence.push(`assumed ${plugin.roleArn}`);
    } catch (e) {
      failExec(`AssumeRole of ${plugin.roleArn} failed: ${message(e)}. The role's trust policy must allow the profile's identity, and the profile's identity needs sts:AssumeRole on it.`);
      return report('fail', execStep.evidence[execStep.evidence.length - 1]);
    }
  }
  if (isCancelled()) return report('warn', 'Cancelled.');

  // Step 4 first in time: who the token will say is calling (GetCallerIdentity with the same credentials).
  const stsStep = walk.step('sts');
  let caller: { arn: string; account: string };
  try {
    caller = await deps.callerIdentity(credentials, stsRegion);
  } catch (e) {
    stsStep.status = 'fail';
    stsStep.evidence.push(`STS GetCallerIdentity failed: ${message(e)}`);
    if (/expired/i.test(message(e)) || errorName(e) === 'ExpiredToken') stsStep.evidence.push('The credentials have expired: refresh them (aws sso login, aws-vault exec, a new session).');
    return report('fail', stsStep.evidence[0]);
  }
  stsStep.evidence.push(`the token will say ${caller.arn} (account ${caller.account})`);

  // Step 3: the cluster the token is for, in the account and region the exec uses; its endpoint and CA against the kubeconfig's.
  const tokenStep = walk.step('token');
  const clusterName = plugin.clusterName!;
  const ref = { profile: profileName, region: stsRegion, cluster: clusterName };
  let described: Awaited<ReturnType<DoctorDeps['describeCluster']>>;
  try {
    described = await deps.describeCluster(credentials, stsRegion, clusterName);
  } catch (e) {
    tokenStep.status = 'fail';
    if (errorName(e) === 'ResourceNotFoundException') {
      tokenStep.evidence.push(`No cluster ${clusterName} in account ${caller.account}, region ${stsRegion}: the token is made for a cluster that is not there, so the API server refuses it.`);
      if (endpointRegion && endpointRegion !== stsRegion) tokenStep.fixes.push(fixedExec(clusterName, endpointRegion));
      tokenStep.fixes.push({ kind: 'updateKubeconfig', label: 'Write a fresh context with aws eks update-kubeconfig', argv: updateKubeconfigArgv(clusterName, endpointRegion ?? stsRegion, profileName) });
    } else tokenStep.evidence.push(`DescribeCluster ${clusterName} in ${stsRegion} failed: ${message(e)}`);
    return report('fail', tokenStep.evidence[0], { identityArn: caller.arn });
  }
  tokenStep.evidence.push(`cluster ${described.arn ?? clusterName} (${described.status ?? 'status unknown'})`);
  const updateKubeconfig: DoctorFix = { kind: 'updateKubeconfig', label: 'Refresh the endpoint and CA with aws eks update-kubeconfig', argv: updateKubeconfigArgv(clusterName, stsRegion, profileName) };
  // Trailing slashes trimmed without a regex: `/\/+$/` retried every slash of a long run (the server is kubeconfig text).
  const sameServer = (a: string, b: string) => trimTrailing(a, '/').toLowerCase() === trimTrailing(b, '/').toLowerCase();
  if (described.endpoint && !sameServer(described.endpoint, ctx.cluster.server)) {
    request.status = 'fail';
    request.evidence.push(`EKS says the endpoint of ${clusterName} is ${described.endpoint}: the kubeconfig is stale (was the cluster re-created?).`);
    request.fixes.push(updateKubeconfig);
  }
  if (described.caData && ctx.cluster.caData && described.caData.replace(/\s/g, '') !== ctx.cluster.caData.replace(/\s/g, '')) {
    request.status = 'fail';
    request.evidence.push(`The kubeconfig's CA differs from the cluster's: kubectl fails with "x509: certificate signed by unknown authority".`);
    if (!request.fixes.length) request.fixes.push(updateKubeconfig);
  }
  if (request.status === 'fail') return report('fail', request.evidence[request.evidence.length - 1], { identityArn: caller.arn });
  if (isCancelled()) return report('warn', 'Cancelled.', { identityArn: caller.arn });

  // Steps 5 and 6: the cluster's own answer, with a token made in-process as the exec would make it.
  const token = await deps.eksToken(clusterName, stsRegion, credentials, new Date(deps.now()));
  tokenStep.evidence.push(`token made for x-k8s-aws-id ${clusterName} with the STS host of ${stsRegion}`);
  const api = deps.cluster(ctx.cluster.server, ctx.cluster.caData, token);
  const mapping = walk.step('mapping');
  let who = await api.whoami();
  if (!who.ok && who.code === 404) {
    // Before Kubernetes 1.28 the API server has no v1 SelfSubjectReview: the model says who the caller is, and the
    // access review below shows whether the cluster authenticates it at all (it would answer 401).
    const explained = await deps.explainDenied(ref, caller.arn).catch(() => undefined);
    mapping.status = 'warn';
    mapping.evidence.push('The cluster does not serve SelfSubjectReview (authentication.k8s.io/v1, Kubernetes 1.28 and later): the username and groups are the authenticator model\'s.');
    if (explained && !explained.authenticated) mapping.evidence.push(`The authenticator model says: ${explained.verdict} (the cluster's creator keeps an admin access that no configuration shows, so the access review below decides).`);
    who = { ok: true, value: { username: explained?.authenticated ? explained.username ?? '' : '(not reported by the cluster)', groups: explained?.authenticated ? explained.groups : [] } };
  }
  if (!who.ok && who.code === 0) {
    // No HTTP answer at all: kubectl cannot reach the server (a private endpoint, a proxy, a firewall, TLS).
    request.status = 'fail';
    request.evidence.push(`The server did not answer: ${who.message}. A private endpoint needs a network path (VPN, peering, a bastion); check proxies and firewalls.`);
    mapping.status = 'skip';
    mapping.evidence.push('Not checked: the server could not be reached.');
    return report('fail', request.evidence[request.evidence.length - 1], { identityArn: caller.arn });
  }
  if (!who.ok) {
    mapping.status = 'fail';
    if (who.code === 401) {
      mapping.evidence.push(`The cluster answered 401 Unauthorized for ${caller.arn}: kubectl shows "You must be logged in to the server (Unauthorized)".`);
      const explained = await deps.explainDenied(ref, caller.arn).catch(() => undefined);
      if (explained) {
        mapping.evidence.push(`The authenticator model agrees: ${explained.verdict}`, ...explained.nearMisses);
        if (explained.fix) mapping.fixes.push({ kind: explained.fix.kind, label: explained.fix.label, cluster: ref, principalArn: explained.fix.principalArn });
      }
      return report('fail', `${caller.arn} is not mapped on ${clusterName}.`, { identityArn: caller.arn });
    }
    mapping.evidence.push(`SelfSubjectReview failed with ${who.code}: ${who.message}`);
    return report('fail', mapping.evidence[0], { identityArn: caller.arn });
  }
  if (mapping.status === 'pass') mapping.evidence.push(`the API server sees username ${who.value.username}, groups ${who.value.groups.join(', ') || '(none)'}`);

  const rbac = walk.step('rbac');
  const namespace = question.namespace ?? ctx.namespace ?? 'default';
  const asked = { ...question, namespace };
  const can = await api.canI(asked);
  const what = `${asked.verb} ${asked.resource} in namespace ${namespace}`;
  if (!can.ok && can.code === 401) {
    mapping.status = 'fail';
    mapping.evidence.push(`The cluster answered 401 Unauthorized for ${caller.arn}.`);
    rbac.status = 'skip';
    rbac.evidence.push('Not checked: the cluster does not authenticate this identity.');
    return report('fail', `${caller.arn} is not mapped on ${clusterName}.`, { identityArn: caller.arn });
  }
  if (!can.ok) {
    rbac.status = 'warn';
    rbac.evidence.push(`SelfSubjectAccessReview failed with ${can.code}: ${can.message}`);
    return report('warn', rbac.evidence[0], { identityArn: caller.arn, username: who.value.username, groups: who.value.groups });
  }
  if (!can.value.allowed) {
    rbac.status = 'fail';
    rbac.evidence.push(`The cluster says no to ${what}: kubectl gets 403 Forbidden.`, ...(can.value.reason ? [`reason: ${can.value.reason}`] : []));
    const explained = await deps.explainDenied(ref, caller.arn).catch(() => undefined);
    if (explained) {
      rbac.evidence.push(
        explained.policies.length ? `access policies: ${explained.policies.map((p) => `${p.policyArn.split('/').pop()} (${p.scope})`).join(', ')}` : 'no access policy is associated with this principal',
        explained.bindings.length ? `RBAC bindings for this username or its groups: ${explained.bindings.map((b) => `${b.kind} ${b.name} -> ${b.roleRef.kind} ${b.roleRef.name}`).join(', ')}` : 'no RBAC binding names this username or its groups',
      );
    }
    const rules = await api.rules(namespace);
    if (rules.ok) rbac.evidence.push(rules.value.length ? `the cluster says this identity may, in ${namespace}: ${rules.value.slice(0, 12).join('; ')}${rules.value.length > 12 ? `; and ${rules.value.length - 12} more` : ''}` : `the cluster says this identity may do nothing in ${namespace}`);
    rbac.evidence.push(`Grant it with an access policy (for example AmazonEKSViewPolicy scoped to ${namespace}) or a RoleBinding for one of the groups.`);
    return report('fail', `${caller.arn} authenticates as ${who.value.username} but may not ${what}.`, { identityArn: caller.arn, username: who.value.username, groups: who.value.groups });
  }
  rbac.evidence.push(`allowed: ${what}${can.value.reason ? ` (${can.value.reason})` : ''}`);
  const warned = walk.steps.some((s) => s.status === 'warn');
  return report(warned ? 'warn' : 'ok', `kubectl reaches ${clusterName} as ${who.value.username} and may ${what}.`, { identityArn: caller.arn, username: who.value.username, groups: who.value.groups });
}
