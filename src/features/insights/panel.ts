/**
 * The troubleshooting panel: one tab per cluster, restored after a window reload. The webview host does the
 * handshake, run tokens and stale drops; the query runs and live tail own their rows; this class keeps the panel's
 * state and answers the webview's requests, one handler per message type.
 */
import * as vscode from 'vscode';
import { explainAccess, type AccessExplanation } from '../../core/access/explain';
import { explainAwsError, formatExplained } from '../../core/aws/errors';
import type { ClusterRef } from '../../core/clusters/clusterAccess';
import type { QueryResult } from '../../core/insights/query';
import { rowsToCsv } from '../../core/insights/table';
import type { WindowedResult } from '../../core/insights/windows';
import type { Services } from '../../services';
import { runAccessFix } from '../../shared/accessFixes';
import { makeNonce } from '../../shared/nonce';
import { WebviewHost, type HandlerMap } from '../../shared/webviewHost';
import { toRowView, type HostMessage, type PanelState, type RowView, type WebviewMessage } from '../../webview/insights/protocol';
import { LiveTail } from './liveTail';
import { QueryRuns, type RunContext } from './queryRuns';
import { pickRange, rangeLabel } from './range';

export const VIEW_TYPE = 'eksAuth.insights';

const title = (s: PanelState) => `Auth: ${s.cluster} (${rangeLabel(s.rangeMinutes)})`;

/** The open panels, one per cluster and range, and the one a "Run query" code lens runs on. */
export class TroubleshootPanels {
  private readonly open = new Map<string, TroubleshootPanel>();
  lastActive?: TroubleshootPanel;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly services: Services,
  ) {}

  static key(s: PanelState) {
    return JSON.stringify([s.profile ?? null, s.region, s.cluster, s.rangeMinutes]);
  }

  createOrShow(state: PanelState): TroubleshootPanel {
    const existing = this.open.get(TroubleshootPanels.key(state));
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, title(state), vscode.ViewColumn.Active, this.options());
    return this.adopt(panel, state);
  }

  /** Takes over a webview panel: a new one, or one the workbench restored after a reload. */
  adopt(panel: vscode.WebviewPanel, state: PanelState): TroubleshootPanel {
    const p = new TroubleshootPanel(panel, this, state);
    this.open.set(TroubleshootPanels.key(state), p);
    this.lastActive = p;
    panel.onDidDispose(() => {
      if (this.open.get(TroubleshootPanels.key(p.state)) === p) this.open.delete(TroubleshootPanels.key(p.state));
      if (this.lastActive === p) this.lastActive = undefined;
    });
    panel.onDidChangeViewState(() => panel.active && (this.lastActive = p));
    return p;
  }

  /** A panel now shows another range, in the same tab. */
  moved(p: TroubleshootPanel, from: PanelState): void {
    if (this.open.get(TroubleshootPanels.key(from)) === p) this.open.delete(TroubleshootPanels.key(from));
    this.open.set(TroubleshootPanels.key(p.state), p);
    p.panel.title = title(p.state);
  }

  options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const root = this.context.extensionUri;
    return { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'media')] };
  }
}

