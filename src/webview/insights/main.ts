/**
 * The troubleshooting panel's browser code: it builds the page, then answers each host message through one handler
 * per message type. Every value from the logs is put in the DOM with textContent: log lines are attacker-controlled.
 */
import { OUTCOME_ADVICE, OUTCOME_LABELS, type Outcome } from '../../core/insights/parser';
import { formatBytes } from '../../core/insights/cost';
import { makeDispatcher, type HandlerMap } from '../../shared/dispatch';
import { computeView, renderRows, renderSortState } from './grid';
import { IDS, toRowView, type Header, type HostMessage } from './protocol';
import { model, persist, ui, vscode } from './state';
import { clearSelection, drawTimeline, fitTimeline } from './timeline';
import { $, buildView, COLUMNS, el, type SortKey } from './view';

const LIVE_ROWS_KEPT = 10_000;
const events = (n: number) => `${n} event${n === 1 ? '' : 's'}`;
let tailing = false;
let sampledSeen = false;

/** Timing marks for the benchmark (scripts/benchInsights.mjs), read with the Performance API: not in the protocol. */
const mark = (name: string) => performance.mark(`eksAuth.${name}`);

function renderHeader(h: Header) {
  $(IDS.title).textContent = `${h.cluster} (${h.region})`;
  const meta = $(IDS.meta);
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

/** The outcome counts and denied principals of the rows, counted again only when the rows change (not per keystroke). */
let tally: { of: unknown; counts: Map<Outcome, number>; denied: Map<string, number> } | undefined;

/** Outcome chips, named as the rows name outcomes, and the principals denied most among the rows. */
function renderChips() {
  if (tally?.of !== model.rows) {
    tally = { of: model.rows, counts: new Map(), denied: new Map() };
    for (const r of model.rows) {
      tally.counts.set(r.outcome, (tally.counts.get(r.outcome) ?? 0) + 1);
      // Counted as the summary's "Denied most" query counts: denied, with an ARN.
      if (r.denied && r.arn.startsWith('arn:')) tally.denied.set(r.arn, (tally.denied.get(r.arn) ?? 0) + 1);
    }
  }
  const { counts, denied } = tally;
  const chips = $(IDS.chips);
  chips.replaceChildren();
  for (const [outcome, n] of [...counts.entries()].sort((a, b) => b[1] - a[1])) {
    const off = model.hiddenOutcomes.has(outcome);
    const chip = el('button', `chip outcome-${outcome}${off ? ' off' : ''}`);
    chip.append(el('span', 'chip-dot'), el('span', '', `${OUTCOME_LABELS[outcome]} ${n}`));
    chip.setAttribute('aria-pressed', String(!off));
    chip.title = OUTCOME_ADVICE[outcome];
    chip.addEventListener('click', () => {
      if (off) model.hiddenOutcomes.delete(outcome);
      else model.hiddenOutcomes.add(outcome);
      update();
    });
    chips.append(chip);
  }
  const top = $(IDS.topDenied);
  top.replaceChildren();
  const list = [...denied.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  if (list.length) top.append(el('span', 'meta-key', 'Top denied in these rows: '));
  for (const [arn, n] of list) top.append(el('span', 'denied-principal', `${arn} (${n})`));
}

function update() {
  computeView();
  renderChips();
  renderSortState();
  renderRows();
}

function setWindow(w: [number, number] | undefined) {
  model.timeWindow = w;
  $(IDS.clearWindow).hidden = !w;
  update();
}

/** A final result that reached the query's limit may be cut short: say so, with the true counts. */
function renderLimit(header: Header, final: boolean) {
  const queryRows = model.rows.length - model.liveRows.length;
  const truncated = final && header.limit !== undefined && queryRows >= header.limit;
  const box = $(IDS.truncated);
  box.hidden = !truncated;
  box.replaceChildren();
  if (!truncated) return;
  const fetchAll = document.createElement('vscode-button');
  fetchAll.textContent = 'Fetch every event';
  fetchAll.id = IDS.fetchAll;
  fetchAll.title = 'Query the range again, split into windows when it holds 100,000 events or more, newest first, up to 100,000 events';
  fetchAll.addEventListener('click', () => vscode.postMessage({ type: 'fetchAll' }));
  const matched = header.recordsMatched > queryRows ? `${queryRows} of ${header.recordsMatched} records matched` : `the newest ${queryRows} events`;
  const summary = $(IDS.summary).hidden ? 'The summary, once it comes,' : 'The summary above';
  box.append(el('span', '', `Showing ${matched}: the query stopped at its limit of ${header.limit}, so this list is not complete. Narrow the range ("Change range"), raise eksAuth.insights.limit, or fetch them all. ${summary} counts the whole range. `), fetchAll);
}

let lastHeader: { header: Header; final: boolean } | undefined;

const handlers: HandlerMap<HostMessage> = {
  results(m) {
    const receivedAt = performance.now();
    const incoming = m.rows.map(toRowView);
    model.rows = m.mode === 'append' ? model.rows.concat(incoming) : incoming.concat(model.liveRows);
    // The host restores the panel after a reload from this state.
    model.panelState = m.state;
    persist();
    renderHeader(m.header);
    $(IDS.error).textContent = '';
    $(IDS.error).hidden = true;
    if (m.mode === 'replace' && !m.final && !m.keepSummary) {
      $(IDS.summary).hidden = true;
      $(IDS.topDenied).hidden = false;
      clearSelection();
      setWindow(undefined);
    }
    lastHeader = { header: m.header, final: m.final };
    renderLimit(m.header, m.final);
    update();
    if (m.final) {
      performance.mark('eksAuth.rows.received', { startTime: receivedAt });
      requestAnimationFrame(() => mark('rows.drawn'));
    }
  },
  error(m) {
    if (m.header) renderHeader(m.header);
    $(IDS.error).textContent = m.message;
    $(IDS.error).hidden = false;
  },
  summary({ summary: s }) {
    $(IDS.summary).hidden = false;
    // The service's list of the principals denied most replaces the one counted from the rows, which may be cut short.
    $(IDS.topDenied).hidden = true;
    const granted = s.granted.reduce((t, n) => t + n, 0);
    const denied = s.denied.reduce((t, n) => t + n, 0);
    $(IDS.summaryTitle).textContent = `Whole range, on the service: ${granted} granted, ${denied} denied, per ${s.binLabel} · ${formatBytes(s.bytesScanned)} scanned by the summary, ${s.rowsMoved} rows moved`;
    const list = (id: typeof IDS.summaryDenied | typeof IDS.summaryClients, items: string[]) => $(id).replaceChildren(...items.map((t) => el('li', '', t)));
    list(IDS.summaryDenied, s.topDenied.map((d) => `${d.arn} · ${d.n} · first ${d.first} · last ${d.last}`));
    list(IDS.summaryClients, s.topClients.map((c) => `${c.client || '(no client)'} · ${c.n}`));
    drawTimeline(s, setWindow);
    // A new chart has no selection, so no interval narrows the rows either.
    if (model.timeWindow) setWindow(undefined);
    if (lastHeader) renderLimit(lastHeader.header, lastHeader.final);
    requestAnimationFrame(() => mark('summary.drawn'));
  },
  explanation(m) {
    // Only the latest request for that row counts: an earlier, slower answer must not replace it.
    if (ui.explanations[m.ptr]?.requestId !== m.requestId) return;
    ui.explanations[m.ptr] = m.explanation ? { requestId: m.requestId, status: 'done', explanation: m.explanation } : { requestId: m.requestId, status: 'failed', error: m.error ?? 'no answer' };
    persist();
    renderRows();
  },
  tail(m) {
    tailing = m.running;
    const button = $(IDS.tail);
    button.textContent = m.running ? 'Stop tail' : 'Tail live';
    button.setAttribute('aria-pressed', String(m.running));
    if (m.running) sampledSeen = false;
    const n = model.liveRows.length;
    $(IDS.tailStatus).textContent = m.running ? `Live: ${events(n)}` : (m.message ?? (n ? `Live tail stopped after ${events(n)}` : ''));
  },
  tailRows(m) {
    const incoming = m.rows.map(toRowView);
    model.liveRows = model.liveRows.concat(incoming);
    const dropped = model.liveRows.length > LIVE_ROWS_KEPT ? model.liveRows.splice(0, model.liveRows.length - LIVE_ROWS_KEPT) : [];
    const gone = new Set(dropped.map((r) => r.ptr));
    model.rows = (gone.size ? model.rows.filter((r) => !gone.has(r.ptr)) : model.rows).concat(incoming);
    sampledSeen ||= m.sampled;
    $(IDS.tailStatus).textContent = `Live: ${events(model.liveRows.length)}${sampledSeen ? ' (sampled by CloudWatch Logs: more than 500 a second)' : ''}`;
    update();
  },
};

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
  buildView();
  const filter = $<HTMLInputElement>(IDS.filter);
  filter.value = ui.filterText;
  filter.addEventListener('input', () => {
    ui.filterText = filter.value;
    persist();
    update();
  });
  for (const [c] of COLUMNS) document.querySelector<HTMLButtonElement>(`[role="columnheader"][data-sort="${c}"] button`)?.addEventListener('click', () => sortBy(c));
  renderSortState();
  $(IDS.scroller).addEventListener('scroll', () => requestAnimationFrame(renderRows));
  $(IDS.clearWindow).addEventListener('click', () => {
    clearSelection();
    setWindow(undefined);
  });
  window.addEventListener('resize', () => requestAnimationFrame(() => (fitTimeline(), renderRows())));
  $(IDS.rerun).addEventListener('click', () => vscode.postMessage({ type: 'rerun' }));
  $(IDS.tail).addEventListener('click', () => vscode.postMessage({ type: 'tail', on: !tailing }));
  $(IDS.range).addEventListener('click', () => vscode.postMessage({ type: 'changeRange' }));
  $(IDS.editQuery).addEventListener('click', () => vscode.postMessage({ type: 'editQuery' }));
  $(IDS.exportCsv).addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv' }));
  $(IDS.exportJson).addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'json' }));
  const dispatch = makeDispatcher(handlers);
  window.addEventListener('message', (event: MessageEvent<unknown>) => dispatch(event.data));
  mark('ready');
  vscode.postMessage({ type: 'ready' });
}

init();
