/**
 * IAM GetRole and GetUser over the query protocol, for the principals the scenario names. The OIDC provider and
 * trust-policy actions of a workload identity fix are emulator/workloadWrites.ts.
 */
import { createHash, randomUUID } from 'crypto';
import { ServiceError, xmlEscape } from './http';
import type { EmulatorState, Identity } from './state';
import type { QueryHandler } from './sts';

/** An IAM unique id: the kind's prefix and 17 more characters, 21 in all, as IAM writes them (AROA..., AIDA...). */
function iamId(prefix: 'AROA' | 'AIDA', arn: string): string {
  const digest = createHash('sha256').update(arn).digest('base64').replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  return prefix + digest.slice(0, 17);
}

/**
 * IAM GetRole and GetUser over the query protocol, answered within the caller's account: IAM looks names up in the
 * account of the credentials. IAM names are unique case-insensitively. GetUser without UserName answers for the caller
 * when the caller is an IAM user ("If it is not included, it defaults to the user making the request", GetUserRequest
 * in @aws-sdk/client-iam's model) and refuses other credentials with IAM's ValidationError "Must specify userName when
 * calling with non-User credentials" (the text moto and aws-sdk-go's IAM test fixtures reproduce).
 */
function iamResponse(state: EmulatorState, operation: 'GetRole' | 'GetUser', params: Record<string, unknown>, caller: Identity): string {
  const callerAccount = caller.arn.split(':')[4];
  const kind = operation === 'GetRole' ? 'role' : 'user';
  const nameParam = kind === 'role' ? 'RoleName' : 'UserName';
  let name = typeof params[nameParam] === 'string' ? (params[nameParam] as string) : '';
  const self = !name && kind === 'user';
  if (self) {
    if (!/^arn:[^:]+:iam::\d{12}:user\//.test(caller.arn)) throw new ServiceError('ValidationError', 'Must specify userName when calling with non-User credentials');
    name = caller.arn.split('/').pop()!;
  }
  if (!name) throw new ServiceError('ValidationError', `1 validation error detected: Value null at '${nameParam.charAt(0).toLowerCase() + nameParam.slice(1)}' failed to satisfy constraint: Member must not be null`);
  // The caller is a user that exists, whether or not the scenario lists it under iam.users.
  const arn = (kind === 'role' ? state.iam.roles : state.iam.users).find((a) => a.split(':')[4] === callerAccount && a.split('/').pop()!.toLowerCase() === name.toLowerCase()) ?? (self ? caller.arn : undefined);
  if (!arn) throw new ServiceError('NoSuchEntity', `The ${kind} with name ${name} cannot be found.`, 404);
  const parts = arn.split(':').pop()!.split('/');
  const actual = parts[parts.length - 1];
  const path = parts.length > 2 ? `/${parts.slice(1, -1).join('/')}/` : '/';
  const tag = kind === 'role' ? 'Role' : 'User';
  const id = iamId(kind === 'role' ? 'AROA' : 'AIDA', arn);
  return `<${operation}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${operation}Result><${tag}><Path>${xmlEscape(path)}</Path><${tag}Name>${xmlEscape(actual)}</${tag}Name><${tag}Id>${id}</${tag}Id><Arn>${xmlEscape(arn)}</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate>${kind === 'role' ? '<AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument>' : ''}</${tag}></${operation}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${operation}Response>`;
}

/** The IAM actions of this module; the workload identity ones are added by the router (isWorkloadIamAction). */
export const IAM_ACTIONS = new Map<string, QueryHandler>([
  ['GetRole', (state, caller, params) => iamResponse(state, 'GetRole', params, caller)],
  ['GetUser', (state, caller, params) => iamResponse(state, 'GetUser', params, caller)],
]);
