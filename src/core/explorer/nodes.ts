/**
 * The cluster explorer's nodes as plain data: what each node shows (a NodeView) and how it loads its children.
 * VS Code-free so the nodes are unit-tested with fake gateways; features/clusters turns views into TreeItems.
 * Parents fetch in getChildren and own their empty and error cases (makeChildren).
 */
import { explainAwsError, formatExplained } from '../aws/errors';
import type { ClusterRef, Identity } from '../clusters/clusterAccess';
import { ClusterSummary, MODE_LABELS, whoCanGetIn } from '../clusters/model';
import { AccessEntriesNode } from './accessEntryNodes';
import { AwsAuthNode } from './awsAuthNodes';
import { DetailsNode, MODE_ICONS } from './clusterSection';
import { ErrorNode, ExplorerContext, ExplorerNode, makeChildren, NodeView, CONTEXT } from './explorerNode';
import { NodeRolesNode } from './nodeRoleNodes';
import { WorkloadIdentityNode } from './workloadNodes';

// The explorer's nodes keep their import surface here, so consumers import from one module.
export * from './accessEntryNodes';
export * from './awsAuthNodes';
export * from './explorerNode';
export * from './nodeRoleNodes';
export * from './workloadNodes';

export class ProfileNode extends ExplorerNode {
  callerArn?: string;
  constructor(
    ctx: ExplorerContext,
    readonly identity: Identity,
  ) {
    super(undefined, ctx);
  }
  view(): NodeView {
    const { identity, callerArn } = this;
    return {
      label: identity.label,
      id: `profile:${identity.profile ?? ''}`,
      description: callerArn ?? (identity.sso ? 'SSO' : undefined),
      tooltip: `${identity.profile ? `Profile ${identity.profile}` : 'Default credential chain'}${callerArn ? `\nSigned in as ${callerArn}` : ''}\nRegions: ${identity.regions.join(', ')}`,
      icon: 'account',
      collapsible: 'expanded',
      contextValue: CONTEXT.profile,
    };
  }
  getChildren() {
    return makeChildren(this, async () => {
      const sts = await this.ctx.clusters.gateways.stsFor(this.identity.profile, this.identity.regions[0]);
      const arn = (await sts.getCallerIdentity()).arn;
      if (arn !== this.callerArn) {
        this.callerArn = arn;
        // VS Code drew this node before its children were asked for: tell it the description changed.
        this.ctx.changed(this);
      }
      if (this.identity.regions.length === 1) return new RegionNode(this, this.identity.regions[0]).clusters(this);
      return this.identity.regions.map((r) => new RegionNode(this, r));
    }, this.ctx.t('No regions configured'), this.identity.profile);
  }
}

export class RegionNode extends ExplorerNode {
  constructor(
    readonly profileNode: ProfileNode,
    readonly region: string,
  ) {
    super(profileNode, profileNode.ctx);
  }
  view(): NodeView {
    return { label: this.region, id: `region:${this.profileNode.identity.profile ?? ''}:${this.region}`, icon: 'globe', collapsible: 'expanded', contextValue: CONTEXT.region };
  }
  getChildren() {
    return this.clusters(this);
  }
  /** The region's clusters under `owner`: this node, or the profile when the region is not drawn. */
  clusters(owner: ExplorerNode): Promise<ExplorerNode[]> {
    const { identity } = this.profileNode;
    return makeChildren(owner, async () => {
      const listed = await this.ctx.clusters.listRegion(identity.profile, this.region);
      return listed.map((c) => ('error' in c ? new ErrorNode(owner, `${c.ref.cluster}: ${formatExplained(explainAwsError(c.error, identity.profile))}`) : new ClusterNode(owner, c.ref, c.summary)));
    }, this.ctx.t('No EKS clusters in {0}', this.region), identity.profile);
  }
}

export class ClusterNode extends ExplorerNode {
  constructor(
    parent: ExplorerNode,
    readonly ref: ClusterRef,
    public summary: ClusterSummary,
  ) {
    super(parent, parent.ctx);
    this.arn = summary.arn;
  }
  clusterRef() {
    return this.ref;
  }
  view(): NodeView {
    const s = this.summary;
    return {
      label: s.name,
      id: `cluster:${this.ref.profile ?? ''}:${this.ref.region}:${s.name}`,
      description: `${s.mode} · ${s.version}${s.status !== 'ACTIVE' ? ` · ${s.status}` : ''}`,
      markdownTooltip: `**${s.name}** (${this.ref.region})\n\n- Kubernetes ${s.version}, platform ${s.platformVersion}\n- Authentication mode **${s.mode}** (${MODE_LABELS[s.mode]})\n- Authenticator logs: ${s.authenticatorLogging ? 'on' : '**off**'}\n\n${whoCanGetIn(s)}`,
      icon: MODE_ICONS[s.mode],
      collapsible: 'collapsed',
      contextValue: [CONTEXT.cluster, s.mode === 'API' ? '.api' : s.mode === 'API_AND_CONFIG_MAP' ? '.apiAndConfigMap' : '.configMap', s.authenticatorLogging ? '' : '.noAuthLogs'].join(''),
    };
  }
  async getChildren(): Promise<ExplorerNode[]> {
    const children: ExplorerNode[] = [new DetailsNode(this)];
    if (this.summary.mode !== 'CONFIG_MAP') children.push(new AccessEntriesNode(this));
    children.push(new AwsAuthNode(this), new NodeRolesNode(this), new WorkloadIdentityNode(this));
    return children;
  }
}
