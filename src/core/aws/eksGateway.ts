/** Amazon EKS calls the extension makes, behind an interface so trees and commands can be tested with fakes. */
import {
  AccessEntry,
  AccessPolicy,
  AccessScope,
  AssociatedAccessPolicy,
  Cluster,
  EKSClient,
  FargateProfile,
  Nodegroup,
  Update,
  paginateListAccessPolicies,
  paginateListAssociatedAccessPolicies,
  paginateListClusters,
  paginateListFargateProfiles,
  paginateListNodegroups,
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DeleteAccessEntryCommand,
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  DisassociateAccessPolicyCommand,
  ListAccessEntriesCommand,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { AwsTarget, clientConfig } from './clients';
import { mapLimit } from '../concurrency';
import type { AuthenticationMode } from '../clusters/model';

export type { AccessEntry, AccessPolicy, AccessScope, AssociatedAccessPolicy, Cluster, FargateProfile, Nodegroup, Update };
export type { AuthenticationMode };

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface EksGateway {
  listClusters(): AsyncIterable<string>;
  describeCluster(name: string): Promise<Cluster>;
  listNodegroups(cluster: string): Promise<Nodegroup[]>;
  listFargateProfiles(cluster: string): Promise<FargateProfile[]>;
  listAccessEntries(cluster: string, nextToken?: string, maxResults?: number): Promise<Page<string>>;
  describeAccessEntry(cluster: string, principalArn: string): Promise<AccessEntry>;
  listAssociatedAccessPolicies(cluster: string, principalArn: string): Promise<AssociatedAccessPolicy[]>;
  listAccessPolicies(): Promise<AccessPolicy[]>;
  createAccessEntry(cluster: string, input: { principalArn: string; type?: string; username?: string; kubernetesGroups?: string[] }): Promise<AccessEntry>;
  deleteAccessEntry(cluster: string, principalArn: string): Promise<void>;
  associateAccessPolicy(cluster: string, principalArn: string, policyArn: string, scope: AccessScope): Promise<void>;
  disassociateAccessPolicy(cluster: string, principalArn: string, policyArn: string): Promise<void>;
  updateAuthenticationMode(cluster: string, mode: AuthenticationMode): Promise<Update>;
  setLogging(cluster: string, types: string[], enabled: boolean): Promise<Update>;
  describeUpdate(cluster: string, updateId: string): Promise<Update>;
}

async function collect<T>(pages: AsyncIterable<T[] | undefined>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(page ?? []));
  return out;
}

export class SdkEksGateway implements EksGateway {
  constructor(
    readonly target: AwsTarget,
    private readonly client = new EKSClient(clientConfig(target, 'eks')),
  ) {}

  async *listClusters(): AsyncIterable<string> {
    for await (const page of paginateListClusters({ client: this.client }, {})) yield* page.clusters ?? [];
  }

  async describeCluster(name: string): Promise<Cluster> {
    const out = await this.client.send(new DescribeClusterCommand({ name }));
    return out.cluster!;
  }

  async listNodegroups(cluster: string): Promise<Nodegroup[]> {
    const names = await collect(mapPages(paginateListNodegroups({ client: this.client }, { clusterName: cluster }), (p) => p.nodegroups));
    return mapLimit(names, 5, async (nodegroupName) => (await this.client.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName }))).nodegroup!);
  }

  async listFargateProfiles(cluster: string): Promise<FargateProfile[]> {
    const names = await collect(mapPages(paginateListFargateProfiles({ client: this.client }, { clusterName: cluster }), (p) => p.fargateProfileNames));
    return mapLimit(names, 5, async (fargateProfileName) => (await this.client.send(new DescribeFargateProfileCommand({ clusterName: cluster, fargateProfileName }))).fargateProfile!);
  }

  async listAccessEntries(cluster: string, nextToken?: string, maxResults = 100): Promise<Page<string>> {
    const out = await this.client.send(new ListAccessEntriesCommand({ clusterName: cluster, nextToken, maxResults }));
    return { items: out.accessEntries ?? [], nextToken: out.nextToken };
  }

  async describeAccessEntry(cluster: string, principalArn: string): Promise<AccessEntry> {
    return (await this.client.send(new DescribeAccessEntryCommand({ clusterName: cluster, principalArn }))).accessEntry!;
  }

  listAssociatedAccessPolicies(cluster: string, principalArn: string): Promise<AssociatedAccessPolicy[]> {
    return collect(mapPages(paginateListAssociatedAccessPolicies({ client: this.client }, { clusterName: cluster, principalArn }), (p) => p.associatedAccessPolicies));
  }

  listAccessPolicies(): Promise<AccessPolicy[]> {
    return collect(mapPages(paginateListAccessPolicies({ client: this.client }, {}), (p) => p.accessPolicies));
  }

  async createAccessEntry(cluster: string, input: { principalArn: string; type?: string; username?: string; kubernetesGroups?: string[] }): Promise<AccessEntry> {
    return (await this.client.send(new CreateAccessEntryCommand({ clusterName: cluster, ...input }))).accessEntry!;
  }

  async deleteAccessEntry(cluster: string, principalArn: string): Promise<void> {
    await this.client.send(new DeleteAccessEntryCommand({ clusterName: cluster, principalArn }));
  }

  async associateAccessPolicy(cluster: string, principalArn: string, policyArn: string, accessScope: AccessScope): Promise<void> {
    await this.client.send(new AssociateAccessPolicyCommand({ clusterName: cluster, principalArn, policyArn, accessScope }));
  }

  async disassociateAccessPolicy(cluster: string, principalArn: string, policyArn: string): Promise<void> {
    await this.client.send(new DisassociateAccessPolicyCommand({ clusterName: cluster, principalArn, policyArn }));
  }

  async updateAuthenticationMode(cluster: string, mode: AuthenticationMode): Promise<Update> {
    return (await this.client.send(new UpdateClusterConfigCommand({ name: cluster, accessConfig: { authenticationMode: mode } }))).update!;
  }

  async setLogging(cluster: string, types: string[], enabled: boolean): Promise<Update> {
    const logging = { clusterLogging: [{ types: types as never[], enabled }] };
    return (await this.client.send(new UpdateClusterConfigCommand({ name: cluster, logging }))).update!;
  }

  async describeUpdate(cluster: string, updateId: string): Promise<Update> {
    return (await this.client.send(new DescribeUpdateCommand({ name: cluster, updateId }))).update!;
  }
}

async function* mapPages<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): AsyncIterable<T[] | undefined> {
  for await (const page of pages) yield pick(page);
}
