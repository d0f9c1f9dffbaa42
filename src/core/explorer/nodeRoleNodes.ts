/**
 * The Node roles group: the IAM roles of the cluster's node groups and Fargate profiles, and whether an access entry
 * or an aws-auth mapping lets each join.
 */
import { nodeRoleStatus, principalLabel } from '../clusters/model';
import { isUnknown, listNodeRoles, type NodeEntryType } from '../clusters/nodeRoles';
import { ClusterSectionNode } from './clusterSection';
import { CONTEXT, ExplorerNode, makeChildren, type NodeView } from './explorerNode';

import type { ClusterNode } from './nodes';

export class NodeRolesNode extends ClusterSectionNode {
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, clusterNode.ctx.t('Node roles'), 'server', CONTEXT.nodeRoles);
  }
  getChildren() {
    const c = this.clusterNode;
    return makeChildren(this, async () => {
      const eks = await this.ctx.clusters.gateways.eksFor(c.ref.profile, c.ref.region);
      const [roles, access] = await Promise.all([listNodeRoles(eks, c.ref.cluster, c.ref.profile), this.ctx.clusters.access(c.ref)]);
      // A listing EKS refused is this section's error node, as any failed load is.
      if (isUnknown(roles)) throw roles.error ?? new Error(roles.unknown);
      return roles.map((r) => {
        const status = nodeRoleStatus(r.arn, c.summary.mode, access.entries, access.awsAuthModel, r.kind);
        const unknown = c.summary.mode !== 'API' && (access.awsAuthError || access.awsAuthMissing) && !status.mapped;
        return new NodeRoleNode(this, r.label, r.arn, status.mapped, unknown ? `${status.reason} (aws-auth could not be read)` : status.reason, r.entryType);
      });
    }, this.ctx.t('No managed node groups or Fargate profiles'), c.ref.profile);
  }
}

export class NodeRoleNode extends ExplorerNode {
  constructor(
    parent: NodeRolesNode,
    readonly label: string,
    readonly roleArn: string,
    readonly mapped: boolean,
    readonly reason: string,
    /** The access entry type that lets what uses this role join: EC2_LINUX, EC2_WINDOWS or FARGATE_LINUX. */
    readonly entryType: NodeEntryType = 'EC2_LINUX',
  ) {
    super(parent, parent.ctx);
    this.arn = roleArn;
    this.clusterNode = parent.clusterNode;
  }
  readonly clusterNode: ClusterNode;
  view(): NodeView {
    return {
      label: this.label,
      description: `${principalLabel(this.roleArn)} · ${this.mapped ? 'mapped' : 'NOT mapped'}`,
      tooltip: `${this.roleArn}\n${this.mapped ? 'Mapped' : 'Not mapped'}: ${this.reason}`,
      icon: this.mapped ? 'pass' : 'error',
      iconIsError: !this.mapped,
      collapsible: 'none',
      contextValue: this.mapped ? CONTEXT.nodeRole : CONTEXT.nodeRoleUnmapped,
    };
  }
}

