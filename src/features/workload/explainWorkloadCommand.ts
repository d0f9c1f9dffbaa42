/**
 * "Explain Workload Identity": why a service account or a pod gets, or does not get, its IAM role, every step with
 * its evidence and verdict as a Markdown preview, and the fixes offered after it. A confirmed fix is applied and the
 * explanation runs again.
 */
import * as vscode from 'vscode';
import { markdownText } from '../../core/markdown';
import { explainWorkload } from '../../core/workload/explain';
import type { WorkloadConnection } from '../../core/workload/fixGateway';
import { planWorkloadFixes, podsForRestart, type WorkloadFix } from '../../core/workload/fixPlan';
import { gatherWorkload, workloadCluster, type WorkloadTarget } from '../../core/workload/gather';
import type { WorkloadExplanation, WorkloadInputs } from '../../core/workload/model';
import { podsForFixes, type PodListing } from '../../core/workload/podListing';
import { formatWorkload } from '../../core/workload/report';
import { pickCluster } from '../../services/clusterPicker';
import type { Services } from '../../services';
import type { ReadOnlyDocuments } from '../../shared/readOnlyDocuments';
import { pickTarget, targetLabel, targetOf } from './targetPicker';
import { runWorkloadFix } from './workloadFixes';

/** What the command did, for tests and for callers: every explanation it showed and the fixes applied between them. */
export interface WorkloadExplainResult {
  cluster: string;
  explanations: WorkloadExplanation[];
  /** The fixes offered after the last explanation, by kind. */
  offered: WorkloadFix['kind'][];
  applied: string[];
}

interface Explained {
  inputs: WorkloadInputs;
  explanation: WorkloadExplanation;
  fixes: WorkloadFix[];
  /** The restart fix needed the pods and they could not be listed: refused (403) or failed otherwise. */
  podsUnlisted?: PodListing['unlisted'];
}

/** Gathers and explains with progress; undefined when the user cancels. */
async function explainOnce(services: Services, conn: WorkloadConnection, cluster: WorkloadInputs['cluster'] & { name: string }, target: WorkloadTarget): Promise<Explained | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Explaining the workload identity of {0}', targetLabel(target)), cancellable: true }, async (_progress, token) => {
    const cancelled = new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)));
    const work = (async () => {
      const inputs = await gatherWorkload(conn.gateways, cluster, target);
      const explanation = explainWorkload(inputs);
      // The restart fix names the workloads and pods it would restart; a failed listing leaves that fix out (and says
      // so), not the explanation.
      const { pods: listed, unlisted } = await podsForFixes(conn.fixes, explanation, inputs.serviceAccount.namespace);
      if (unlisted) services.log.warn(`Explain workload identity on ${cluster.name}: could not list the pods of namespace ${unlisted.namespace}, so no restart is offered: ${unlisted.detail}`);
      const pods = listed.length ? await podsForRestart(conn.fixes, inputs, explanation, listed) : [];
      return { inputs, explanation, fixes: planWorkloadFixes(inputs, explanation, pods), podsUnlisted: unlisted };
    })();
    return Promise.race([work, cancelled]);
  });
}

function document(cluster: string, who: string, e: Explained): string {
  const lines = [`# ${markdownText(vscode.l10n.t('Workload identity of {0} on {1}', who, cluster))}`, '', formatWorkload(e.explanation, who, 'markdown')];
  if (e.podsUnlisted) {
    const { namespace, refused } = e.podsUnlisted;
    lines.push(
      '',
      markdownText(
        refused
          ? vscode.l10n.t('The pods of namespace {0} could not be listed (Kubernetes list pods in {0} is not allowed), so restarting them is not offered.', namespace)
          : vscode.l10n.t('The pods of namespace {0} could not be listed (see the EKS Auth Explorer output), so restarting them is not offered.', namespace),
      ),
      '',
    );
  }
  if (e.fixes.length) {
    lines.push(`## ${markdownText(vscode.l10n.t('Fixes offered'))}`, '');
    for (const f of e.fixes) lines.push(`- **${markdownText(f.action)}**`, ...f.details.map((d) => `  - ${markdownText(d)}`));
    lines.push('', markdownText(vscode.l10n.t('Each fix asks for confirmation, showing every call it makes, before it writes anything.')));
  }
  return lines.join('\n') + '\n';
}

function headline(who: string, e: WorkloadExplanation): string {
  if (e.works) return vscode.l10n.t('{0} gets {1}.', who, e.roleArn ?? 'its role');
  const failed = e.steps.find((s) => s.verdict === 'fail' && s.id !== 'outcome') ?? e.steps.find((s) => s.verdict === 'unknown');
  return vscode.l10n.t('{0} does not get its role: {1}', who, failed?.title ?? e.mechanism);
}

export function explainWorkloadCommand(services: Services, views: ReadOnlyDocuments) {
  return async (node?: unknown, targetArg?: unknown): Promise<WorkloadExplainResult | undefined> => {
    const picked = await pickCluster(services.clusters, node);
    if (!picked) return undefined;
    const { ref, summary } = picked;
    const conn = await services.clusters.gateways.workloadFor(ref, summary);
    let target = targetOf(targetArg) ?? targetOf(node) ?? (await pickTarget(conn, ref));
    if (!target) return undefined;
    const result: WorkloadExplainResult = { cluster: ref.cluster, explanations: [], offered: [], applied: [] };
    for (;;) {
      const explained = await explainOnce(services, conn, workloadCluster(ref.cluster, ref.region, summary), target);
      if (!explained) return result.explanations.length ? result : undefined;
      const { inputs, explanation, fixes } = explained;
      const who = `${inputs.serviceAccount.namespace}/${inputs.serviceAccount.name}${'pod' in target ? ` (pod ${target.pod.name})` : ''}`;
      result.explanations.push(explanation);
      result.offered = fixes.map((f) => f.kind);
      const uri = views.set(`/${ref.cluster}/workload-${inputs.serviceAccount.namespace}-${inputs.serviceAccount.name}.md`, document(ref.cluster, who, explained));
      await vscode.commands.executeCommand('markdown.showPreview', uri);
      services.log.info(`Explain workload identity of ${targetLabel(target)} on ${ref.cluster}: ${explanation.works ? 'works' : 'does not work'}; fixes offered: ${result.offered.join(', ') || 'none'}`);
      if (!fixes.length) return result;
      const answer = await vscode.window.showWarningMessage(headline(who, explanation), ...fixes.map((f) => f.label));
      const fix = fixes.find((f) => f.label === answer);
      if (!fix) return result;
      const applied = await runWorkloadFix(services, ref, conn, fix, target);
      if (!applied) return result;
      result.applied.push(...applied.done);
      target = applied.target;
    }
  };
}
