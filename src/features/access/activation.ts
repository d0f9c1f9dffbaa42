/** "Explain Access for Principal" and "Migrate aws-auth to Access Entries". */
import * as vscode from 'vscode';
import { AccessContext, AccessExplanation, AccessFix, explainAccess, explanationMarkdown } from '../../core/access/explain';
import { applyMigration, ApplyResult, blockersForApiMode, entriesYaml, planMarkdown, PlanItem, planMigration } from '../../core/access/migrate';
import { explainAwsError, formatExplained } from '../../core/aws/errors';
import { accessEntryMatches, callerFor } from '../../core/auth/authenticator';
import { summarizeCluster } from '../../core/clusters/model';
import { validatePrincipalArn } from '../../core/clusters/validation';
import { loadIam } from '../../shared/lazy';
import { registerGuarded } from '../../shared/commands';
import { log } from '../../shared/logger';
import { clusterTree, followUpdate, pickCluster } from '../clusters/activation';
import type { ClusterNode, ExplorerNode } from '../clusters/nodes';

/** Everything the explanation needs about one cluster, with the matching entry's policies and the RBAC bindings. */
export async function accessContext(cluster: ClusterNode, principal: string): Promise<{ context: AccessContext; notes: string[] }> {
  const notes: string[] = [];
  const access = await cluster.loadAccess();
  if (access.awsAuthError) notes.push(`aws-auth could not be read: ${access.awsAuthError}`);
  const eks = await cluster.connections.eksFor(cluster.ref.profile, cluster.ref.region);
  // Only the entry that can match needs its policies.
  const wanted = callerFor(principal).principal?.canonical;
  const match = wanted ? access.entries.find((e) => accessEntryMatches(e.principalArn, wanted)) : undefined;
  const policies = match ? await eks.listAssociatedAccessPolicies(cluster.ref.cluster, match.principalArn) : [];
  const entries = access.entries.map((e) => (e === match ? { ...e, policies } : e));
  let bindings;
  try {
    bindings = await (await cluster.connections.kubeFor(cluster.ref, cluster.summary)).listRbacBindings();
  } catch (e) {
    notes.push(`RBAC bindings could not be read: ${formatExplained(explainAwsError(e, cluster.ref.profile))}`);
  }
  return { context: { mode: cluster.summary.mode, accessEntries: entries, awsAuth: access.awsAuth, bindings }, notes };
}

/** Carries out the fix an explanation offers, or opens the full explanation of a principal. */
export async function runAccessFix(cluster: ClusterNode | undefined, kind: AccessFix['kind'] | 'explainAccess', principalArn: string): Promise<void> {
  const command = { createAccessEntry: 'eksAuth.accessEntries.create', openAwsAuth: 'eksAuth.awsAuth.openFromCluster', explainAccess: 'eksAuth.access.explain' }[kind];
  await vscode.commands.executeCommand(command, cluster, ...(kind === 'openAwsAuth' ? [] : [principalArn]));
}

/** Read-only documents for explanations, plans and the planned entries. */
class MemoryDocuments implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  set(path: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: 'eks-auth-view', path });
    this.docs.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }
}

