/** The cluster explorer's TreeDataProvider: core/explorer nodes drawn as TreeItems, redrawn on change events. */
import * as vscode from 'vscode';
import { clusterKey, ClusterRef } from '../../core/clusters/clusterAccess';
import { AccessEntriesNode, ClusterNode, ErrorNode, ExplorerContext, ExplorerNode, NodeView, ProfileNode } from '../../core/explorer/nodes';
import type { Services } from '../../services';

const COLLAPSIBLE = { none: vscode.TreeItemCollapsibleState.None, collapsed: vscode.TreeItemCollapsibleState.Collapsed, expanded: vscode.TreeItemCollapsibleState.Expanded } as const;

export function toTreeItem(node: ExplorerNode, view: NodeView = node.view()): vscode.TreeItem {
  const item = new vscode.TreeItem(view.label, COLLAPSIBLE[view.collapsible]);
  item.id = view.id;
  item.description = view.description;
  item.tooltip = view.markdownTooltip !== undefined ? new vscode.MarkdownString(view.markdownTooltip) : view.tooltip;
  if (view.icon) item.iconPath = new vscode.ThemeIcon(view.icon, view.iconIsError ? new vscode.ThemeColor('errorForeground') : undefined);
  item.contextValue = view.contextValue;
  if (view.command) item.command = { command: view.command.id, title: view.command.title, arguments: view.command.withNode ? [node] : undefined };
  return item;
}

export class ClusterTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly identityChanged = new vscode.EventEmitter<string | undefined>();
  /** The caller identity when there is a single profile (drawn as the view's description, not as a node). */
  readonly onDidChangeSoleIdentity = this.identityChanged.event;
  private roots?: Promise<ExplorerNode[]>;
  private readonly ctx: ExplorerContext;
  private readonly subscription: { dispose(): void };

  constructor(private readonly services: Services) {
    this.ctx = {
      clusters: services.clusters,
      log: services.log,
      t: (message, ...args) => vscode.l10n.t(message, ...args),
      changed: (node) => {
        if (node instanceof ProfileNode && node.hidden) this.identityChanged.fire(node.callerArn);
        else this.changed.fire(node);
      },
    };
    this.subscription = services.clusters.onDidChange((ref) => this.onClusterChanged(ref));
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  /** The nearest drawn ancestor: a hidden profile or region is not in the tree. */
  getParent(node: ExplorerNode): ExplorerNode | undefined {
    let p = node.parent;
    while (p?.hidden) p = p.parent;
    return p;
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) {
      if (!this.roots) this.roots = this.loadRoots();
      return this.roots;
    }
    if (!node.children) node.children = node.getChildren();
    return node.children;
  }

  private async loadRoots(): Promise<ExplorerNode[]> {
    // Restricted Mode: no AWS call; the view's welcome content says why and offers to trust the workspace.
    if (!vscode.workspace.isTrusted) return [];
    const identities = await this.services.connections.identities();
    const profiles = identities.map((i) => new ProfileNode(this.ctx, i));
    let roots: ExplorerNode[] = profiles;
    if (profiles.length === 1) {
      profiles[0].hidden = true;
      roots = await this.getChildren(profiles[0]);
    }
    // No profile and no credentials at all: the welcome view, with its "Configure AWS Profile" button, says it best.
    const noCredentials = identities.length === 1 && !identities[0].profile && roots.length === 1 && roots[0] instanceof ErrorNode && roots[0].kind === 'no-credentials';
    if (noCredentials) roots = [];
    void vscode.commands.executeCommand('setContext', 'eksAuth.noClusters', roots.length === 0);
    return roots;
  }

  /** Redraws a node's children without reloading what it has already paged in. */
  redraw(node: ExplorerNode): void {
    node.children = undefined;
    this.changed.fire(node);
  }

  /**
   * Reloads a node (and forgets its cluster's cached access), or everything when no node is given or the node is
   * above the clusters. Resolves when the tree has redrawn.
   */
  async refresh(node?: ExplorerNode): Promise<void> {
    const ref = node?.clusterRef();
    if (!node || !ref) return this.services.clusters.invalidate();
    if (!(node instanceof ClusterNode)) this.reload(node);
    await this.services.clusters.invalidate(ref);
  }

  private reload(node: ExplorerNode): void {
    node.children = undefined;
    if (node instanceof AccessEntriesNode) node.reset();
    this.changed.fire(node);
  }

  /** A cluster changed (here or in another feature): describe it again and redraw its node. */
  private async onClusterChanged(ref: ClusterRef | undefined): Promise<void> {
    // Runs before its first await when a refresh starts, so a getChildren right after a refresh() sees new roots.
    if (!ref) {
      this.roots = undefined;
      this.changed.fire(undefined);
      return;
    }
    for (const node of await this.loadedClusterNodes()) {
      if (clusterKey(node.ref) !== clusterKey(ref)) continue;
      try {
        node.summary = await this.services.clusters.summary(ref);
      } catch (e) {
        this.services.log.warn(`Could not describe ${ref.cluster} again after a change: ${(e as Error).message}`);
      }
      this.reload(node);
    }
  }

  /** The cluster nodes loaded so far; nothing is fetched to find them. */
  async loadedClusterNodes(): Promise<ClusterNode[]> {
    const out: ClusterNode[] = [];
    const walk = async (nodes: ExplorerNode[]) => {
      for (const n of nodes) {
        if (n instanceof ClusterNode) out.push(n);
        else if (n.children) await walk(await n.children.catch(() => []));
      }
    };
    if (this.roots) await walk(await this.roots.catch(() => []));
    return out;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.identityChanged.dispose();
  }
}
