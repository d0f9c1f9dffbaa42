/**
 * The panel's markup, built here rather than sent by the host: the host page holds only the CSP and the resources.
 * Every id comes from IDS, shared with tests and the benchmark.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { IDS, type ElementId } from './protocol';

export const $ = <T extends HTMLElement>(id: ElementId) => document.getElementById(id) as T;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function withId<T extends HTMLElement>(e: T, id: ElementId, attrs: Record<string, string> = {}): T {
  e.id = id;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function button(id: ElementId, label: string, secondary = true): HTMLElement {
  const b = withId(document.createElement('vscode-button'), id);
  b.textContent = label;
  if (secondary) b.setAttribute('secondary', '');
  return b;
}

/** The grid's sortable columns, in order, with their headings. */
export const COLUMNS = [
  ['time', 'Time'],
  ['outcomeLabel', 'Outcome'],
  ['arn', 'Principal ARN'],
  ['username', 'Username'],
  ['groups', 'Groups'],
  ['client', 'Client'],
] as const;

export type SortKey = (typeof COLUMNS)[number][0];

/** Builds the page once, at start. */
export function buildView(): void {
  const header = el('header');
  header.append(withId(el('h1', '', 'Loading...'), IDS.title), withId(el('div'), IDS.meta));

  const toolbar = el('div', 'toolbar');
  const filter = withId(el('input'), IDS.filter, { type: 'search', placeholder: 'Filter rows', 'aria-label': 'Filter rows' });
  const tail = button(IDS.tail, 'Tail live');
  tail.setAttribute('aria-pressed', 'false');
  toolbar.append(
    button(IDS.rerun, 'Re-run', false),
    button(IDS.range, 'Change range'),
    button(IDS.editQuery, 'Edit query'),
    button(IDS.exportCsv, 'Export CSV'),
    button(IDS.exportJson, 'Export JSON'),
    tail,
    withId(el('span'), IDS.tailStatus, { role: 'status' }),
    filter,
    withId(el('span'), IDS.count, { 'aria-live': 'polite' }),
  );

  const chips = withId(el('div', 'toolbar chips'), IDS.chips, { role: 'group', 'aria-label': 'Outcome filters' });

  // The summary is compact (one line of counts and a short chart); the lists open on demand.
  const summary = withId(el('section'), IDS.summary, { 'aria-label': 'Summary of the range' });
  summary.hidden = true;
  const head = el('div', 'summary-head');
  const clear = withId(el('button', '', 'Show the whole range'), IDS.clearWindow);
  clear.hidden = true;
  head.append(withId(el('span'), IDS.summaryTitle), clear);
  const timeline = withId(el('div'), IDS.timeline, {
    tabindex: '0',
    role: 'slider',
    'aria-label': 'Granted and denied requests over time. Drag across it, or use the arrow keys (Shift to widen), to show the rows of an interval; Escape shows the whole range.',
  });
  const lists = el('details', 'summary-lists');
  const listBox = (title: string, id: ElementId) => {
    const box = el('div');
    box.append(el('h2', '', title), withId(el('ol'), id));
    return box;
  };
  lists.append(el('summary', '', 'Denied most and busiest clients'), listBox('Denied most', IDS.summaryDenied), listBox('Clients', IDS.summaryClients));
  summary.append(head, timeline, withId(el('div', 'timeline-status'), IDS.timelineStatus, { 'aria-live': 'polite' }), lists);

  const truncated = withId(el('div'), IDS.truncated, { role: 'status' });
  truncated.hidden = true;
  const error = withId(el('div'), IDS.error, { role: 'alert' });
  error.hidden = true;

  const grid = withId(el('div'), IDS.grid, { role: 'grid', 'aria-label': 'Authenticator log events', 'aria-rowcount': '1', 'aria-colcount': String(COLUMNS.length + 1) });
  const headRow = el('div', 'table-head');
  headRow.setAttribute('role', 'row');
  headRow.setAttribute('aria-rowindex', '1');
  for (const [key, label] of COLUMNS) {
    const cell = el('div', `head-${key}`);
    cell.setAttribute('role', 'columnheader');
    cell.dataset.sort = key;
    cell.setAttribute('aria-sort', 'none');
    const sort = el('button', 'sort', label);
    sort.type = 'button';
    cell.append(sort);
    headRow.append(cell);
  }
  const actions = el('div');
  actions.setAttribute('role', 'columnheader');
  actions.append(el('span', 'visually-hidden', 'Actions'));
  headRow.append(actions);
  const scroller = withId(el('div'), IDS.scroller, { role: 'rowgroup' });
  scroller.append(withId(el('div'), IDS.spacer, { role: 'presentation' }), withId(el('div'), IDS.rows, { role: 'presentation' }));
  grid.append(headRow, scroller);

  document.body.append(header, toolbar, chips, summary, withId(el('div'), IDS.topDenied), truncated, error, grid);
}
