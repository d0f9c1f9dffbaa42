/**
 * One local process that answers the real AWS SDK clients (EKS REST-JSON, CloudWatch Logs JSON 1.1, STS query)
 * on one port, and starts a Kubernetes API endpoint per cluster on demand. Faults and latency can be injected
 * per route, and every call is recorded so tests can assert what the extension sent.
 */
import { createHash, randomUUID } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { matchEksRoute } from './eks';
import { BodyError, BodyLimits, Call, DEFAULT_BODY_LIMITS, Protocol, ServiceError, closeAfterResponse, credentialScope, parseJsonBody, readBody, sendError, sendJson, sendXml, xmlEscape } from './http';
import { demoKubeconfig } from './demoKubeconfig';
import { startKubeServer, KubeServer } from './kube';
import { startLiveTail, type LiveTailOptions } from './liveTail';
import { LOGS_OPERATIONS, resetQueries } from './logs';
import { SIGNATURE_MISMATCH, declaredPayloadHash, sha256Hex, verifySigV4, type SigV4Problem } from './sigv4';
import { verifyToken } from './tokenVerifier';
import { Cluster, EmulatorState, Identity, Scenario, buildState, roleSession } from './state';
import type { WorkloadWorld } from './workload';
import { isWorkloadIamAction, workloadEksRoute, workloadIam } from './workloadWrites';
import { assumeRoleWithWebIdentity } from './webIdentity';
import { assumeRoleForPodIdentity } from './podIdentityAuth';
import { buildWorkload } from './workloadScenario';

export type FaultKind = 'latency' | 'throttle' | 'accessDenied' | 'expiredToken' | 'serverError' | 'limitExceeded' | 'queryStatus';

export interface Fault {
  /** `eks:ListClusters`, `logs:*`, `sts:GetCallerIdentity`, `kube:GET /api/v1/...`, or `*`. */
  target: string;
  kind: FaultKind;
  latencyMs?: number;
  /** For `queryStatus`: the status the query ends in. */
  status?: 'Failed' | 'Timeout' | 'Unknown';
  /** How many matching calls it applies to; unlimited when omitted. */
  times?: number;
  /** How many matching calls pass untouched before it applies. */
  after?: number;
}

export interface EmulatorOptions {
  port?: number;
  /** Latency added to every AWS call, for benchmarks. */
  latencyMs?: number;
  /** The aws executable the demo kubeconfig (/_emulator/kubeconfig) names: emulator/awsPlugin.ts for the demo. */
  demoAwsCommand?: string;
  queryTiming?: { scheduledMs: number; runningMs: number };
  updateDelayMs?: number;
  maxConcurrentQueries?: number;
  /** StartLiveTail's update interval and session limit (1 s and 3 h, as the service). */
  liveTail?: LiveTailOptions;
  /** Moves the emulator's clock, to test clock skew (milliseconds; positive: the emulator is ahead). */
  clockOffsetMs?: number;
  /** Keeps every AWS response as sent (status, error type, body), for the tests that hold them to the service models. */
  recordResponses?: boolean;
  /** The largest request body taken and how long the rest of one is waited for (10 MiB and 10 s by default). */
  bodyLimits?: Partial<BodyLimits>;
}

export interface RecordedResponse {
  service: string;
  operation: string;
  status: number;
  errorType?: string;
  body: string;
}

export interface Emulator {
  endpoint: string;
  state: EmulatorState;
  /** IAM OIDC providers and trust policies, Pod Identity, service accounts and pods (emulator/workload.ts); rebuilt on reset. */
  workload: WorkloadWorld;
  calls: Call[];
  faults: Fault[];
  /** With recordResponses: every AWS response as sent. */
  responses: RecordedResponse[];
  /** Environment that points the AWS SDK (and so the extension) at the emulator. */
  env: Record<string, string>;
  reset(scenario?: Scenario): void;
  close(): Promise<void>;
  /** The demo kubeconfig for this emulator's Kubernetes endpoints (starting them), `aws` named as given. */
  kubeconfig(awsCommand?: string): Promise<string>;
}

