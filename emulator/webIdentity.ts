/**
 * STS AssumeRoleWithWebIdentity, as IRSA pods call it (unsigned: "Calling AssumeRoleWithWebIdentity does not require
 * the use of AWS security credentials", STS API reference). The checks, in STS's order, and the errors each gives:
 * - the token is a JWT whose issuer has an IAM OIDC provider in the role's account; otherwise InvalidIdentityToken
 *   "No OpenIDConnect provider found in your account for https://ISSUER" (kubernetes-sigs/aws-load-balancer-controller#2315,
 *   aws/aws-sdk-js-v3#5083);
 * - its signature verifies with the issuer's key; otherwise InvalidIdentityToken with the model's text for
 *   InvalidIdentityTokenException ("The web identity token that was passed could not be validated by Amazon Web
 *   Services...", @aws-sdk/client-sts `models/errors`);
 * - it has not expired; otherwise ExpiredTokenException "Token expired: current date/time N must be before the
 *   expiration date/timeM" (awslabs/aws-orbit-workbench#707 and #771 quote it);
 * - one of its audiences is a client ID of the provider; otherwise InvalidIdentityToken "Incorrect token audience"
 *   (awslabs/amazon-eks-irsa-cfn#18);
 * - the role exists and its trust policy allows sts:AssumeRoleWithWebIdentity from the provider with the token's
 *   `sub` and `aud` as `ISSUER:sub` and `ISSUER:aud` (IAM User Guide, "Available keys for OIDC federation"); otherwise
 *   AccessDenied "Not authorized to perform sts:AssumeRoleWithWebIdentity" (HTTP 403; crossplane/crossplane#5578,
 *   STS Common Errors for AccessDenied).
 * The trust policy is judged by the emulator's own evaluator (trustPolicy.ts). The credentials become an identity
 * the emulator knows, so they sign later requests.
 */
import { randomUUID } from 'crypto';
import { ServiceError, xmlEscape } from './http';
import { roleSession, type EmulatorState } from './state';
import { trustAllows } from './trustPolicy';
import type { WorkloadWorld } from './workload';
import { verifyServiceAccountToken } from './workloadTokens';

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const NOT_VALIDATED = 'The web identity token that was passed could not be validated by Amazon Web Services. Get a new identity token from the identity provider and then retry the request.';
const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/** The issuer as IAM keys its provider: without `https://` and a trailing slash. */
const hostPath = (issuer: string) => issuer.replace(/^https:\/\//, '').replace(/\/$/, '');

export function assumeRoleWithWebIdentity(world: WorkloadWorld, state: EmulatorState, params: Record<string, unknown>, now: Date): string {
  const roleArn = String(params.RoleArn ?? '');
  const sessionName = String(params.RoleSessionName ?? '');
  const token = String(params.WebIdentityToken ?? '');
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new ServiceError('ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`, 400);
  const role = ROLE_ARN.exec(roleArn);
  if (!role) throw new ServiceError('ValidationError', `${roleArn} is invalid`, 400);
  const [, partition, account, roleName] = role;

  let claims: { iss?: unknown; sub?: unknown; aud?: unknown } | undefined;
  try {
    claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as typeof claims;
  } catch {
    claims = undefined;
  }
  if (!claims || typeof claims.iss !== 'string') throw new ServiceError('InvalidIdentityToken', NOT_VALIDATED, 400);
  const issuer = claims.iss;
  const provider = world.oidcProviders.find((p) => p.accountId === account && hostPath(p.url) === hostPath(issuer));
  if (!provider) throw new ServiceError('InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${issuer}`, 400);

  const check = verifyServiceAccountToken(token, now);
  if (!check.ok && check.problem === 'expired') {
    const exp = typeof (claims as { exp?: unknown }).exp === 'number' ? (claims as { exp: number }).exp : 0;
    throw new ServiceError('ExpiredTokenException', `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time${exp}`, 400);
  }
  if (!check.ok) throw new ServiceError('InvalidIdentityToken', NOT_VALIDATED, 400);
  const audience = check.claims.aud.find((a) => provider.clientIds.includes(a));
  if (!audience) throw new ServiceError('InvalidIdentityToken', 'Incorrect token audience', 400);

  const key = hostPath(provider.url);
  const providerArn = `arn:${partition}:iam::${account}:oidc-provider/${key}`;
  const held = world.roleNamed(account, roleName);
  const policy = held === undefined ? undefined : world.roles.get(held);
  const verdict = policy === undefined ? { allowed: false } : trustAllows(policy, { principal: { type: 'Federated', id: providerArn }, action: 'sts:AssumeRoleWithWebIdentity', context: { [`${key}:sub`]: check.claims.sub, [`${key}:aud`]: audience, 'aws:FederatedProvider': providerArn } });
  if (!verdict.allowed) throw new ServiceError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);

  const duration = Number(params.DurationSeconds ?? 3600) || 3600;
  const session = roleSession(state, partition, account, roleName, sessionName);
  const expiration = new Date(now.getTime() + duration * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  return (
    `<AssumeRoleWithWebIdentityResponse xmlns="${STS_NS}"><AssumeRoleWithWebIdentityResult>` +
    `<SubjectFromWebIdentityToken>${xmlEscape(check.claims.sub)}</SubjectFromWebIdentityToken><Audience>${xmlEscape(audience)}</Audience>` +
    `<AssumedRoleUser><Arn>${xmlEscape(session.arn)}</Arn><AssumedRoleId>${xmlEscape(session.userId)}</AssumedRoleId></AssumedRoleUser>` +
    `<Credentials><AccessKeyId>${session.accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(session.secretAccessKey)}</SecretAccessKey><SessionToken>${xmlEscape(session.sessionToken!)}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
    // "For OpenID Connect ID tokens, this contains the value of the iss field" (AssumeRoleWithWebIdentityResponse.Provider, STS model).
    `<Provider>${xmlEscape(issuer)}</Provider>` +
    `</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`
  );
}
