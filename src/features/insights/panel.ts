/** The troubleshooting panel: one per cluster and time range, restored after a window reload. */
import * as vscode from 'vscode';
import { explainAwsError, formatExplained } from '../../core/aws/errors';
import { explainAccess } from '../../core/access/explain';
import { OUTCOME_ADVICE } from '../../core/insights/parser';
import { QueryResult, runQuery, statusProblem } from '../../core/insights/query';
import { rowsToCsv } from '../../core/insights/table';
import { log } from '../../shared/logger';
import { makeNonce } from '../../shared/nonce';
import { settings } from '../../shared/settings';
import { toRowView, type Header, type HostMessage, type PanelState, type RowView, type RowWire, type WebviewMessage } from '../../webview/insights/protocol';
import { accessContext, runAccessFix } from '../access/activation';
import { clusterTree, pickCluster } from '../clusters/activation';
import type { Connections } from '../clusters/connections';

export const VIEW_TYPE = 'eksAuth.insights';

export function rangeLabel(minutes: number): string {
  if (minutes % 60 !== 0) return `last ${minutes} minutes`;
  const hours = minutes / 60;
  return hours === 1 ? 'last hour' : `last ${hours} hours`;
}

export class TroubleshootPanel {
  private static readonly panels = new Map<string, TroubleshootPanel>();
  /** The panel whose query a "Run query" code lens runs. */
  static lastActive?: TroubleshootPanel;
  private ready: Promise<void>;
  private markReady!: () => void;
  private wire: RowWire[] = [];
  /** How many of `wire` the webview already has. */
  private sent = 0;
  private parsed?: RowView[];
  private last?: HostMessage;
  private running?: { cancel: () => void };
  private query: string;
  private mode?: string;
  private disposed = false;
  private webviewReady = false;
  private readyAt = 0;

  static key(s: PanelState) {
    return `${s.profile ?? ''}|${s.region}|${s.cluster}|${s.rangeMinutes}`;
  }

  static createOrShow(context: vscode.ExtensionContext, connections: Connections, state: PanelState): TroubleshootPanel {
    const existing = TroubleshootPanel.panels.get(TroubleshootPanel.key(state));
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Auth: ${state.cluster} (${rangeLabel(state.rangeMinutes)})`, vscode.ViewColumn.Active, TroubleshootPanel.options(context));
    return new TroubleshootPanel(panel, context, connections, state);
  }

  static options(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(context.extensionUri, 'media')] };
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly connections: Connections,
    readonly state: PanelState,
  ) {
    this.query = settings().get<string>('insights.query') ?? '';
    this.ready = new Promise((r) => (this.markReady = r));
    TroubleshootPanel.panels.set(TroubleshootPanel.key(state), this);
    TroubleshootPanel.lastActive = this;
    panel.webview.options = TroubleshootPanel.options(context);
    panel.webview.html = this.html();
    panel.onDidDispose(() => {
      this.disposed = true;
      this.markReady();
      this.running?.cancel();
      TroubleshootPanel.panels.delete(TroubleshootPanel.key(state));
      if (TroubleshootPanel.lastActive === this) TroubleshootPanel.lastActive = undefined;
    });
    panel.onDidChangeViewState(() => panel.active && (TroubleshootPanel.lastActive = this));
    panel.webview.onDidReceiveMessage((m: WebviewMessage) => this.onMessage(m).catch((e) => this.showError(e)));
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = makeNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview', 'insights.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'insights.css'));
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'; style-src ${webview.cspSource}; img-src ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}"><title>EKS authentication</title></head>
<body>
<header><h1 id="title">Loading...</h1><div id="meta"></div></header>
<div class="toolbar"><button id="rerun">Re-run</button><button id="range">Change range</button><button id="edit-query">Edit query</button><button id="export-csv">Export CSV</button><button id="export-json">Export JSON</button><input id="filter" type="search" placeholder="Filter rows" aria-label="Filter rows"><span id="count"></span></div>
<div id="chips" class="toolbar" aria-label="Outcome filters"></div>
<div id="top-denied"></div>
<div id="error" role="alert" hidden></div>
<div class="table-head" role="row"><div data-sort="time">Time</div><div data-sort="outcomeLabel">Outcome</div><div data-sort="arn">Principal ARN</div><div data-sort="username">Username</div><div data-sort="groups">Groups</div><div data-sort="client">Client</div><div></div></div>
<div id="scroller" role="grid"><div id="spacer"></div><div id="rows"></div></div>
<script nonce="${nonce}" src="${script}"></script>
</body></html>`;
  }

