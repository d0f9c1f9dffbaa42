/**
 * The panel's query runs: the row query, its summary of the whole range, and Fetch every event. Each run takes one
 * token from the webview host; a newer run replaces it on the service and in the panel alike.
 */
import * as vscode from 'vscode';
import type { ClusterRef } from '../../core/clusters/clusterAccess';
import { clusterLogGroup } from '../../core/insights/logGroup';
import { MAX_QUERY_LIMIT, runQuery, statusProblem, type QueryResult, type QueryStats } from '../../core/insights/query';
import { queryErrorMessage } from '../../core/insights/queryErrors';
import { QueryRowStore } from '../../core/insights/rowStore';
import { summaryQueries, timelineSeries } from '../../core/insights/summary';
import { fetchInWindows, type WindowedResult } from '../../core/insights/windows';
import type { Services } from '../../services';
import { settings } from '../../shared/settings';
import type { RunToken, WebviewHost } from '../../shared/webviewHost';
import type { Header, HostMessage, PanelState, WebviewMessage } from '../../webview/insights/protocol';
import { rangeLabel } from './range';

/** The most rows Fetch every event keeps in the panel. */
const MAX_FETCHED_ROWS = 100_000;

type Results = Extract<HostMessage, { type: 'results' }>;
type Summary = Extract<HostMessage, { type: 'summary' }>;
type Progress = vscode.Progress<{ message?: string }>;

/** What the runs need of their panel. */
export interface RunContext {
  readonly services: Services;
  readonly state: PanelState;
  readonly ref: ClusterRef;
  readonly host: WebviewHost<HostMessage, WebviewMessage>;
}

const NO_STATS: QueryStats = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };

export class QueryRuns {
  readonly rows = new QueryRowStore();
  query: string;
  private mode?: string;
  /** What the panel last showed of the current run: its results or its error. */
  last?: Results | Extract<HostMessage, { type: 'error' }>;
  private lastSummary?: Summary;

  constructor(private readonly panel: RunContext) {
    this.query = settings().get<string>('insights.query') ?? '';
  }

  private get logGroupName() {
    return clusterLogGroup(this.panel.state.cluster);
  }

  private header(status: string, stats: QueryStats = NO_STATS, limit?: number): Header {
    const { cluster, region, rangeMinutes } = this.panel.state;
    return { limit, cluster, region, logGroup: this.logGroupName, range: rangeLabel(rangeMinutes), status, ...stats, mode: this.mode };
  }

  private async postResults(runId: number, header: Header, final: boolean, keepSummary = false) {
    const message: Results = { type: 'results', runId, ...this.rows.takeUnsent(), header, final, state: this.panel.state, keepSummary };
    this.last = message;
    await this.panel.host.post(message);
  }

  private postError(e: unknown, runId: number): string {
    const message = queryErrorMessage(e, this.panel.state);
    this.panel.services.log.error(`Troubleshooting ${this.panel.state.cluster}: ${message}`, e);
    this.last = { type: 'error', runId, message, header: this.header('Error') };
    void this.panel.host.post(this.last);
    return message;
  }

