/**
 * The roles that must be able to join a cluster: each managed node group's node role and each Fargate profile's pod
 * execution role, with the access entry type that lets it join. The one source for the tree's Node roles section and
 * for the current state a change is checked against. A listing EKS refuses (AccessDenied on ListNodegroups, say)
 * gives `{ unknown }` with the reason, never an empty list: an empty list would tell change safety there are no
 * nodes to lock out.
 */
import { explainAwsError, formatExplained } from '../aws/errors';
import type { EksGateway, FargateProfile, Nodegroup } from '../aws/eksGateway';

/** The access entry types EKS gives nodes (EKS user guide, creating access entries; eks-notes.md). */
export type NodeEntryType = 'EC2_LINUX' | 'EC2_WINDOWS' | 'FARGATE_LINUX';

export interface NodeRole {
  /** How a reviewer knows it: "node group general", "Fargate profile default". */
  label: string;
  arn: string;
  kind: 'ec2' | 'fargate';
  /** The access entry type that lets what uses this role join. */
  entryType: NodeEntryType;
  /** Where it comes from, for reports (a Terraform resource address). */
  source?: string;
}

/** Why the node roles are not known; `error` is what the listing threw, for a caller that shows it as it would. */
export interface UnknownNodeRoles {
  unknown: string;
  error?: unknown;
}

export type NodeRoleList = NodeRole[] | UnknownNodeRoles;

export const isUnknown = (list: NodeRoleList | undefined): list is UnknownNodeRoles => !!list && !Array.isArray(list);
/** The roles a list names; none when it is unknown (callers that must tell the two apart check `isUnknown`). */
export const knownRoles = (list: NodeRoleList | undefined): NodeRole[] => (Array.isArray(list) ? list : []);

/**
 * The entry type a node group's nodes join with: EC2_WINDOWS for a Windows AMI (the SDK's AMITypes enum names them
 * WINDOWS_CORE_2019_x86_64 ... WINDOWS_FULL_2025_x86_64), EC2_LINUX for every other AMI type and for a custom AMI.
 */
export const nodegroupEntryType = (amiType: string | undefined): NodeEntryType => (amiType?.startsWith('WINDOWS') ? 'EC2_WINDOWS' : 'EC2_LINUX');

export const nodegroupRole = (n: Nodegroup): NodeRole => ({ label: `node group ${n.nodegroupName}`, arn: n.nodeRole ?? '', kind: 'ec2', entryType: nodegroupEntryType(n.amiType) });
export const fargateRole = (f: FargateProfile): NodeRole => ({ label: `Fargate profile ${f.fargateProfileName}`, arn: f.podExecutionRoleArn ?? '', kind: 'fargate', entryType: 'FARGATE_LINUX' });

/** The node group and Fargate roles of a cluster, or why they could not be listed. */
export async function listNodeRoles(eks: EksGateway, cluster: string, profile?: string): Promise<NodeRoleList> {
  const [nodegroups, fargate] = await Promise.allSettled([eks.listNodegroups(cluster), eks.listFargateProfiles(cluster)]);
  // Either listing alone is not the whole set: a missing half could hold the role that is locked out.
  for (const [what, r] of [['node groups', nodegroups], ['Fargate profiles', fargate]] as const) {
    if (r.status === 'rejected') return { unknown: `the ${what} could not be listed: ${formatExplained(explainAwsError(r.reason, profile))}`, error: r.reason };
  }
  const ok = <T>(r: PromiseSettledResult<T[]>) => (r.status === 'fulfilled' ? r.value : []);
  return [...ok(nodegroups).map(nodegroupRole), ...ok(fargate).map(fargateRole)];
}
