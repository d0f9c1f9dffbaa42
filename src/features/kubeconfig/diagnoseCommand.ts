/**
 * "EKS: Diagnose kubectl Access": checks one context (or all of them) with progress and cancel, shows the report in
 * the Markdown preview, and offers the failing step's fixes; a fix that changed the kubeconfig is checked again.
 */
import * as vscode from 'vscode';
import type { ContextReport, DoctorFix } from '../../core/kubeconfig/doctor';
import type { Services } from '../../services';
import { doctorMarkdown } from '../../core/kubeconfig/doctorReport';
import { applyFix } from './fixes';
import type { ContextsNode } from './contextsView';
import type { ReadOnlyDocuments } from '../../shared/readOnlyDocuments';
import { reportPath } from './reportDocuments';

const ALL = '$(checklist) All contexts';

async function pickContexts(services: Services, arg: unknown): Promise<string[] | undefined> {
  if (typeof arg === 'string') return [arg];
  const node = arg as ContextsNode | undefined;
  if (node?.kind === 'context') return [node.context.name];
  const { config } = await services.doctor.read();
  for (const e of config.errors) void vscode.window.showErrorMessage(vscode.l10n.t('kubectl cannot load {0}, so every context fails until it is fixed: {1}', e.path, e.message));
  if (!config.contexts.length) {
    const paths = await services.doctor.paths();
    void vscode.window.showWarningMessage(vscode.l10n.t('No kubeconfig contexts in {0}. Write one with aws eks update-kubeconfig --name CLUSTER --region REGION.', paths.join(', ')));
    return undefined;
  }
  const items = [ALL, ...config.contexts.map((c) => (c.current ? `${c.name} (current)` : c.name))];
  const pick = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Which kubectl context should be checked?') });
  if (!pick) return undefined;
  return pick === ALL ? config.contexts.map((c) => c.name) : [pick.replace(/ \(current\)$/, '')];
}

/** The fixes of a report's failing step. */
export function fixesOf(report: ContextReport): DoctorFix[] {
  return report.steps.flatMap((s) => (s.status === 'fail' ? s.fixes : []));
}

export function diagnoseCommand(services: Services, previews: ReadOnlyDocuments) {
  const run = async (arg?: unknown): Promise<ContextReport[] | undefined> => {
    const names = await pickContexts(services, arg);
    if (!names) return undefined;
    const reports = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking kubectl access'), cancellable: true },
      (progress, token) => services.doctor.diagnose(names, token, (r) => progress.report({ message: `${r.context}: ${r.verdict}`, increment: 100 / names.length })),
    );
    if (!reports.length) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The kubeconfig has no context named {0}.', names.join(', ')));
      return reports;
    }
    const uri = previews.set(reportPath(names.length === 1 ? names[0] : 'all-contexts'), doctorMarkdown(reports));
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    const failing = reports.filter((r) => r.verdict === 'fail');
    if (failing.length === 1) void offerFixes(failing[0]);
    else if (failing.length > 1) void vscode.window.showWarningMessage(vscode.l10n.t('{0} of {1} kubectl contexts fail. Open a context in the kubectl contexts view to fix it.', failing.length, reports.length));
    return reports;
  };

  const offerFixes = async (report: ContextReport): Promise<void> => {
    const fixes = fixesOf(report);
    const chosen = await vscode.window.showWarningMessage(vscode.l10n.t('kubectl context {0}: {1}', report.context, report.summary), ...fixes.map((f) => f.label));
    const fix = fixes.find((f) => f.label === chosen);
    if (fix) await fixAndRecheck(report.context, fix);
  };

  /**
   * Carries out the fix, then checks the context again: at once when the fix wrote, or when a started fix has written
   * (the terminal's update-kubeconfig, a saved aws-auth), or when the user clicks Check Again.
   */
  const fixAndRecheck = async (context: string, fix: DoctorFix): Promise<ContextReport[] | undefined> => {
    const result = await applyFix(fix, previews);
    if (result.outcome === 'applied') return run(context);
    if (result.outcome !== 'started') return undefined;
    const again = vscode.l10n.t('Check Again');
    const stop = new AbortController();
    const done = result.done?.(stop.signal) ?? Promise.resolve(false);
    const told = result.done
      ? vscode.l10n.t('{0}, {1} is checked again.', result.waitingFor ?? '', context)
      : vscode.l10n.t('{0}, check {1} again.', result.waitingFor ?? '', context);
    const clicked = Promise.resolve(vscode.window.showInformationMessage(told, again)).then((a) => a === again || done);
    const recheck = await Promise.race([done, clicked]).finally(() => stop.abort());
    return recheck ? run(context) : undefined;
  };

  /** From the view's context menu: pick one of the failing step's fixes. */
  const fixContext = async (arg?: unknown, fixIndex?: number): Promise<ContextReport[] | undefined> => {
    const node = arg as ContextsNode | undefined;
    const name = typeof arg === 'string' ? arg : node?.kind === 'context' ? node.context.name : undefined;
    const report = name ? services.doctor.report(name) : undefined;
    if (!name || !report) return run(arg);
    const fixes = fixesOf(report);
    let fix = fixIndex !== undefined ? fixes[fixIndex] : fixes.length === 1 ? fixes[0] : undefined;
    if (!fix && fixes.length > 1) {
      const label = await vscode.window.showQuickPick(fixes.map((x) => x.label), { placeHolder: vscode.l10n.t('How should {0} be fixed?', name) });
      // Dismissed: the user chose no fix, which is not "no fix to apply".
      if (label === undefined) return undefined;
      fix = fixes.find((f) => f.label === label);
    }
    if (!fix) {
      void vscode.window.showInformationMessage(vscode.l10n.t('kubectl context {0} has no fix to apply: {1}', name, report.summary));
      return undefined;
    }
    return fixAndRecheck(name, fix);
  };

  return { run, fixContext };
}
