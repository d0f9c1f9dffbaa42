/** Messages between the troubleshooting panel and its webview; shared by both sides. */
import type { AccessExplanation } from '../../core/access/explain';
import { OUTCOME_LABELS, parseAuthenticatorLine, type Outcome } from '../../core/insights/parser';
import type { RowWire } from '../../core/insights/rowStore';

export type { RowWire };

/**
 * The id of every element that the webview draws and tests and the benchmark find: one table, so a renamed element
 * cannot leave a caller looking for the old id.
 */
export const IDS = {
  title: 'title',
  meta: 'meta',
  rerun: 'rerun',
  range: 'range',
  editQuery: 'edit-query',
  exportCsv: 'export-csv',
  exportJson: 'export-json',
  tail: 'tail',
  tailStatus: 'tail-status',
  filter: 'filter',
  count: 'count',
  chips: 'chips',
  truncated: 'truncated',
  fetchAll: 'fetch-all',
  summary: 'summary',
  summaryTitle: 'summary-title',
  clearWindow: 'clear-window',
  timeline: 'timeline',
  timelineStatus: 'timeline-status',
  summaryDenied: 'summary-denied',
  summaryClients: 'summary-clients',
  topDenied: 'top-denied',
  error: 'error',
  grid: 'grid',
  scroller: 'scroller',
  spacer: 'spacer',
  rows: 'rows',
} as const;

export type ElementId = (typeof IDS)[keyof typeof IDS];

export interface RowView {
  /** The log event's @ptr: the row's identity across appends, re-renders and re-runs. */
  ptr: string;
  time: string;
  outcome: Outcome;
  outcomeLabel: string;
  /**
   * The authenticator said "access denied" (`msg="access denied"`): the summary's definition of a denial, so the
   * rows' counts and the summary's agree.
   */
  denied: boolean;
  arn: string;
  username: string;
  groups: string;
  client: string;
  error: string;
  raw: string;
}

/** One parser for both sides, so the panel and the host agree on every row. */
export function toRowView([timestamp, raw, ptr]: RowWire): RowView {
  const e = parseAuthenticatorLine(raw);
  return {
    ptr,
    time: timestamp || e.time || '',
    outcome: e.outcome,
    outcomeLabel: OUTCOME_LABELS[e.outcome],
    denied: e.message === 'access denied',
    arn: e.arn ?? '',
    username: e.username ?? '',
    groups: e.groups.join(', '),
    client: e.client ?? '',
    error: e.error ?? '',
    raw: e.raw,
  };
}

/** The server-side summary of the range: a timeline, the principals denied most, the clients that call most. */
export interface SummaryView {
  /** Start of each interval (epoch ms), and the granted and denied counts in it. */
  starts: number[];
  granted: number[];
  denied: number[];
  binLabel: string;
  topDenied: { arn: string; n: number; first: string; last: string }[];
  topClients: { client: string; n: number }[];
  /** What the summary queries scanned, the figure Logs Insights bills. */
  bytesScanned: number;
  /** Rows the three summary queries returned: what moved from the service for the whole range. */
  rowsMoved: number;
}

export interface Header {
  cluster: string;
  region: string;
  logGroup: string;
  range: string;
  status: string;
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
  mode?: string;
  /** The row query's limit: a final result with this many rows may be cut short. */
  limit?: number;
}

export interface PanelState {
  profile?: string;
  region: string;
  cluster: string;
  rangeMinutes: number;
}

/**
 * Every query run has an id. The host only posts for the current run, and the webview ignores a message whose run
 * is older than the newest it has seen: a run that Re-run replaced can never draw into the new one.
 */
export type HostMessage =
  /**
   * `append` adds rows to those already sent: while a query runs its results grow, so only the new ones travel
   * (rows are keyed by @ptr). `replace` starts over.
   */
  | {
      type: 'results';
      runId: number;
      mode: 'replace' | 'append';
      header: Header;
      rows: RowWire[];
      final: boolean;
      state: PanelState;
      /** The run covers the same range as the summary on screen (Fetch every event), which therefore stays. */
      keepSummary?: boolean;
    }
  | { type: 'error'; runId: number; message: string; header?: Header }
  | { type: 'summary'; runId: number; summary: SummaryView }
  /** The answer to the `explain` request with the same requestId, for the row with that @ptr. */
  | { type: 'explanation'; requestId: number; ptr: string; explanation?: AccessExplanation; error?: string }
  /** Live tail started or stopped; `message` says why it stopped when the user did not stop it. */
  | { type: 'tail'; running: boolean; message?: string }
  /** Events of the live tail, as they arrive; `sampled` when the service kept only 500 of a second's events. */
  | { type: 'tailRows'; rows: RowWire[]; sampled: boolean };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'rerun' }
  | { type: 'changeRange' }
  | { type: 'editQuery' }
  | { type: 'export'; format: 'csv' | 'json' }
  | { type: 'explain'; requestId: number; ptr: string }
  | { type: 'fix'; kind: 'createAccessEntry' | 'openAwsAuth' | 'explainAccess'; principalArn: string }
  | { type: 'tail'; on: boolean }
  /** Fetch every event of the range in windows under the service's row cap. */
  | { type: 'fetchAll' };
