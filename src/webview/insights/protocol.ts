/** Messages between the troubleshooting panel and its webview; shared by both sides. */
import type { Explanation } from '../../core/insights/explain';
import type { Outcome } from '../../core/insights/parser';

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
  | { type: 'results'; header: Header; rows: RowView[]; final: boolean; advice: Record<string, string>; state: PanelState }
  | { type: 'error'; message: string; header?: Header }
  | { type: 'explanation'; index: number; explanation: Explanation };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'rerun' }
  | { type: 'changeRange' }
  | { type: 'editQuery' }
  | { type: 'export'; format: 'csv' | 'json' }
  | { type: 'explain'; index: number }
  | { type: 'fix'; kind: 'createAccessEntry' | 'openAwsAuth'; principalArn: string };
