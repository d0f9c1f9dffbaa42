/** The cluster explorer view and its actions. */
import * as vscode from 'vscode';
import { accessEntryMatches, callerFor } from '../../core/auth/authenticator';
import type { EksGateway, Update } from '../../core/aws/eksGateway';
import { allowedModeChanges, AuthenticationMode, consoleUrl, summarizeCluster } from '../../core/clusters/model';
import { ACCESS_ENTRY_TYPES, parseGroups, validatePrincipalArn, validateUsername } from '../../core/clusters/validation';
import { registerGuarded } from '../../shared/commands';
import { log } from '../../shared/logger';
import { AwsAuthFileSystem, awsAuthUri } from './awsAuthFs';
import { ClusterRef, Connections } from './connections';
import { AccessEntriesNode, AccessEntryNode, ClusterNode, ErrorNode, ExplorerNode, LoadMoreNode, PolicyNode, ProfileNode, RegionNode } from './nodes';

export class ClusterTreeProvider implements vscode.TreeDataProvider<ExplorerNode> {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots?: Promise<ExplorerNode[]>;

  constructor(readonly connections: Connections) {}

  getTreeItem(node: ExplorerNode) {
    return node.getTreeItem();
  }

  getParent(node: ExplorerNode) {
    return node.parent;
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
    const identities = await this.connections.identities();
    const profiles = identities.map((i) => new ProfileNode(this.connections, i));
    let roots = profiles.length === 1 ? await profiles[0].getChildren() : profiles;
    // No profile and no credentials at all: the welcome view, with its "Configure AWS Profile" button, says it best.
    const noCredentials = identities.length === 1 && !identities[0].profile && roots.length === 1 && roots[0] instanceof ErrorNode && roots[0].message.startsWith('No AWS credentials were found');
    if (noCredentials) roots = [];
    void vscode.commands.executeCommand('setContext', 'eksAuth.noClusters', roots.length === 0);
    return roots;
  }

  /** Redraws a node's children without reloading what it has already paged in. */
  redraw(node: ExplorerNode): void {
    node.children = undefined;
    this.changed.fire(node);
  }

  refresh(node?: ExplorerNode): void {
    if (!node) {
      this.connections.reset();
      this.roots = undefined;
    } else {
      node.children = undefined;
      if (node instanceof ClusterNode) node.resetAccess();
      if (node instanceof AccessEntriesNode) node.reset();
    }
    this.changed.fire(node);
  }

  /** Every cluster node loaded so far, for commands run from the palette. */
  async clusters(): Promise<ClusterNode[]> {
    const out: ClusterNode[] = [];
    const walk = async (nodes: ExplorerNode[]) => {
      for (const n of nodes) {
        if (n instanceof ClusterNode) out.push(n);
        else if (n instanceof ProfileNode || n instanceof RegionNode) await walk(await this.getChildren(n));
      }
    };
    await walk(await this.getChildren());
    return out;
  }
}

export let clusterTree: ClusterTreeProvider | undefined;

/**
 * The cluster a command was run on: the node's own cluster, or one the user picks: profile, then region, then
 * cluster, each step skipped when there is only one choice.
 */
export async function pickCluster(node?: ExplorerNode): Promise<ClusterNode | undefined> {
  for (let n: ExplorerNode | undefined = node; n; n = n.parent) if (n instanceof ClusterNode) return n;
  const tree = clusterTree;
  if (!tree) return undefined;
  let clusters = await vscode.window.withProgress({ location: { viewId: 'eksAuth.clusters' } }, () => tree.clusters());
  if (!clusters.length) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No EKS clusters found. Check the AWS profile and regions in the EKS Auth Explorer view.'));
    return undefined;
  }
  const narrow = async (key: (c: ClusterNode) => string, placeHolder: string) => {
    const choices = [...new Set(clusters.map(key))];
    if (choices.length < 2) return true;
    const picked = await vscode.window.showQuickPick(
      choices.map((label) => ({ label, description: vscode.l10n.t('{0} clusters', clusters.filter((c) => key(c) === label).length) })),
      { placeHolder, ignoreFocusOut: true },
    );
    if (!picked) return false;
    clusters = clusters.filter((c) => key(c) === picked.label);
    return true;
  };
  if (!(await narrow((c) => c.ref.profile ?? 'default credentials', vscode.l10n.t('AWS profile')))) return undefined;
  if (!(await narrow((c) => c.ref.region, vscode.l10n.t('Region')))) return undefined;
  const picked = await vscode.window.showQuickPick(
    clusters.map((c) => ({ label: c.ref.cluster, description: `${c.summary.mode} · ${c.summary.version}`, node: c })),
    { placeHolder: vscode.l10n.t('EKS cluster'), ignoreFocusOut: true },
  );
  return picked?.node;
}

