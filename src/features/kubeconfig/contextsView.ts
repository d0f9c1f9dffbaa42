/**
 * The "kubectl contexts" view: every context of the user's kubeconfig, the current one first, with the doctor's
 * verdict as its icon; a diagnosed context opens into the six steps of the flow, each with its evidence.
 */
import * as vscode from 'vscode';
import type { ContextReport, DoctorStep, StepStatus } from '../../core/kubeconfig/doctor';
import type { KubeContext } from '../../core/kubeconfig/kubeconfig';
import type { Services } from '../../services';

export const CONTEXT_NODE = 'kubeContext';
export const FIXABLE_CONTEXT_NODE = 'kubeContext.fixable';

export type ContextsNode = { kind: 'context'; context: KubeContext; report?: ContextReport; checkedAt?: number } | { kind: 'step'; context: string; step: DoctorStep } | { kind: 'message'; text: string; error?: boolean };

const STATUS_ICON: Record<StepStatus, [string, string?]> = { pass: ['pass', 'testing.iconPassed'], fail: ['error', 'errorForeground'], warn: ['warning', 'editorWarning.foreground'], skip: ['circle-slash'] };
const VERDICT_ICON: Record<ContextReport['verdict'], [string, string?]> = { ok: ['pass', 'testing.iconPassed'], fail: ['error', 'errorForeground'], warn: ['warning', 'editorWarning.foreground'], 'not-eks': ['circle-outline'] };
const icon = ([id, color]: [string, string?]) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

export class ContextsView implements vscode.TreeDataProvider<ContextsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ContextsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly services: Services) {
    this.subscription = services.doctor.onDidChange(() => this.changed.fire(undefined));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: ContextsNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.text);
      item.iconPath = new vscode.ThemeIcon(node.error ? 'error' : 'info');
      return item;
    }
    if (node.kind === 'step') {
      const item = new vscode.TreeItem(node.step.title);
      item.id = `${node.context}/${node.step.id}`;
      item.iconPath = icon(STATUS_ICON[node.step.status]);
      item.description = node.step.evidence[node.step.evidence.length - 1];
      item.tooltip = [...node.step.evidence, ...node.step.fixes.map((f) => vscode.l10n.t('Fix: {0}', f.label))].join('\n');
      return item;
    }
    const { context, report, checkedAt } = node;
    const at = checkedAt !== undefined ? new Date(checkedAt) : undefined;
    // The time of day for today's checks, the date for older ones.
    const when = at && (at.toDateString() === new Date().toDateString() ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : at.toLocaleDateString());
    const item = new vscode.TreeItem(context.name, report?.steps.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = context.name;
    item.description = report ? (when ? `${when} · ${report.summary}` : report.summary) : context.current ? vscode.l10n.t('current · not checked yet') : vscode.l10n.t('not checked yet');
    item.tooltip = `${context.name}${context.current ? ' (current)' : ''}\n${context.cluster?.server ?? ''}\n${context.file}${report ? `\n\n${report.summary}${at ? `\n${vscode.l10n.t('Checked {0}', at.toLocaleString())}` : ''}` : ''}`;
    item.iconPath = report ? icon(VERDICT_ICON[report.verdict]) : new vscode.ThemeIcon(context.current ? 'star-full' : 'circle-outline');
    item.contextValue = report?.steps.some((s) => s.fixes.length) ? FIXABLE_CONTEXT_NODE : CONTEXT_NODE;
    return item;
  }

  async getChildren(node?: ContextsNode): Promise<ContextsNode[]> {
    if (node?.kind === 'context') return (node.report ?? this.services.doctor.report(node.context.name))?.steps.map((step) => ({ kind: 'step', context: node.context.name, step })) ?? [];
    if (node) return [];
    try {
      const { config } = await this.services.doctor.read();
      const nodes: ContextsNode[] = config.errors.map((e) => ({ kind: 'message', text: vscode.l10n.t('{0}: {1}', e.path, e.message), error: true }));
      // An empty view shows its welcome content, which leads to the walkthrough.
      void vscode.commands.executeCommand('setContext', 'eksAuth.noKubeContexts', !config.contexts.length);
      return nodes.concat(
        config.contexts.map((context) => {
          const kept = this.services.doctor.kept(context.name);
          return { kind: 'context', context, report: kept?.report, checkedAt: kept?.checkedAt };
        }),
      );
    } catch (e) {
      return [{ kind: 'message', text: (e as Error).message, error: true }];
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
