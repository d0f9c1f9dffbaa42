/**
 * How an AWS request is authenticated, by the way it is signed, before it reaches its service (serviceRoutes.ts):
 * an ordinary SigV4 request (Authorization header or query string), the presigned GetCallerIdentity inside an EKS
 * token, or the one unsigned action (STS AssumeRoleWithWebIdentity). Then every call is logged and may meet an
 * injected fault (faults.ts), whatever its service.
 */
import type * as http from 'http';
import { faultError } from './faults';
import { ServiceError, closeAfterResponse, credentialScope, readBody, sendError, sendXml, type Protocol } from './http';
import { recordResponse } from './responseLog';
import type { EmulatorRuntime } from './runtime';
import { routeFor } from './serviceRoutes';
import { SIGNATURE_MISMATCH, declaredPayloadHash, sha256Hex, verifySigV4, type SigV4Problem } from './sigv4';
import { callerIdentityXml } from './sts';
import { verifyToken } from './tokenVerifier';
import { assumeRoleWithWebIdentity } from './webIdentity';

/** Signing names the emulator answers for. A Set, as every lookup keyed by request data is: `constructor` is no service. */
const SIGNING_NAMES = new Set(['eks', 'eks-auth', 'logs', 'sts', 'iam']);

/** The fault kinds that make an AWS call fail; latency and queryStatus act elsewhere. */
const FAILING_KINDS = ['throttle', 'accessDenied', 'expiredToken', 'serverError', 'limitExceeded'] as const;

/** The wire protocol a request speaks, which decides how its errors are written. */
export function protocolOf(req: http.IncomingMessage): Protocol {
  if (req.headers['x-amz-target']) return 'json';
  if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return 'query';
  // A presigned query-protocol GET (an STS GetCallerIdentity URL) carries its Action in the query string.
  if (req.method === 'GET' && new URL(req.url ?? '/', 'http://localhost').searchParams.has('Action')) return 'query';
  return 'restJson';
}

/** Where an error of this request is answered in the query protocol's XML, by the service it was signed for. */
export const xmlNamespaceOf = (req: http.IncomingMessage) => (credentialScope(req)?.service === 'iam' ? 'https://iam.amazonaws.com/doc/2010-05-08/' : undefined);

/** Refuses a request whose body was not read: the answer closes the connection, so the body is never read. */
export function refuseUnread(req: http.IncomingMessage, res: http.ServerResponse, error: ServiceError): never {
  closeAfterResponse(req, res);
  throw error;
}

function signatureError(protocol: Protocol, problem: SigV4Problem): ServiceError {
  if (problem.kind === 'token') return protocol === 'query' ? new ServiceError('InvalidClientTokenId', problem.message, 403) : new ServiceError('UnrecognizedClientException', problem.message, protocol === 'json' ? 400 : 403);
  return protocol === 'query' ? new ServiceError('SignatureDoesNotMatch', problem.message, 403) : new ServiceError('InvalidSignatureException', problem.message, protocol === 'json' ? 400 : 403);
}

/**
 * A presigned GetCallerIdentity (an EKS token replayed, as aws-iam-authenticator's Verify does): STS checks the
 * signature over the Host and x-k8s-aws-id headers the request carries.
 */
export function isPresignedCallerIdentity(req: http.IncomingMessage, url: URL): boolean {
  // A presigned GET without that header is an ordinary query-string SigV4 request, checked like any other.
  return req.method === 'GET' && url.searchParams.get('Action') === 'GetCallerIdentity' && url.searchParams.has('X-Amz-Signature') && req.headers['x-k8s-aws-id'] !== undefined;
}

export async function presignedCallerIdentity(rt: EmulatorRuntime, req: http.IncomingMessage, url: URL, res: http.ServerResponse) {
  const { emulator } = rt;
  const host = String(req.headers.host ?? '');
  const clusterId = String(req.headers['x-k8s-aws-id'] ?? '');
  const region = /\/\d{8}\/([^/]+)\/sts\//.exec(url.searchParams.get('X-Amz-Credential') ?? '')?.[1] ?? 'us-east-1';
  const token = `k8s-aws-v1.${Buffer.from(`https://${host}${url.pathname}${url.search}`).toString('base64url')}`;
  const lookup = (id: string) => emulator.state.identities.find((i) => i.accessKeyId === id);
  emulator.calls.push({ service: 'sts', operation: 'GetCallerIdentity', region, params: { presigned: true, host, clusterId }, at: Date.now() });
  await rt.faults.delay('sts:GetCallerIdentity');
  const verdict = verifyToken(token, { clusterId, region, lookup, now: rt.now() });
  if (!verdict.ok) {
    // The verifier's STS answers carry "Body: Code: Message"; its format checks are the authenticator's, refused here as STS would refuse the request.
    const m = /Body: (\w+): (.*)$/.exec(verdict.error);
    return sendError(res, 'query', m ? new ServiceError(m[1], m[2], 403) : new ServiceError('AccessDenied', verdict.error, 403));
  }
  sendXml(res, 200, callerIdentityXml(lookup(verdict.accessKeyId)!));
}

