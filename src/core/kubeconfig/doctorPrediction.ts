/**
 * The doctor's in-process prediction of `aws eks get-token`, modelled on awscli customizations/eks/get_token.py:
 * used only to explain a plugin that did not run or failed, and labelled as a prediction in the report.
 */
import type { TokenCredentials } from '../aws/token';
import { AWSCLI_INSTALL_URL, AWSCLI_ROLE_SESSION_NAME, formatAge, type DoctorDeps, type DoctorFix } from './doctorTypes';
import { pluginAws } from './doctorFixes';
import { message } from './doctorWalk';
import type { ExecPlugin } from './execPlugin';

import type { ExecSpec } from './kubeconfig';

export interface Prediction {
  arn?: string;
  evidence: string[];
  fixes: DoctorFix[];
  /** Set when the prediction itself shows why the plugin fails. */
  failure?: string;
  /** The profile's IAM Identity Center session, as its token cache holds it: `null` when none is cached. */
  ssoSession?: { expiresAt: Date | null };
}

/**
 * What `aws eks get-token` would do, worked out in-process: only to explain a plugin that did not run or failed, and
 * labelled as a prediction in the report. It follows awscli (customizations/eks/get_token.py): without a region STS
 * is the global endpoint, any region of the partition works, `--role-arn` is assumed with the session name
 * EKSGetTokenAuth, and `--cluster-id` names an Outposts cluster.
 */
export async function predict(plugin: ExecPlugin, exec: ExecSpec, deps: DoctorDeps, profileName: string | undefined): Promise<Prediction> {
  const out: Prediction = { evidence: [], fixes: [] };
  const label = (s: string) => `prediction: ${s}`;
  // `aws sso login` exists only in awscli v2; v1 cannot use IAM Identity Center profiles at all.
  const ssoFix = async (): Promise<void> => {
    const major = await deps.awsCliMajor?.(exec.command).catch(() => undefined);
    if (major === 1) {
      out.evidence.push(label(`${exec.command} is awscli v1, which has no aws sso login and cannot use IAM Identity Center profiles: install awscli v2.`));
      out.fixes.push({ kind: 'installAwsCli', label: 'Install awscli v2 (the AWS CLI install guide)', url: AWSCLI_INSTALL_URL });
      return;
    }
    const name = profileName ?? 'default';
    out.fixes.push({ kind: 'ssoLogin', label: `Run aws sso login --profile ${name}, then check again`, profile: name, aws: await pluginAws(exec.command, deps.findOnPath) });
  };
  if (plugin.wrapper) {
    out.evidence.push(label(`aws-vault keeps the keys of ${plugin.wrapper.profile} in its vault; only the plugin can use them.`));
    return out;
  }
  const profile = await deps.profile(profileName).catch(() => ({ exists: false }) as Awaited<ReturnType<DoctorDeps['profile']>>);
  if (profileName && !profile.exists) {
    out.failure = `Profile ${profileName} is not in the AWS config files the editor sees: awscli fails with "The config profile (${profileName}) could not be found".`;
    out.evidence.push(label(out.failure));
    return out;
  }
  if (profile.sso) {
    const expiresAt = profile.sso.expiresAt;
    out.ssoSession = { expiresAt: expiresAt ?? null };
    if (!expiresAt || expiresAt.getTime() <= deps.now()) {
      out.failure = `The SSO session of profile ${profileName ?? 'default'} has ${expiresAt ? 'expired' : 'not started'}: run aws sso login.`;
      out.evidence.push(label(expiresAt ? `IAM Identity Center session ${formatAge(expiresAt.getTime() - deps.now())}` : 'No IAM Identity Center session is cached for this profile'));
      await ssoFix();
      return out;
    }
    out.evidence.push(label(`IAM Identity Center session ${formatAge(expiresAt.getTime() - deps.now())}`));
  }
  const region = plugin.region.name ?? profile.region;
  const execEnv: Record<string, string | undefined> = { ...deps.env, ...Object.fromEntries(exec.env.map((e) => [e.name, e.value])) };
  let credentials: TokenCredentials & { expiration?: Date };
  try {
    // --profile wins over keys in the environment; otherwise keys in the environment win over AWS_PROFILE.
    credentials = await deps.credentials(plugin.profile.source === 'args' ? profileName : execEnv.AWS_ACCESS_KEY_ID ? undefined : profileName, execEnv);
  } catch (e) {
    out.failure = `The credentials of profile ${profileName ?? 'default'} could not be loaded: ${message(e)}`;
    out.evidence.push(label(out.failure));
    if (profile.sso) await ssoFix();
    return out;
  }
  if (credentials.expiration) out.evidence.push(label(`credentials ${formatAge(credentials.expiration.getTime() - deps.now())}`));
  if (plugin.roleArn) {
    try {
      credentials = await deps.assumeRole(credentials, plugin.roleArn, region, AWSCLI_ROLE_SESSION_NAME);
      out.evidence.push(label(`AssumeRole ${plugin.roleArn} as session ${AWSCLI_ROLE_SESSION_NAME}`));
    } catch (e) {
      out.failure = `AssumeRole of ${plugin.roleArn} failed: ${message(e)}. The role's trust policy must allow the profile's identity, and the profile's identity needs sts:AssumeRole on it.`;
      out.evidence.push(label(out.failure));
      return out;
    }
  }
  try {
    const caller = await deps.callerIdentity(credentials, region);
    out.arn = caller.arn;
    out.evidence.push(label(`the token would say ${caller.arn} (STS ${region ? `in ${region}` : 'global endpoint, as awscli without a region'})`));
  } catch (e) {
    out.failure = `STS GetCallerIdentity failed: ${message(e)}`;
    out.evidence.push(label(out.failure));
  }
  return out;
}