  private async post(message: HostMessage) {
    if (message.type !== 'explanation') this.last = message;
    await this.ready;
    // A query can finish before a new panel's webview has loaded; say how long the rows waited for it.
    if (message.type === 'results' && message.completedAt && this.readyAt > message.completedAt) message.webviewWaitMs = this.readyAt - message.completedAt;
    if (!this.disposed) await this.panel.webview.postMessage(message);
  }

  private header(result?: QueryResult, status?: string): Header {
    return {
      cluster: this.state.cluster,
      region: this.state.region,
      logGroup: `/aws/eks/${this.state.cluster}/cluster`,
      range: rangeLabel(this.state.rangeMinutes),
      status: status ?? result?.status ?? 'Starting',
      recordsMatched: result?.stats.recordsMatched ?? 0,
      recordsScanned: result?.stats.recordsScanned ?? 0,
      bytesScanned: result?.stats.bytesScanned ?? 0,
      mode: this.mode,
    };
  }

  private resultsMessage(header: Header, final: boolean, completedAt?: number): HostMessage {
    const mode = this.sent > 0 && this.sent <= this.wire.length ? 'append' : 'replace';
    const rows = mode === 'append' ? this.wire.slice(this.sent) : this.wire;
    this.sent = this.wire.length;
    return { type: 'results', mode, header, rows, final, advice: OUTCOME_ADVICE, state: this.state, completedAt };
  }

  /**
   * Takes the latest cumulative results. When they still hold every row sent so far (the usual case while a query
   * runs), the rows already sent keep their place and only new ones are added; otherwise the panel starts over.
   */
  private setRows(rows: Record<string, string>[]) {
    const next: RowWire[] = rows.map((r) => [r['@timestamp'] ?? '', r['@message'] ?? '', r['@ptr'] ?? `${r['@timestamp']}|${r['@message']}`]);
    const keys = new Set(next.map((r) => r[2]));
    const kept = this.wire.slice(0, this.sent);
    if (this.sent > 0 && kept.every((r) => keys.has(r[2]))) {
      const have = new Set(kept.map((r) => r[2]));
      this.wire = [...kept, ...next.filter((r) => !have.has(r[2]))];
    } else {
      this.wire = next;
      this.sent = 0;
    }
    this.parsed = undefined;
  }

  /** The rows as the panel shows them; parsed on demand, as only exports and Explain need them here. */
  private get rows(): RowView[] {
    if (!this.parsed) this.parsed = this.wire.map(toRowView);
    return this.parsed;
  }

  private showError(e: unknown, header?: Header) {
    const err = e as { name?: string };
    let message: string;
    if (err?.name === 'ResourceNotFoundException') {
      message = `No log group /aws/eks/${this.state.cluster}/cluster in ${this.state.region}: authenticator logging has never been enabled on this cluster, or its logs have expired. Enable the authenticator log type, reproduce the problem, then re-run.`;
    } else if (err?.name === 'LimitExceededException') {
      message = 'Too many Logs Insights queries are running in this account (the limit is 100 at once). Wait for some to finish, then re-run.';
    } else if (err?.name === 'MalformedQueryException') {
      message = `The query is not valid Logs Insights syntax: ${(e as Error).message}. Edit it and run it again.`;
    } else message = formatExplained(explainAwsError(e, this.state.profile));
    log.error(`Troubleshooting ${this.state.cluster}: ${message}`, e);
    void this.post({ type: 'error', message, header: header ?? this.header(undefined, 'Error') });
    return message;
  }

