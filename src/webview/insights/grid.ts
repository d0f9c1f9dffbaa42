/**
 * The rows as an ARIA grid, virtualised so 10,000 of them scroll smoothly and keyed by @ptr; column headers sort
 * from the keyboard. Every value from the logs goes into the DOM with textContent: log lines are attacker-controlled.
 */
import { OUTCOME_ADVICE } from '../../core/insights/parser';
import { parseInsightsTime } from '../../core/insights/summary';
import { IDS, type RowView } from './protocol';
import { model, persist, ui, vscode } from './state';
import { $, COLUMNS, el, type SortKey } from './view';

const ROW_HEIGHT = 26;
const DETAIL_HEIGHT = 140;
const OVERSCAN = 10;

const rowTime = (r: RowView) => parseInsightsTime(r.time);
/** `2026-12-01 09:00:00.000` (Insights' format) as `12-01 09:00:00`; anything else as it is. */
const shortTime = (t: string) => (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(t) ? t.slice(5, 19) : t);
/** Each row's text in lower case, made once per row rather than once per row per keystroke. */
const haystacks = new WeakMap<RowView, string>();
const haystack = (r: RowView) => {
  let h = haystacks.get(r);
  if (h === undefined) haystacks.set(r, (h = `${r.raw}\n${r.arn}`.toLowerCase()));
  return h;
};

/** Every row's index in the chosen sort order, sorted again only when the rows or the order change. */
let ordered: { of: RowView[]; key: SortKey; desc: boolean; order: number[] } | undefined;

function sortedOrder(): number[] {
  const { rows } = model;
  const key = ui.sortKey;
  if (ordered?.of !== rows || ordered.key !== key || ordered.desc !== ui.sortDesc) {
    const order = rows.map((_, i) => i);
    order.sort((a, b) => {
      const x = rows[a][key];
      const y = rows[b][key];
      const c = x < y ? -1 : x > y ? 1 : 0;
      return ui.sortDesc ? -c : c;
    });
    ordered = { of: rows, key, desc: ui.sortDesc, order };
  }
  return ordered.order;
}

/** The rows to show, in order: a filter keystroke is one pass over the rows, with no sort. */
export function computeView(): void {
  const { rows, timeWindow, hiddenOutcomes } = model;
  const needle = ui.filterText.toLowerCase();
  const view: number[] = [];
  for (const i of sortedOrder()) {
    const r = rows[i];
    if (timeWindow) {
      const t = rowTime(r);
      if (!(t >= timeWindow[0] && t < timeWindow[1])) continue;
    }
    if (!hiddenOutcomes.has(r.outcome) && (!needle || haystack(r).includes(needle))) view.push(i);
  }
  model.view = view;
  $(IDS.count).textContent = `${view.length} of ${rows.length} rows`;
  $(IDS.grid).setAttribute('aria-rowcount', String(view.length + 1));
}

export function renderSortState(): void {
  for (const [c] of COLUMNS) {
    const header = document.querySelector<HTMLElement>(`[role="columnheader"][data-sort="${c}"]`);
    header?.setAttribute('aria-sort', c === ui.sortKey ? (ui.sortDesc ? 'descending' : 'ascending') : 'none');
  }
}

function renderExplanation(ptr: string, into: HTMLElement) {
  const state = ui.explanations[ptr];
  if (!state) return;
  if (state.status === 'pending') {
    into.append(el('div', 'explaining', 'Explaining...'));
    return;
  }
  if (state.status === 'failed') {
    into.append(el('div', 'error-text', `Could not explain: ${state.error}`));
    return;
  }
  const e = state.explanation;
  into.append(el('div', 'verdict', e.verdict), el('div', '', `Compared ARN: ${e.comparedArn} · mode ${e.mode}`));
  for (const miss of e.nearMisses) into.append(el('div', 'near-miss', `Near miss: ${miss}`));
  if (e.fix) {
    const fix = e.fix;
    const button = el('button', 'primary', fix.label);
    button.addEventListener('click', () => vscode.postMessage({ type: 'fix', kind: fix.kind, principalArn: fix.principalArn }));
    into.append(button);
  }
  const full = el('button', 'link', 'Full explanation...');
  full.addEventListener('click', () => vscode.postMessage({ type: 'fix', kind: 'explainAccess', principalArn: e.principal }));
  into.append(full);
}

function requestExplanation(r: RowView) {
  const requestId = ui.nextRequestId++;
  ui.explanations[r.ptr] = { requestId, status: 'pending' };
  ui.expanded = r.ptr;
  persist();
  renderRows();
  vscode.postMessage({ type: 'explain', requestId, ptr: r.ptr });
}

function renderDetail(r: RowView): HTMLElement {
  const detail = el('div', 'detail');
  detail.setAttribute('role', 'row');
  const cell = el('div', 'detail-cell');
  cell.setAttribute('role', 'gridcell');
  cell.setAttribute('aria-colspan', String(COLUMNS.length + 1));
  cell.append(el('div', 'advice', OUTCOME_ADVICE[r.outcome] ?? ''));
  if (r.error) cell.append(el('div', 'error-text', `error: ${r.error}`));
  cell.append(el('pre', 'raw', r.raw));
  const slot = el('div', 'explanation');
  renderExplanation(r.ptr, slot);
  cell.append(slot);
  detail.append(cell);
  return detail;
}

export function renderRows(): void {
  const { rows, view } = model;
  const scroller = $(IDS.scroller);
  const expandedAt = ui.expanded === undefined ? -1 : view.findIndex((i) => rows[i].ptr === ui.expanded);
  $(IDS.spacer).style.height = `${view.length * ROW_HEIGHT + (expandedAt >= 0 ? DETAIL_HEIGHT : 0)}px`;
  const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(view.length, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW_HEIGHT) + OVERSCAN);
  const body = $(IDS.rows);
  body.replaceChildren();
  body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
  for (let v = first; v < last; v++) {
    const r = rows[view[v]];
    const tr = el('div', `row outcome-${r.outcome}`);
    tr.setAttribute('role', 'row');
    tr.setAttribute('aria-rowindex', String(v + 2));
    tr.dataset.ptr = r.ptr;
    for (const [c] of COLUMNS) {
      // The time without its year and milliseconds keeps the column narrow; the tooltip has it whole.
      const cell = el('div', `cell col-${c}`, c === 'time' ? shortTime(r.time) : r[c]);
      cell.setAttribute('role', 'gridcell');
      cell.title = r[c];
      tr.append(cell);
    }
    const actions = el('div', 'cell col-actions');
    actions.setAttribute('role', 'gridcell');
    const open = ui.expanded === r.ptr;
    const rawButton = el('button', 'link', open ? 'hide' : 'raw');
    rawButton.setAttribute('aria-expanded', String(open));
    rawButton.addEventListener('click', () => {
      ui.expanded = open ? undefined : r.ptr;
      persist();
      renderRows();
    });
    actions.append(rawButton);
    if (r.denied && r.arn) {
      const explain = el('button', 'link explain', 'Explain');
      explain.addEventListener('click', () => requestExplanation(r));
      actions.append(explain);
    }
    tr.append(actions);
    body.append(tr);
    if (open) body.append(renderDetail(r));
  }
}
