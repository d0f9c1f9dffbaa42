/**
 * Which operation an authenticated request names, by the protocol it speaks and the service it was signed for:
 * CloudWatch Logs (awsJson1.1, X-Amz-Target), STS and IAM (query), EKS Auth and EKS (REST-JSON). The route is
 * resolved before it runs, so the call is logged and faults are applied (emulator/dispatch.ts) only for a real
 * operation, with the parameters the call log keeps.
 */
import type * as http from 'http';
import { matchEksRoute } from './eks';
import { ServiceError, parseJsonBody, sendJson, sendXml, type Protocol } from './http';
import { IAM_ACTIONS } from './iam';
import { startLiveTail } from './liveTail';
import { LOGS_OPERATIONS } from './logs';
import { assumeRoleForPodIdentity } from './podIdentityAuth';
import type { EmulatorRuntime } from './runtime';
import type { Identity } from './state';
import { STS_ACTIONS } from './sts';
import { isWorkloadIamAction, workloadEksRoute, workloadIam } from './workloadWrites';

/** A request whose signature held, with its body read. */
export interface SignedRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  protocol: Protocol;
  /** The credential scope's region and signing name. */
  scope: { region: string; service: string };
  identity: Identity;
  body: string;
  /** The emulator's clock when the request was checked. */
  now: Date;
}

/** The operation a request names, the parameters the call log keeps, and how it is answered. */
export interface ServiceRoute {
  service: string;
  operation: string;
  params: Record<string, unknown>;
  run(): Promise<void>;
}

const QUERY_VERSIONS = new Map([['sts', '2011-06-15'], ['iam', '2010-05-08']]);

/** Throws the service's unknown-operation error when the request names none. */
export function routeFor(rt: EmulatorRuntime, signed: SignedRequest): ServiceRoute {
  if (signed.protocol === 'json') return logsRoute(rt, signed);
  if (signed.protocol === 'query') return queryRoute(rt, signed);
  if (signed.scope.service === 'eks-auth') return eksAuthRoute(rt, signed);
  return eksRoute(rt, signed);
}

function logsRoute(rt: EmulatorRuntime, { req, res, scope, body }: SignedRequest): ServiceRoute {
  const { emulator, options } = rt;
  const region = scope.region;
  // awsJson1.1: X-Amz-Target is `Logs_20140328.<Operation>`; anything else names no operation.
  const target = String(req.headers['x-amz-target']);
  const dot = target.indexOf('.');
  const operation = target.slice(dot + 1);
  const params = parseJsonBody(body);
  const handler = target.slice(0, dot) === 'Logs_20140328' ? LOGS_OPERATIONS.get(operation) : undefined;
  if (operation === 'StartLiveTail' && target.slice(0, dot) === 'Logs_20140328') {
    return { service: 'logs', operation, params, run: async () => startLiveTail(req, res, params, emulator.state, region, options.liveTail) };
  }
  if (!handler) throw new ServiceError('UnknownOperationException', `Unknown operation ${target}`);
  const timing = options.queryTiming ?? { scheduledMs: 150, runningMs: 600 };
  return {
    service: 'logs',
    operation,
    params,
    run: async () => {
      const forced = operation === 'StartQuery' ? rt.faults.take('logs:StartQuery', ['queryStatus'])?.status : undefined;
      const ctx = { state: emulator.state, region, timing, maxConcurrentQueries: options.maxConcurrentQueries ?? 100 };
      sendJson(res, 200, handler(params, ctx, forced), 'application/x-amz-json-1.1');
    },
  };
}

/**
 * STS and IAM. The actions are Maps, so that an Action such as `constructor` or `__proto__` is an unknown action: AWS
 * answers it with InvalidAction, HTTP 400 ("The action or operation requested is invalid", the Common Errors page of
 * every query-protocol API reference, e.g. docs.aws.amazon.com/AmazonRDS/latest/APIReference/CommonErrors.html).
 */
function queryRoute(rt: EmulatorRuntime, { res, url, scope, identity, body }: SignedRequest): ServiceRoute {
  const { emulator } = rt;
  const service = scope.service === 'iam' ? 'iam' : 'sts';
  // The query protocol takes its parameters from the form body or, for a GET such as a presigned URL, the query.
  const form = new URLSearchParams(body);
  for (const [k, v] of url.searchParams) if (!k.startsWith('X-Amz-')) form.append(k, v);
  const operation = form.get('Action') ?? '';
  const params = Object.fromEntries(form);
  const handler = (service === 'iam' ? IAM_ACTIONS : STS_ACTIONS).get(operation);
  if (!handler && !(service === 'iam' && isWorkloadIamAction(operation))) throw new ServiceError('InvalidAction', `Could not find operation ${operation} for version ${form.get('Version') ?? QUERY_VERSIONS.get(service)}`);
  const workloadXml = () => (service === 'iam' ? workloadIam(emulator.workload, operation, params, identity.arn.split(':')[4]) : undefined);
  return { service, operation, params, run: async () => sendXml(res, 200, workloadXml() ?? handler!(emulator.state, identity, params)) };
}

/** EKS Auth (emulator/podIdentityAuth.ts): the call log keeps the cluster, never the token. */
function eksAuthRoute(rt: EmulatorRuntime, { req, res, url, scope, body, now }: SignedRequest): ServiceRoute {
  const { emulator } = rt;
  return {
    service: 'eks-auth',
    operation: 'AssumeRoleForPodIdentity',
    params: { path: url.pathname },
    run: async () => sendJson(res, 200, assumeRoleForPodIdentity(emulator.workload, emulator.state, { method: req.method ?? 'GET', path: url.pathname, region: scope.region, body: parseJsonBody(body), now })),
  };
}

/** EKS: the workload identity routes (emulator/workloadWrites.ts) first, then the cluster and access-entry ones. */
function eksRoute(rt: EmulatorRuntime, { req, res, url, scope, body }: SignedRequest): ServiceRoute {
  const { emulator, options } = rt;
  const region = scope.region;
  const workloadRoute = workloadEksRoute(emulator.workload, req.method ?? 'GET', url.pathname);
  const route = workloadRoute ? { operation: workloadRoute.operation, params: [], handler: (r: { region: string; query: URLSearchParams; body: Record<string, unknown> }) => workloadRoute.handler(r.region, r.query, r.body) } : matchEksRoute(req.method ?? 'GET', url.pathname);
  if (!route) throw new ServiceError('UnknownOperationException', `No EKS operation for ${req.method} ${url.pathname}`, 404);
  const eksBody = parseJsonBody(body);
  return {
    service: 'eks',
    operation: route.operation,
    params: { ...Object.fromEntries(url.searchParams), ...eksBody, pathParams: route.params },
    run: async () => {
      const result = await route.handler({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: eksBody, region }, route.params, {
        state: emulator.state,
        kubeFor: rt.kubeFor,
        updateDelayMs: options.updateDelayMs ?? 1500,
      });
      sendJson(res, 200, result);
    },
  };
}
