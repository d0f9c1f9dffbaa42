/** The explorer's nodes. Parents fetch in getChildren and own their empty and error cases (makeChildren). */
import * as vscode from 'vscode';
import { explainAwsError, formatExplained } from '../../core/aws/errors';
import { loadAccessEntryPage, loadAllAccessEntries, loadClusterSummaries } from '../../core/clusters/loader';
import {
  ClusterSummary,
  MODE_LABELS,
  Mapping,
  accessPolicyName,
  nodeRoleStatus,
  principalLabel,
  readMappings,
  scopeLabel,
  shadowedBy,
  whoCanGetIn,
} from '../../core/clusters/model';
import { log } from '../../shared/logger';
import type { AccessEntryInfo } from '../../core/access/explain';
import type { AwsAuthModel } from '../../core/auth/authenticator';
import type { AccessEntry, AssociatedAccessPolicy } from '../../core/aws/eksGateway';
import type { ClusterRef, Connections, Identity } from './connections';

export const CONTEXT = {
  profile: 'eksAuth.profile',
  region: 'eksAuth.region',
  cluster: 'eksAuth.cluster',
  details: 'eksAuth.details',
  accessEntries: 'eksAuth.accessEntries',
  accessEntry: 'eksAuth.accessEntry',
  policy: 'eksAuth.policy',
  awsAuth: 'eksAuth.awsAuth',
  awsAuthEntry: 'eksAuth.awsAuthEntry',
  nodeRoles: 'eksAuth.nodeRoles',
  nodeRole: 'eksAuth.nodeRole',
  info: 'eksAuth.info',
  loadMore: 'eksAuth.loadMore',
  error: 'eksAuth.error',
  placeholder: 'eksAuth.placeholder',
} as const;

/** What a cluster's access looks like: loaded once per expand, shared by the nodes, Explain and the editor. */
export interface ClusterAccess {
  entries: AccessEntryInfo[];
  mappings: Mapping[];
  awsAuth?: Record<string, string>;
  /** aws-auth as the authenticator model loaded it, shared by the aws-auth section and the node-role checks. */
  awsAuthModel?: AwsAuthModel;
  awsAuthError?: string;
  awsAuthMissing?: boolean;
}

export abstract class ExplorerNode {
  children?: Promise<ExplorerNode[]>;
  constructor(readonly parent: ExplorerNode | undefined) {}
  abstract getTreeItem(): vscode.TreeItem;
  getChildren(): Promise<ExplorerNode[]> {
    return Promise.resolve([]);
  }
  /** What "Copy ARN" copies. */
  arn?: string;
}

export class InfoNode extends ExplorerNode {
  constructor(
    parent: ExplorerNode,
    private readonly label: string,
    private readonly description?: string,
    private readonly icon?: string,
    private readonly tooltip?: string,
    readonly contextValue: string = CONTEXT.info,
  ) {
    super(parent);
  }
  getTreeItem() {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.description = this.description;
    item.tooltip = this.tooltip ?? (this.description ? `${this.label}: ${this.description}` : this.label);
    if (this.icon) item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = this.contextValue;
    return item;
  }
}

export class ErrorNode extends ExplorerNode {
  constructor(
    parent: ExplorerNode | undefined,
    readonly message: string,
  ) {
    super(parent);
  }
  getTreeItem() {
    const item = new vscode.TreeItem(vscode.l10n.t('Failed to load (click for logs)'), vscode.TreeItemCollapsibleState.None);
    item.description = this.message;
    item.tooltip = this.message;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.contextValue = CONTEXT.error;
    item.command = { command: 'eksAuth.clusters.showLogs', title: 'Show Logs' };
    return item;
  }
}

/** Loads children, sorts them, and turns "none" and "failed" into nodes. */
export async function makeChildren(parent: ExplorerNode, load: () => Promise<ExplorerNode[]>, empty: string, profile?: string): Promise<ExplorerNode[]> {
  try {
    const nodes = await load();
    return nodes.length ? nodes : [new InfoNode(parent, empty, undefined, 'info', undefined, CONTEXT.placeholder)];
  } catch (e) {
    const explained = explainAwsError(e, profile);
    log.error(`Failed to load ${parent.getTreeItem().label}: ${formatExplained(explained)}`, e);
    return [new ErrorNode(parent, formatExplained(explained))];
  }
}

