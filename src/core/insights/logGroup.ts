/**
 * Where EKS writes a cluster's control plane logs, the authenticator's among them: the log group
 * `/aws/eks/<cluster-name>/cluster` in the cluster's account and Region, in streams named `authenticator-<id>`
 * (awsdocs/amazon-eks-user-guide latest/ug/observability/control-plane-logs.adoc: "The log group name format is
 * /aws/eks/my-cluster/cluster").
 */

export function clusterLogGroup(cluster: string): string {
  return `/aws/eks/${cluster}/cluster`;
}

/**
 * The log group's ARN, which StartLiveTail requires (it takes no name): its partition and account are the cluster's,
 * read from the cluster ARN `arn:<partition>:eks:<region>:<account>:cluster/<name>`.
 */
export function clusterLogGroupArn(clusterArn: string | undefined, region: string, cluster: string): string {
  const [, partition = 'aws', , , account = ''] = (clusterArn ?? '').split(':');
  return `arn:${partition}:logs:${region}:${account}:log-group:${clusterLogGroup(cluster)}`;
}

/** The prefix of the authenticator's streams in that group, for StartLiveTail's `logStreamNamePrefixes`. */
export const AUTHENTICATOR_STREAM_PREFIX = 'authenticator-';