export class TroubleshootPanel implements RunContext {
  readonly host: WebviewHost<HostMessage, WebviewMessage>;
  private readonly runs: QueryRuns;
  private readonly tail: LiveTail;
  private current: PanelState;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly panels: TroubleshootPanels,
    state: PanelState,
  ) {
    this.current = { ...state };
    panel.webview.options = panels.options();
    panel.webview.html = this.html();
    this.host = new WebviewHost<HostMessage, WebviewMessage>(panel, this.handlers(), {
      onReload: () => this.runs.resend(),
      onError: (e, runId) => this.services.log.error(`Troubleshooting panel for ${this.state.cluster} (run ${runId}): ${(e as Error)?.message ?? e}`, e),
      onDispose: () => this.tail.stop(),
    });
    this.runs = new QueryRuns(this);
    this.tail = new LiveTail(this);
  }

  get services(): Services {
    return this.panels.services;
  }

  get state(): PanelState {
    return this.current;
  }

  get ref(): ClusterRef {
    return { profile: this.state.profile, region: this.state.region, cluster: this.state.cluster };
  }

  /** The page: its markup is the webview's own (src/webview/insights/view.ts); the host gives only the CSP and resources. */
  private html(): string {
    const webview = this.panel.webview;
    const nonce = makeNonce();
    const root = this.panels.context.extensionUri;
    const uri = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(root, ...path));
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'; style-src ${webview.cspSource}; img-src ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('dist', 'webview', 'uPlot.min.css')}"><link rel="stylesheet" href="${uri('media', 'insights.css')}"><title>EKS authentication</title></head>
<body><script nonce="${nonce}" src="${uri('dist', 'webview', 'insights.js')}"></script></body></html>`;
  }

  private handlers(): HandlerMap<Exclude<WebviewMessage, { type: 'ready' }>> {
    return {
      rerun: () => this.run(),
      changeRange: () => this.changeRange(),
      editQuery: async () => {
        const doc = await vscode.workspace.openTextDocument({ language: 'eks-auth-insights', content: this.runs.query });
        await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
        this.panels.lastActive = this;
      },
      export: (m) => this.export(m.format),
      explain: (m) => this.answerExplain(m.requestId, m.ptr),
      fix: (m) => runAccessFix(this.ref, m.kind, m.principalArn),
      fetchAll: () => this.fetchAll(),
      tail: (m) => (m.on ? void this.startTail() : this.stopTail()),
    };
  }

  /** Runs the query (the panel's own, or one given) over the panel's range. */
  run(query?: string): Promise<QueryResult | undefined> {
    return this.runs.run(query);
  }

  /** Every event of the range, in windows under the service's row cap. */
  fetchAll(): Promise<WindowedResult | undefined> {
    return this.runs.fetchAll();
  }

  /** Another range in this same tab, with an estimate of what each choice scans. */
  async changeRange(): Promise<void> {
    const scanned = this.runs.bytesScanned;
    const minutes = await pickRange(scanned ? { bytesScanned: scanned, rangeMinutes: this.state.rangeMinutes } : undefined);
    if (!minutes || minutes === this.state.rangeMinutes) return;
    const from = this.current;
    this.current = { ...from, rangeMinutes: minutes };
    this.panels.moved(this, from);
    await this.run();
  }

  private async export(format: 'csv' | 'json') {
    const uri = await vscode.window.showSaveDialog({ filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] }, saveLabel: vscode.l10n.t('Export') });
    if (!uri) return;
    const rows = this.currentRows;
    const text = format === 'csv' ? rowsToCsv(rows) : JSON.stringify(rows, null, 2);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} rows to {1}', rows.length, uri.fsPath));
  }

  private async answerExplain(requestId: number, ptr: string) {
    try {
      const explanation = await this.explain(ptr);
      await this.host.post({ type: 'explanation', requestId, ptr, explanation, error: explanation ? undefined : 'this row names no principal' });
    } catch (e) {
      await this.host.post({ type: 'explanation', requestId, ptr, error: formatExplained(explainAwsError(e, this.state.profile)) });
    }
  }

  /** Explains the row with this @ptr against the cluster's current access entries and aws-auth. */
  async explain(ptr: string): Promise<AccessExplanation | undefined> {
    const wire = this.runs.rows.get(ptr) ?? this.tail.rows.get(ptr);
    const arn = wire ? toRowView(wire).arn : '';
    if (!arn) return undefined;
    const { context, notes } = await this.services.clusters.explainContext(this.ref, arn);
    const explanation = explainAccess(arn, context);
    explanation.nearMisses.push(...notes);
    return explanation;
  }

  startTail(): Promise<void> {
    return this.tail.start();
  }

  stopTail(): void {
    this.tail.stop();
  }

  get tailing(): boolean {
    return this.tail.running;
  }

  /** What the panel last showed of the current run (results or error): for tests. */
  get lastMessage() {
    return this.runs.last;
  }

  /** The summary of the current run, once it has come. */
  get summary() {
    return this.runs.summary;
  }

  /** The rows the panel shows: the query's, then the live tail's. */
  get currentRows(): RowView[] {
    return [...this.runs.rows.all, ...this.tail.rows.all].map(toRowView);
  }

  /** The id of the current query run. */
  get currentRunId(): number {
    return this.host.currentRunId;
  }
}
