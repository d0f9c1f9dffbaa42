/** "Migrate aws-auth to Access Entries": plan from the authenticator model, show it, create entries, resume safely. */
import * as vscode from 'vscode';
import { applyMigration, ApplyResult, blockersForApiMode, describeBlockers, entriesYaml, planMarkdown, PlanItem, planMigration, verifyMigration } from '../../core/access/migrate';
import { diffAccess } from '../../core/access/accessDiff';
import { withEntry } from '../../services/changeSafety';
import { followUpdate } from '../../services/clusterUpdates';
import { pickCluster } from '../../services/clusterPicker';
import type { Services } from '../../services';
import type { ReadOnlyDocuments } from '../../shared/readOnlyDocuments';

export function migrateCommand({ clusters, log, changeSafety }: Services, views: ReadOnlyDocuments) {
  return async (node?: unknown): Promise<{ items: PlanItem[]; results: ApplyResult[] } | undefined> => {
    const picked = await pickCluster(clusters, node);
    if (!picked) return undefined;
    const { ref } = picked;
    const eks = await clusters.gateways.eksFor(ref.profile, ref.region);
    await clusters.invalidate(ref);
    const summary = await clusters.summary(ref);
    if (summary.mode === 'API') {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} already uses authentication mode API: aws-auth is ignored, there is nothing to migrate.', ref.cluster));
      return undefined;
    }
    if (!summary.supportsAccessEntries) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} runs platform {1} {2}, which has no access entries: update the cluster first.', ref.cluster, summary.version, summary.platformVersion));
      return undefined;
    }
    const access = await clusters.access(ref);
    if (!access.awsAuth) throw new Error(access.awsAuthError ?? `Cluster ${ref.cluster} has no kube-system/aws-auth ConfigMap: there is nothing to migrate.`);
    const iam = await clusters.gateways.iamFor(ref.profile, ref.region);
    const { items, errors } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Planning the migration of {0}', ref.cluster) }, async () => {
      // IAM answers for the caller's account only: principals of other accounts cannot be looked up by name.
      const callerAccount = (await (await clusters.gateways.stsFor(ref.profile, ref.region)).getCallerIdentity()).account;
      return planMigration(access.awsAuth!, { existing: access.entries, iam, callerAccount, policiesOf: (arn) => eks.listAssociatedAccessPolicies(ref.cluster, arn) });
    });
    const plan = views.set(`/${ref.cluster}/migration-plan.md`, planMarkdown(items, ref.cluster) + (errors.length ? `\nSections the authenticator drops today: ${errors.join('; ')}\n` : ''));
    await vscode.commands.executeCommand('markdown.showPreview', plan);
    const before = views.set(`/${ref.cluster}/access-entries-now.yaml`, entriesYaml(access.entries.map((e) => ({ principalArn: e.principalArn, type: e.type ?? 'STANDARD', username: e.username, kubernetesGroups: e.kubernetesGroups ?? [], policies: [] }))));
    const creates = items.filter((i) => i.action === 'create' || i.action === 'complete');
    const after = views.set(`/${ref.cluster}/access-entries-planned.yaml`, entriesYaml(creates.map((i) => i.entry!)));
    await vscode.commands.executeCommand('vscode.diff', before, after, vscode.l10n.t('{0}: current access entries ↔ entries to create', ref.cluster), { preview: false, viewColumn: vscode.ViewColumn.Beside });
    if (!creates.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to create on {0}: every mapping is covered or skipped (see the plan).', ref.cluster));
      return { items, results: [] };
    }
    // One confirmation for the whole change before any call: in CONFIG_MAP the mode switch that access entries need,
    // then every entry, each winning over its aws-auth mapping at once. Cancel leaves the cluster as it was.
    const switchFirst = summary.mode === 'CONFIG_MAP';
    const current = await clusters.currentState(ref);
    const planned = creates.reduce((state, i) => withEntry(state, i.entry!.principalArn, { ...i.entry!, policies: i.entry!.policies }), switchFirst ? { ...current, mode: 'API_AND_CONFIG_MAP' as const } : current);
    const confirmed = await changeSafety.confirm({
      cluster: ref.cluster,
      action: switchFirst ? vscode.l10n.t('Switch the authentication mode from CONFIG_MAP to API_AND_CONFIG_MAP, then create {0} access entries', creates.length) : vscode.l10n.t('Create {0} access entries', creates.length),
      confirmLabel: switchFirst ? vscode.l10n.t('Switch and Create {0} Access Entries', creates.length) : vscode.l10n.t('Create {0} Access Entries', creates.length),
      diff: diffAccess(current, planned),
      extra: [
        ...(switchFirst ? [vscode.l10n.t('aws-auth keeps working in API_AND_CONFIG_MAP. The mode change cannot be undone.')] : []),
        vscode.l10n.t('aws-auth is not changed. Running this again after a failure continues where it stopped.'),
      ],
      alwaysConfirm: true,
    });
    if (!confirmed) return { items, results: [] };
    if (switchFirst) {
      try {
        await followUpdate(eks, ref, await eks.updateAuthenticationMode(ref.cluster, 'API_AND_CONFIG_MAP'), vscode.l10n.t('Changing {0} to API_AND_CONFIG_MAP', ref.cluster));
      } finally {
        await clusters.invalidate(ref);
      }
    }
    let results: ApplyResult[];
    try {
      results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Migrating {0}', ref.cluster), cancellable: true }, (progress, token) =>
        applyMigration(eks, ref.cluster, items, (done, total, current) => progress.report({ message: current ? `${done + 1}/${total}: ${current}` : `${done}/${total}`, increment: 100 / Math.max(1, total) }), () => token.isCancellationRequested),
      );
    } finally {
      await clusters.invalidate(ref);
    }
    for (const r of results) log.info(`Migration of ${ref.cluster}: ${r.outcome} ${r.item.entry?.principalArn}${r.message ? `: ${r.message}` : ''}`);
    const failed = results.find((r) => r.outcome === 'failed');
    const done = results.filter((r) => r.outcome !== 'failed').length;
    if (failed || done < creates.length) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Migration of {0} stopped after {1} of {2} entries{3}. Run it again to continue.', ref.cluster, done, creates.length, failed ? `: ${failed.message}` : ''));
      return { items, results };
    }
    // What the cluster says now, not what the run believes: an entry changed meanwhile must keep API mode off.
    const missing = await verifyMigration(eks, ref.cluster, items);
    const blockers = blockersForApiMode(items, results, missing);
    if (blockers.length) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Migrated {0} access entries on {1}. Stay in API_AND_CONFIG_MAP: {2} mappings are not carried over, and they would lose access in API mode.', done, ref.cluster, blockers.length),
        { modal: true, detail: describeBlockers(blockers) },
      );
      return { items, results };
    }
    const toApi = vscode.l10n.t('Switch to API');
    const now = await clusters.currentState(ref);
    const next = await changeSafety.confirm(
      { cluster: ref.cluster, action: vscode.l10n.t('Created {0} access entries on {1}. Every mapping is now covered: switch to authentication mode API', done, ref.cluster), confirmLabel: toApi, diff: diffAccess(now, { ...now, mode: 'API' }), extra: [vscode.l10n.t('aws-auth will be ignored. This cannot be undone.')], alwaysConfirm: true },
    );
    if (next) {
      try {
        await followUpdate(eks, ref, await eks.updateAuthenticationMode(ref.cluster, 'API'), vscode.l10n.t('Changing {0} to API', ref.cluster));
      } finally {
        await clusters.invalidate(ref);
      }
    }
    return { items, results };
  };
}