const FAULT_KINDS: FaultKind[] = ['latency', 'throttle', 'accessDenied', 'expiredToken', 'serverError', 'limitExceeded', 'queryStatus'];

/** Why a posted fault cannot be used, or undefined. */
function faultProblem(f: unknown): string | undefined {
  if (!f || typeof f !== 'object' || Array.isArray(f)) return 'a fault is an object: {"target": "eks:ListClusters", "kind": "throttle"}';
  const x = f as Record<string, unknown>;
  if (typeof x.target !== 'string' || !x.target) return 'target must be a string such as eks:ListClusters, logs:*, kube:GET /api/... or *';
  if (typeof x.kind !== 'string' || !FAULT_KINDS.includes(x.kind as FaultKind)) return `kind must be one of ${FAULT_KINDS.join(', ')}`;
  for (const k of ['latencyMs', 'times', 'after']) if (x[k] !== undefined && (typeof x[k] !== 'number' || (x[k] as number) < 0)) return `${k} must be a number >= 0`;
  if (x.kind === 'queryStatus' && !['Failed', 'Timeout', 'Unknown'].includes(String(x.status))) return 'a queryStatus fault needs status Failed, Timeout or Unknown';
  return undefined;
}

/** Signing names the emulator answers for. A Map, as every lookup keyed by request data is: `constructor` is no service. */
const SIGNING_NAMES = new Set(['eks', 'eks-auth', 'logs', 'sts', 'iam']);

