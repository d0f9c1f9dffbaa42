/**
 * The authenticator model's explanation of why a cluster refused an identity. The refused identity usually cannot
 * read the cluster's access entries or aws-auth, so profiles that can are used instead; but only profiles the user
 * chose for this (the explorer's profiles, or `eks-auth doctor --explain-profile`), and only those whose account is
 * the cluster's: a profile is never tried just because it exists, since loading one may run its `credential_process`
 * (a keychain or MFA prompt) and a profile of another account cannot read this cluster anyway (issue 19, item 3).
 */
import { AccessExplanation, explainAccess } from '../access/explain';
import type { ClusterAccessService, ClusterRef } from '../clusters/clusterAccess';
import { clusterArnParts } from './doctorTypes';

export interface ChosenProfile {
  /** undefined: the default credential chain, when the user chose it. */
  profile?: string;
  /** The profile's account, asked once from STS; undefined when it could not be read (the profile is then skipped). */
  account(): Promise<string | undefined>;
}

/** The account of the cluster: from its ARN when the kubeconfig names it by one (as update-kubeconfig does), else the caller's. */
export function clusterAccount(clusterEntryName: string, callerAccount: string | undefined): string | undefined {
  return clusterArnParts(clusterEntryName)?.account ?? callerAccount;
}

/**
 * Explains with the first chosen profile in the cluster's account whose view of the cluster is complete; otherwise
 * with the first such profile that could read anything. Throws when none could, naming why.
 */
export async function explainWithChosenProfiles(service: Pick<ClusterAccessService, 'explainContext'>, cluster: ClusterRef & { account?: string }, principalArn: string, chosen: ChosenProfile[]): Promise<AccessExplanation> {
  const seen = new Set<string>();
  let first: AccessExplanation | undefined;
  const skipped: string[] = [];
  for (const candidate of chosen) {
    const key = candidate.profile ?? '(default)';
    if (seen.has(key)) continue;
    seen.add(key);
    const account = await candidate.account().catch(() => undefined);
    if (!account || (cluster.account && account !== cluster.account)) {
      skipped.push(`${key} (${account ? `account ${account}` : 'account unknown'})`);
      continue;
    }
    try {
      const { context, notes } = await service.explainContext({ profile: candidate.profile, region: cluster.region, cluster: cluster.cluster }, principalArn);
      const explanation = explainAccess(principalArn, context);
      explanation.nearMisses.push(...notes);
      if (!notes.length) return explanation;
      first ??= explanation;
    } catch {
      // This profile cannot describe the cluster: try the next.
    }
  }
  if (!first) throw new Error(`No chosen profile in account ${cluster.account ?? '(unknown)'} could read the access configuration of ${cluster.cluster}${skipped.length ? `; not in the cluster's account: ${skipped.join(', ')}` : ''}`);
  return first;
}
