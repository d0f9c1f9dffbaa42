/**
 * What every EKS operation is given (the request and the emulator's state) and the lookups it starts with: the cluster
 * a path names, in the partition of the region that answers.
 */
import { awsEndpointFunctions } from '@aws-sdk/core/client';
import { createHash } from 'crypto';
import { ServiceError, paginate } from './http';
import type { Cluster, EmulatorState } from './state';

export interface EksRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  region: string;
}

export interface EksContext {
  state: EmulatorState;
  /** Starts (once) the cluster's Kubernetes endpoint and returns it. */
  kubeFor(cluster: Cluster): Promise<{ endpoint: string; caData: string }>;
  updateDelayMs: number;
}

/** An operation: `m` holds the path's parameters (cluster name, principal ARN, ...), decoded. */
export type EksHandler = (req: EksRequest, m: string[], ctx: EksContext) => Promise<unknown> | unknown;

/** A UUID-shaped id that is a function of what it names, so ARNs are the same on every call. */
export function stableId(of: string): string {
  const h = createHash('sha256').update(of).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export const partitionOf = (region: string) => (awsEndpointFunctions.partition(region) as { name: string }).name;

/** The cluster of this name in the request's region; EKS answers ResourceNotFoundException (404) otherwise. */
export function requireCluster(ctx: EksContext, req: EksRequest, name: string): Cluster {
  const found = ctx.state.clusters.find((c) => c.region === req.region && c.name === name);
  if (!found) throw new ServiceError('ResourceNotFoundException', `No cluster found for name: ${name}.`, 404);
  return found;
}

/** One page of a List operation, by its maxResults and nextToken (100 by default and at most). */
export function listPage<T>(items: T[], req: EksRequest): { page: T[]; nextToken?: string } {
  return paginate(items, req.query.get('maxResults') ?? undefined, req.query.get('nextToken'), 100, 100);
}