export class ProfileNode extends ExplorerNode {
  callerArn?: string;
  constructor(
    readonly connections: Connections,
    readonly identity: Identity,
  ) {
    super(undefined);
  }
  getTreeItem() {
    const item = new vscode.TreeItem(this.identity.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `profile:${this.identity.profile ?? ''}`;
    item.description = this.callerArn ?? (this.identity.sso ? 'SSO' : undefined);
    item.tooltip = `${this.identity.profile ? `Profile ${this.identity.profile}` : 'Default credential chain'}${this.callerArn ? `\nSigned in as ${this.callerArn}` : ''}\nRegions: ${this.identity.regions.join(', ')}`;
    item.iconPath = new vscode.ThemeIcon('account');
    item.contextValue = CONTEXT.profile;
    return item;
  }
  getChildren() {
    return makeChildren(this, async () => {
      const sts = await this.connections.stsFor(this.identity.profile, this.identity.regions[0]);
      this.callerArn = (await sts.getCallerIdentity()).arn;
      if (this.identity.regions.length === 1) return new RegionNode(this, this.identity.regions[0]).getChildren();
      return this.identity.regions.map((r) => new RegionNode(this, r));
    }, vscode.l10n.t('No regions configured'), this.identity.profile);
  }
}

export class RegionNode extends ExplorerNode {
  constructor(
    readonly profileNode: ProfileNode,
    readonly region: string,
  ) {
    super(profileNode);
  }
  getTreeItem() {
    const item = new vscode.TreeItem(this.region, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `region:${this.profileNode.identity.profile ?? ''}:${this.region}`;
    item.iconPath = new vscode.ThemeIcon('globe');
    item.contextValue = CONTEXT.region;
    return item;
  }
  getChildren() {
    const { connections, identity } = this.profileNode;
    return makeChildren(this, async () => {
      const eks = await connections.eksFor(identity.profile, this.region);
      const owner = identity.regions.length === 1 ? this.profileNode : this;
      return (await loadClusterSummaries(eks)).map(({ name, summary }) =>
        summary instanceof Error ? new ErrorNode(owner, `${name}: ${formatExplained(explainAwsError(summary, identity.profile))}`) : new ClusterNode(owner, connections, { profile: identity.profile, region: this.region, cluster: name }, summary),
      );
    }, vscode.l10n.t('No EKS clusters in {0}', this.region), identity.profile);
  }
}

const MODE_ICONS = { CONFIG_MAP: 'file-code', API_AND_CONFIG_MAP: 'key', API: 'shield' } as const;

export class ClusterNode extends ExplorerNode {
  constructor(
    parent: ExplorerNode,
    readonly connections: Connections,
    readonly ref: ClusterRef,
    public summary: ClusterSummary,
  ) {
    super(parent);
    this.arn = summary.arn;
  }
  getTreeItem() {
    const s = this.summary;
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `cluster:${this.ref.profile ?? ''}:${this.ref.region}:${s.name}`;
    item.description = `${s.mode} · ${s.version}${s.status !== 'ACTIVE' ? ` · ${s.status}` : ''}`;
    item.tooltip = new vscode.MarkdownString(
      `**${s.name}** (${this.ref.region})\n\n- Kubernetes ${s.version}, platform ${s.platformVersion}\n- Authentication mode **${s.mode}** (${MODE_LABELS[s.mode]})\n- Authenticator logs: ${s.authenticatorLogging ? 'on' : '**off**'}\n\n${whoCanGetIn(s)}`,
    );
    item.iconPath = new vscode.ThemeIcon(MODE_ICONS[s.mode]);
    item.contextValue = [CONTEXT.cluster, s.mode === 'API' ? '.api' : s.mode === 'API_AND_CONFIG_MAP' ? '.apiAndConfigMap' : '.configMap', s.authenticatorLogging ? '' : '.noAuthLogs'].join('');
    return item;
  }
  async getChildren(): Promise<ExplorerNode[]> {
    const s = this.summary;
    const children: ExplorerNode[] = [new DetailsNode(this)];
    if (s.mode !== 'CONFIG_MAP') children.push(new AccessEntriesNode(this));
    children.push(new AwsAuthNode(this), new NodeRolesNode(this));
    return children;
  }
  /** Access entries and aws-auth mappings, loaded once per expand for the shadow and node-role checks. */
  private access?: Promise<ClusterAccess>;
  loadAccess() {
    if (!this.access) {
      this.access = (async () => {
        const eks = await this.connections.eksFor(this.ref.profile, this.ref.region);
        const entries = this.summary.mode !== 'CONFIG_MAP' ? await loadAllAccessEntries(eks, this.ref.cluster) : [];
        let mappings: Mapping[] = [];
        let awsAuth: Record<string, string> | undefined;
        let awsAuthModel: AwsAuthModel | undefined;
        let awsAuthError: string | undefined;
        let awsAuthMissing = false;
        if (this.summary.mode !== 'API') {
          try {
            const cm = await (await this.connections.kubeFor(this.ref, this.summary)).getAwsAuth();
            if (!cm) awsAuthMissing = true;
            else {
              awsAuth = cm.data;
              ({ mappings, model: awsAuthModel } = readMappings(cm.data));
            }
          } catch (e) {
            awsAuthError = formatExplained(explainAwsError(e, this.ref.profile));
          }
        }
        return { entries, mappings, awsAuth, awsAuthModel, awsAuthError, awsAuthMissing };
      })();
      this.access.catch(() => (this.access = undefined));
    }
    return this.access;
  }
  resetAccess() {
    this.access = undefined;
  }
}

/** A fixed group under a cluster: Details, Access entries, aws-auth ConfigMap, Node roles. */
abstract class ClusterSectionNode extends ExplorerNode {
  constructor(
    readonly clusterNode: ClusterNode,
    private readonly label: string,
    private readonly icon: string,
    private readonly contextValue: string,
  ) {
    super(clusterNode);
  }
  getTreeItem() {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = this.contextValue;
    return item;
  }
}

class DetailsNode extends ClusterSectionNode {
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, vscode.l10n.t('Details'), 'info', CONTEXT.details);
  }
  async getChildren() {
    const s = this.clusterNode.summary;
    const info = (label: string, value: string, icon?: string, tooltip?: string) => new InfoNode(this, label, value, icon, tooltip);
    const nodes = [
      info('Kubernetes version', s.version, 'versions'),
      info('Platform version', `${s.platformVersion}${s.supportsAccessEntries ? ' (supports access entries)' : ' (too old for access entries)'}`, s.supportsAccessEntries ? 'pass' : 'warning'),
      info('Authentication mode', `${s.mode} (${MODE_LABELS[s.mode]})`, MODE_ICONS[s.mode], whoCanGetIn(s)),
      info('Authenticator logging', s.authenticatorLogging ? 'on' : 'off: troubleshooting finds nothing', s.authenticatorLogging ? 'pass' : 'warning'),
      info('Log types', s.enabledLogTypes.length ? s.enabledLogTypes.join(', ') : 'none', 'output'),
      info('Endpoint access', [s.endpointPublicAccess ? 'public' : '', s.endpointPrivateAccess ? 'private' : ''].filter(Boolean).join(' + ') || 'none', 'plug'),
      info('OIDC issuer', s.oidcIssuer ?? 'none', 'link'),
      info('VPC', `${s.vpcId ?? 'unknown'} (${s.subnetCount} subnets)`, 'type-hierarchy'),
      info('Cluster IAM role', s.roleArn ?? 'unknown', 'person'),
    ];
    if (s.mode === 'CONFIG_MAP') {
      nodes.push(info('Cluster creator', 'has invisible cluster-admin (system:masters) that appears in no configuration', 'eye-closed'));
    }
    return nodes;
  }
}

