/**
 * One local process that answers the real AWS SDK clients (EKS REST-JSON, CloudWatch Logs JSON 1.1, STS and IAM
 * query, EKS Auth, the SSO portal) on one port, and starts a Kubernetes API endpoint per cluster on demand. Faults
 * and latency can be injected per route, and every call is recorded so tests can assert what the extension sent.
 *
 * This module is the front door: the HTTP server, its error answers and the routes that need no SigV4. The rest is
 * dispatch.ts (authentication, call log, faults), serviceRoutes.ts (the operation a request names), admin.ts
 * (`/_emulator/`), faults.ts and kubeServers.ts.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { adminRoute } from './admin';
import { demoKubeconfig } from './demoKubeconfig';
import { isPresignedCallerIdentity, presignedCallerIdentity, protocolOf, refuseUnread, signedRequest, xmlNamespaceOf } from './dispatch';
import { faultInjector, type Fault } from './faults';
import { BodyError, BodyLimits, Call, DEFAULT_BODY_LIMITS, ServiceError, closeAfterResponse, readBody, sendError, sendJson } from './http';
import { kubeServers } from './kubeServers';
import type { LiveTailOptions } from './liveTail';
import { resetQueries } from './logs';
import { recordResponse, type RecordedResponse } from './responseLog';
import type { EmulatorRuntime } from './runtime';
import { ssoRoleCredentials } from './sso';
import { EmulatorState, Scenario, buildState } from './state';
import type { WorkloadWorld } from './workload';
import { buildWorkload } from './workloadScenario';

export type { Fault, FaultKind } from './faults';
export type { RecordedResponse } from './responseLog';

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
  const limits: BodyLimits = { ...DEFAULT_BODY_LIMITS, ...options.bodyLimits };
  const faults = faultInjector(() => emulator.faults, options.latencyMs ?? 0);
  const kube = kubeServers({ state: () => emulator.state, workload: () => emulator.workload, calls: () => emulator.calls, faults, bodyTimeoutMs: limits.timeoutMs });
  const rt: EmulatorRuntime = { emulator, options, limits, faults, kubeFor: kube.kubeFor, now: () => new Date(Date.now() + (options.clockOffsetMs ?? 0)) };

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

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    // The emulator's own clock, which the SDK reads to correct a skewed client (systemClockOffset).
    res.setHeader('Date', rt.now().toUTCString());
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      decodeURIComponent(url.pathname);
    } catch {
      refuseUnread(req, res, new ServiceError('InvalidParameterException', `The request path is not a valid URI: malformed percent-encoding in ${url.pathname.slice(0, 100)}`, 400));
    }
    if (url.pathname.startsWith('/_emulator/')) return adminRoute(rt, req.method ?? 'GET', url.pathname, (await readBody(req, limits)).toString('utf8'), res);

    // The IAM Identity Center portal authenticates with the SSO access token, not SigV4; it is a GET without a body.
    if (url.pathname === '/federation/credentials' && req.method === 'GET') {
      emulator.calls.push({ service: 'sso', operation: 'GetRoleCredentials', region: 'us-east-1', params: Object.fromEntries(url.searchParams), at: Date.now() });
      if (options.recordResponses) recordResponse(emulator.responses, res, 'sso', 'GetRoleCredentials');
      return sendJson(res, 200, ssoRoleCredentials(emulator.state, String(req.headers['x-amz-sso_bearer_token'] ?? ''), url.searchParams.get('account_id') ?? '', url.searchParams.get('role_name') ?? ''));
    }
    if (isPresignedCallerIdentity(req, url)) return presignedCallerIdentity(rt, req, url, res);
    return signedRequest(rt, req, url, res);
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
        const k = await kube.kubeFor(c);
        return { name: c.name, region: c.region, arn: `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`, endpoint: k.endpoint, caData: k.caData };
      }),
    );
    return demoKubeconfig(clusters, awsCommand);
  };
  emulator.close = async () => {
    await kube.closeAll();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return emulator;
}
