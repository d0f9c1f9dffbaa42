/**
 * EKS clusters and their compute, read only: ListClusters, DescribeCluster (whose endpoint and CA are the cluster's
 * emulated Kubernetes API, started on the first describe), node groups and Fargate profiles.
 */
import { ServiceError } from './http';
import { EksContext, EksRequest, listPage, partitionOf, requireCluster, stableId } from './eksRequest';

export function listClusters(req: EksRequest, _m: string[], ctx: EksContext) {
  const names = ctx.state.clusters.filter((c) => c.region === req.region).map((c) => c.name).sort();
  const { page, nextToken } = listPage(names, req);
  return { clusters: page, nextToken };
}

export async function describeCluster(req: EksRequest, [name]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
  const kube = await ctx.kubeFor(c);
  const allTypes = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
  const enabled = allTypes.filter((t) => c.logging.includes(t));
  const disabled = allTypes.filter((t) => !c.logging.includes(t));
  return {
    cluster: {
      name: c.name,
      arn: `arn:${partitionOf(c.region)}:eks:${c.region}:${c.accountId}:cluster/${c.name}`,
      createdAt: c.createdAt,
      version: c.version,
      endpoint: kube.endpoint,
      roleArn: c.roleArn,
      resourcesVpcConfig: {
        subnetIds: c.subnetIds,
        securityGroupIds: [],
        clusterSecurityGroupId: `sg-${c.vpcId.slice(4, 21)}`,
        vpcId: c.vpcId,
        endpointPublicAccess: c.endpointPublicAccess,
        endpointPrivateAccess: c.endpointPrivateAccess,
        publicAccessCidrs: c.publicAccessCidrs,
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: '10.100.0.0/16', ipFamily: 'ipv4' },
      logging: {
        clusterLogging: [
          ...(enabled.length ? [{ types: enabled, enabled: true }] : []),
          ...(disabled.length ? [{ types: disabled, enabled: false }] : []),
        ],
      },
      identity: { oidc: { issuer: c.oidcIssuer } },
      status: c.status,
      certificateAuthority: { data: kube.caData },
      platformVersion: c.platformVersion,
      tags: {},
      health: { issues: [] },
      accessConfig: {
        authenticationMode: c.authenticationMode,
        ...(c.bootstrapClusterCreatorAdminPermissions !== undefined ? { bootstrapClusterCreatorAdminPermissions: c.bootstrapClusterCreatorAdminPermissions } : {}),
      },
    },
  };
}

export function listNodegroups(req: EksRequest, [name]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
  const { page, nextToken } = listPage(c.nodegroups.map((n) => n.name), req);
  return { nodegroups: page, nextToken };
}

export function describeNodegroup(req: EksRequest, [name, ng]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
  const n = c.nodegroups.find((x) => x.name === ng);
  if (!n) throw new ServiceError('ResourceNotFoundException', `No node group found for name: ${ng}.`, 404);
  return {
    nodegroup: {
      nodegroupName: n.name,
      nodegroupArn: `arn:${partitionOf(c.region)}:eks:${c.region}:${c.accountId}:nodegroup/${c.name}/${n.name}/${stableId(`${c.name}/${n.name}`)}`,
      clusterName: c.name,
      version: c.version,
      status: n.status,
      nodeRole: n.nodeRole,
      amiType: n.amiType,
      capacityType: 'ON_DEMAND',
      scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
      subnets: c.subnetIds,
      createdAt: c.createdAt,
    },
  };
}

export function listFargateProfiles(req: EksRequest, [name]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
  const { page, nextToken } = listPage(c.fargateProfiles.map((f) => f.name), req);
  return { fargateProfileNames: page, nextToken };
}

export function describeFargateProfile(req: EksRequest, [name, fp]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
  const f = c.fargateProfiles.find((x) => x.name === fp);
  if (!f) throw new ServiceError('ResourceNotFoundException', `No Fargate Profile found with name: ${fp}.`, 404);
  return {
    fargateProfile: {
      fargateProfileName: f.name,
      fargateProfileArn: `arn:${partitionOf(c.region)}:eks:${c.region}:${c.accountId}:fargateprofile/${c.name}/${f.name}/${stableId(`${c.name}/fargate/${f.name}`)}`,
      clusterName: c.name,
      podExecutionRoleArn: f.podExecutionRoleArn,
      selectors: f.namespaces.map((namespace) => ({ namespace })),
      status: 'ACTIVE',
      createdAt: c.createdAt,
    },
  };
}

