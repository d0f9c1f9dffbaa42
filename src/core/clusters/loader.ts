/**
 * The explorer's loading code, VS Code-free so the benchmark runs it too: bounded concurrency everywhere, since a
 * region can hold hundreds of clusters and a cluster hundreds of access entries.
 */
import type { AccessEntryInfo } from '../access/explain';
import type { AccessEntry, AssociatedAccessPolicy, EksGateway } from '../aws/eksGateway';
import { mapLimit } from '../concurrency';
import { ClusterSummary, summarizeCluster } from './model';

export const CONCURRENCY = 10;
export const ACCESS_ENTRY_PAGE = 100;

/** Every cluster in the gateway's region, described; a cluster that fails to describe comes back as its Error. */
export async function loadClusterSummaries(eks: EksGateway): Promise<{ name: string; summary: ClusterSummary | Error }[]> {
  const names: string[] = [];
  for await (const name of eks.listClusters()) names.push(name);
  names.sort();
  return mapLimit(names, CONCURRENCY, async (name) => {
    try {
      return { name, summary: summarizeCluster(await eks.describeCluster(name)) };
    } catch (e) {
      return { name, summary: e as Error };
    }
  });
}

export interface AccessEntryWithPolicies {
  entry: AccessEntry;
  policies: AssociatedAccessPolicy[];
}

/** One page of access entries with their associated policies. */
export async function loadAccessEntryPage(eks: EksGateway, cluster: string, nextToken?: string): Promise<{ items: AccessEntryWithPolicies[]; nextToken?: string }> {
  const page = await eks.listAccessEntries(cluster, nextToken, ACCESS_ENTRY_PAGE);
  const items = await mapLimit(page.items, CONCURRENCY, async (arn) => {
    const [entry, policies] = await Promise.all([eks.describeAccessEntry(cluster, arn), eks.listAssociatedAccessPolicies(cluster, arn)]);
    return { entry, policies };
  });
  return { items, nextToken: page.nextToken };
}

/** Every access entry (without policies), for the node-role, shadowing and explain checks. */
export async function loadAllAccessEntries(eks: EksGateway, cluster: string): Promise<AccessEntryInfo[]> {
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const page = await eks.listAccessEntries(cluster, token, ACCESS_ENTRY_PAGE);
    arns.push(...page.items);
    token = page.nextToken;
  } while (token);
  const entries = await mapLimit(arns, CONCURRENCY, (a) => eks.describeAccessEntry(cluster, a));
  return entries.map((e) => ({ principalArn: e.principalArn!, type: e.type, username: e.username, kubernetesGroups: e.kubernetesGroups ?? [] }));
}
