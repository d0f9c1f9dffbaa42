/**
 * The authenticator model's explanation of why a cluster refused an identity. The refused identity usually cannot
 * read the cluster's access entries or aws-auth itself, so other profiles that can are tried after it.
 */
import { AccessExplanation, explainAccess } from '../access/explain';
import type { ClusterAccessService, ClusterRef } from '../clusters/clusterAccess';

/** Explains with the first of the profiles whose view of the cluster is complete; otherwise with the first one. */
export async function explainWithFirstReadableProfile(service: Pick<ClusterAccessService, 'explainContext'>, cluster: ClusterRef, principalArn: string, others: (string | undefined)[]): Promise<AccessExplanation> {
  const profiles = [...new Set([cluster.profile, ...others])];
  let first: AccessExplanation | undefined;
  for (const profile of profiles) {
    try {
      const { context, notes } = await service.explainContext({ ...cluster, profile }, principalArn);
      const explanation = explainAccess(principalArn, context);
      explanation.nearMisses.push(...notes);
      if (!notes.length) return explanation;
      first ??= explanation;
    } catch {
      // This profile cannot describe the cluster: try the next.
    }
  }
  if (!first) throw new Error(`No profile could read the access configuration of ${cluster.cluster}`);
  return first;
}
