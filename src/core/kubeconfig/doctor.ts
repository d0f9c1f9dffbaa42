/**
 * "Why does my kubectl get Unauthorized?": one context of the user's kubeconfig walked through the six steps of the
 * EKS authentication flow, each with its evidence, a verdict and the fix. The doctor asks the same parties kubectl
 * asks rather than imitating them: it runs the exec plugin as client-go runs it (execRunner.ts), reads the identity
 * from STS's answer to the token's own presigned request (as aws-iam-authenticator's Verify does), and connects with
 * every connection field of the kubeconfig for the cluster's answer (SelfSubjectReview, SelfSubjectAccessReview).
 * An in-process prediction (profiles, SSO cache, AssumeRole) only explains a plugin that failed, and says it is one.
 * Every call goes through injected dependencies with a time limit and the caller's cancel. No token, secret or
 * session credential is ever put into the report.
 */
import { decodeEksToken, isStsHost, tokenExpiry, TOKEN_PREFIX, type DecodedToken } from '../aws/token';
import { explainUnreachable } from './doctorConnection';
import { rewrittenExec } from './doctorFixes';
import { predict } from './doctorPrediction';
import { AWSCLI_INSTALL_URL, formatAge, regionOfEndpoint, STEP_TITLES, type AccessQuestion, type ContextReport, type DoctorDeps, type DoctorFix, type DoctorOptions, type KubeAnswer } from './doctorTypes';
import { readStsAnswer } from './doctorSts';
import { message, stderrTail, timed, Walk } from './doctorWalk';
import { describeExec } from './execPlugin';
import { execConfigProblem } from './execRunner';
import { clusterAccount } from './explainRefusal';
import { maskAccessKeyId, scrub, secretValues } from './redact';

import type { KubeContext } from './kubeconfig';
import { accessPolicyName } from '../clusters/model';

// The doctor's vocabulary keeps its import surface here, so consumers import from one module.
export * from './doctorTypes';

