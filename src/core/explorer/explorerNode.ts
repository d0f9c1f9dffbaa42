/**
 * What every explorer node shares: the view it shows (a NodeView, which the tree provider maps onto a TreeItem one to
 * one), the context it is given, and how a parent loads children, owning their empty and error cases (makeChildren).
 */
import { explainAwsError, formatExplained, type AwsErrorKind } from '../aws/errors';
import { COMMANDS } from '../commands';
import type { ClusterAccessService, ClusterRef, ClusterScoped } from '../clusters/clusterAccess';

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
  workloadIdentity: 'eksAuth.workloadIdentity',
  workloadGroup: 'eksAuth.workloadGroup',
  /** A service account of the Workload identity group; `.working`, `.broken` or `.unknown` follows. */
  workloadRow: 'eksAuth.workloadRow',
  info: 'eksAuth.info',
  loadMore: 'eksAuth.loadMore',
  error: 'eksAuth.error',
  placeholder: 'eksAuth.placeholder',
} as const;

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
    return { label: this.ctx.t('Failed to load (click for logs)'), description: this.message, tooltip: this.message, icon: 'error', iconIsError: true, collapsible: 'none', contextValue: CONTEXT.error, command: { id: COMMANDS.clusters.showLogs, title: 'Show Logs' } };
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
