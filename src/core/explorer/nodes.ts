/**
 * The cluster explorer's nodes as plain data: what each node shows (a NodeView) and how it loads its children.
 * VS Code-free so the nodes are unit-tested with fake gateways; features/clusters turns views into TreeItems.
 * Parents fetch in getChildren and own their empty and error cases (makeChildren).
 */
import type { AccessEntry, AssociatedAccessPolicy } from '../aws/eksGateway';
import { neverMatches, type NeverMatch } from '../auth/rules/arnRules';
import { explainAwsError, formatExplained, type AwsErrorKind } from '../aws/errors';
import type { ClusterAccessService, ClusterRef, ClusterScoped, Identity } from '../clusters/clusterAccess';
import { loadAccessEntryPage } from '../clusters/loader';
import { ClusterSummary, MODE_LABELS, Mapping, accessPolicyName, nodeRoleStatus, principalLabel, scopeLabel, shadowedBy, whoCanGetIn } from '../clusters/model';

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
  /** A node role that no access entry or aws-auth mapping lets join: it offers the fix. */
  nodeRoleUnmapped: 'eksAuth.nodeRole.unmapped',
  info: 'eksAuth.info',
  loadMore: 'eksAuth.loadMore',
  error: 'eksAuth.error',
  placeholder: 'eksAuth.placeholder',
} as const;

export const COMMANDS = { showLogs: 'eksAuth.clusters.showLogs', loadMore: 'eksAuth.accessEntries.loadMore' } as const;

/** What a node shows; the tree provider maps it onto a TreeItem one to one. */
export interface NodeView {
  label: string;
  id?: string;
  description?: string;
  tooltip?: string;
  /** A Markdown tooltip; every value in it that came from AWS or the cluster is escaped or in code spans. */
  markdownTooltip?: string;
  icon?: string;
  /** Draw the icon in the theme's error colour. */
  iconIsError?: boolean;
  collapsible: 'none' | 'collapsed' | 'expanded';
  contextValue: string;
  /** Runs when the node is clicked; `withNode` passes the node as the argument. */
  command?: { id: string; title: string; withNode?: boolean };
}

/** What every node needs: the shared cluster service, a logger, a translator, and a way to say it changed. */
export interface ExplorerContext {
  clusters: ClusterAccessService;
  log: { error(message: string, error?: unknown): void };
  /** Localises a fixed UI string; `{0}` placeholders take the arguments. */
  t(message: string, ...args: (string | number)[]): string;
  /** A node's view changed after it was drawn (the profile's identity arrives with its children). */
  changed(node: ExplorerNode): void;
}

export abstract class ExplorerNode implements ClusterScoped {
  /** The children once asked for; the provider keeps them until a refresh. */
  children?: Promise<ExplorerNode[]>;
  /** What "Copy ARN" copies. */
  arn?: string;
  /** Not drawn: its children are drawn in its place (one profile, one region). */
  hidden = false;

  constructor(
    readonly parent: ExplorerNode | undefined,
    readonly ctx: ExplorerContext,
  ) {}

  abstract view(): NodeView;

  getChildren(): Promise<ExplorerNode[]> {
    return Promise.resolve([]);
  }

  clusterRef(): ClusterRef | undefined {
    return this.parent?.clusterRef();
  }
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
    super(parent, parent.ctx);
  }
  view(): NodeView {
    return { label: this.label, description: this.description, tooltip: this.tooltip ?? (this.description ? `${this.label}: ${this.description}` : this.label), icon: this.icon, collapsible: 'none', contextValue: this.contextValue };
  }
}

export class ErrorNode extends ExplorerNode {
  constructor(
    parent: ExplorerNode,
    readonly message: string,
    /** What failed, for callers that act on it (the welcome view shows for `no-credentials`). */
    readonly kind: AwsErrorKind = 'other',
  ) {
    super(parent, parent.ctx);
  }
  view(): NodeView {
    return { label: this.ctx.t('Failed to load (click for logs)'), description: this.message, tooltip: this.message, icon: 'error', iconIsError: true, collapsible: 'none', contextValue: CONTEXT.error, command: { id: COMMANDS.showLogs, title: 'Show Logs' } };
  }
}

/** Loads children and turns "none" into a placeholder node and "failed" into an error node. */
export async function makeChildren(parent: ExplorerNode, load: () => Promise<ExplorerNode[]>, empty: string, profile?: string): Promise<ExplorerNode[]> {
  try {
    const nodes = await load();
    return nodes.length ? nodes : [new InfoNode(parent, empty, undefined, 'info', undefined, CONTEXT.placeholder)];
  } catch (e) {
    const error = explainAwsError(e, profile);
    const explained = formatExplained(error);
    parent.ctx.log.error(`Failed to load ${parent.view().label}: ${explained}`, e);
    return [new ErrorNode(parent, explained, error.kind)];
  }
}

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