  /** What the two runs share: a new token, no rows, progress with Cancel, and errors shown in the panel and a notification. */
  private async withRun<T>(title: string, body: (token: RunToken, progress: Progress) => Promise<T>): Promise<T | undefined> {
    const token = this.panel.host.startRun();
    this.rows.clear();
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancel) => {
      cancel.onCancellationRequested(() => token.cancel());
      try {
        return await body(token, progress);
      } catch (e) {
        if (token.current) void vscode.window.showErrorMessage(this.postError(e, token.id));
        return undefined;
      }
    });
  }

  /** Runs the query with progress and Cancel; Cancel (or a newer run) stops the query on the service too. */
  run(query = this.query): Promise<QueryResult | undefined> {
    this.query = query;
    const { services, state } = this.panel;
    return this.withRun(vscode.l10n.t('Querying authenticator logs of {0}', state.cluster), async (token, progress) => {
      const logs = await services.connections.logsFor(state.profile, state.region);
      const eks = await services.connections.eksFor(state.profile, state.region);
      this.mode = (await eks.describeCluster(state.cluster).catch(() => undefined))?.accessConfig?.authenticationMode;
      if (!token.current) return undefined;
      const end = Date.now();
      const start = end - state.rangeMinutes * 60_000;
      const limit = settings().get<number>('insights.limit') ?? 1000;
      void this.postResults(token.id, this.header('Starting'), false);
      const result = await runQuery(logs, { logGroupName: this.logGroupName, queryString: query, startTime: start, endTime: end, limit }, {
        isCancelled: () => token.stopped,
        onProgress: (partial) => {
          if (!token.current) return;
          progress.report({ message: `${partial.status}: ${partial.rows.length} rows` });
          this.rows.setCumulative(partial.rows);
          void this.postResults(token.id, this.header(partial.status, partial.stats, limit), false);
        },
      });
      if (!token.current) {
        services.log.info(`Authenticator query on ${state.cluster}: run ${token.id} replaced by run ${this.panel.host.currentRunId}, its ${result.status} results dropped`);
        return result;
      }
      if (result.status === 'Complete') this.rows.setCumulative(result.rows);
      await this.postResults(token.id, this.header(result.status, result.stats, limit), true);
      const problem = statusProblem(result.status);
      if (problem) {
        this.last = { type: 'error', runId: token.id, message: problem, header: this.header(result.status, result.stats, limit) };
        void this.panel.host.post(this.last);
        if (result.status !== 'Cancelled') void vscode.window.showWarningMessage(problem);
      }
      services.log.info(`Authenticator query on ${state.cluster}: ${result.status}, ${result.rows.length} rows, ${result.stats.recordsScanned} records scanned`);
      // The summary aggregates on the service, so it covers the whole range even when the rows stop at the limit.
      if (result.status === 'Complete') void this.summarise(token, start, end);
      return result;
    });
  }

  /** The range's timeline, top denied principals and top clients, each one aggregate query on the service. */
  private async summarise(token: RunToken, startMs: number, endMs: number): Promise<void> {
    const { services, state } = this.panel;
    try {
      const logs = await services.connections.logsFor(state.profile, state.region);
      const q = summaryQueries(state.rangeMinutes);
      const run = (queryString: string) => runQuery(logs, { logGroupName: this.logGroupName, queryString, startTime: startMs, endTime: endMs }, { isCancelled: () => token.stopped });
      const [timeline, denied, clients] = await Promise.all([run(q.timeline), run(q.topDenied), run(q.topClients)]);
      if (!token.current || [timeline, denied, clients].some((r) => r.status !== 'Complete')) return;
      this.lastSummary = {
        type: 'summary',
        runId: token.id,
        summary: {
          ...timelineSeries(timeline.rows, q.bin, startMs, endMs),
          binLabel: q.bin.label,
          topDenied: denied.rows.map((r) => ({ arn: r.arn ?? '', n: Number(r.n) || 0, first: r.first ?? '', last: r.last ?? '' })),
          topClients: clients.rows.map((r) => ({ client: r.client ?? '', n: Number(r.n) || 0 })),
          bytesScanned: timeline.stats.bytesScanned + denied.stats.bytesScanned + clients.stats.bytesScanned,
          rowsMoved: timeline.rows.length + denied.rows.length + clients.rows.length,
        },
      };
      await this.panel.host.post(this.lastSummary);
    } catch (e) {
      services.log.warn(`Summary of ${state.cluster} failed: ${(e as Error).message}`);
    }
  }

  /**
   * Every event of the range, in windows of fewer than 100,000 rows (the service's cap for one query), newest first,
   * up to 100,000 rows, with progress and Cancel. Rows are added to the panel as each window completes. The range
   * is the same, so the summary and its timeline stay.
   */
  fetchAll(): Promise<WindowedResult | undefined> {
    const { services, state } = this.panel;
    const summary = this.lastSummary;
    return this.withRun(vscode.l10n.t('Fetching every authenticator event of {0}', state.cluster), async (token, progress) => {
      const logs = await services.connections.logsFor(state.profile, state.region);
      const end = Date.now();
      const stats = { ...NO_STATS };
      void this.postResults(token.id, this.header('Running', stats), false, true);
      if (summary) {
        this.lastSummary = { ...summary, runId: token.id };
        void this.panel.host.post(this.lastSummary);
      }
      const window = async (from: number, to: number) => {
        const r = await runQuery(logs, { logGroupName: this.logGroupName, queryString: this.query, startTime: from, endTime: to, limit: MAX_QUERY_LIMIT }, { isCancelled: () => token.stopped });
        stats.recordsMatched += r.stats.recordsMatched;
        stats.recordsScanned += r.stats.recordsScanned;
        stats.bytesScanned += r.stats.bytesScanned;
        return r;
      };
      const result = await fetchInWindows(window, end - state.rangeMinutes * 60_000, end, MAX_QUERY_LIMIT, {
        maxRows: MAX_FETCHED_ROWS,
        minWindowMs: 60_000,
        isCancelled: () => token.stopped,
        onRows: (rows, p) => {
          if (!token.current) return;
          this.rows.append(rows);
          progress.report({ message: vscode.l10n.t('{0} rows from {1} windows', p.rows, p.windows) });
          void this.postResults(token.id, this.header('Running', stats), false, true);
        },
      });
      if (!token.current) return result;
      // A result that is not complete keeps the truncation notice: the panel never implies it has everything.
      await this.postResults(token.id, this.header(result.complete ? 'Complete' : 'Incomplete', stats, result.complete ? undefined : this.rows.all.length), true, true);
      if (!result.complete && result.reason !== 'cancelled') void vscode.window.showWarningMessage(vscode.l10n.t('Fetched {0} events in {1} windows, not all of them: {2}. Narrow the range to see the rest.', result.rows.length, result.windows, result.reason ?? ''));
      services.log.info(`Fetched ${result.rows.length} events of ${state.cluster} in ${result.windows} windows, ${stats.bytesScanned} bytes scanned${result.complete ? '' : `: ${result.reason}`}`);
      return result;
    });
  }

  /** The webview was reloaded and lost what it showed: the current run's rows, message and summary again. */
  async resend(): Promise<void> {
    const last = this.last;
    if (last?.type === 'results') {
      this.rows.resend();
      const token = { id: last.runId, current: true, stopped: false, cancel: () => undefined };
      await this.postResults(token.id, last.header, last.final, last.keepSummary);
    } else if (last) await this.panel.host.post(last);
    if (this.summary) await this.panel.host.post(this.lastSummary!);
  }

  /** The summary of the current run, once it has come. */
  get summary() {
    return this.lastSummary?.runId === this.panel.host.currentRunId ? this.lastSummary.summary : undefined;
  }

  /** What the last query scanned over its range and its summary, for the cost estimate of another range. */
  get bytesScanned(): number {
    return (this.last?.header?.bytesScanned ?? 0) + (this.summary?.bytesScanned ?? 0);
  }
}