export class AccessEntriesNode extends ClusterSectionNode {
  private loaded: ExplorerNode[] = [];
  private nextToken?: string;
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, vscode.l10n.t('Access entries'), 'key', CONTEXT.accessEntries);
  }
  reset() {
    this.loaded = [];
    this.nextToken = undefined;
  }
  /** Loads the first page, or the next one after "load more". */
  async loadPage(): Promise<void> {
    const { connections, ref } = this.clusterNode;
    const eks = await connections.eksFor(ref.profile, ref.region);
    const page = await loadAccessEntryPage(eks, ref.cluster, this.nextToken);
    const entries = page.items.map(({ entry, policies }) => new AccessEntryNode(this, entry, policies));
    this.loaded.push(...entries);
    this.nextToken = page.nextToken;
  }
  getChildren() {
    return makeChildren(this, async () => {
      if (!this.loaded.length) await this.loadPage();
      return [...this.loaded, ...(this.nextToken ? [new LoadMoreNode(this)] : [])];
    }, vscode.l10n.t('No access entries'), this.clusterNode.ref.profile);
  }
}

export class LoadMoreNode extends ExplorerNode {
  constructor(readonly owner: AccessEntriesNode) {
    super(owner);
  }
  getTreeItem() {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more...'), vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = CONTEXT.loadMore;
    item.command = { command: 'eksAuth.accessEntries.loadMore', title: 'Load More', arguments: [this] };
    return item;
  }
}

