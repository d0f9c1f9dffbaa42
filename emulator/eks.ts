/**
 * Amazon EKS over REST-JSON: the routes the extension relies on, matched by method and path. The operations are
 * eksClusters.ts (clusters, node groups, Fargate profiles), eksAccessEntries.ts (access entries and policies) and
 * eksClusterUpdates.ts (authentication mode and logging updates).
 */
import { associatePolicy, createAccessEntry, deleteAccessEntry, describeAccessEntry, disassociatePolicy, listAccessEntries, listAccessPolicies, listAssociated, updateAccessEntry } from './eksAccessEntries';
import { describeUpdate, updateClusterConfig } from './eksClusterUpdates';
import { describeCluster, describeFargateProfile, describeNodegroup, listClusters, listFargateProfiles, listNodegroups } from './eksClusters';
import type { EksHandler } from './eksRequest';

export type { EksContext, EksRequest } from './eksRequest';

const ROUTES: { method: string; pattern: RegExp; operation: string; handler: EksHandler }[] = [
  { method: 'GET', pattern: /^\/clusters$/, operation: 'ListClusters', handler: listClusters },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)$/, operation: 'DescribeCluster', handler: describeCluster },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/node-groups$/, operation: 'ListNodegroups', handler: listNodegroups },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/node-groups\/([^/]+)$/, operation: 'DescribeNodegroup', handler: describeNodegroup },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/fargate-profiles$/, operation: 'ListFargateProfiles', handler: listFargateProfiles },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/fargate-profiles\/([^/]+)$/, operation: 'DescribeFargateProfile', handler: describeFargateProfile },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/access-entries$/, operation: 'ListAccessEntries', handler: listAccessEntries },
  { method: 'POST', pattern: /^\/clusters\/([^/]+)\/access-entries$/, operation: 'CreateAccessEntry', handler: createAccessEntry },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/access-entries\/([^/]+)$/, operation: 'DescribeAccessEntry', handler: describeAccessEntry },
  { method: 'POST', pattern: /^\/clusters\/([^/]+)\/access-entries\/([^/]+)$/, operation: 'UpdateAccessEntry', handler: updateAccessEntry },
  { method: 'DELETE', pattern: /^\/clusters\/([^/]+)\/access-entries\/([^/]+)$/, operation: 'DeleteAccessEntry', handler: deleteAccessEntry },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/access-entries\/([^/]+)\/access-policies$/, operation: 'ListAssociatedAccessPolicies', handler: listAssociated },
  { method: 'POST', pattern: /^\/clusters\/([^/]+)\/access-entries\/([^/]+)\/access-policies$/, operation: 'AssociateAccessPolicy', handler: associatePolicy },
  { method: 'DELETE', pattern: /^\/clusters\/([^/]+)\/access-entries\/([^/]+)\/access-policies\/([^/]+)$/, operation: 'DisassociateAccessPolicy', handler: disassociatePolicy },
  { method: 'GET', pattern: /^\/access-policies$/, operation: 'ListAccessPolicies', handler: listAccessPolicies },
  { method: 'POST', pattern: /^\/clusters\/([^/]+)\/update-config$/, operation: 'UpdateClusterConfig', handler: updateClusterConfig },
  { method: 'GET', pattern: /^\/clusters\/([^/]+)\/updates\/([^/]+)$/, operation: 'DescribeUpdate', handler: describeUpdate },
];

/** The EKS operations the emulator serves. */
export const EKS_OPERATIONS: readonly string[] = ROUTES.map((r) => r.operation);

/** Finds the operation for a request, or undefined when the path is no EKS route. */
export function matchEksRoute(method: string, path: string): { operation: string; params: string[]; handler: EksHandler } | undefined {
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (m && route.method === method) return { operation: route.operation, params: m.slice(1).map(decodeURIComponent), handler: route.handler };
  }
  return undefined;
}