  /** Runs the query with progress and Cancel; Cancel stops the query on the service too. */
  async run(query = this.query): Promise<QueryResult | undefined> {
    this.query = query;
    this.running?.cancel();
    const logs = await this.connections.logsFor(this.state.profile, this.state.region);
    const eks = await this.connections.eksFor(this.state.profile, this.state.region);
    this.mode = (await eks.describeCluster(this.state.cluster).catch(() => undefined))?.accessConfig?.authenticationMode;
    const end = Date.now();
    const limit = settings().get<number>('insights.limit') ?? 1000;
    let cancelled = false;
    this.running = { cancel: () => (cancelled = true) };
    this.wire = [];
    this.parsed = undefined;
    this.sent = 0;
    void this.post(this.resultsMessage(this.header(undefined, 'Starting'), false));
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Querying authenticator logs of {0}', this.state.cluster), cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => (cancelled = true));
        try {
          const result = await runQuery(logs, { logGroupName: `/aws/eks/${this.state.cluster}/cluster`, queryString: query, startTime: end - this.state.rangeMinutes * 60_000, endTime: end, limit }, {
            isCancelled: () => cancelled,
            onProgress: (partial) => {
              progress.report({ message: `${partial.status}: ${partial.rows.length} rows` });
              this.setRows(partial.rows);
              void this.post(this.resultsMessage(this.header(partial), false));
            },
          });
          const completedAt = Date.now();
          if (result.status === 'Complete') this.setRows(result.rows);
          const problem = statusProblem(result.status);
          await this.post(this.resultsMessage(this.header(result), true, completedAt));
          if (problem) {
            void this.post({ type: 'error', message: problem, header: this.header(result) });
            if (result.status !== 'Cancelled') void vscode.window.showWarningMessage(problem);
          }
          log.info(`Authenticator query on ${this.state.cluster}: ${result.status}, ${result.rows.length} rows, ${result.stats.recordsScanned} records scanned`);
          return result;
        } catch (e) {
          const message = this.showError(e);
          void vscode.window.showErrorMessage(message);
          return undefined;
        }
      },
    );
  }

  private async onMessage(m: WebviewMessage) {
    switch (m.type) {
      case 'ready':
        if (!this.webviewReady) {
          this.webviewReady = true;
          this.readyAt = Date.now();
          this.markReady();
        } else if (this.last?.type === 'results') {
          // The webview was reloaded and lost its rows: send them all again.
          this.sent = 0;
          await this.post(this.resultsMessage(this.last.header, this.last.final, this.last.completedAt));
        } else if (this.last) await this.panel.webview.postMessage(this.last);
        break;
      case 'rerun':
        await this.run();
        break;
      case 'changeRange': {
        const minutes = await pickRange();
        if (minutes) {
          const next = TroubleshootPanel.createOrShow(this.context, this.connections, { ...this.state, rangeMinutes: minutes });
          await next.run(this.query);
        }
        break;
      }
      case 'editQuery': {
        const doc = await vscode.workspace.openTextDocument({ language: 'eks-auth-insights', content: this.query });
        await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
        TroubleshootPanel.lastActive = this;
        break;
      }
      case 'export': {
        const uri = await vscode.window.showSaveDialog({ filters: m.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] }, saveLabel: vscode.l10n.t('Export') });
        if (!uri) return;
        const text = m.format === 'csv' ? rowsToCsv(this.rows) : JSON.stringify(this.rows, null, 2);
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
        void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} rows to {1}', this.rows.length, uri.fsPath));
        break;
      }
      case 'explain':
        await this.explain(m.index);
        break;
      case 'rendered':
        log.info(`Troubleshooting panel for ${this.state.cluster}: ${m.rows} rows on screen ${m.ms} ms after the query completed`);
        break;
      case 'fix':
        await runAccessFix(await this.clusterNode(), m.kind, m.principalArn);
        break;
    }
  }

  private async clusterNode() {
    const clusters = (await clusterTree?.clusters()) ?? [];
    return clusters.find((c) => c.ref.cluster === this.state.cluster && c.ref.region === this.state.region && c.ref.profile === this.state.profile) ?? (await pickCluster());
  }

  /** Explains a denied row against the cluster's current access entries and aws-auth. */
  async explain(index: number) {
    const row = this.rows[index];
    if (!row?.arn) return;
    const cluster = await this.clusterNode();
    if (!cluster) return;
    const { context, notes } = await accessContext(cluster, row.arn);
    const explanation = explainAccess(row.arn, context);
    explanation.nearMisses.push(...notes);
    await this.post({ type: 'explanation', index, explanation });
    return explanation;
  }

  /** What the panel last sent, and the rows it shows: for tests and exports. */
  get lastMessage() {
    return this.last;
  }

  get currentRows(): readonly RowView[] {
    return this.rows;
  }
}

export async function pickRange(): Promise<number | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Last 15 minutes'), minutes: 15 },
      { label: vscode.l10n.t('Last hour'), minutes: 60 },
      { label: vscode.l10n.t('Last 6 hours'), minutes: 360 },
      { label: vscode.l10n.t('Last 24 hours'), minutes: 1440 },
      { label: vscode.l10n.t('Custom...'), minutes: 0 },
    ],
    { placeHolder: vscode.l10n.t('Time range'), ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  if (picked.minutes) return picked.minutes;
  const text = await vscode.window.showInputBox({
    prompt: vscode.l10n.t('How far back, in minutes (up to 43200, 30 days)'),
    validateInput: (v) => (/^\d+$/.test(v.trim()) && +v > 0 && +v <= 43200 ? undefined : vscode.l10n.t('Enter a number of minutes between 1 and 43200')),
  });
  return text ? Number(text.trim()) : undefined;
}
