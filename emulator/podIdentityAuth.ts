/**
 * The EKS Auth API's AssumeRoleForPodIdentity, the one call the eks-pod-identity-agent makes for a pod: it signs with
 * the node role's credentials (SigV4, signing name `eks-auth`; in AWS the host is eks-auth.REGION.api.aws) and sends
 * the pod's projected service account token (audience `pods.eks.amazonaws.com`). Shape from the service model
 * (botocore data/eks-auth/2023-11-26/service-2.json, copied to test/fixtures/eks-auth-model.json): REST-JSON,
 * `POST /clusters/{clusterName}/assume-role-for-pod-identity` with `{ token }`, answering `subject`, `audience`,
 * `podIdentityAssociation`, `assumedRoleUser` and `credentials` (expiration in epoch seconds).
 *
 * What EKS Auth checks, in this order (EKS User Guide, pod-id-how-it-works, pod-id-role, pod-id-assign-target-role,
 * pod-id-abac; EKS Auth API reference for the errors):
 * - the cluster exists in the caller's region: otherwise ResourceNotFoundException (404);
 * - the token is a JWT signed with the cluster's key, issued by the cluster's OIDC issuer, for the audience
 *   `pods.eks.amazonaws.com`: otherwise InvalidTokenException; a token past `exp` is ExpiredTokenException;
 * - an association exists for the token's namespace and service account: otherwise ResourceNotFoundException;
 * - the association's role trusts Service `pods.eks.amazonaws.com` with sts:AssumeRole and, unless the association
 *   disables session tags, sts:TagSession with the tags EKS adds (pod-id-abac); for a targetRoleArn, the target role
 *   trusts the first role the same way (with sts:ExternalId `REGION/ACCOUNT/CLUSTER/NAMESPACE/SA` when tags are off).
 *   Otherwise AccessDeniedException, HTTP 400 as the model says, with the message CloudTrail records for it
 *   ("Unauthorized Exception! EKS does not have permissions to assume the associated role.", quoted in the AWS EKS
 *   workshop's "Access control to IAM Role using EKS Pod Identity" page).
 * The trust policies are judged by the emulator's own evaluator (trustPolicy.ts), never the product's. The session is
 * named `eks-CLUSTER-POD-UUID` (the model's AssumedRoleUser.assumeRoleId) and its credentials sign later requests.
 */
import { randomUUID } from 'crypto';
import { ServiceError } from './http';
import { roleSession, type EmulatorState } from './state';
import { trustAllows, type TrustRequest } from './trustPolicy';
import type { WorkloadWorld } from './workload';
import { verifyServiceAccountToken } from './workloadTokens';