export function activate(context: vscode.ExtensionContext): void {
  const connections = new Connections();
  const tree = new ClusterTreeProvider(connections);
  clusterTree = tree;
  const view = vscode.window.createTreeView('eksAuth.clusters', { treeDataProvider: tree, showCollapseAll: true });
  const awsAuthFs = new AwsAuthFileSystem(connections, () => tree.clusters());

  context.subscriptions.push(
    view,
    vscode.workspace.registerFileSystemProvider('eks-auth', awsAuthFs, { isCaseSensitive: true }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('eksAuth.profiles') || e.affectsConfiguration('eksAuth.regions') || e.affectsConfiguration('eksAuth.endpoints')) tree.refresh();
    }),
    registerGuarded('eksAuth.clusters.refresh', () => tree.refresh()),
    registerGuarded('eksAuth.clusters.refreshNode', (node?: ExplorerNode) => tree.refresh(node)),
    registerGuarded('eksAuth.clusters.showLogs', () => log.show()),
    registerGuarded('eksAuth.clusters.copyArn', async (node?: ExplorerNode) => {
      if (!node?.arn) return;
      await vscode.env.clipboard.writeText(node.arn);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', node.arn), 3000);
    }),
    registerGuarded('eksAuth.clusters.openConsole', async (node?: ExplorerNode) => {
      const c = await pickCluster(node);
      if (c) await vscode.env.openExternal(vscode.Uri.parse(consoleUrl(c.ref.region, c.ref.cluster)));
    }),
    registerGuarded('eksAuth.accessEntries.loadMore', async (node: LoadMoreNode) => {
      await vscode.window.withProgress({ location: { viewId: 'eksAuth.clusters' } }, () => node.owner.loadPage());
      tree.redraw(node.owner);
    }),
    registerGuarded('eksAuth.awsAuth.openFromCluster', async (node?: ExplorerNode) => {
      const c = await pickCluster(node);
      if (!c) return;
      const doc = await vscode.workspace.openTextDocument(awsAuthUri(c.ref));
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
      await vscode.window.showTextDocument(doc);
    }),
    registerGuarded('eksAuth.clusters.changeAuthenticationMode', async (node?: ExplorerNode) => {
      const c = await pickCluster(node);
      if (!c) return;
      const choices = allowedModeChanges(c.summary.mode);
      if (!choices.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} already uses authentication mode API; there is no way back.', c.ref.cluster));
        return;
      }
      const picked = await vscode.window.showQuickPick(
        choices.map((m) => ({ label: m, description: m === 'API' ? 'access entries only; aws-auth is ignored' : 'access entries and aws-auth' })),
        { placeHolder: vscode.l10n.t('Change {0} from {1} to...', c.ref.cluster, c.summary.mode) },
      );
      if (!picked) return;
      const confirm = vscode.l10n.t('Change to {0}', picked.label);
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Change the authentication mode of {0} from {1} to {2}?', c.ref.cluster, c.summary.mode, picked.label),
        { modal: true, detail: vscode.l10n.t('This cannot be undone: EKS never changes the authentication mode back.{0}', picked.label === 'API' ? ' ' + vscode.l10n.t('The aws-auth ConfigMap will be ignored: make sure access entries cover every node role and person first.') : '') },
        confirm,
      );
      if (answer !== confirm) return;
      const eks = await connections.eksFor(c.ref.profile, c.ref.region);
      const update = await eks.updateAuthenticationMode(c.ref.cluster, picked.label as AuthenticationMode);
      await followUpdate(eks, c.ref, update, vscode.l10n.t('Changing {0} to {1}', c.ref.cluster, picked.label));
      await refreshCluster(tree, c);
    }),
    registerGuarded('eksAuth.clusters.enableAuthenticatorLogging', async (node?: ExplorerNode) => {
      const c = await pickCluster(node);
      if (!c) return;
      await enableAuthenticatorLogging(connections, c.ref);
      await refreshCluster(tree, c);
    }),
    registerGuarded('eksAuth.accessEntries.create', async (node?: ExplorerNode, principalArn?: string) => {
      const c = await pickCluster(node);
      if (!c) return;
      if (c.summary.mode === 'CONFIG_MAP') {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} uses authentication mode CONFIG_MAP: change it to API_AND_CONFIG_MAP before creating access entries.', c.ref.cluster));
        return;
      }
      await createAccessEntry(connections, c.ref, principalArn);
      await refreshCluster(tree, c);
    }),
    registerGuarded('eksAuth.accessEntries.delete', async (node?: AccessEntryNode) => {
      if (!(node instanceof AccessEntryNode)) return;
      const c = node.owner.clusterNode;
      const arn = node.entry.principalArn!;
      const warnings: string[] = [];
      const me = await (await connections.stsFor(c.ref.profile, c.ref.region)).getCallerIdentity().catch(() => undefined);
      const mine = me ? callerFor(me.arn).principal?.canonical : undefined;
      if (mine && accessEntryMatches(arn, mine)) warnings.push(vscode.l10n.t('This is your own identity: you may lose access to the cluster.'));
      const admins = node.owner.children ? (await node.owner.children).filter((n): n is AccessEntryNode => n instanceof AccessEntryNode && n.policies.some((p) => p.policyArn?.endsWith('/AmazonEKSClusterAdminPolicy'))) : [];
      if (admins.length === 1 && admins[0].entry.principalArn === arn) warnings.push(vscode.l10n.t('It is the last access entry with AmazonEKSClusterAdminPolicy.'));
      const confirm = vscode.l10n.t('Delete');
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Delete the access entry for {0} from {1}?', arn, c.ref.cluster), { modal: true, detail: warnings.join(' ') || undefined }, confirm);
      if (answer !== confirm) return;
      await (await connections.eksFor(c.ref.profile, c.ref.region)).deleteAccessEntry(c.ref.cluster, arn);
      await refreshCluster(tree, c);
    }),
    registerGuarded('eksAuth.accessEntries.associatePolicy', async (node?: AccessEntryNode) => {
      if (!(node instanceof AccessEntryNode)) return;
      const c = node.owner.clusterNode;
      if (await associatePolicy(connections, c.ref, node.entry.principalArn!)) await refreshCluster(tree, c);
    }),
    registerGuarded('eksAuth.accessEntries.disassociatePolicy', async (node?: PolicyNode) => {
      if (!(node instanceof PolicyNode)) return;
      const c = node.entryNode.owner.clusterNode;
      const confirm = vscode.l10n.t('Disassociate');
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Disassociate {0} from {1}?', node.policy.policyArn ?? '', node.entryNode.entry.principalArn ?? ''), { modal: true }, confirm);
      if (answer !== confirm) return;
      await (await connections.eksFor(c.ref.profile, c.ref.region)).disassociateAccessPolicy(c.ref.cluster, node.entryNode.entry.principalArn!, node.policy.policyArn!);
      await refreshCluster(tree, c);
    }),
    registerGuarded('eksAuth.setup.configureProfile', async () => {
      const terminal = vscode.window.createTerminal('AWS configure');
      terminal.show();
      terminal.sendText('aws configure sso || aws configure', false);
    }),
    registerGuarded('eksAuth.setup.openDocs', () => vscode.env.openExternal(vscode.Uri.parse('https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html'))),
    registerGuarded('eksAuth.setup.openDemoGuide', () => vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(context.extensionUri, 'README.md'))),
  );
}

