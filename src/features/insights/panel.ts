/**
 * The troubleshooting panel: one per cluster and time range, restored after a window reload. Each query run has an
 * id and only the current run posts; rows are keyed by @ptr; an explanation answers the request it was asked by.
 */
import * as vscode from 'vscode';
import { explainAccess, type AccessExplanation } from '../../core/access/explain';
import { explainAwsError, formatExplained } from '../../core/aws/errors';
import type { ClusterRef } from '../../core/clusters/clusterAccess';
import { OUTCOME_ADVICE } from '../../core/insights/parser';
import { MAX_QUERY_LIMIT, QueryResult, runQuery, statusProblem } from '../../core/insights/query';
import { summaryQueries, timelineSeries } from '../../core/insights/summary';
import { fetchInWindows, type WindowedResult } from '../../core/insights/windows';
import { rowsToCsv } from '../../core/insights/table';
import type { Services } from '../../services';
import { runAccessFix } from '../../shared/accessFixes';
import { makeNonce } from '../../shared/nonce';
import { settings } from '../../shared/settings';
import { toRowView, type Header, type HostMessage, type PanelState, type RowView, type RowWire, type WebviewMessage } from '../../webview/insights/protocol';
import { pickRange, rangeLabel } from './range';

export const VIEW_TYPE = 'eksAuth.insights';

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
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Auth: ${state.cluster} (${rangeLabel(state.rangeMinutes)})`, vscode.ViewColumn.Active, this.options());
    return this.adopt(panel, state);
  }

  /** Takes over a webview panel: a new one, or one the workbench restored after a reload. */
  adopt(panel: vscode.WebviewPanel, state: PanelState): TroubleshootPanel {
    const p = new TroubleshootPanel(panel, this, state);
    this.open.set(TroubleshootPanels.key(state), p);
    this.lastActive = p;
    panel.onDidDispose(() => {
      if (this.open.get(TroubleshootPanels.key(state)) === p) this.open.delete(TroubleshootPanels.key(state));
      if (this.lastActive === p) this.lastActive = undefined;
    });
    panel.onDidChangeViewState(() => panel.active && (this.lastActive = p));
    return p;
  }

  options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const root = this.context.extensionUri;
    return { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'media')] };
  }
}

/** The most rows Fetch Every Event keeps in the panel. */
const MAX_FETCHED_ROWS = 100_000;
/** Live rows kept in the panel; older ones are dropped as new ones arrive. */
const LIVE_ROWS_KEPT = 10_000;

export class TroubleshootPanel {
  private ready: Promise<void>;
  private markReady!: () => void;
  private wire: RowWire[] = [];
  /** The same rows by @ptr, for Explain. */
  private byPtr = new Map<string, RowWire>();
  /** How many of `wire` the webview already has. */
  private sent = 0;
  private last?: HostMessage;
  private lastSummary?: Extract<HostMessage, { type: 'summary' }>;
  private running?: { cancel: () => void };
  /** The current query run; a message of any other run is never posted. */
  private runId = 0;
  private query: string;
  private mode?: string;
  private limit?: number;
  private disposed = false;
  /** The live tail session, while one runs, and its rows (kept apart: a re-run replaces only the query's rows). */
  private tail?: AbortController;
  private liveWire: RowWire[] = [];
  private liveByPtr = new Map<string, RowWire>();
  private liveCount = 0;
  private webviewReady = false;
  private readyAt = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly panels: TroubleshootPanels,
    readonly state: PanelState,
  ) {
    this.query = settings().get<string>('insights.query') ?? '';
    this.ready = new Promise((r) => (this.markReady = r));
    panel.webview.options = panels.options();
    panel.webview.html = this.html();
    panel.onDidDispose(() => {
      this.disposed = true;
      this.markReady();
      this.running?.cancel();
      this.tail?.abort();
    });
    panel.webview.onDidReceiveMessage((m: WebviewMessage) => this.onMessage(m).catch((e) => this.showError(e, this.runId)));
  }

  private get services() {
    return this.panels.services;
  }

  private get ref(): ClusterRef {
    return { profile: this.state.profile, region: this.state.region, cluster: this.state.cluster };
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = makeNonce();
    const root = this.panels.context.extensionUri;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'dist', 'webview', 'insights.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'media', 'insights.css'));
    const chartStyle = webview.asWebviewUri(vscode.Uri.joinPath(root, 'dist', 'webview', 'uPlot.min.css'));
    const column = (key: string, label: string) => `<div role="columnheader" data-sort="${key}" aria-sort="none"><button class="sort" type="button">${label}</button></div>`;
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'; style-src ${webview.cspSource}; img-src ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${chartStyle}"><link rel="stylesheet" href="${style}"><title>EKS authentication</title></head>
<body>
<header><h1 id="title">Loading...</h1><div id="meta"></div></header>
<div class="toolbar"><vscode-button id="rerun">Re-run</vscode-button><vscode-button id="range" secondary>Change range</vscode-button><vscode-button id="edit-query" secondary>Edit query</vscode-button><vscode-button id="export-csv" secondary>Export CSV</vscode-button><vscode-button id="export-json" secondary>Export JSON</vscode-button><vscode-button id="tail" secondary aria-pressed="false">Tail live</vscode-button><span id="tail-status" role="status"></span><input id="filter" type="search" placeholder="Filter rows" aria-label="Filter rows"><span id="count" aria-live="polite"></span></div>
<div id="chips" class="toolbar" aria-label="Outcome filters"></div>
<div id="truncated" role="status" hidden></div>
<section id="summary" aria-label="Summary of the range" hidden><div class="summary-head"><span id="summary-title"></span><button id="clear-window" hidden>Show the whole range</button></div><div id="timeline" aria-label="Granted and denied requests over time; drag across it to show the rows of an interval"></div><div class="summary-lists"><div><h2>Denied most</h2><ol id="summary-denied"></ol></div><div><h2>Clients</h2><ol id="summary-clients"></ol></div></div></section>
<div id="top-denied"></div>
<div id="error" role="alert" hidden></div>
<div id="grid" role="grid" aria-label="Authenticator log events" aria-rowcount="1" aria-colcount="7">
<div class="table-head" role="row" aria-rowindex="1">${column('time', 'Time')}${column('outcomeLabel', 'Outcome')}${column('arn', 'Principal ARN')}${column('username', 'Username')}${column('groups', 'Groups')}${column('client', 'Client')}<div role="columnheader"><span class="visually-hidden">Actions</span></div></div>
<div id="scroller" role="rowgroup"><div id="spacer" role="presentation"></div><div id="rows" role="presentation"></div></div>
</div>
<script nonce="${nonce}" src="${script}"></script>
</body></html>`;
  }

  /** Posts to the webview once it is ready; a run's message is dropped if another run started meanwhile. */
  private async post(message: HostMessage) {
    const stale = () => (message.type === 'results' || message.type === 'error' || message.type === 'summary') && message.runId !== this.runId;
    if (stale()) return;
    if (message.type === 'summary') this.lastSummary = message;
    else if (message.type === 'results' || message.type === 'error') this.last = message;
    await this.ready;
    if (stale() || this.disposed) return;
    // A query can finish before a new panel's webview has loaded; say how long the rows waited for it.
    if (message.type === 'results' && message.completedAt && this.readyAt > message.completedAt) message.webviewWaitMs = this.readyAt - message.completedAt;
    await this.panel.webview.postMessage(message);
  }

  private header(result?: QueryResult, status?: string): Header {
    return {
      limit: this.limit,
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

  private resultsMessage(runId: number, header: Header, final: boolean, completedAt?: number): HostMessage {
    const mode = this.sent > 0 && this.sent <= this.wire.length ? 'append' : 'replace';
    const rows = mode === 'append' ? this.wire.slice(this.sent) : this.wire;
    this.sent = this.wire.length;
    return { type: 'results', runId, mode, header, rows, final, advice: OUTCOME_ADVICE, state: this.state, completedAt };
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
    this.byPtr = new Map(this.wire.map((r) => [r[2], r]));
  }

  private showError(e: unknown, runId: number, header?: Header) {
    const err = e as { name?: string };
    let message: string;
    if (err?.name === 'ResourceNotFoundException') {
      message = `No log group /aws/eks/${this.state.cluster}/cluster in ${this.state.region}: authenticator logging has never been enabled on this cluster, or its logs have expired. Enable the authenticator log type, reproduce the problem, then re-run.`;
    } else if (err?.name === 'LimitExceededException') {
      message = 'Too many Logs Insights queries are running in this account (the limit is 100 at once). Wait for some to finish, then re-run.';
    } else if (err?.name === 'MalformedQueryException') {
      message = `The query is not valid Logs Insights syntax: ${(e as Error).message}. Edit it and run it again.`;
    } else message = formatExplained(explainAwsError(e, this.state.profile));
    this.services.log.error(`Troubleshooting ${this.state.cluster}: ${message}`, e);
    void this.post({ type: 'error', runId, message, header: header ?? this.header(undefined, 'Error') });
    return message;
  }

  /** Runs the query with progress and Cancel; Cancel (or a newer run) stops the query on the service too. */
  async run(query = this.query): Promise<QueryResult | undefined> {
    this.query = query;
    this.running?.cancel();
    const runId = ++this.runId;
    let cancelled = false;
    this.running = { cancel: () => (cancelled = true) };
    const current = () => runId === this.runId;
    const { connections } = this.services;
    const logs = await connections.logsFor(this.state.profile, this.state.region);
    const eks = await connections.eksFor(this.state.profile, this.state.region);
    this.mode = (await eks.describeCluster(this.state.cluster).catch(() => undefined))?.accessConfig?.authenticationMode;
    if (!current()) return undefined;
    const end = Date.now();
    const limit = settings().get<number>('insights.limit') ?? 1000;
    this.limit = limit;
    this.wire = [];
    this.byPtr.clear();
    this.sent = 0;
    void this.post(this.resultsMessage(runId, this.header(undefined, 'Starting'), false));
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Querying authenticator logs of {0}', this.state.cluster), cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => (cancelled = true));
        try {
          const result = await runQuery(logs, { logGroupName: `/aws/eks/${this.state.cluster}/cluster`, queryString: query, startTime: end - this.state.rangeMinutes * 60_000, endTime: end, limit }, {
            isCancelled: () => cancelled || !current(),
            onProgress: (partial) => {
              if (!current()) return;
              progress.report({ message: `${partial.status}: ${partial.rows.length} rows` });
              this.setRows(partial.rows);
              void this.post(this.resultsMessage(runId, this.header(partial), false));
            },
          });
          if (!current()) {
            this.services.log.info(`Authenticator query on ${this.state.cluster}: run ${runId} replaced by run ${this.runId}, its ${result.status} results dropped`);
            return result;
          }
          const completedAt = Date.now();
          if (result.status === 'Complete') this.setRows(result.rows);
          const problem = statusProblem(result.status);
          await this.post(this.resultsMessage(runId, this.header(result), true, completedAt));
          if (problem) {
            void this.post({ type: 'error', runId, message: problem, header: this.header(result) });
            if (result.status !== 'Cancelled') void vscode.window.showWarningMessage(problem);
          }
          this.services.log.info(`Authenticator query on ${this.state.cluster}: ${result.status}, ${result.rows.length} rows, ${result.stats.recordsScanned} records scanned`);
          // The summary aggregates on the service, so it covers the whole range even when the rows stop at the limit.
          if (result.status === 'Complete') void this.runSummary(runId, end - this.state.rangeMinutes * 60_000, end);
          return result;
        } catch (e) {
          if (!current()) return undefined;
          const message = this.showError(e, runId);
          void vscode.window.showErrorMessage(message);
          return undefined;
        }
      },
    );
  }

  /** The range's timeline, top denied principals and top clients, each one aggregate query on the service. */
  private async runSummary(runId: number, startMs: number, endMs: number): Promise<void> {
    const current = () => runId === this.runId && !this.disposed;
    try {
      const logs = await this.services.connections.logsFor(this.state.profile, this.state.region);
      const q = summaryQueries(this.state.rangeMinutes);
      const run = (queryString: string) => runQuery(logs, { logGroupName: `/aws/eks/${this.state.cluster}/cluster`, queryString, startTime: startMs, endTime: endMs }, { isCancelled: () => !current() });
      const [timeline, denied, clients] = await Promise.all([run(q.timeline), run(q.topDenied), run(q.topClients)]);
      if (!current() || [timeline, denied, clients].some((r) => r.status !== 'Complete')) return;
      const series = timelineSeries(timeline.rows, q.bin, startMs, endMs);
      await this.post({
        type: 'summary',
        runId,
        summary: {
          ...series,
          binLabel: q.bin.label,
          topDenied: denied.rows.map((r) => ({ arn: r.arn ?? '', n: Number(r.n) || 0, first: r.first ?? '', last: r.last ?? '' })),
          topClients: clients.rows.map((r) => ({ client: r.client ?? '', n: Number(r.n) || 0 })),
          bytesScanned: timeline.stats.bytesScanned + denied.stats.bytesScanned + clients.stats.bytesScanned,
          rowsMoved: timeline.rows.length + denied.rows.length + clients.rows.length,
        },
        completedAt: Date.now(),
      });
    } catch (e) {
      this.services.log.warn(`Summary of ${this.state.cluster} failed: ${(e as Error).message}`);
    }
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
          await this.post(this.resultsMessage(this.runId, this.last.header, this.last.final, this.last.completedAt));
          if (this.lastSummary?.runId === this.runId) await this.post(this.lastSummary);
        } else if (this.last) await this.panel.webview.postMessage(this.last);
        break;
      case 'rerun':
        await this.run();
        break;
      case 'changeRange': {
        const header = this.last?.type === 'results' ? this.last.header : undefined;
        const scanned = (header?.bytesScanned ?? 0) + (this.summary?.bytesScanned ?? 0);
        const minutes = await pickRange(scanned ? { bytesScanned: scanned, rangeMinutes: this.state.rangeMinutes } : undefined);
        if (minutes) await this.panels.createOrShow({ ...this.state, rangeMinutes: minutes }).run(this.query);
        break;
      }
      case 'editQuery': {
        const doc = await vscode.workspace.openTextDocument({ language: 'eks-auth-insights', content: this.query });
        await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
        this.panels.lastActive = this;
        break;
      }
      case 'export': {
        const uri = await vscode.window.showSaveDialog({ filters: m.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] }, saveLabel: vscode.l10n.t('Export') });
        if (!uri) return;
        const rows = this.currentRows;
        const text = m.format === 'csv' ? rowsToCsv(rows) : JSON.stringify(rows, null, 2);
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
        void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} rows to {1}', rows.length, uri.fsPath));
        break;
      }
      case 'explain':
        await this.answerExplain(m.requestId, m.ptr);
        break;
      case 'rendered':
        this.services.log.info(`Troubleshooting panel for ${this.state.cluster}: ${m.rows} rows on screen ${m.ms} ms after the query completed`);
        break;
      case 'fix':
        await runAccessFix(this.ref, m.kind, m.principalArn);
        break;
      case 'fetchAll':
        await this.fetchAll();
        break;
      case 'tail':
        if (m.on) void this.startTail();
        else this.stopTail();
        break;
    }
  }

  private async answerExplain(requestId: number, ptr: string) {
    try {
      const explanation = await this.explain(ptr);
      await this.post({ type: 'explanation', requestId, ptr, explanation, error: explanation ? undefined : 'this row names no principal' });
    } catch (e) {
      await this.post({ type: 'explanation', requestId, ptr, error: formatExplained(explainAwsError(e, this.state.profile)) });
    }
  }

  /** Explains the row with this @ptr against the cluster's current access entries and aws-auth. */
  async explain(ptr: string): Promise<AccessExplanation | undefined> {
    const wire = this.byPtr.get(ptr) ?? this.liveByPtr.get(ptr);
    const arn = wire ? toRowView(wire).arn : '';
    if (!arn) return undefined;
    const { context, notes } = await this.services.clusters.explainContext(this.ref, arn);
    const explanation = explainAccess(arn, context);
    explanation.nearMisses.push(...notes);
    return explanation;
  }

  /** What the panel last sent, and the rows it shows: for tests and exports. */
  get lastMessage() {
    return this.last;
  }

  /**
   * Every event of the range, in windows of fewer than 100,000 rows (the service's cap for one query), newest first,
   * up to 100,000 rows, with progress and Cancel. Rows are added to the panel as each window completes.
   */
  async fetchAll(): Promise<WindowedResult | undefined> {
    this.running?.cancel();
    const runId = ++this.runId;
    let cancelled = false;
    this.running = { cancel: () => (cancelled = true) };
    const current = () => runId === this.runId && !this.disposed;
    const logs = await this.services.connections.logsFor(this.state.profile, this.state.region);
    const end = Date.now();
    const start = end - this.state.rangeMinutes * 60_000;
    this.wire = [];
    this.byPtr.clear();
    this.sent = 0;
    this.limit = undefined;
    const stats = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };
    const header = (status: string, limit?: number): Header => ({ ...this.header(undefined, status), ...stats, limit });
    void this.post(this.resultsMessage(runId, header('Running'), false));
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Fetching every authenticator event of {0}', this.state.cluster), cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(() => (cancelled = true));
      try {
        const result = await fetchInWindows(
          async (from, to) => {
            const r = await runQuery(logs, { logGroupName: `/aws/eks/${this.state.cluster}/cluster`, queryString: this.query, startTime: from, endTime: to, limit: MAX_QUERY_LIMIT }, { isCancelled: () => cancelled || !current() });
            stats.recordsMatched += r.stats.recordsMatched;
            stats.recordsScanned += r.stats.recordsScanned;
            stats.bytesScanned += r.stats.bytesScanned;
            return r;
          },
          start,
          end,
          // The service's largest limit: the fewest windows, each re-scanning less.
          MAX_QUERY_LIMIT,
          {
            maxRows: MAX_FETCHED_ROWS,
            minWindowMs: 60_000,
            isCancelled: () => cancelled || !current(),
            onRows: (rows, p) => {
              if (!current()) return;
              const next: RowWire[] = rows.map((r) => [r['@timestamp'] ?? '', r['@message'] ?? '', r['@ptr'] ?? `${r['@timestamp']}|${r['@message']}`]);
              this.wire.push(...next);
              for (const w of next) this.byPtr.set(w[2], w);
              progress.report({ message: vscode.l10n.t('{0} rows from {1} windows', p.rows, p.windows) });
              void this.post(this.resultsMessage(runId, header('Running'), false));
            },
          },
        );
        if (!current()) return result;
        // A result that is not complete keeps the truncation notice: the panel never implies it has everything.
        await this.post(this.resultsMessage(runId, header(result.complete ? 'Complete' : 'Incomplete', result.complete ? undefined : this.wire.length), true, Date.now()));
        if (!result.complete && result.reason !== 'cancelled') void vscode.window.showWarningMessage(vscode.l10n.t('Fetched {0} events in {1} windows, not all of them: {2}. Narrow the range to see the rest.', result.rows.length, result.windows, result.reason ?? ''));
        this.services.log.info(`Fetched ${result.rows.length} events of ${this.state.cluster} in ${result.windows} windows, ${stats.bytesScanned} bytes scanned${result.complete ? '' : `: ${result.reason}`}`);
        return result;
      } catch (e) {
        if (current()) void vscode.window.showErrorMessage(this.showError(e, runId));
        return undefined;
      }
    });
  }

  get tailing(): boolean {
    return !!this.tail;
  }

  /**
   * Streams the cluster's authenticator log streams with StartLiveTail until stopped, the panel closes, or the
   * service ends the session (three hours); each event becomes a row like any other, classified and explainable.
   */
  async startTail(): Promise<void> {
    if (this.tail || this.disposed) return;
    const abort = new AbortController();
    this.tail = abort;
    let message: string | undefined;
    try {
      const [logs, summary] = await Promise.all([this.services.connections.logsFor(this.state.profile, this.state.region), this.services.clusters.summary(this.ref)]);
      const [, partition = 'aws', , , account = ''] = (summary.arn ?? '').split(':');
      const logGroupArn = `arn:${partition}:logs:${this.state.region}:${account}:log-group:/aws/eks/${this.state.cluster}/cluster`;
      await this.post({ type: 'tail', running: true });
      this.services.log.info(`Live tail of ${logGroupArn} started`);
      for await (const batch of logs.liveTail({ logGroupArns: [logGroupArn], logStreamNamePrefixes: ['authenticator-'] }, abort.signal)) {
        if (abort.signal.aborted) break;
        const rows: RowWire[] = batch.events.map((e) => [new Date(e.timestamp).toISOString().replace('T', ' ').replace('Z', ''), e.message, `live:${e.logStreamName}:${e.timestamp}:${this.liveCount++}`]);
        for (const r of rows) this.liveByPtr.set(r[2], r);
        this.liveWire.push(...rows);
        // The newest 10,000 live rows stay; older ones leave the panel, as on the service's side.
        for (const old of this.liveWire.splice(0, Math.max(0, this.liveWire.length - LIVE_ROWS_KEPT))) this.liveByPtr.delete(old[2]);
        if (rows.length || batch.sampled) await this.post({ type: 'tailRows', rows, sampled: batch.sampled });
      }
    } catch (e) {
      message = (e as Error).name === 'SessionTimeoutException' ? vscode.l10n.t('The live tail ended: CloudWatch Logs closes a Live Tail session after three hours. Start it again to go on.') : formatExplained(explainAwsError(e, this.state.profile));
      this.services.log.warn(`Live tail of ${this.state.cluster} ended: ${(e as Error).message}`);
    } finally {
      if (this.tail === abort) this.tail = undefined;
      if (!this.disposed) await this.post({ type: 'tail', running: false, message });
    }
  }

  stopTail(): void {
    this.tail?.abort();
  }

  /** The summary of the current run, once it has come. */
  get summary() {
    return this.lastSummary?.runId === this.runId ? this.lastSummary.summary : undefined;
  }

  get currentRows(): RowView[] {
    return [...this.wire, ...this.liveWire].map(toRowView);
  }

  /** The id of the current query run. */
  get currentRunId(): number {
    return this.runId;
  }
}
