/** Messages between the troubleshooting panel and its webview; shared by both sides. */
import type { AccessExplanation } from '../../core/access/explain';
import { OUTCOME_LABELS, parseAuthenticatorLine, type Outcome } from '../../core/insights/parser';

export interface RowView {
  time: string;
  outcome: Outcome;
  outcomeLabel: string;
  arn: string;
  username: string;
  groups: string;
  client: string;
  error: string;
  raw: string;
}

/**
 * Rows travel as their timestamp and raw log line only, and the webview parses them: sending every parsed field as
 * well doubles a 10,000-row message, and moving it dominates the time to show the rows.
 */
export type RowWire = [timestamp: string, raw: string, ptr: string];

/** One parser for both sides, so the panel and the host agree on every row. */
export function toRowView([timestamp, raw]: RowWire): RowView {
  const e = parseAuthenticatorLine(raw);
  return {
    time: timestamp || e.time || '',
    outcome: e.outcome,
    outcomeLabel: OUTCOME_LABELS[e.outcome],
    arn: e.arn ?? '',
    username: e.username ?? '',
    groups: e.groups.join(', '),
    client: e.client ?? '',
    error: e.error ?? '',
    raw: e.raw,
  };
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
}

export interface PanelState {
  profile?: string;
  region: string;
  cluster: string;
  rangeMinutes: number;
}

export type HostMessage =
  /**
   * `append` adds rows to those already sent: while a query runs its results grow, so only the new ones travel
   * (rows are keyed by @ptr). `replace` starts over.
   */
  | { type: 'results'; mode: 'replace' | 'append'; header: Header; rows: RowWire[]; final: boolean; advice: Record<string, string>; state: PanelState; completedAt?: number; webviewWaitMs?: number }
  | { type: 'error'; message: string; header?: Header }
  | { type: 'explanation'; index: number; explanation: AccessExplanation };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'rerun' }
  | { type: 'changeRange' }
  | { type: 'editQuery' }
  | { type: 'export'; format: 'csv' | 'json' }
  | { type: 'explain'; index: number }
  | { type: 'fix'; kind: 'createAccessEntry' | 'openAwsAuth' | 'explainAccess'; principalArn: string }
  /** Sent after the final rows are on screen: how long since the query completed. */
  | { type: 'rendered'; rows: number; ms: number };
