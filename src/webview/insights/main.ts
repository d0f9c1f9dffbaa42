/**
 * The troubleshooting panel's browser code. Every value from the logs is put in the DOM with textContent: log
 * lines are attacker-controlled. Rows are virtualised so 10,000 of them scroll smoothly.
 */
import { toRowView, type HostMessage, type RowView, type WebviewMessage, type Header } from './protocol';

declare function acquireVsCodeApi(): { postMessage(m: WebviewMessage): void; setState(s: unknown): void; getState(): unknown };

const vscode = acquireVsCodeApi();
const ROW_HEIGHT = 26;
const OVERSCAN = 10;

let rows: RowView[] = [];
let view: number[] = [];
let advice: Record<string, string> = {};
let sortKey: keyof RowView = 'time';
let sortDesc = true;
let filterText = '';
const hiddenOutcomes = new Set<string>();
let expanded = -1;

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

function renderSummary() {
  const counts = new Map<string, number>();
  const denied = new Map<string, number>();
  for (const r of rows) {
    counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
    if (r.outcome !== 'granted' && r.outcome !== 'other' && r.arn) denied.set(r.arn, (denied.get(r.arn) ?? 0) + 1);
  }
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

function computeView() {
  const needle = filterText.toLowerCase();
  view = rows
    .map((_, i) => i)
    .filter((i) => !hiddenOutcomes.has(rows[i].outcome) && (!needle || rows[i].raw.toLowerCase().includes(needle) || rows[i].arn.toLowerCase().includes(needle)));
  view.sort((a, b) => {
    const x = rows[a][sortKey];
    const y = rows[b][sortKey];
    const c = x < y ? -1 : x > y ? 1 : 0;
    return sortDesc ? -c : c;
  });
  $('count').textContent = `${view.length} of ${rows.length} rows`;
}

const COLUMNS: (keyof RowView)[] = ['time', 'outcomeLabel', 'arn', 'username', 'groups', 'client'];

function renderRows() {
  const scroller = $('scroller');
  const spacer = $('spacer');
  const extra = expanded >= 0 ? 140 : 0;
  spacer.style.height = `${view.length * ROW_HEIGHT + extra}px`;
  const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(view.length, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW_HEIGHT) + OVERSCAN);
  const body = $('rows');
  body.replaceChildren();
  body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
  for (let v = first; v < last; v++) {
    const index = view[v];
    const r = rows[index];
    const tr = el('div', `row outcome-${r.outcome}`);
    tr.setAttribute('role', 'row');
    tr.dataset.index = String(index);
    for (const c of COLUMNS) {
      const cell = el('div', `cell col-${c}`, r[c]);
      cell.title = r[c];
      tr.append(cell);
    }
    const actions = el('div', 'cell col-actions');
    const rawButton = el('button', 'link', expanded === index ? 'hide' : 'raw');
    rawButton.addEventListener('click', () => {
      expanded = expanded === index ? -1 : index;
      renderRows();
    });
    actions.append(rawButton);
    if (r.outcome !== 'granted' && r.outcome !== 'other' && r.arn) {
      const explain = el('button', 'link explain', 'Explain');
      explain.addEventListener('click', () => vscode.postMessage({ type: 'explain', index }));
      actions.append(explain);
    }
    tr.append(actions);
    body.append(tr);
    if (expanded === index) {
      const detail = el('div', 'detail');
      detail.append(el('div', 'advice', advice[r.outcome] ?? ''));
      if (r.error) detail.append(el('div', 'error-text', `error: ${r.error}`));
      detail.append(el('pre', 'raw', r.raw));
      const slot = el('div', 'explanation');
      slot.id = `explanation-${index}`;
      detail.append(slot);
      body.append(detail);
    }
  }
}

function update() {
  computeView();
  renderSummary();
  renderRows();
}

function renderExplanation(index: number, e: import('../../core/access/explain').AccessExplanation) {
  expanded = index;
  renderRows();
  const slot = document.getElementById(`explanation-${index}`);
  if (!slot) return;
  slot.replaceChildren(el('div', 'verdict', e.verdict), el('div', '', `Compared ARN: ${e.comparedArn} · mode ${e.mode}`));
  for (const miss of e.nearMisses) slot.append(el('div', 'near-miss', `Near miss: ${miss}`));
  if (e.fix) {
    const fix = e.fix;
    const button = el('button', 'primary', fix.label);
    button.addEventListener('click', () => vscode.postMessage({ type: 'fix', kind: fix.kind, principalArn: fix.principalArn }));
    slot.append(button);
  }
  const full = el('button', 'link', 'Full explanation...');
  full.addEventListener('click', () => vscode.postMessage({ type: 'fix', kind: 'explainAccess', principalArn: e.principal }));
  slot.append(full);
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const m = event.data;
  if (m.type === 'results') {
    const receivedAt = Date.now();
    const incoming = m.rows.map(toRowView);
    rows = m.mode === 'append' ? rows.concat(incoming) : incoming;
    advice = m.advice;
    // The host restores the panel after a reload from this state.
    vscode.setState({ ...(vscode.getState() as object), ...m.state, filterText });
    renderHeader(m.header);
    $('error').textContent = '';
    $('error').hidden = true;
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
    if (m.header) renderHeader(m.header);
    $('error').textContent = m.message;
    $('error').hidden = false;
  } else if (m.type === 'explanation') {
    renderExplanation(m.index, m.explanation);
  }
});

function init() {
  const saved = vscode.getState() as { filterText?: string } | undefined;
  filterText = saved?.filterText ?? '';
  const filter = $<HTMLInputElement>('filter');
  filter.value = filterText;
  filter.addEventListener('input', () => {
    filterText = filter.value;
    vscode.setState({ ...(vscode.getState() as object), filterText });
    update();
  });
  for (const c of COLUMNS) {
    const header = document.querySelector<HTMLElement>(`[data-sort="${c}"]`);
    header?.addEventListener('click', () => {
      if (sortKey === c) sortDesc = !sortDesc;
      else {
        sortKey = c;
        sortDesc = false;
      }
      update();
    });
  }
  $('scroller').addEventListener('scroll', () => requestAnimationFrame(renderRows));
  $('rerun').addEventListener('click', () => vscode.postMessage({ type: 'rerun' }));
  $('range').addEventListener('click', () => vscode.postMessage({ type: 'changeRange' }));
  $('edit-query').addEventListener('click', () => vscode.postMessage({ type: 'editQuery' }));
  $('export-csv').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv' }));
  $('export-json').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'json' }));
  vscode.postMessage({ type: 'ready' });
}

init();