/** An IAM unique id: the kind's prefix and 17 more characters, 21 in all, as IAM writes them (AROA..., AIDA...). */
function iamId(prefix: 'AROA' | 'AIDA', arn: string): string {
  const digest = createHash('sha256').update(arn).digest('base64').replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  return prefix + digest.slice(0, 17);
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
 * SSO GetRoleCredentials (the portal API the SDK's SSO provider calls): a token the scenario's portal issued, for a
 * permission set it assigned; the credentials become an identity for that role's session. Errors as the SSO model
 * declares them (UnauthorizedException 401, ForbiddenException 403, restJson with x-amzn-errortype).
 */
function ssoRoleCredentials(state: EmulatorState, token: string, accountId: string, roleName: string) {
  if (!state.sso.tokens.includes(token)) throw new ServiceError('UnauthorizedException', 'Session token not found or invalid', 401);
  const assignment = state.sso.roles.get(`${accountId}/${roleName}`);
  if (!assignment) throw new ServiceError('ForbiddenException', 'No access', 403);
  const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(assignment.roleArn)!;
  const session = roleSession(state, role[1], role[2], role[3], assignment.sessionName);
  return { roleCredentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken, expiration: Date.now() + 3600_000 } };
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

type QueryHandler = (state: EmulatorState, caller: Identity, params: Record<string, unknown>) => string;

/**
 * The query-protocol actions, by service. Maps, so that an Action such as `constructor` or `__proto__` is an unknown
 * action: AWS answers it with InvalidAction, HTTP 400 ("The action or operation requested is invalid", the Common
 * Errors page of every query-protocol API reference, e.g. docs.aws.amazon.com/AmazonRDS/latest/APIReference/CommonErrors.html).
 */
const STS_ACTIONS = new Map<string, QueryHandler>([
  ['GetCallerIdentity', (_state, caller) =>
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${xmlEscape(caller.arn)}</Arn><UserId>${xmlEscape(caller.userId)}</UserId><Account>${caller.arn.split(':')[4]}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`],
  ['AssumeRole', (state, caller, params) => assumeRole(state, caller, params)],
]);
const IAM_ACTIONS = new Map<string, QueryHandler>([
  ['GetRole', (state, caller, params) => iamResponse(state, 'GetRole', params, caller)],
  ['GetUser', (state, caller, params) => iamResponse(state, 'GetUser', params, caller)],
]);
const QUERY_VERSIONS = new Map([['sts', '2011-06-15'], ['iam', '2010-05-08']]);

/** Where an error of this request is answered in the query protocol's XML, by the service it was signed for. */
const xmlNamespaceOf = (req: http.IncomingMessage) => (credentialScope(req)?.service === 'iam' ? 'https://iam.amazonaws.com/doc/2010-05-08/' : undefined);

export async function startEmulator(scenario: Scenario, options: EmulatorOptions = {}): Promise<Emulator> {
  let current = scenario;
  const emulator = {
    state: buildState(scenario),
    workload: undefined as unknown as WorkloadWorld,
    calls: [] as Call[],
    faults: [] as Fault[],
    responses: [] as RecordedResponse[],
  } as Emulator;
  emulator.workload = buildWorkload(scenario, emulator.state.clusters);
  /** Keyed by region and name, so a cluster keeps its endpoint and CA across resets. */
  const kubeServers = new Map<string, Promise<KubeServer>>();
  const timing = options.queryTiming ?? { scheduledMs: 150, runningMs: 600 };

  function takeFault(target: string, kinds?: FaultKind[]): Fault | undefined {
    const [service] = target.split(':');
    const fault = emulator.faults.find(
      (f) => (f.target === '*' || f.target === target || f.target === `${service}:*`) && (!kinds || kinds.includes(f.kind)) && (f.times === undefined || f.times > 0),
    );
    if (fault?.after) {
      fault.after -= 1;
      return undefined;
    }
    if (fault && fault.times !== undefined) fault.times -= 1;
    return fault;
  }

  async function applyLatency(target: string) {
    const extra = options.latencyMs ?? 0;
    const fault = takeFault(target, ['latency']);
    const ms = extra + (fault?.latencyMs ?? 0);
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }

  function faultError(service: string, operation: string, kind: FaultKind, callerArn: string): ServiceError | undefined {
    const action = `${service}:${operation}`;
    switch (kind) {
      case 'throttle':
        return service === 'sts' || service === 'iam' ? new ServiceError('Throttling', 'Rate exceeded', 400) : new ServiceError('ThrottlingException', 'Rate exceeded', service.startsWith('eks') ? 429 : 400);
      case 'accessDenied': {
        const message = `User: ${callerArn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
        return new ServiceError(service === 'sts' || service === 'iam' ? 'AccessDenied' : 'AccessDeniedException', message, service === 'logs' ? 400 : 403);
      }
      case 'expiredToken':
        return new ServiceError(service === 'sts' || service === 'iam' ? 'ExpiredToken' : 'ExpiredTokenException', 'The security token included in the request is expired', service === 'eks' ? 403 : 400);
      case 'limitExceeded':
        return new ServiceError('LimitExceededException', 'Account maximum query concurrency limit of [100] reached.', 400);
      case 'serverError':
        return new ServiceError(service === 'sts' ? 'InternalFailure' : 'ServiceUnavailableException', 'Service is unavailable, try again later', 503);
      default:
        return undefined;
    }
  }

  async function kubeFor(cluster: Cluster) {
    const key = `${cluster.region}/${cluster.name}`;
    let pending = kubeServers.get(key);
    if (!pending) {
      pending = startKubeServer(
        () => emulator.state.clusters.find((c) => c.region === cluster.region && c.name === cluster.name),
        () => emulator.state.identities,
        (operation, params) => emulator.calls.push({ service: 'kube', operation: `${cluster.name} ${operation}`, region: cluster.region, params, at: Date.now() }),
        async (operation) => {
          const target = `kube:${operation}`;
          await applyLatency(target);
          const fault = takeFault(target, ['throttle', 'accessDenied', 'expiredToken', 'serverError']);
          if (!fault) return undefined;
          if (fault.kind === 'throttle') return { code: 429, reason: 'TooManyRequests', message: 'Too many requests, please try again later.' };
          if (fault.kind === 'accessDenied') return { code: 403, reason: 'Forbidden', message: 'configmaps "aws-auth" is forbidden: User cannot get resource "configmaps" in API group "" in the namespace "kube-system"' };
          if (fault.kind === 'expiredToken') return { code: 401, reason: 'Unauthorized', message: 'Unauthorized' };
          return { code: 503, reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' };
        },
        limits.timeoutMs,
        () => emulator.workload,
      );
      kubeServers.set(key, pending);
    }
    const server = await pending;
    cluster.kube = { endpoint: server.endpoint, caData: server.caData };
    return cluster.kube;
  }

  const limits: BodyLimits = { ...DEFAULT_BODY_LIMITS, ...options.bodyLimits };
  /** Bodies are refused or given up on before they are read whole; the connection then closes (see closeAfterResponse). */
  const server = http.createServer(
    // Backstops to the per-request body timer: headers must arrive in time too, and Node checks each second.
    { headersTimeout: limits.timeoutMs, requestTimeout: limits.timeoutMs * 2, connectionsCheckingInterval: 1000 },
    (req, res) => {
      handle(req, res).catch((e: unknown) => {
        const protocol = protocolOf(req);
        let error: ServiceError;
        if (e instanceof BodyError) {
          closeAfterResponse(req, res);
          error = e.kind === 'tooLarge' ? new ServiceError('RequestEntityTooLarge', e.message, 413) : new ServiceError('RequestTimeout', e.message, 408);
          if (e.kind === 'aborted') return;
        } else error = e instanceof ServiceError ? e : new ServiceError('InternalFailure', `emulator error: ${(e as Error).message}`, 500);
        if (!res.headersSent) sendError(res, protocol, error, xmlNamespaceOf(req));
      });
    },
  );

  function record(res: http.ServerResponse, service: string, operation: string) {
    const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => http.ServerResponse;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      const errorType = res.getHeader('x-amzn-errortype');
      emulator.responses.push({ service, operation, status: res.statusCode, errorType: errorType ? String(errorType).split(':')[0] : undefined, body: chunk === undefined || typeof chunk === 'function' ? '' : String(chunk) });
      return end(chunk, ...rest);
    }) as typeof res.end;
  }

  /** Refuses a request whose body was not read: the answer closes the connection, so the body is never read. */
  function refuseUnread(req: http.IncomingMessage, res: http.ServerResponse, error: ServiceError): never {
    closeAfterResponse(req, res);
    throw error;
  }

  function signatureError(protocol: Protocol, problem: SigV4Problem): ServiceError {
    if (problem.kind === 'token') return protocol === 'query' ? new ServiceError('InvalidClientTokenId', problem.message, 403) : new ServiceError('UnrecognizedClientException', problem.message, protocol === 'json' ? 400 : 403);
    return protocol === 'query' ? new ServiceError('SignatureDoesNotMatch', problem.message, 403) : new ServiceError('InvalidSignatureException', problem.message, protocol === 'json' ? 400 : 403);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    // The emulator's own clock, which the SDK reads to correct a skewed client (systemClockOffset).
    res.setHeader('Date', new Date(Date.now() + (options.clockOffsetMs ?? 0)).toUTCString());
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      decodeURIComponent(url.pathname);
    } catch {
      refuseUnread(req, res, new ServiceError('InvalidParameterException', `The request path is not a valid URI: malformed percent-encoding in ${url.pathname.slice(0, 100)}`, 400));
    }
    if (url.pathname.startsWith('/_emulator/')) return admin(req.method ?? 'GET', url.pathname, (await readBody(req, limits)).toString('utf8'), res);

    // The IAM Identity Center portal authenticates with the SSO access token, not SigV4; it is a GET without a body.
    if (url.pathname === '/federation/credentials' && req.method === 'GET') {
      emulator.calls.push({ service: 'sso', operation: 'GetRoleCredentials', region: 'us-east-1', params: Object.fromEntries(url.searchParams), at: Date.now() });
      if (options.recordResponses) record(res, 'sso', 'GetRoleCredentials');
      return sendJson(res, 200, ssoRoleCredentials(emulator.state, String(req.headers['x-amz-sso_bearer_token'] ?? ''), url.searchParams.get('account_id') ?? '', url.searchParams.get('role_name') ?? ''));
    }
    // A presigned GetCallerIdentity (an EKS token replayed, as aws-iam-authenticator's Verify does): STS checks the
    // signature over the Host and x-k8s-aws-id headers the request carries.
    // A presigned GET without that header is an ordinary query-string SigV4 request, checked below like any other.
    if (req.method === 'GET' && url.searchParams.get('Action') === 'GetCallerIdentity' && url.searchParams.has('X-Amz-Signature') && req.headers['x-k8s-aws-id'] !== undefined) return presignedCallerIdentity(req, url, res);
    const protocol = protocolOf(req);
    if (protocol === 'query' && req.method === 'POST' && !req.headers.authorization) return unsignedQuery(req, res);
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
    const now = new Date(Date.now() + (options.clockOffsetMs ?? 0));
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
    const body = raw.toString('utf8');
    const region = scope.region;

    let service: string;
    let operation: string;
    let params: Record<string, unknown>;
    let run: () => Promise<void>;
    if (protocol === 'json') {
      service = 'logs';
      // awsJson1.1: X-Amz-Target is `Logs_20140328.<Operation>`; anything else names no operation.
      const target = String(req.headers['x-amz-target']);
      const dot = target.indexOf('.');
      operation = target.slice(dot + 1);
      params = parseJsonBody(body);
      const handler = target.slice(0, dot) === 'Logs_20140328' ? LOGS_OPERATIONS.get(operation) : undefined;
      if (operation === 'StartLiveTail' && target.slice(0, dot) === 'Logs_20140328') {
        const tailParams = params;
        run = async () => startLiveTail(req, res, tailParams, emulator.state, region, options.liveTail);
      } else if (!handler) throw new ServiceError('UnknownOperationException', `Unknown operation ${target}`);
      else run = async () => {
        const forced = operation === 'StartQuery' ? takeFault('logs:StartQuery', ['queryStatus'])?.status : undefined;
        const ctx = { state: emulator.state, region, timing, maxConcurrentQueries: options.maxConcurrentQueries ?? 100 };
        sendJson(res, 200, handler(params, ctx, forced), 'application/x-amz-json-1.1');
      };
    } else if (protocol === 'query') {
      service = scope.service === 'iam' ? 'iam' : 'sts';
      // The query protocol takes its parameters from the form body or, for a GET such as a presigned URL, the query.
      const form = new URLSearchParams(body);
      for (const [k, v] of url.searchParams) if (!k.startsWith('X-Amz-')) form.append(k, v);
      operation = form.get('Action') ?? '';
      params = Object.fromEntries(form);
      const handler = (service === 'iam' ? IAM_ACTIONS : STS_ACTIONS).get(operation);
      if (!handler && !(service === 'iam' && isWorkloadIamAction(operation))) throw new ServiceError('InvalidAction', `Could not find operation ${operation} for version ${form.get('Version') ?? QUERY_VERSIONS.get(service)}`);
      const queryParams = params;
      const workloadXml = () => (service === 'iam' ? workloadIam(emulator.workload, operation, queryParams, identity.arn.split(':')[4]) : undefined);
      run = async () => sendXml(res, 200, workloadXml() ?? handler!(emulator.state, identity, queryParams));
    } else if (scope.service === 'eks-auth') {
      // EKS Auth (emulator/podIdentityAuth.ts): the call log keeps the cluster, never the token.
      [service, operation, params] = ['eks-auth', 'AssumeRoleForPodIdentity', { path: url.pathname }];
      run = async () => sendJson(res, 200, assumeRoleForPodIdentity(emulator.workload, emulator.state, { method: req.method ?? 'GET', path: url.pathname, region, body: parseJsonBody(body), now }));
    } else {
      service = 'eks';
      const workloadRoute = workloadEksRoute(emulator.workload, req.method ?? 'GET', url.pathname);
      const route = workloadRoute ? { operation: workloadRoute.operation, params: [], handler: (r: { region: string; query: URLSearchParams; body: Record<string, unknown> }) => workloadRoute.handler(r.region, r.query, r.body) } : matchEksRoute(req.method ?? 'GET', url.pathname);
      if (!route) throw new ServiceError('UnknownOperationException', `No EKS operation for ${req.method} ${url.pathname}`, 404);
      operation = route.operation;
      const eksBody = parseJsonBody(body);
      params = { ...Object.fromEntries(url.searchParams), ...eksBody, pathParams: route.params };
      run = async () => {
        const result = await route.handler({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: eksBody, region }, route.params, {
          state: emulator.state,
          kubeFor,
          updateDelayMs: options.updateDelayMs ?? 1500,
        });
        sendJson(res, 200, result);
      };
    }
    if (SIGNING_NAMES.has(scope.service) && scope.service !== service) {
      throw new ServiceError('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`, 403);
    }
    if (options.recordResponses && operation !== 'StartLiveTail') record(res, service, operation);
    const target = `${service}:${operation}`;
    emulator.calls.push({ service, operation, region, params, at: Date.now() });
    await applyLatency(target);
    const fault = takeFault(target, ['throttle', 'accessDenied', 'expiredToken', 'serverError', 'limitExceeded']);
    if (fault) throw faultError(service, operation, fault.kind, identity.arn);
    await run();
  }

  /**
   * An unsigned query-protocol POST: only STS AssumeRoleWithWebIdentity is served without a signature (its body, a
   * token and a few names, is read within 64 KiB); anything else is MissingAuthenticationToken, as when signed wrong.
   */
  async function unsignedQuery(req: http.IncomingMessage, res: http.ServerResponse) {
    const params = Object.fromEntries(new URLSearchParams((await readBody(req, { ...limits, maxBytes: Math.min(limits.maxBytes, 65536) })).toString('utf8')));
    if (params.Action !== 'AssumeRoleWithWebIdentity') throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
    if (options.recordResponses) record(res, 'sts', params.Action);
    // The token is a credential: the call log keeps everything else.
    emulator.calls.push({ service: 'sts', operation: params.Action, region: 'us-east-1', params: { ...params, WebIdentityToken: '(not recorded)' }, at: Date.now() });
    await applyLatency('sts:AssumeRoleWithWebIdentity');
    const fault = takeFault('sts:AssumeRoleWithWebIdentity', ['throttle', 'serverError']);
    if (fault) throw faultError('sts', params.Action, fault.kind, '');
    sendXml(res, 200, assumeRoleWithWebIdentity(emulator.workload, emulator.state, params, new Date(Date.now() + (options.clockOffsetMs ?? 0))));
  }

  async function presignedCallerIdentity(req: http.IncomingMessage, url: URL, res: http.ServerResponse) {
    const host = String(req.headers.host ?? '');
    const clusterId = String(req.headers['x-k8s-aws-id'] ?? '');
    const region = /\/\d{8}\/([^/]+)\/sts\//.exec(url.searchParams.get('X-Amz-Credential') ?? '')?.[1] ?? 'us-east-1';
    const token = `k8s-aws-v1.${Buffer.from(`https://${host}${url.pathname}${url.search}`).toString('base64url')}`;
    const lookup = (id: string) => emulator.state.identities.find((i) => i.accessKeyId === id);
    emulator.calls.push({ service: 'sts', operation: 'GetCallerIdentity', region, params: { presigned: true, host, clusterId }, at: Date.now() });
    await applyLatency('sts:GetCallerIdentity');
    const verdict = verifyToken(token, { clusterId, region, lookup, now: new Date(Date.now() + (options.clockOffsetMs ?? 0)) });
    if (!verdict.ok) {
      // The verifier's STS answers carry "Body: Code: Message"; its format checks are the authenticator's, refused here as STS would refuse the request.
      const m = /Body: (\w+): (.*)$/.exec(verdict.error);
      return sendError(res, 'query', m ? new ServiceError(m[1], m[2], 403) : new ServiceError('AccessDenied', verdict.error, 403));
    }
    const identity = lookup(verdict.accessKeyId)!;
    sendXml(
      res,
      200,
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${xmlEscape(identity.arn)}</Arn><UserId>${xmlEscape(identity.userId)}</UserId><Account>${identity.arn.split(':')[4]}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    );
  }

  function admin(method: string, path: string, body: string, res: http.ServerResponse) {
    if (path === '/_emulator/calls' && method === 'GET') return sendJson(res, 200, emulator.calls);
    if (path === '/_emulator/kubeconfig' && method === 'GET') {
      void emulator.kubeconfig(options.demoAwsCommand).then(
        (text) => {
          res.writeHead(200, { 'content-type': 'application/yaml' });
          res.end(text);
        },
        (e: Error) => sendJson(res, 404, { message: `no demo kubeconfig for this scenario: ${e.message}` }),
      );
      return;
    }
    if (path === '/_emulator/calls' && method === 'DELETE') {
      emulator.calls.length = 0;
      return sendJson(res, 200, {});
    }
    if (path === '/_emulator/faults' && method === 'POST') {
      // A bad fault is refused whole: one that slipped in would make every later request fail.
      let fault: unknown;
      try {
        fault = JSON.parse(body);
      } catch {
        return sendJson(res, 400, { message: 'the fault is not JSON: expected {"target": "eks:ListClusters", "kind": "throttle"}' });
      }
      const problem = faultProblem(fault);
      if (problem) return sendJson(res, 400, { message: problem });
      emulator.faults.push(fault as Fault);
      return sendJson(res, 200, emulator.faults);
    }
    if (path === '/_emulator/faults' && method === 'DELETE') {
      emulator.faults.length = 0;
      return sendJson(res, 200, {});
    }
    if (path === '/_emulator/reset' && method === 'POST') {
      emulator.reset();
      return sendJson(res, 200, {});
    }
    return sendJson(res, 404, { message: `unknown emulator admin route ${method} ${path}` });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  emulator.endpoint = `http://127.0.0.1:${port}`;
  const admin0 = emulator.state.identities[0];
  emulator.env = {
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: admin0.accessKeyId,
    AWS_SECRET_ACCESS_KEY: admin0.secretAccessKey,
    AWS_REGION: scenario.clusters[0]?.region ?? 'us-east-1',
  };
  emulator.reset = (next?: Scenario) => {
    current = next ?? current;
    emulator.state = buildState(current);
    emulator.workload = buildWorkload(current, emulator.state.clusters);
    emulator.calls.length = 0;
    emulator.faults.length = 0;
    resetQueries();
  };
  emulator.kubeconfig = async (awsCommand?: string) => {
    const clusters = await Promise.all(
      emulator.state.clusters.map(async (c) => {
        const kube = await kubeFor(c);
        return { name: c.name, region: c.region, arn: `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`, endpoint: kube.endpoint, caData: kube.caData };
      }),
    );
    return demoKubeconfig(clusters, awsCommand);
  };
  emulator.close = async () => {
    await Promise.all([...kubeServers.values()].map(async (p) => (await p).close()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return emulator;
}

function protocolOf(req: http.IncomingMessage): Protocol {
  if (req.headers['x-amz-target']) return 'json';
  if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return 'query';
  // A presigned query-protocol GET (an STS GetCallerIdentity URL) carries its Action in the query string.
  if (req.method === 'GET' && new URL(req.url ?? '/', 'http://localhost').searchParams.has('Action')) return 'query';
  return 'restJson';
}