async function refreshCluster(tree: ClusterTreeProvider, c: ClusterNode) {
  const eks = await tree.connections.eksFor(c.ref.profile, c.ref.region);
  c.summary = summarizeCluster(await eks.describeCluster(c.ref.cluster));
  tree.refresh(c);
}

/** Polls DescribeUpdate until the update ends, with progress; cancelling stops waiting, not the update. */
export async function followUpdate(eks: EksGateway, ref: ClusterRef, update: Update, title: string): Promise<void> {
  const final = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    let current = update;
    let delay = 500;
    while (current.status === 'InProgress' && !token.isCancellationRequested) {
      progress.report({ message: vscode.l10n.t('update {0}: {1}', current.id ?? '', current.status ?? '') });
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
      current = await eks.describeUpdate(ref.cluster, current.id!);
    }
    return current;
  });
  if (final.status === 'Successful') void vscode.window.showInformationMessage(vscode.l10n.t('{0}: done.', title));
  else if (final.status === 'InProgress') void vscode.window.showInformationMessage(vscode.l10n.t('{0}: still in progress (update {1}); refresh later.', title, final.id ?? ''));
  else throw new Error(`${title}: update ${final.id} ended ${final.status}: ${(final.errors ?? []).map((e) => e.errorMessage).join('; ') || 'no detail'}`);
}

