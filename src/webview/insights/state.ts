/**
 * The webview's state. What the user opened and asked for (the expanded row, its explanation, filter and sort)
 * persists in the webview state, so re-rendering, scrolling and a window reload keep it; the rows do not.
 */
import type { AccessExplanation } from '../../core/access/explain';
import type { PanelState, RowView, WebviewMessage } from './protocol';
import type { SortKey } from './view';

declare function acquireVsCodeApi(): { postMessage(m: WebviewMessage): void; setState(s: unknown): void; getState(): unknown };

export const vscode = acquireVsCodeApi();

/** Explanations kept in the state; older ones are dropped first. */
const KEPT_EXPLANATIONS = 50;

export type ExplanationState = { requestId: number; status: 'pending' } | { requestId: number; status: 'done'; explanation: AccessExplanation } | { requestId: number; status: 'failed'; error: string };

export interface ViewState {
  filterText: string;
  sortKey: SortKey;
  sortDesc: boolean;
  /** The @ptr of the row whose details are open. */
  expanded?: string;
  explanations: Record<string, ExplanationState>;
  nextRequestId: number;
}

const saved = (vscode.getState() ?? {}) as Partial<ViewState> & Partial<PanelState>;

export const ui: ViewState = {
  filterText: saved.filterText ?? '',
  sortKey: saved.sortKey ?? 'time',
  sortDesc: saved.sortDesc ?? true,
  expanded: saved.expanded,
  explanations: saved.explanations ?? {},
  nextRequestId: saved.nextRequestId ?? 1,
};

/** The rows and what narrows them; not persisted. */
export const model = {
  panelState: { profile: saved.profile, region: saved.region, cluster: saved.cluster, rangeMinutes: saved.rangeMinutes } as Partial<PanelState>,
  /** The query's rows, then the live tail's. */
  rows: [] as RowView[],
  /** Rows of the live tail: kept when a re-run replaces the query's rows. */
  liveRows: [] as RowView[],
  /** Indexes into `rows` of the rows shown, in order. */
  view: [] as number[],
  /** The interval chosen on the timeline (epoch ms), or none: the whole range. */
  timeWindow: undefined as [number, number] | undefined,
  hiddenOutcomes: new Set<string>(),
};

export function persist(): void {
  // Pending requests die with the webview: after a reload only finished explanations are worth restoring.
  const explanations = Object.fromEntries(Object.entries(ui.explanations).filter(([, e]) => e.status !== 'pending').slice(-KEPT_EXPLANATIONS));
  vscode.setState({ ...model.panelState, ...ui, explanations });
}
