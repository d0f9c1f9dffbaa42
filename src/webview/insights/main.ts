/**
 * The troubleshooting panel's browser code. Every value from the logs is put in the DOM with textContent: log
 * lines are attacker-controlled. Rows are virtualised so 10,000 of them scroll smoothly, keyed by @ptr, and the
 * table is an ARIA grid whose column headers sort from the keyboard. What the user opened and asked for (the
 * expanded row, its explanation, filter and sort) lives in the webview state, so re-rendering, scrolling and a
 * window reload keep it.
 */
// Native-looking, accessible buttons: @vscode-elements/elements, the maintained successor of the webview UI toolkit.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import uPlot from 'uplot';
import type { AccessExplanation } from '../../core/access/explain';
import { formatBytes } from '../../core/insights/cost';
import { parseInsightsTime } from '../../core/insights/summary';
import { toRowView, type Header, type HostMessage, type PanelState, type RowView, type SummaryView, type WebviewMessage } from './protocol';

declare function acquireVsCodeApi(): { postMessage(m: WebviewMessage): void; setState(s: unknown): void; getState(): unknown };

const vscode = acquireVsCodeApi();
const ROW_HEIGHT = 26;
const DETAIL_HEIGHT = 140;
const OVERSCAN = 10;
/** Explanations kept in the state; older ones are dropped first. */
const KEPT_EXPLANATIONS = 50;

type SortKey = 'time' | 'outcomeLabel' | 'arn' | 'username' | 'groups' | 'client';
type ExplanationState = { requestId: number; status: 'pending' } | { requestId: number; status: 'done'; explanation: AccessExplanation } | { requestId: number; status: 'failed'; error: string };

interface ViewState {
  filterText: string;
  sortKey: SortKey;
  sortDesc: boolean;
  /** The @ptr of the row whose details are open. */
  expanded?: string;
  explanations: Record<string, ExplanationState>;
  nextRequestId: number;
}

const saved = (vscode.getState() ?? {}) as Partial<ViewState> & Partial<PanelState>;
const ui: ViewState = {
  filterText: saved.filterText ?? '',
  sortKey: saved.sortKey ?? 'time',
  sortDesc: saved.sortDesc ?? true,
  expanded: saved.expanded,
  explanations: saved.explanations ?? {},
  nextRequestId: saved.nextRequestId ?? 1,
};
let panelState: Partial<PanelState> = { profile: saved.profile, region: saved.region, cluster: saved.cluster, rangeMinutes: saved.rangeMinutes };

let rows: RowView[] = [];
/** Rows of the live tail: kept when a re-run replaces the query's rows. */
let liveRows: RowView[] = [];
const LIVE_ROWS_KEPT = 10_000;
let tailing = false;
const events = (n: number) => `${n} event${n === 1 ? '' : 's'}`;
let sampledSeen = false;
/** The interval chosen on the timeline (epoch ms), or none: the whole range. */
let timeWindow: [number, number] | undefined;
let chart: uPlot | undefined;
let view: number[] = [];
let advice: Record<string, string> = {};
/** The newest query run seen: messages of older runs are stale. */
let runId = 0;
const hiddenOutcomes = new Set<string>();