export async function enableAuthenticatorLogging(connections: Connections, ref: ClusterRef): Promise<void> {
  const eks = await connections.eksFor(ref.profile, ref.region);
  const update = await eks.setLogging(ref.cluster, ['authenticator'], true);
  await followUpdate(eks, ref, update, vscode.l10n.t('Enabling authenticator logging on {0}', ref.cluster));
}

async function createAccessEntry(connections: Connections, ref: ClusterRef, prefill?: string): Promise<void> {
  const type = await vscode.window.showQuickPick(ACCESS_ENTRY_TYPES, { placeHolder: vscode.l10n.t('Access entry type') });
  if (!type) return;
  const principalArn = await vscode.window.showInputBox({
    prompt: vscode.l10n.t('IAM principal ARN (role or user)'),
    placeHolder: 'arn:aws:iam::123456789012:role/NAME',
    value: prefill,
    ignoreFocusOut: true,
    validateInput: (v) => validatePrincipalArn(v, type),
  });
  if (!principalArn) return;
  let username: string | undefined;
  let kubernetesGroups: string[] | undefined;
  if (type === 'STANDARD') {
    username = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Kubernetes username (empty: the EKS default)'), ignoreFocusOut: true, validateInput: (v) => (v ? validateUsername(v) : undefined) });
    if (username === undefined) return;
    const groups = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Kubernetes groups, comma-separated (optional)'), ignoreFocusOut: true, validateInput: (v) => parseGroups(v).error });
    if (groups === undefined) return;
    kubernetesGroups = parseGroups(groups).groups;
  }
  const eks = await connections.eksFor(ref.profile, ref.region);
  await eks.createAccessEntry(ref.cluster, { principalArn: principalArn.trim(), type, username: username || undefined, kubernetesGroups: kubernetesGroups?.length ? kubernetesGroups : undefined });
  void vscode.window.showInformationMessage(vscode.l10n.t('Created the access entry for {0} on {1}.', principalArn, ref.cluster));
  if (type === 'STANDARD') await associatePolicy(connections, ref, principalArn.trim(), true);
}

async function associatePolicy(connections: Connections, ref: ClusterRef, principalArn: string, optional = false): Promise<boolean> {
  const eks = await connections.eksFor(ref.profile, ref.region);
  const policies = await eks.listAccessPolicies();
  const items = policies.map((p) => ({ label: p.name ?? '', description: p.arn, arn: p.arn! }));
  const policy = await vscode.window.showQuickPick(optional ? [{ label: vscode.l10n.t('No policy now'), description: '', arn: '' }, ...items] : items, { placeHolder: vscode.l10n.t('Access policy to associate with {0}', principalArn) });
  if (!policy?.arn) return false;
  const scope = await vscode.window.showQuickPick([{ label: 'cluster', description: vscode.l10n.t('the whole cluster') }, { label: 'namespace', description: vscode.l10n.t('only some namespaces') }], { placeHolder: vscode.l10n.t('Scope') });
  if (!scope) return false;
  let namespaces: string[] | undefined;
  if (scope.label === 'namespace') {
    const text = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Namespaces, comma-separated'), validateInput: (v) => (v.split(/[\s,]+/).filter(Boolean).length ? undefined : vscode.l10n.t('Enter at least one namespace')) });
    if (!text) return false;
    namespaces = text.split(/[\s,]+/).filter(Boolean);
  }
  await eks.associateAccessPolicy(ref.cluster, principalArn, policy.arn, scope.label === 'cluster' ? { type: 'cluster' } : { type: 'namespace', namespaces });
  void vscode.window.showInformationMessage(vscode.l10n.t('Associated {0} with {1}.', policy.label, principalArn));
  return true;
}