export class AccessEntryNode extends ExplorerNode {
  constructor(
    readonly owner: AccessEntriesNode,
    readonly entry: AccessEntry,
    readonly policies: AssociatedAccessPolicy[],
  ) {
    super(owner);
    this.arn = entry.principalArn;
  }
  getTreeItem() {
    const e = this.entry;
    const item = new vscode.TreeItem(principalLabel(e.principalArn ?? ''), this.policies.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    const groups = e.kubernetesGroups?.length ? ` · groups: ${e.kubernetesGroups.join(', ')}` : '';
    item.description = `${e.type ?? 'STANDARD'} · ${e.username ?? ''}${groups}`;
    item.tooltip = new vscode.MarkdownString(`**${e.principalArn}**\n\n- type: ${e.type}\n- username: \`${e.username}\`\n- groups: ${(e.kubernetesGroups ?? []).join(', ') || 'none'}\n- policies: ${this.policies.map((p) => `${accessPolicyName(p.policyArn ?? '')} (${scopeLabel(p.accessScope)})`).join('; ') || 'none'}`);
    item.iconPath = new vscode.ThemeIcon(/:user\//.test(e.principalArn ?? '') ? 'person' : 'account');
    item.contextValue = `${CONTEXT.accessEntry}.${(e.type ?? 'STANDARD') === 'STANDARD' ? 'standard' : 'node'}`;
    return item;
  }
  async getChildren() {
    return this.policies.map((p) => new PolicyNode(this, p));
  }
}

export class PolicyNode extends ExplorerNode {
  constructor(
    readonly entryNode: AccessEntryNode,
    readonly policy: AssociatedAccessPolicy,
  ) {
    super(entryNode);
    this.arn = policy.policyArn;
  }
  getTreeItem() {
    const item = new vscode.TreeItem(accessPolicyName(this.policy.policyArn ?? ''), vscode.TreeItemCollapsibleState.None);
    item.description = scopeLabel(this.policy.accessScope);
    item.tooltip = `${this.policy.policyArn}\nScope: ${scopeLabel(this.policy.accessScope)}`;
    item.iconPath = new vscode.ThemeIcon('law');
    item.contextValue = CONTEXT.policy;
    return item;
  }
}

export class AwsAuthNode extends ClusterSectionNode {
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, vscode.l10n.t('aws-auth ConfigMap'), 'file-code', CONTEXT.awsAuth);
  }
  getTreeItem() {
    const item = super.getTreeItem();
    if (this.clusterNode.summary.mode === 'API') {
      item.collapsibleState = vscode.TreeItemCollapsibleState.None;
      item.description = 'ignored in API mode';
    }
    return item;
  }
  getChildren() {
    const c = this.clusterNode;
    return makeChildren(this, async () => {
      if (c.summary.mode === 'API') return [];
      const access = await c.loadAccess();
      if (access.awsAuthError) throw new Error(access.awsAuthError);
      if (access.awsAuthMissing) return [new InfoNode(this, 'kube-system/aws-auth does not exist', undefined, 'info')];
      const entryArns = access.entries.map((e) => e.principalArn);
      return access.mappings.map((m) => new AwsAuthEntryNode(this, m, c.summary.mode === 'API_AND_CONFIG_MAP' ? shadowedBy(m, entryArns) : undefined));
    }, vscode.l10n.t('No mappings in aws-auth'), c.ref.profile);
  }
}