async function askPrincipal(cluster: ClusterNode): Promise<string | undefined> {
  const me = vscode.l10n.t('Me: the identity of {0}', cluster.ref.profile ?? 'the default credentials');
  // Part of a multi-step flow: a webview taking focus must not cancel it.
  const pick = await vscode.window.showQuickPick([me, vscode.l10n.t('Enter an IAM or STS ARN...')], { placeHolder: vscode.l10n.t('Whose access to {0}?', cluster.ref.cluster), ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick === me) return (await (await cluster.connections.stsFor(cluster.ref.profile, cluster.ref.region)).getCallerIdentity()).arn;
  return vscode.window.showInputBox({
    prompt: vscode.l10n.t('IAM role, IAM user, STS assumed-role or SSO role ARN'),
    placeHolder: 'arn:aws:sts::123456789012:assumed-role/ROLE/session',
    ignoreFocusOut: true,
    validateInput: (v) => (/^arn:[^:]+:sts::\d{12}:assumed-role\/.+\/.+/.test(v.trim()) ? undefined : validatePrincipalArn(v)),
  });
}

export function activate(context: vscode.ExtensionContext): void {
  const views = new MemoryDocuments();

  const explain = async (node?: ExplorerNode, principalArg?: string): Promise<AccessExplanation | undefined> => {
    const cluster = await pickCluster(node);
    if (!cluster) return undefined;
    const principal = principalArg ?? (await askPrincipal(cluster));
    if (!principal) return undefined;
    const { context: ctx, notes } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading access configuration of {0}', cluster.ref.cluster) }, () => accessContext(cluster, principal.trim()));
    const explanation = explainAccess(principal.trim(), ctx);
    explanation.nearMisses.push(...notes);
    const uri = views.set(`/${cluster.ref.cluster}/access-${explanation.comparedArn.split(/[:/]/).pop()}.md`, explanationMarkdown(explanation, cluster.ref.cluster));
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    log.info(`Explain access for ${principal} on ${cluster.ref.cluster}: ${explanation.verdict}`);
    if (explanation.fix) {
      const fix = explanation.fix;
      void vscode.window.showWarningMessage(explanation.verdict, fix.label).then(async (answer) => {
        if (answer === fix.label) await runAccessFix(cluster, fix.kind, fix.principalArn);
      });
    }
    return explanation;
  };

  const migrate = async (node?: ExplorerNode): Promise<{ items: PlanItem[]; results: ApplyResult[] } | undefined> => {
    const cluster = await pickCluster(node);
    if (!cluster) return undefined;
    const { ref } = cluster;
    const eks = await cluster.connections.eksFor(ref.profile, ref.region);
    cluster.summary = summarizeCluster(await eks.describeCluster(ref.cluster));
    if (cluster.summary.mode === 'API') {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} already uses authentication mode API: aws-auth is ignored, there is nothing to migrate.', ref.cluster));
      return undefined;
    }
    if (!cluster.summary.supportsAccessEntries) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} runs platform {1} {2}, which has no access entries: update the cluster first.', ref.cluster, cluster.summary.version, cluster.summary.platformVersion));
      return undefined;
    }
    cluster.resetAccess();
    const access = await cluster.loadAccess();
    if (!access.awsAuth) throw new Error(access.awsAuthError ?? `Cluster ${ref.cluster} has no kube-system/aws-auth ConfigMap: there is nothing to migrate.`);
    const iam = new (await loadIam()).SdkIamGateway(cluster.connections.target(ref.profile, ref.region));
    const { items, errors } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Planning the migration of {0}', ref.cluster) }, () => planMigration(access.awsAuth!, access.entries.map((e) => e.principalArn), iam));
    const plan = views.set(`/${ref.cluster}/migration-plan.md`, planMarkdown(items, ref.cluster) + (errors.length ? `\nSections the authenticator drops today: ${errors.join('; ')}\n` : ''));
    await vscode.commands.executeCommand('markdown.showPreview', plan);
    const before = views.set(`/${ref.cluster}/access-entries-now.yaml`, entriesYaml(access.entries.map((e) => ({ principalArn: e.principalArn, type: e.type ?? 'STANDARD', username: e.username, kubernetesGroups: e.kubernetesGroups ?? [], policies: [] }))));
    const creates = items.filter((i) => i.action === 'create');
    const after = views.set(`/${ref.cluster}/access-entries-planned.yaml`, entriesYaml(creates.map((i) => i.entry!)));
    await vscode.commands.executeCommand('vscode.diff', before, after, vscode.l10n.t('{0}: current access entries ↔ entries to create', ref.cluster), { preview: false, viewColumn: vscode.ViewColumn.Beside });
    if (!creates.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to create on {0}: every mapping is covered or skipped (see the plan).', ref.cluster));
      return { items, results: [] };
    }
    if (cluster.summary.mode === 'CONFIG_MAP') {
      const switchMode = vscode.l10n.t('Switch to API_AND_CONFIG_MAP');
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('{0} uses CONFIG_MAP: access entries need API_AND_CONFIG_MAP first.', ref.cluster), { modal: true, detail: vscode.l10n.t('aws-auth keeps working in API_AND_CONFIG_MAP. The change cannot be undone.') }, switchMode);
      if (answer !== switchMode) return { items, results: [] };
      await followUpdate(eks, ref, await eks.updateAuthenticationMode(ref.cluster, 'API_AND_CONFIG_MAP'), vscode.l10n.t('Changing {0} to API_AND_CONFIG_MAP', ref.cluster));
    }
    const apply = vscode.l10n.t('Create {0} Access Entries', creates.length);
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Create {0} access entries on {1}?', creates.length, ref.cluster), { modal: true, detail: vscode.l10n.t('aws-auth is not changed. Running this again after a failure continues where it stopped.') }, apply);
    if (answer !== apply) return { items, results: [] };
    const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Migrating {0}', ref.cluster), cancellable: true }, (progress, token) =>
      applyMigration(eks, ref.cluster, items, (done, total, current) => progress.report({ message: current ? `${done + 1}/${total}: ${current}` : `${done}/${total}`, increment: 100 / Math.max(1, total) }), () => token.isCancellationRequested),
    );
    for (const r of results) log.info(`Migration of ${ref.cluster}: ${r.outcome} ${r.item.entry?.principalArn}${r.message ? `: ${r.message}` : ''}`);
    clusterTree?.refresh(cluster);
    const failed = results.find((r) => r.outcome === 'failed');
    const done = results.filter((r) => r.outcome !== 'failed').length;
    if (failed || done < creates.length) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Migration of {0} stopped after {1} of {2} entries{3}. Run it again to continue.', ref.cluster, done, creates.length, failed ? `: ${failed.message}` : ''));
      return { items, results };
    }
    const blockers = blockersForApiMode(items, results);
    if (blockers.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Created {0} access entries on {1}. Stay in API_AND_CONFIG_MAP: {2} mappings could not be migrated (see the plan).', done, ref.cluster, blockers.length));
      return { items, results };
    }
    const toApi = vscode.l10n.t('Switch to API');
    const next = await vscode.window.showWarningMessage(vscode.l10n.t('Created {0} access entries on {1}. Every mapping is now covered: switch to authentication mode API?', done, ref.cluster), { modal: true, detail: vscode.l10n.t('aws-auth will be ignored. This cannot be undone.') }, toApi);
    if (next === toApi) await followUpdate(eks, ref, await eks.updateAuthenticationMode(ref.cluster, 'API'), vscode.l10n.t('Changing {0} to API', ref.cluster));
    return { items, results };
  };

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider('eks-auth-view', views),
    registerGuarded('eksAuth.access.explain', explain),
    registerGuarded('eksAuth.access.migrate', migrate),
  );
}
