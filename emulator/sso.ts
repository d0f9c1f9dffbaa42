/**
 * The IAM Identity Center portal's GetRoleCredentials (`GET /federation/credentials`), which the SDK's SSO credential
 * provider calls. It authenticates with the SSO access token in `x-amz-sso_bearer_token`, not SigV4.
 */
import { ServiceError } from './http';
import { EmulatorState, roleSession } from './state';

/**
 * A token the scenario's portal issued, for a permission set it assigned; the credentials become an identity for that
 * role's session. Errors as the SSO model declares them (UnauthorizedException 401, ForbiddenException 403, restJson
 * with x-amzn-errortype).
 */
export function ssoRoleCredentials(state: EmulatorState, token: string, accountId: string, roleName: string) {
  if (!state.sso.tokens.includes(token)) throw new ServiceError('UnauthorizedException', 'Session token not found or invalid', 401);
  const assignment = state.sso.roles.get(`${accountId}/${roleName}`);
  if (!assignment) throw new ServiceError('ForbiddenException', 'No access', 403);
  const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(assignment.roleArn)!;
  const session = roleSession(state, role[1], role[2], role[3], assignment.sessionName);
  return { roleCredentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken, expiration: Date.now() + 3600_000 } };
}
