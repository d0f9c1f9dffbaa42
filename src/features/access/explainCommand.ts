/** "Explain Access for Principal": who a principal authenticates as on a cluster, and why, as a Markdown preview. */
import * as vscode from 'vscode';
import { AccessExplanation, explainAccess, explanationMarkdown } from '../../core/access/explain';
import type { ClusterRef } from '../../core/clusters/clusterAccess';
import { principalProblem } from '../../core/access/accessEntryRules';
import { pickCluster } from '../../services/clusterPicker';
import type { Services } from '../../services';
import { runAccessFix } from '../../shared/accessFixes';
import type { ReadOnlyDocuments } from '../../shared/readOnlyDocuments';

async function askPrincipal({ clusters }: Services, ref: ClusterRef): Promise<string | undefined> {
  const me = vscode.l10n.t('Me: the identity of {0}', ref.profile ?? 'the default credentials');
  // Part of a multi-step flow: a webview taking focus must not cancel it.
  const pick = await vscode.window.showQuickPick([me, vscode.l10n.t('Enter an IAM or STS ARN...')], { placeHolder: vscode.l10n.t('Whose access to {0}?', ref.cluster), ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick === me) return (await (await clusters.gateways.stsFor(ref.profile, ref.region)).getCallerIdentity()).arn;
  return vscode.window.showInputBox({
    prompt: vscode.l10n.t('IAM role, IAM user, STS assumed-role or SSO role ARN'),
    placeHolder: 'arn:aws:sts::123456789012:assumed-role/ROLE/session',
    ignoreFocusOut: true,
    validateInput: (v) => (/^arn:[^:]+:sts::\d{12}:assumed-role\/.+\/.+/.test(v.trim()) ? undefined : principalProblem(v)),
  });
}

export function explainCommand(services: Services, views: ReadOnlyDocuments) {
  return async (node?: unknown, principalArg?: string): Promise<AccessExplanation | undefined> => {
    const cluster = await pickCluster(services.clusters, node);
    if (!cluster) return undefined;
    const { ref } = cluster;
    const principal = (principalArg ?? (await askPrincipal(services, ref)))?.trim();
    if (!principal) return undefined;
    const { context: ctx, notes } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading access configuration of {0}', ref.cluster) }, () => services.clusters.explainContext(ref, principal));
    const explanation = explainAccess(principal, ctx);
    explanation.nearMisses.push(...notes);
    const uri = views.set(`/${ref.cluster}/access-${explanation.comparedArn.split(/[:/]/).pop()}.md`, explanationMarkdown(explanation, ref.cluster));
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    services.log.info(`Explain access for ${principal} on ${ref.cluster}: ${explanation.verdict}`);
    if (explanation.fix) {
      const fix = explanation.fix;
      void vscode.window.showWarningMessage(explanation.verdict, fix.label).then(async (answer) => {
        if (answer === fix.label) await runAccessFix(ref, fix.kind, fix.principalArn);
      });
    }
    return explanation;
  };
}
