/**
 * STS over the query protocol: GetCallerIdentity (signed, or presigned inside an EKS token) and AssumeRole.
 * AssumeRoleWithWebIdentity, the one unsigned action, is emulator/webIdentity.ts.
 */
import { randomUUID } from 'crypto';
import { ServiceError, xmlEscape } from './http';
import { EmulatorState, Identity, roleSession } from './state';

/** A query-protocol action: the XML it answers with, or a ServiceError. */
export type QueryHandler = (state: EmulatorState, caller: Identity, params: Record<string, unknown>) => string;

/** GetCallerIdentity's answer for these credentials. */
export function callerIdentityXml(caller: Identity): string {
  return `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${xmlEscape(caller.arn)}</Arn><UserId>${xmlEscape(caller.userId)}</UserId><Account>${caller.arn.split(':')[4]}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
}

/**
 * STS AssumeRole: the role must exist in the caller's account and trust the caller (the scenario's `iam.trust`);
 * the session's credentials become an identity the emulator knows, so they sign requests and EKS tokens.
 * Refusals are worded as STS words them.
 */
function assumeRole(state: EmulatorState, caller: Identity, params: Record<string, unknown>): string {
  const roleArn = String(params.RoleArn ?? '');
  const sessionName = String(params.RoleSessionName ?? '');
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new ServiceError('ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`, 400);
  const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  const trusted = state.iam.trust.get(roleArn) ?? [];
  if (!role || !state.iam.roles.includes(roleArn) || !trusted.includes(caller.arn)) {
    throw new ServiceError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  const session = roleSession(state, role[1], role[2], role[3], sessionName);
  const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${session.accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(session.secretAccessKey)}</SecretAccessKey><SessionToken>${xmlEscape(session.sessionToken!)}</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>${xmlEscape(session.userId)}</AssumedRoleId><Arn>${xmlEscape(session.arn)}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}

/**
 * The STS actions a signed request may name. A Map, so that an Action such as `constructor` or `__proto__` is an
 * unknown action (see QUERY_ACTIONS in emulator/serviceRoutes.ts).
 */
export const STS_ACTIONS = new Map<string, QueryHandler>([
  ['GetCallerIdentity', (_state, caller) => callerIdentityXml(caller)],
  ['AssumeRole', (state, caller, params) => assumeRole(state, caller, params)],
]);