export class AwsAuthEntryNode extends ExplorerNode {
  constructor(
    parent: AwsAuthNode,
    readonly mapping: Mapping,
    readonly shadowedByEntry?: string,
  ) {
    super(parent);
    this.arn = mapping.arn;
  }
  getTreeItem() {
    const m = this.mapping;
    const item = new vscode.TreeItem(m.section === 'mapAccounts' ? `account ${m.arn}` : principalLabel(m.arn), vscode.TreeItemCollapsibleState.None);
    const parts = [m.section, m.username, m.groups.length ? `groups: ${m.groups.join(', ')}` : undefined, this.shadowedByEntry ? 'shadowed by access entry' : undefined];
    item.description = parts.filter(Boolean).join(' · ');
    item.tooltip = `${m.arn}\nusername: ${m.username ?? '(none)'}\ngroups: ${m.groups.join(', ') || 'none'}${this.shadowedByEntry ? `\nThe access entry for ${this.shadowedByEntry} wins in API_AND_CONFIG_MAP mode: this mapping is not used.` : ''}`;
    item.iconPath = new vscode.ThemeIcon(this.shadowedByEntry ? 'circle-slash' : m.section === 'mapUsers' ? 'person' : 'account');
    item.contextValue = CONTEXT.awsAuthEntry;
    return item;
  }
}

export class NodeRolesNode extends ClusterSectionNode {
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, vscode.l10n.t('Node roles'), 'server', CONTEXT.nodeRoles);
  }
  getChildren() {
    const c = this.clusterNode;
    return makeChildren(this, async () => {
      const eks = await c.connections.eksFor(c.ref.profile, c.ref.region);
      const [nodegroups, profiles, access] = await Promise.all([eks.listNodegroups(c.ref.cluster), eks.listFargateProfiles(c.ref.cluster), c.loadAccess()]);
      const roles = [
        ...nodegroups.map((n) => ({ label: `node group ${n.nodegroupName}`, arn: n.nodeRole ?? '', kind: 'ec2' as const })),
        ...profiles.map((f) => ({ label: `Fargate profile ${f.fargateProfileName}`, arn: f.podExecutionRoleArn ?? '', kind: 'fargate' as const })),
      ];
      return roles.map((r) => {
        const status = nodeRoleStatus(r.arn, c.summary.mode, access.entries, access.awsAuthModel, r.kind);
        const unknown = c.summary.mode !== 'API' && (access.awsAuthError || access.awsAuthMissing) && !status.mapped;
        return new NodeRoleNode(this, r.label, r.arn, status.mapped, unknown ? `${status.reason} (aws-auth could not be read)` : status.reason);
      });
    }, vscode.l10n.t('No managed node groups or Fargate profiles'), c.ref.profile);
  }
}

export class NodeRoleNode extends ExplorerNode {
  constructor(
    parent: NodeRolesNode,
    readonly label: string,
    readonly roleArn: string,
    readonly mapped: boolean,
    readonly reason: string,
  ) {
    super(parent);
    this.arn = roleArn;
  }
  getTreeItem() {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.description = `${principalLabel(this.roleArn)} · ${this.mapped ? 'mapped' : 'NOT mapped'}`;
    item.tooltip = `${this.roleArn}\n${this.mapped ? 'Mapped' : 'Not mapped'}: ${this.reason}`;
    item.iconPath = new vscode.ThemeIcon(this.mapped ? 'pass' : 'error', this.mapped ? undefined : new vscode.ThemeColor('errorForeground'));
    item.contextValue = CONTEXT.nodeRole;
    return item;
  }
}