function persist() {
  // Pending requests die with the webview: after a reload only finished explanations are worth restoring.
  const explanations = Object.fromEntries(Object.entries(ui.explanations).filter(([, e]) => e.status !== 'pending').slice(-KEPT_EXPLANATIONS));
  vscode.setState({ ...panelState, ...ui, explanations });
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function renderHeader(h: Header) {
  $('title').textContent = `${h.cluster} (${h.region})`;
  const meta = $('meta');
  meta.replaceChildren();
  for (const [k, v] of [
    ['log group', h.logGroup],
    ['range', h.range],
    ['status', h.status],
    ['mode', h.mode ?? 'unknown'],
    ['records matched', String(h.recordsMatched)],
    ['records scanned', String(h.recordsScanned)],
    ['bytes scanned', String(h.bytesScanned)],
  ]) {
    const item = el('span', 'meta-item');
    item.append(el('span', 'meta-key', `${k}: `), el('span', 'meta-value', v));
    meta.append(item);
  }
}

/** The outcome counts and denied principals of `rows`, counted again only when the rows change (not per keystroke). */
let tally: { of: RowView[]; counts: Map<string, number>; denied: Map<string, number> } | undefined;

function renderSummary() {
  if (tally?.of !== rows) {
    tally = { of: rows, counts: new Map(), denied: new Map() };
    for (const r of rows) {
      tally.counts.set(r.outcome, (tally.counts.get(r.outcome) ?? 0) + 1);
      if (r.outcome !== 'granted' && r.outcome !== 'other' && r.arn) tally.denied.set(r.arn, (tally.denied.get(r.arn) ?? 0) + 1);
    }
  }
  const { counts, denied } = tally;
  const chips = $('chips');
  chips.replaceChildren();
  for (const [outcome, n] of [...counts.entries()].sort((a, b) => b[1] - a[1])) {
    const chip = el('button', `chip outcome-${outcome}${hiddenOutcomes.has(outcome) ? ' off' : ''}`, `${outcome} ${n}`);
    chip.setAttribute('aria-pressed', String(!hiddenOutcomes.has(outcome)));
    chip.title = advice[outcome] ?? '';
    chip.addEventListener('click', () => {
      if (hiddenOutcomes.has(outcome)) hiddenOutcomes.delete(outcome);
      else hiddenOutcomes.add(outcome);
      update();
    });
    chips.append(chip);
  }
  const top = $('top-denied');
  top.replaceChildren();
  const list = [...denied.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  if (list.length) top.append(el('span', 'meta-key', 'Top denied: '));
  for (const [arn, n] of list) top.append(el('span', 'denied-principal', `${arn} (${n})`));
}

const rowTime = (r: RowView) => parseInsightsTime(r.time);
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
function computeView() {
  const needle = ui.filterText.toLowerCase();
  view = [];
  for (const i of sortedOrder()) {
    const r = rows[i];
    if (timeWindow) {
      const t = rowTime(r);
      if (!(t >= timeWindow[0] && t < timeWindow[1])) continue;
    }
    if (!hiddenOutcomes.has(r.outcome) && (!needle || haystack(r).includes(needle))) view.push(i);
  }
  $('count').textContent = `${view.length} of ${rows.length} rows`;
  $('grid').setAttribute('aria-rowcount', String(view.length + 1));
}

const COLUMNS: SortKey[] = ['time', 'outcomeLabel', 'arn', 'username', 'groups', 'client'];

function renderSortState() {
  for (const c of COLUMNS) {
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

function renderRows() {
  const scroller = $('scroller');
  const spacer = $('spacer');
  const expandedAt = ui.expanded === undefined ? -1 : view.findIndex((i) => rows[i].ptr === ui.expanded);
  spacer.style.height = `${view.length * ROW_HEIGHT + (expandedAt >= 0 ? DETAIL_HEIGHT : 0)}px`;
  const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(view.length, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW_HEIGHT) + OVERSCAN);
  const body = $('rows');
  body.replaceChildren();
  body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
  for (let v = first; v < last; v++) {
    const r = rows[view[v]];
    const tr = el('div', `row outcome-${r.outcome}`);
    tr.setAttribute('role', 'row');
    tr.setAttribute('aria-rowindex', String(v + 2));
    tr.dataset.ptr = r.ptr;
    for (const c of COLUMNS) {
      const cell = el('div', `cell col-${c}`, r[c]);
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
    if (r.outcome !== 'granted' && r.outcome !== 'other' && r.arn) {
      const explain = el('button', 'link explain', 'Explain');
      explain.addEventListener('click', () => requestExplanation(r));
      actions.append(explain);
    }
    tr.append(actions);
    body.append(tr);
    if (open) {
      const detail = el('div', 'detail');
      detail.setAttribute('role', 'row');
      const cell = el('div', 'detail-cell');
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-colspan', String(COLUMNS.length + 1));
      cell.append(el('div', 'advice', advice[r.outcome] ?? ''));
      if (r.error) cell.append(el('div', 'error-text', `error: ${r.error}`));
      cell.append(el('pre', 'raw', r.raw));
      const slot = el('div', 'explanation');
      renderExplanation(r.ptr, slot);
      cell.append(slot);
      detail.append(cell);
      body.append(detail);
    }
  }
}

function update() {
  computeView();
  renderSummary();
  renderSortState();
  renderRows();
}

const css = (name: string, fallback: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

function setWindow(w: [number, number] | undefined) {
  timeWindow = w;
  $('clear-window').hidden = !w;
  update();
}

/** Whole numbers of events on the count axis. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

/** The timeline, drawn with uPlot in the theme's colours; dragging across it shows only that interval's rows. */
function renderRangeSummary(s: SummaryView) {
  const section = $('summary');
  section.hidden = false;
  // The service's list of the principals denied most replaces the one counted from the rows, which may be cut short.
  $('top-denied').hidden = true;
  const granted = s.granted.reduce((t, n) => t + n, 0);
  const denied = s.denied.reduce((t, n) => t + n, 0);
  $('summary-title').textContent = `Whole range, on the service: ${granted} granted, ${denied} denied, per ${s.binLabel} · ${formatBytes(s.bytesScanned)} scanned by the summary, ${s.rowsMoved} rows moved`;
  const list = (id: string, items: string[]) => $(id).replaceChildren(...items.map((t) => el('li', '', t)));
  list('summary-denied', s.topDenied.map((d) => `${d.arn} · ${d.n} · first ${d.first} · last ${d.last}`));
  list('summary-clients', s.topClients.map((c) => `${c.client || '(no client)'} · ${c.n}`));
  chart?.destroy();
  const host = $('timeline');
  host.replaceChildren();
  chart = new uPlot(
    {
      width: Math.max(300, host.clientWidth || 600),
      height: 150,
      // The selection stays drawn over the whole range (no zoom), so the user sees which interval the rows are from.
      cursor: { drag: { x: true, y: false, setScale: false } },
      legend: { show: true },
      axes: [{ stroke: css('--vscode-foreground', '#ccc'), grid: { stroke: css('--vscode-editorGroup-border', '#444') } }, { stroke: css('--vscode-foreground', '#ccc'), grid: { stroke: css('--vscode-editorGroup-border', '#444') }, incrs: COUNT_STEPS }],
      series: [
        {},
        { label: 'granted', stroke: css('--vscode-charts-green', '#89d185'), width: 2 },
        { label: 'denied', stroke: css('--vscode-charts-red', '#f14c4c'), width: 2 },
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const from = u.posToVal(u.select.left, 'x') * 1000;
            const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            setWindow([from, to]);
          },
        ],
      },
    },
    [s.starts.map((t) => t / 1000), s.granted, s.denied],
    host,
  );
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const m = event.data;
  if ((m.type === 'results' || m.type === 'error' || m.type === 'summary') && m.runId < runId) return;
  if (m.type === 'summary') {
    renderRangeSummary(m.summary);
    // For the benchmark: how long after the summary queries completed the chart was on screen.
    requestAnimationFrame(() => ($('summary').dataset.renderMs = String(Date.now() - m.completedAt)));
    return;
  }
  if (m.type === 'tail') {
    tailing = m.running;
    const button = $('tail');
    button.textContent = m.running ? 'Stop tail' : 'Tail live';
    button.setAttribute('aria-pressed', String(m.running));
    if (m.running) sampledSeen = false;
    $('tail-status').textContent = m.running ? `Live: ${events(liveRows.length)}` : m.message ?? (liveRows.length ? `Live tail stopped after ${events(liveRows.length)}` : '');
    return;
  }
  if (m.type === 'tailRows') {
    const incoming = m.rows.map(toRowView);
    liveRows = liveRows.concat(incoming);
    const dropped = liveRows.length > LIVE_ROWS_KEPT ? liveRows.splice(0, liveRows.length - LIVE_ROWS_KEPT) : [];
    const gone = new Set(dropped.map((r) => r.ptr));
    rows = (gone.size ? rows.filter((r) => !gone.has(r.ptr)) : rows).concat(incoming);
    sampledSeen ||= m.sampled;
    $('tail-status').textContent = `Live: ${events(liveRows.length)}${sampledSeen ? ' (sampled by CloudWatch Logs: more than 500 a second)' : ''}`;
    update();
    return;
  }
  if (m.type === 'results') {
    runId = m.runId;
    const receivedAt = Date.now();
    const incoming = m.rows.map(toRowView);
    rows = m.mode === 'append' ? rows.concat(incoming) : incoming.concat(liveRows);
    advice = m.advice;
    // The host restores the panel after a reload from this state.
    panelState = m.state;
    persist();
    renderHeader(m.header);
    $('error').textContent = '';
    $('error').hidden = true;
    // A result that reached the query's limit may be cut short: never let it look complete.
    const truncated = m.final && m.header.limit !== undefined && rows.length - liveRows.length >= m.header.limit;
    $('truncated').hidden = !truncated;
    $('truncated').replaceChildren();
    if (truncated) {
      const fetchAll = document.createElement('vscode-button');
      fetchAll.textContent = 'Fetch every event';
      fetchAll.id = 'fetch-all';
      fetchAll.title = 'Query the range again, split into windows when it holds 100,000 events or more, newest first, up to 100,000 events';
      fetchAll.addEventListener('click', () => vscode.postMessage({ type: 'fetchAll' }));
      $('truncated').append(el('span', '', `Showing the newest ${rows.length - liveRows.length} events: the query stopped at its limit of ${m.header.limit}, so this list is not complete. Narrow the range ("Change range"), raise eksAuth.insights.limit, or fetch them all; the summary above counts the whole range. `), fetchAll);
    }
    if (m.mode === 'replace' && !m.final) {
      $('summary').hidden = true;
      $('top-denied').hidden = false;
      setWindow(undefined);
    }
    update();
    const completedAt = m.completedAt;
    if (m.final && completedAt) {
      requestAnimationFrame(() => {
        const ms = Date.now() - completedAt;
        $('count').dataset.renderMs = String(ms);
        $('count').dataset.transferMs = String(receivedAt - completedAt);
        $('count').dataset.webviewWaitMs = String(m.webviewWaitMs ?? 0);
        vscode.postMessage({ type: 'rendered', rows: rows.length, ms });
      });
    }
  } else if (m.type === 'error') {
    runId = m.runId;
    if (m.header) renderHeader(m.header);
    $('error').textContent = m.message;
    $('error').hidden = false;
  } else if (m.type === 'explanation') {
    // Only the latest request for that row counts: an earlier, slower answer must not replace it.
    if (ui.explanations[m.ptr]?.requestId !== m.requestId) return;
    ui.explanations[m.ptr] = m.explanation ? { requestId: m.requestId, status: 'done', explanation: m.explanation } : { requestId: m.requestId, status: 'failed', error: m.error ?? 'no answer' };
    persist();
    renderRows();
  }
});

function sortBy(c: SortKey) {
  if (ui.sortKey === c) ui.sortDesc = !ui.sortDesc;
  else {
    ui.sortKey = c;
    ui.sortDesc = false;
  }
  persist();
  update();
}

function init() {
  const filter = $<HTMLInputElement>('filter');
  filter.value = ui.filterText;
  filter.addEventListener('input', () => {
    ui.filterText = filter.value;
    persist();
    update();
  });
  for (const c of COLUMNS) document.querySelector<HTMLButtonElement>(`[role="columnheader"][data-sort="${c}"] button`)?.addEventListener('click', () => sortBy(c));
  renderSortState();
  $('scroller').addEventListener('scroll', () => requestAnimationFrame(renderRows));
  $('clear-window').addEventListener('click', () => {
    chart?.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    setWindow(undefined);
  });
  $('rerun').addEventListener('click', () => vscode.postMessage({ type: 'rerun' }));
  $('tail').addEventListener('click', () => vscode.postMessage({ type: 'tail', on: !tailing }));
  $('range').addEventListener('click', () => vscode.postMessage({ type: 'changeRange' }));
  $('edit-query').addEventListener('click', () => vscode.postMessage({ type: 'editQuery' }));
  $('export-csv').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv' }));
  $('export-json').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'json' }));
  vscode.postMessage({ type: 'ready' });
}

init();