export const POD_IDENTITY_AUDIENCE = 'pods.eks.amazonaws.com';
const SERVICE_PRINCIPAL = 'pods.eks.amazonaws.com';
const ROUTE = /^\/clusters\/([^/]+)\/assume-role-for-pod-identity$/;
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;
const JWT = /^[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+$/;
const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const DENIED = 'Unauthorized Exception! EKS does not have permissions to assume the associated role.';
/** The emulator's choice: the model does not say how long the credentials last. */
const CREDENTIALS_SECONDS = 6 * 3600;

/** The operations the EKS Auth endpoint serves. */
export const EKS_AUTH_OPERATIONS: readonly string[] = ['AssumeRoleForPodIdentity'];

export interface EksAuthRequest {
  method: string;
  path: string;
  region: string;
  body: Record<string, unknown>;
  now: Date;
}

/** Whether the role trusts the principal for sts:AssumeRole and, when tags are sent, sts:TagSession. */
function trusts(world: WorkloadWorld, roleArn: string, principal: TrustRequest['principal'], context: TrustRequest['context'], tags: boolean): boolean {
  const role = ROLE_ARN.exec(roleArn);
  const held = role ? world.roleNamed(role[2], role[3]) : undefined;
  const policy = held === undefined ? undefined : world.roles.get(held);
  if (policy === undefined) return false;
  const actions = tags ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
  return actions.every((action) => trustAllows(policy, { principal, action, context }).allowed);
}

/** AssumeRoleForPodIdentity's answer (a JSON body), or a ServiceError with the model's error and status. */
export function assumeRoleForPodIdentity(world: WorkloadWorld, state: EmulatorState, r: EksAuthRequest): unknown {
  const m = ROUTE.exec(r.path);
  if (r.method !== 'POST' || !m) throw new ServiceError('InvalidRequestException', `No EKS Auth operation for ${r.method} ${r.path}`, 400);
  const clusterName = decodeURIComponent(m[1]);
  if (!CLUSTER_NAME.test(clusterName) || clusterName.length > 100) throw new ServiceError('InvalidParameterException', `1 validation error detected: Value '${clusterName}' at 'clusterName' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9A-Za-z][A-Za-z0-9\\-_]*`, 400);
  const token = r.body.token;
  if (typeof token !== 'string' || !JWT.test(token)) throw new ServiceError('InvalidParameterException', "1 validation error detected: Value at 'token' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_=]+.[A-Za-z0-9-_=]+.[A-Za-z0-9-_=]+", 400);
  const cluster = state.clusters.find((c) => c.name === clusterName && c.region === r.region);
  if (!cluster) throw new ServiceError('ResourceNotFoundException', `No cluster found for name: ${clusterName}.`, 404);

  const check = verifyServiceAccountToken(token, r.now);
  if (!check.ok && check.problem === 'expired') throw new ServiceError('ExpiredTokenException', 'Service account token has expired.', 400);
  if (!check.ok) throw new ServiceError('InvalidTokenException', 'Failed to validate the service account token.', 400);
  const claims = check.claims;
  if (claims.iss !== cluster.oidcIssuer) throw new ServiceError('InvalidTokenException', `Service account token was not issued by cluster ${clusterName}.`, 400);
  if (!claims.aud.includes(POD_IDENTITY_AUDIENCE)) throw new ServiceError('InvalidTokenException', `Service account token audience must be ${POD_IDENTITY_AUDIENCE}.`, 400);
  const { namespace, serviceaccount } = claims['kubernetes.io'];

  const association = world.associations.find((a) => a.region === r.region && a.clusterName === clusterName && a.namespace === namespace && a.serviceAccount === serviceaccount.name);
  if (!association) throw new ServiceError('ResourceNotFoundException', `No Pod Identity Association found for service account ${namespace}/${serviceaccount.name} in cluster ${clusterName}.`, 404);

  const tags = !association.disableSessionTags;
  const pod = claims['kubernetes.io'].pod;
  // The session tags EKS Pod Identity adds (pod-id-abac "Enable session tags"); conditions see them as aws:RequestTag/KEY.
  const requestTags: Record<string, string> = {
    'eks-cluster-arn': `arn:aws:eks:${cluster.region}:${cluster.accountId}:cluster/${cluster.name}`,
    'eks-cluster-name': cluster.name,
    'kubernetes-namespace': namespace,
    'kubernetes-service-account': serviceaccount.name,
    ...(pod ? { 'kubernetes-pod-name': pod.name, 'kubernetes-pod-uid': pod.uid } : {}),
  };
  const context: Record<string, string | string[]> = tags ? { ...Object.fromEntries(Object.entries(requestTags).map(([k, v]) => [`aws:RequestTag/${k}`, v])), 'aws:TagKeys': Object.keys(requestTags) } : {};
  if (!trusts(world, association.roleArn, { type: 'Service', id: SERVICE_PRINCIPAL }, context, tags)) throw new ServiceError('AccessDeniedException', DENIED, 400);

  let sessionRole = association.roleArn;
  if (association.targetRoleArn) {
    const first = ROLE_ARN.exec(association.roleArn)!;
    const chained: Record<string, string | string[]> = { ...context, 'aws:PrincipalArn': association.roleArn, 'aws:PrincipalAccount': first[2] };
    // "If you Disabled Session Tags ... EKS Pod Identity also sets the sts:ExternalId" (pod-id-assign-target-role).
    if (!tags) chained['sts:ExternalId'] = `${cluster.region}/${cluster.accountId}/${cluster.name}/${namespace}/${serviceaccount.name}`;
    if (!trusts(world, association.targetRoleArn, { type: 'AWS', id: association.roleArn }, chained, tags)) throw new ServiceError('AccessDeniedException', DENIED, 400);
    sessionRole = association.targetRoleArn;
  }

  const [, partition, account, roleName] = ROLE_ARN.exec(sessionRole)!;
  // RoleSessionName is at most 64 characters.
  const sessionName = `eks-${clusterName}-${pod?.name ?? serviceaccount.name}-${randomUUID()}`.slice(0, 64);
  const session = roleSession(state, partition, account, roleName, sessionName);
  return {
    subject: { namespace, serviceAccount: serviceaccount.name },
    audience: POD_IDENTITY_AUDIENCE,
    podIdentityAssociation: { associationArn: world.associationArn(association), associationId: association.associationId },
    assumedRoleUser: { arn: session.arn, assumeRoleId: session.userId },
    credentials: { sessionToken: session.sessionToken!, secretAccessKey: session.secretAccessKey, accessKeyId: session.accessKeyId, expiration: Math.floor(r.now.getTime() / 1000) + CREDENTIALS_SECONDS },
  };
}