export async function diagnoseContext(ctx: KubeContext, deps: DoctorDeps, question: AccessQuestion = { verb: 'list', resource: 'pods' }, options: DoctorOptions = {}): Promise<ContextReport> {
  const base = { context: ctx.name, current: ctx.current };
  const exec = ctx.user?.exec;
  const stepMs = options.stepTimeoutMs ?? 20_000;
  const pluginMs = options.pluginTimeoutMs ?? Math.max(stepMs, 60_000);
  if (!exec || !ctx.cluster || !ctx.user) {
    const why = ctx.problems[0] ?? (ctx.user?.hasStaticCredentials ? 'The context authenticates with a static token or certificate, not an EKS exec plugin.' : 'The context has no exec plugin.');
    return { ...base, verdict: ctx.problems.length ? 'fail' : 'not-eks', summary: why, steps: [] };
  }
  const cluster = ctx.cluster;
  const user = ctx.user;
  const execEnv = exec.env;
  const execCommand = exec.command;
  const plugin = describeExec(exec, deps.env);
  const walk = new Walk();
  // Nothing the report says may carry a credential: the exec env's secret values, the token, or a plugin's stderr echoing them.
  const secrets = secretValues(exec);
  const report = (verdict: ContextReport['verdict'], summary: string, extra: Partial<ContextReport> = {}): ContextReport => {
    walk.skipRest();
    const order = Object.keys(STEP_TITLES);
    walk.steps.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
    for (const s of walk.steps) s.evidence = s.evidence.map((e) => scrub(e, secrets));
    return { ...base, verdict, summary: scrub(summary, secrets), plugin, steps: walk.steps, ...extra };
  };
  const cancelled = (extra: Partial<ContextReport> = {}) => report('warn', 'Cancelled.', extra);

  // Step 1: where kubectl sends the request and how it trusts the answer; checked by connecting (below).
  const request = walk.step('request');
  request.evidence.push(`server ${cluster.server}`, cluster.caData ? 'CA from certificate-authority-data' : cluster.caFile ? `CA file ${cluster.caFile}` : 'no CA in the kubeconfig: the system roots are trusted');
  if (cluster.tlsServerName) request.evidence.push(`tls-server-name ${cluster.tlsServerName}`);
  if (cluster.proxyUrl) request.evidence.push(`proxy-url ${cluster.proxyUrl}`);
  if (cluster.skipTLSVerify) {
    request.status = 'warn';
    request.evidence.push('insecure-skip-tls-verify is set: kubectl does not check who answers.');
  }

  // Step 2: the exec plugin, run as kubectl runs it.
  const execStep = walk.step('exec');
  const profileName = plugin.profile.name;
  const endpointRegion = regionOfEndpoint(cluster.server);
  const clusterId = plugin.clusterName ?? plugin.outpostClusterId;
  execStep.evidence.push(
    `command ${exec.command}${plugin.kind !== 'unknown' ? ` (${plugin.kind === 'aws-cli' ? 'aws eks get-token' : 'aws-iam-authenticator token'}${plugin.wrapper ? ` inside aws-vault exec ${plugin.wrapper.profile}` : ''})` : ''}`,
    `apiVersion ${exec.apiVersion ?? '(none)'}`,
    ...(clusterId ? [`cluster ${plugin.outpostClusterId ? `id ${clusterId} (Outposts, --cluster-id)` : `name ${clusterId}`}`] : []),
    ...(plugin.kind !== 'unknown' ? [`profile ${profileName ?? 'default'} (${plugin.profile.source})`, `region ${plugin.region.name ?? '(none: awscli signs for the global STS endpoint)'} (${plugin.region.source})`] : []),
    ...(plugin.roleArn ? [`role ${plugin.roleArn}`] : []),
  );
  const fixedExec = (name: string, fixRegion: string): DoctorFix => ({
    kind: 'rewriteExec',
    label: `Rewrite the exec block of user ${user.name} (v1beta1, --cluster-name ${name}, --region ${fixRegion}${profileName ? `, AWS_PROFILE ${profileName}` : ''})`,
    file: user.file,
    user: user.name,
    exec: rewrittenExec(exec, plugin, name, fixRegion),
  });
  const configProblem = execConfigProblem(exec, user.name);
  if (configProblem) {
    execStep.status = 'fail';
    execStep.evidence.push(`kubectl fails with "${configProblem}"${exec.apiVersion === 'client.authentication.k8s.io/v1alpha1' ? ': client.authentication.k8s.io/v1alpha1 was removed in Kubernetes 1.24' : ''}.`);
    const fixRegion = plugin.region.name ?? endpointRegion;
    if (plugin.clusterName && fixRegion && exec.apiVersion !== 'client.authentication.k8s.io/v1') execStep.fixes.push(fixedExec(plugin.clusterName, fixRegion));
    return report('fail', execStep.evidence[execStep.evidence.length - 1]);
  }
  // A plugin the doctor does not know, for a server that is not an EKS endpoint, is another cloud's (gke-gcloud-auth-plugin,
  // kubelogin): not run, since running it may open a browser for a context the user did not mean to check.
  if (plugin.kind === 'unknown' && !endpointRegion) return report('not-eks', `The exec plugin ${exec.command} is not one of EKS's and the server is not an EKS endpoint.`);
  const may = deps.mayRunPlugin(user.file);
  if (may !== true) {
    execStep.status = 'warn';
    execStep.evidence.push(`Not run: ${may}`);
    if (plugin.kind !== 'unknown') {
      const found = await deps.findOnPath(exec.command);
      execStep.evidence.push(found ? `${exec.command} found at ${found}` : `${exec.command} is not on the editor's PATH`);
    }
    return report('warn', `The exec plugin was not run: ${may}`);
  }
  const ran = await deps.runPlugin({ exec, userName: user.name, cluster, timeoutMs: pluginMs, signal: options.signal ?? new AbortController().signal });
  if (ran.kind === 'cancelled') return cancelled();
  if (ran.kind !== 'credential') {
    execStep.status = 'fail';
    execStep.evidence.push(`kubectl fails with "${ran.message.split('\n')[0]}"`);
    if (ran.kind === 'not-found') {
      execStep.evidence.push(`${exec.command} is not on the editor's PATH (${(deps.env.PATH ?? '').split(/[:;]/).filter(Boolean).length} entries): install it, or start the editor from a shell whose PATH has it.`);
      // A path left by an uninstalled CLI (awscli v1's bundled installer, an old Homebrew prefix) while aws is on PATH:
      // the exec block can name `aws`, as update-kubeconfig writes it, and kubectl finds it there.
      const onPath = plugin.kind === 'aws-cli' && !plugin.wrapper && /[\\/]/.test(exec.command) ? await deps.findOnPath('aws').catch(() => undefined) : undefined;
      if (onPath) {
        execStep.evidence.push(`aws is on the editor's PATH at ${onPath}`);
        execStep.fixes.push({ kind: 'rewriteExec', label: `Point the exec block of user ${user.name} at aws on PATH (${onPath})`, file: user.file, user: user.name, exec: { ...exec, command: 'aws' } });
      }
      if (plugin.kind === 'aws-cli' && !plugin.wrapper) execStep.fixes.push({ kind: 'installAwsCli', label: 'Install awscli v2 (the AWS CLI install guide)', url: AWSCLI_INSTALL_URL });
    }
    if ('stderr' in ran) execStep.evidence.push(...stderrTail(ran.stderr));
    if (ran.kind !== 'not-found' && plugin.kind !== 'unknown' && !options.signal?.aborted) {
      const p = await predict(plugin, exec, deps, profileName);
      execStep.evidence.push(...p.evidence);
      execStep.fixes.push(...p.fixes);
      const sso = p.ssoSession ? { ssoSessionExpiresAt: p.ssoSession.expiresAt?.toISOString() ?? null } : {};
      if (p.failure) return report('fail', p.failure, { ...(p.arn ? { identityArn: p.arn } : {}), ...sso });
      return report('fail', execStep.evidence[0], sso);
    }
    return report('fail', execStep.evidence[0]);
  }
  if (!ran.token) {
    execStep.evidence.push('the plugin returned a client certificate, not a token');
    return report('not-eks', 'The exec plugin returns a client certificate, not an EKS token.');
  }
  execStep.evidence.push(`the plugin returned a token in ${ran.ms} ms${ran.expiresAt ? `; kubectl reuses it until ${ran.expiresAt.toISOString()} (${formatAge(ran.expiresAt.getTime() - deps.now())})` : ''}`);
  execStep.evidence.push(...stderrTail(ran.stderr));
  const token = ran.token;
  secrets.push(token);

  // Step 3: what the token says, read from the presigned URL inside it.
  const tokenStep = walk.step('token');
  let decoded: DecodedToken | undefined;
  if (token.startsWith(TOKEN_PREFIX)) {
    try {
      decoded = decodeEksToken(token);
    } catch (e) {
      tokenStep.status = 'fail';
      tokenStep.evidence.push(`The token is not a presigned STS request: ${message(e)}; the authenticator refuses it ("input token was not properly formatted").`);
      return report('fail', tokenStep.evidence[0]);
    }
  }
  if (!decoded && plugin.kind === 'unknown') return report('not-eks', `The exec plugin ${exec.command} does not make EKS tokens (no k8s-aws-v1. prefix).`);
  if (!decoded) {
    tokenStep.status = 'warn';
    tokenStep.evidence.push('The token is not an EKS token (no k8s-aws-v1. prefix): the cluster decides with its own authenticator.');
  } else {
    const host = decoded.url.host;
    const expiry = tokenExpiry(decoded);
    tokenStep.evidence.push(
      `STS host ${host}, signed for region ${decoded.region}`,
      `signed at ${decoded.signedAt.toISOString()}; the authenticator accepts it for 15 minutes (${formatAge(expiry.getTime() - deps.now())})`,
      `access key: ${maskAccessKeyId(decoded.accessKeyId)}${decoded.sessionToken ? ', with a session token' : ''}`,
      `signed headers ${decoded.signedHeaders.join(';')}`,
    );
    if (!decoded.signedHeaders.includes('x-k8s-aws-id')) {
      tokenStep.status = 'fail';
      tokenStep.evidence.push('The x-k8s-aws-id header is not signed: the authenticator refuses the token ("client did not sign the x-k8s-aws-id header in the pre-signed URL").');
      return report('fail', tokenStep.evidence[tokenStep.evidence.length - 1]);
    }
    if (!isStsHost(host)) {
      tokenStep.status = 'fail';
      tokenStep.evidence.push(`${host} is not an STS endpoint: the authenticator refuses the token (pkg/token/token.go verifyHost), and the doctor does not send it there.`);
      return report('fail', tokenStep.evidence[tokenStep.evidence.length - 1]);
    }
    if (expiry.getTime() <= deps.now()) {
      tokenStep.status = 'fail';
      tokenStep.evidence.push('The token is older than 15 minutes: the authenticator refuses it ("X-Amz-Date parameter is expired"). Is the clock right?');
      return report('fail', tokenStep.evidence[tokenStep.evidence.length - 1]);
    }
  }

  // STS and the cluster are asked at once: each answer needs only the token, as the authenticator and kubectl
  // (whose `auth can-i` is a request of its own) ask them. Requests still pending when a step fails are ended.
  const inflight = new AbortController();
  const endInflight = () => inflight.abort();
  options.signal?.addEventListener('abort', endInflight, { once: true });
  const api = (signal: AbortSignal) => deps.cluster(cluster, token, signal);
  const namespace = question.namespace ?? ctx.namespace ?? 'default';
  const asked = { ...question, namespace };
  const whoPending = timed(stepMs, inflight.signal, (signal) => api(signal).whoami());
  // After SelfSubjectReview, so that it goes over the same kept-alive connection.
  const canPending = whoPending.then(() => timed(stepMs, inflight.signal, (signal) => api(signal).canI(asked)));
  const stsPending = decoded && clusterId ? timed(stepMs, inflight.signal, (signal) => deps.tokenIdentity(decoded.url, clusterId, signal)) : undefined;
  const settle = (r: ContextReport) => {
    options.signal?.removeEventListener('abort', endInflight);
    inflight.abort();
    return r;
  };
  try {
    return settle(await afterToken());
  } catch (e) {
    settle(undefined as never);
    throw e;
  }

  async function afterToken(): Promise<ContextReport> {
  // Step 4: who the token says is calling, by STS's own answer to the presigned request.
  const stsStep = walk.step('sts');
  let caller: { arn: string; account: string } | undefined;
  if (decoded && clusterId) {
    const target = deps.stsEndpoint ? `${deps.stsEndpoint} (the STS endpoint you chose)` : decoded.url.host;
    const sts = readStsAnswer(stsStep, await stsPending!, target, clusterId, stepMs);
    if ('cancelled' in sts) return cancelled();
    if ('failed' in sts) return report('fail', sts.failed);
    caller = sts.caller;
  } else {
    stsStep.status = 'skip';
    stsStep.evidence.push(decoded ? 'Not asked: the exec args name no cluster, and STS checks the signature over the cluster name.' : 'Not an EKS token.');
  }

  // Steps 5 and 6: the cluster's own answer to the plugin's token, over the connection kubectl would make.
  const mapping = walk.step('mapping');
  const identityArn = caller?.arn;
  const ref = { profile: profileName, region: plugin.region.name ?? endpointRegion ?? decoded?.region ?? 'us-east-1', cluster: clusterId ?? cluster.name, account: clusterAccount(cluster.name, caller?.account) };
  const whoTimed = await whoPending;
  if (!whoTimed.ok && whoTimed.kind === 'cancelled') return cancelled({ identityArn });
  let who: KubeAnswer<{ username: string; groups: string[]; uid?: string }> = whoTimed.ok ? whoTimed.value : { ok: false, code: 0, message: `no answer within ${Math.round(stepMs / 1000)} s`, network: 'timeout' };
  if (!who.ok && who.code === 0) {
    // No HTTP answer: kubectl cannot reach the server. "Stale" only with EKS's word for the endpoint.
    const { summary } = await explainUnreachable({ request, mapping, who, cluster, context: ctx, clusterId, plugin, profileName, execEnv, execCommand, ref, deps, stepMs, signal: options.signal });
    return report('fail', summary, { identityArn });
  }
  if (!who.ok && who.code === 404) {
    // Before Kubernetes 1.28 the API server has no v1 SelfSubjectReview: the model says who the caller is, and the
    // access review below shows whether the cluster authenticates it at all (it would answer 401).
    const explained = identityArn ? await deps.explainDenied(ref, identityArn).catch(() => undefined) : undefined;
    mapping.status = 'warn';
    mapping.evidence.push('The cluster does not serve SelfSubjectReview (authentication.k8s.io/v1, Kubernetes 1.28 and later): the username and groups are the authenticator model\'s.');
    if (explained && !explained.authenticated) mapping.evidence.push(`The authenticator model says: ${explained.verdict} (the cluster's creator keeps an admin access that no configuration shows, so the access review below decides).`);
    who = { ok: true, value: { username: explained?.authenticated ? explained.username ?? '' : '(not reported by the cluster)', groups: explained?.authenticated ? explained.groups : [] } };
  }
  if (!who.ok) {
    mapping.status = 'fail';
    if (who.code === 401) {
      mapping.evidence.push(`The cluster answered 401 Unauthorized${identityArn ? ` for ${identityArn}` : ''}: kubectl shows "You must be logged in to the server (Unauthorized)".`);
      const explained = identityArn ? await deps.explainDenied(ref, identityArn).catch(() => undefined) : undefined;
      if (explained) {
        mapping.evidence.push(`The authenticator model agrees: ${explained.verdict}`, ...explained.nearMisses);
        if (explained.fix) mapping.fixes.push({ kind: explained.fix.kind, label: explained.fix.label, cluster: ref, principalArn: explained.fix.principalArn });
      } else if (identityArn) mapping.evidence.push('No explanation: pass a profile that can read the cluster\'s access entries and aws-auth (--explain-profile, or a profile of the explorer in the same account).');
      return report('fail', `${identityArn ?? 'The token'} is not mapped on ${clusterId ?? cluster.name}.`, { identityArn });
    }
    mapping.evidence.push(`SelfSubjectReview failed with ${who.code}: ${who.message}`);
    return report('fail', mapping.evidence[0], { identityArn });
  }
  if (mapping.status === 'pass') mapping.evidence.push(`the API server sees username ${who.value.username}, groups ${who.value.groups.join(', ') || '(none)'}`);

  const rbac = walk.step('rbac');
  const canTimed = await canPending;
  if (!canTimed.ok && canTimed.kind === 'cancelled') return cancelled({ identityArn });
  const can: KubeAnswer<{ allowed: boolean; reason?: string }> = canTimed.ok ? canTimed.value : { ok: false, code: 0, message: `no answer within ${Math.round(stepMs / 1000)} s`, network: 'timeout' };
  const what = `${asked.verb} ${asked.resource} in namespace ${namespace}`;
  const identity = { identityArn, username: who.value.username, groups: who.value.groups };
  if (!can.ok && can.code === 401) {
    mapping.status = 'fail';
    mapping.evidence.push(`The cluster answered 401 Unauthorized${identityArn ? ` for ${identityArn}` : ''}.`);
    rbac.status = 'skip';
    rbac.evidence.push('Not checked: the cluster does not authenticate this identity.');
    return report('fail', `${identityArn ?? 'The token'} is not mapped on ${clusterId ?? cluster.name}.`, { identityArn });
  }
  if (!can.ok) {
    rbac.status = 'warn';
    rbac.evidence.push(`SelfSubjectAccessReview failed with ${can.code}: ${can.message}`);
    return report('warn', rbac.evidence[0], identity);
  }
  if (!can.value.allowed) {
    rbac.status = 'fail';
    rbac.evidence.push(`The cluster says no to ${what}: kubectl gets 403 Forbidden.`, ...(can.value.reason ? [`reason: ${can.value.reason}`] : []));
    const explained = identityArn ? await deps.explainDenied(ref, identityArn).catch(() => undefined) : undefined;
    if (explained) {
      rbac.evidence.push(
        explained.policies.length ? `access policies: ${explained.policies.map((p) => `${accessPolicyName(p.policyArn)} (${p.scope})`).join(', ')}` : 'no access policy is associated with this principal',
        explained.bindings.length ? `RBAC bindings for this username or its groups: ${explained.bindings.map((b) => `${b.kind} ${b.name} -> ${b.roleRef.kind} ${b.roleRef.name}`).join(', ')}` : 'no RBAC binding names this username or its groups',
      );
    }
    const rules = await timed(stepMs, options.signal, (signal) => api(signal).rules(namespace));
    if (rules.ok && rules.value.ok) rbac.evidence.push(rules.value.value.length ? `the cluster says this identity may, in ${namespace}: ${rules.value.value.slice(0, 12).join('; ')}${rules.value.value.length > 12 ? `; and ${rules.value.value.length - 12} more` : ''}` : `the cluster says this identity may do nothing in ${namespace}`);
    rbac.evidence.push(`Grant it with an access policy (for example AmazonEKSViewPolicy scoped to ${namespace}) or a RoleBinding for one of the groups.`);
    return report('fail', `${identityArn ?? who.value.username} authenticates as ${who.value.username} but may not ${what}.`, identity);
  }
  rbac.evidence.push(`allowed: ${what}${can.value.reason ? ` (${can.value.reason})` : ''}`);
  const warned = walk.steps.some((s) => s.status === 'warn');
  return report(warned ? 'warn' : 'ok', `kubectl reaches ${clusterId ?? cluster.server} as ${who.value.username} and may ${what}.`, identity);
  }
}