/** A request signed with SigV4 in its headers or query string, or the one unsigned query action. */
export async function signedRequest(rt: EmulatorRuntime, req: http.IncomingMessage, url: URL, res: http.ServerResponse) {
  const { emulator, options, limits } = rt;
  const protocol = protocolOf(req);
  if (protocol === 'query' && req.method === 'POST' && !req.headers.authorization) return unsignedQuery(rt, req, res);
  // Who signed, and whether the signature holds, are decided from the headers alone: an unsigned or forged request
  // is answered without its body being read.
  const scope = credentialScope(req);
  if (!scope) refuseUnread(req, res, new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403));
  const identity = emulator.state.identities.find((i) => i.accessKeyId === scope.accessKeyId);
  if (!identity) {
    refuseUnread(req, res, protocol === 'query'
      ? new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403)
      : new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.', protocol === 'json' ? 400 : 403));
  }
  const now = rt.now();
  const declared = declaredPayloadHash(req);
  let raw: Buffer | undefined;
  if (declared === undefined) {
    // No x-amz-content-sha256 (botocore signs without it): the signature covers the body's hash, so the body is
    // read first, within the limits, and its hash is what the signature is checked over.
    raw = await readBody(req, limits);
  }
  const problem = verifySigV4(req, declared ?? sha256Hex(raw!), identity.secretAccessKey, identity.sessionToken, now);
  if (problem) refuseUnread(req, res, signatureError(protocol, problem));
  if (raw === undefined) {
    raw = await readBody(req, limits);
    // The signature held over the declared hash; the body must be the one it declared.
    if (sha256Hex(raw) !== declared) throw signatureError(protocol, SIGNATURE_MISMATCH);
  }
  const { service, operation, params, run } = routeFor(rt, { req, res, url, protocol, scope, identity, body: raw.toString('utf8'), now });
  if (SIGNING_NAMES.has(scope.service) && scope.service !== service) {
    throw new ServiceError('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`, 403);
  }
  // A live tail's answer is an event stream that stays open: there is no one body to keep.
  if (options.recordResponses && operation !== 'StartLiveTail') recordResponse(emulator.responses, res, service, operation);
  const target = `${service}:${operation}`;
  emulator.calls.push({ service, operation, region: scope.region, params, at: Date.now() });
  await rt.faults.delay(target);
  const fault = rt.faults.take(target, [...FAILING_KINDS]);
  if (fault) throw faultError(service, operation, fault.kind, identity.arn);
  await run();
}

/**
 * An unsigned query-protocol POST: only STS AssumeRoleWithWebIdentity is served without a signature (its body, a
 * token and a few names, is read within 64 KiB); anything else is MissingAuthenticationToken, as when signed wrong.
 */
async function unsignedQuery(rt: EmulatorRuntime, req: http.IncomingMessage, res: http.ServerResponse) {
  const { emulator, options, limits } = rt;
  const params = Object.fromEntries(new URLSearchParams((await readBody(req, { ...limits, maxBytes: Math.min(limits.maxBytes, 65536) })).toString('utf8')));
  if (params.Action !== 'AssumeRoleWithWebIdentity') throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  if (options.recordResponses) recordResponse(emulator.responses, res, 'sts', params.Action);
  // The token is a credential: the call log keeps everything else.
  emulator.calls.push({ service: 'sts', operation: params.Action, region: 'us-east-1', params: { ...params, WebIdentityToken: '(not recorded)' }, at: Date.now() });
  await rt.faults.delay('sts:AssumeRoleWithWebIdentity');
  const fault = rt.faults.take('sts:AssumeRoleWithWebIdentity', ['throttle', 'serverError']);
  if (fault) throw faultError('sts', params.Action, fault.kind, '');
  sendXml(res, 200, assumeRoleWithWebIdentity(emulator.workload, emulator.state, params, rt.now()));
}