const MODE_ICONS = { CONFIG_MAP: 'file-code', API_AND_CONFIG_MAP: 'key', API: 'shield' } as const;

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
    children.push(new AwsAuthNode(this), new NodeRolesNode(this));
    return children;
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
    super(clusterNode, clusterNode.ctx);
  }
  view(): NodeView {
    return { label: this.label, icon: this.icon, collapsible: 'collapsed', contextValue: this.contextValue };
  }
}

class DetailsNode extends ClusterSectionNode {
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, clusterNode.ctx.t('Details'), 'info', CONTEXT.details);
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
    if (s.mode === 'CONFIG_MAP') nodes.push(info('Cluster creator', 'has invisible cluster-admin (system:masters) that appears in no configuration', 'eye-closed'));
    return nodes;
  }
}

export class AccessEntriesNode extends ClusterSectionNode {
  private loaded: AccessEntryNode[] = [];
  private nextToken?: string;
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, clusterNode.ctx.t('Access entries'), 'key', CONTEXT.accessEntries);
  }
  /** Forgets the pages loaded so far: the next getChildren starts from the first page again. */
  reset(): void {
    this.loaded = [];
    this.nextToken = undefined;
  }
  /** The entries paged in so far, with their policies. */
  get entries(): readonly AccessEntryNode[] {
    return this.loaded;
  }
  get hasMore(): boolean {
    return this.nextToken !== undefined;
  }
  /** Loads the first page, or the next one after "load more". */
  async loadPage(): Promise<void> {
    const { ref } = this.clusterNode;
    const eks = await this.ctx.clusters.gateways.eksFor(ref.profile, ref.region);
    const page = await loadAccessEntryPage(eks, ref.cluster, this.nextToken);
    this.loaded.push(...page.items.map(({ entry, policies }) => new AccessEntryNode(this, entry, policies)));
    this.nextToken = page.nextToken;
  }
  getChildren() {
    return makeChildren(this, async () => {
      if (!this.loaded.length) await this.loadPage();
      return [...this.loaded, ...(this.nextToken ? [new LoadMoreNode(this)] : [])];
    }, this.ctx.t('No access entries'), this.clusterNode.ref.profile);
  }
}

export class LoadMoreNode extends ExplorerNode {
  constructor(readonly owner: AccessEntriesNode) {
    super(owner, owner.ctx);
  }
  view(): NodeView {
    return { label: this.ctx.t('Load more...'), icon: 'ellipsis', collapsible: 'none', contextValue: CONTEXT.loadMore, command: { id: COMMANDS.loadMore, title: 'Load More', withNode: true } };
  }
}

