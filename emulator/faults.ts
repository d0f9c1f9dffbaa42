/**
 * Fault injection: tests post faults (`/_emulator/faults`) that make the next matching calls slow or fail, so the
 * extension's retry, error and timeout paths can be driven on demand. A fault names its target as the call log does
 * (`eks:ListClusters`, `logs:*`, `kube:GET /api/...` or `*`); the error it becomes is worded as that service words it.
 */
import { ServiceError } from './http';

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

const FAULT_KINDS: FaultKind[] = ['latency', 'throttle', 'accessDenied', 'expiredToken', 'serverError', 'limitExceeded', 'queryStatus'];

/** Why a posted fault cannot be used, or undefined. */
export function faultProblem(f: unknown): string | undefined {
  if (!f || typeof f !== 'object' || Array.isArray(f)) return 'a fault is an object: {"target": "eks:ListClusters", "kind": "throttle"}';
  const x = f as Record<string, unknown>;
  if (typeof x.target !== 'string' || !x.target) return 'target must be a string such as eks:ListClusters, logs:*, kube:GET /api/... or *';
  if (typeof x.kind !== 'string' || !FAULT_KINDS.includes(x.kind as FaultKind)) return `kind must be one of ${FAULT_KINDS.join(', ')}`;
  for (const k of ['latencyMs', 'times', 'after']) if (x[k] !== undefined && (typeof x[k] !== 'number' || (x[k] as number) < 0)) return `${k} must be a number >= 0`;
  if (x.kind === 'queryStatus' && !['Failed', 'Timeout', 'Unknown'].includes(String(x.status))) return 'a queryStatus fault needs status Failed, Timeout or Unknown';
  return undefined;
}

/** The posted faults as the request handlers use them. */
export interface FaultInjector {
  /** The first fault of these kinds that applies to this call, counted as used; undefined when none applies. */
  take(target: string, kinds?: FaultKind[]): Fault | undefined;
  /** Waits the latency every call gets plus that of a latency fault for this call. */
  delay(target: string): Promise<void>;
}

/**
 * `faults` is read on every call, not once: tests push onto and empty the emulator's list while it runs, and a reset
 * empties it too.
 */
export function faultInjector(faults: () => Fault[], latencyMs: number): FaultInjector {
  function take(target: string, kinds?: FaultKind[]): Fault | undefined {
    const [service] = target.split(':');
    const fault = faults().find(
      (f) => (f.target === '*' || f.target === target || f.target === `${service}:*`) && (!kinds || kinds.includes(f.kind)) && (f.times === undefined || f.times > 0),
    );
    if (fault?.after) {
      fault.after -= 1;
      return undefined;
    }
    if (fault && fault.times !== undefined) fault.times -= 1;
    return fault;
  }
  async function delay(target: string) {
    const fault = take(target, ['latency']);
    const ms = latencyMs + (fault?.latencyMs ?? 0);
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }
  return { take, delay };
}

/** The error an AWS service answers for this fault: the query services (STS, IAM) name their errors without `Exception`. */
export function faultError(service: string, operation: string, kind: FaultKind, callerArn: string): ServiceError | undefined {
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

/** The fault kinds a Kubernetes endpoint can be made to answer with. */
export const KUBE_FAULT_KINDS: FaultKind[] = ['throttle', 'accessDenied', 'expiredToken', 'serverError'];

/** The Kubernetes Status a kube fault answers with, as the API server words it. */
export function kubeFaultStatus(kind: FaultKind): { code: number; reason: string; message: string } {
  if (kind === 'throttle') return { code: 429, reason: 'TooManyRequests', message: 'Too many requests, please try again later.' };
  if (kind === 'accessDenied') return { code: 403, reason: 'Forbidden', message: 'configmaps "aws-auth" is forbidden: User cannot get resource "configmaps" in API group "" in the namespace "kube-system"' };
  if (kind === 'expiredToken') return { code: 401, reason: 'Unauthorized', message: 'Unauthorized' };
  return { code: 503, reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' };
}