/** Backticks cannot end a Markdown code span that is fenced with more backticks than the value holds. */
function code(value: string | undefined): string {
  const v = value ?? '';
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest ? ' ' : ''}${v}${longest ? ' ' : ''}${fence}`;
}

export class AccessEntryNode extends ExplorerNode {
  constructor(
    readonly owner: AccessEntriesNode,
    readonly entry: AccessEntry,
    readonly policies: AssociatedAccessPolicy[],
  ) {
    super(owner, owner.ctx);
    this.arn = entry.principalArn;
  }
  view(): NodeView {
    const e = this.entry;
    const groups = e.kubernetesGroups?.length ? ` · groups: ${e.kubernetesGroups.join(', ')}` : '';
    const policies = this.policies.map((p) => `${accessPolicyName(p.policyArn ?? '')} (${scopeLabel(p.accessScope)})`).join('; ') || 'none';
    return {
      label: principalLabel(e.principalArn ?? ''),
      description: `${e.type ?? 'STANDARD'} · ${e.username ?? ''}${groups}`,
      markdownTooltip: `**${code(e.principalArn)}**\n\n- type: ${code(e.type)}\n- username: ${code(e.username)}\n- groups: ${(e.kubernetesGroups ?? []).map(code).join(', ') || 'none'}\n- policies: ${code(policies)}`,
      icon: /:user\//.test(e.principalArn ?? '') ? 'person' : 'account',
      collapsible: this.policies.length ? 'collapsed' : 'none',
      contextValue: `${CONTEXT.accessEntry}.${(e.type ?? 'STANDARD') === 'STANDARD' ? 'standard' : 'node'}`,
    };
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
    super(entryNode, entryNode.ctx);
    this.arn = policy.policyArn;
  }
  view(): NodeView {
    const scope = scopeLabel(this.policy.accessScope);
    return { label: accessPolicyName(this.policy.policyArn ?? ''), description: scope, tooltip: `${this.policy.policyArn}\nScope: ${scope}`, icon: 'law', collapsible: 'none', contextValue: CONTEXT.policy };
  }
}

export class AwsAuthNode extends ClusterSectionNode {
  /** How many mappings can never match a caller, once the children are loaded. */
  private neverMatching = 0;
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, clusterNode.ctx.t('aws-auth ConfigMap'), 'file-code', CONTEXT.awsAuth);
  }
  view(): NodeView {
    const v = super.view();
    if (this.clusterNode.summary.mode === 'API') return { ...v, collapsible: 'none', description: 'ignored in API mode' };
    if (!this.neverMatching) return v;
    const text = this.ctx.t('{0} never match', this.neverMatching);
    return { ...v, description: text, tooltip: this.ctx.t('{0} of its mappings can never match a caller: expand it to see why.', this.neverMatching), icon: 'warning' };
  }
  getChildren() {
    const c = this.clusterNode;
    return makeChildren(this, async () => {
      if (c.summary.mode === 'API') return [];
      const access = await this.ctx.clusters.access(c.ref);
      if (access.awsAuthError) throw new Error(access.awsAuthError);
      if (access.awsAuthMissing) return [new InfoNode(this, 'kube-system/aws-auth does not exist', undefined, 'info')];
      const entryArns = access.entries.map((e) => e.principalArn);
      const nodes = access.mappings.map((m) => new AwsAuthEntryNode(this, m, c.summary.mode === 'API_AND_CONFIG_MAP' ? shadowedBy(m, entryArns) : undefined));
      const neverMatching = nodes.filter((n) => n.neverMatch).length;
      if (neverMatching !== this.neverMatching) {
        this.neverMatching = neverMatching;
        // Drawn before its children were read: its description changes now.
        this.ctx.changed(this);
      }
      return nodes;
    }, this.ctx.t('No mappings in aws-auth'), c.ref.profile);
  }
}

export class AwsAuthEntryNode extends ExplorerNode {
  /** Why no caller can ever match this mapping (the linter's reason), if none can. */
  readonly neverMatch?: NeverMatch;
  constructor(
    parent: AwsAuthNode,
    readonly mapping: Mapping,
    readonly shadowedByEntry?: string,
  ) {
    super(parent, parent.ctx);
    this.arn = mapping.arn;
    this.neverMatch = mapping.item ? neverMatches(mapping.item) : undefined;
  }
  view(): NodeView {
    const m = this.mapping;
    const never = this.neverMatch;
    const parts = [never ? this.ctx.t('never matches ({0})', never.rule) : undefined, m.section, m.username, m.groups.length ? `groups: ${m.groups.join(', ')}` : undefined, this.shadowedByEntry ? 'shadowed by access entry' : undefined];
    return {
      label: m.section === 'mapAccounts' ? `account ${m.arn}` : principalLabel(m.arn),
      description: parts.filter(Boolean).join(' · '),
      tooltip: `${m.arn}\nusername: ${m.username ?? '(none)'}\ngroups: ${m.groups.join(', ') || 'none'}${never ? `\n\n${never.rule}: ${never.message}` : ''}${this.shadowedByEntry ? `\nThe access entry for ${this.shadowedByEntry} wins in API_AND_CONFIG_MAP mode: this mapping is not used.` : ''}`,
      icon: never ? 'warning' : this.shadowedByEntry ? 'circle-slash' : m.section === 'mapUsers' ? 'person' : 'account',
      iconIsError: !!never,
      collapsible: 'none',
      contextValue: CONTEXT.awsAuthEntry,
    };
  }
}

export class NodeRolesNode extends ClusterSectionNode {
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, clusterNode.ctx.t('Node roles'), 'server', CONTEXT.nodeRoles);
  }
  getChildren() {
    const c = this.clusterNode;
    return makeChildren(this, async () => {
      const eks = await this.ctx.clusters.gateways.eksFor(c.ref.profile, c.ref.region);
      const [nodegroups, profiles, access] = await Promise.all([eks.listNodegroups(c.ref.cluster), eks.listFargateProfiles(c.ref.cluster), this.ctx.clusters.access(c.ref)]);
      const roles = [
        // The access entry type each lets join (EKS user guide, creating access entries): Windows AMIs need EC2_WINDOWS.
        ...nodegroups.map((n) => ({ label: `node group ${n.nodegroupName}`, arn: n.nodeRole ?? '', kind: 'ec2' as const, entryType: n.amiType?.startsWith('WINDOWS') ? 'EC2_WINDOWS' : 'EC2_LINUX' })),
        ...profiles.map((f) => ({ label: `Fargate profile ${f.fargateProfileName}`, arn: f.podExecutionRoleArn ?? '', kind: 'fargate' as const, entryType: 'FARGATE_LINUX' })),
      ];
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
    readonly entryType = 'EC2_LINUX',
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

