/**
 * The summary's timeline, drawn with uPlot in the theme's colours. Dragging across it, or the arrow keys on it,
 * choose an interval whose rows alone are shown: Left/Right move a one-interval selection, Shift widens it,
 * Home/End jump to either end, Escape shows the whole range again.
 */
import uPlot from 'uplot';
import { IDS, type SummaryView } from './protocol';
import { $ } from './view';

/** Whole numbers of events on the count axis. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];
const HEIGHT = 110;

const css = (name: string, fallback: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
const clock = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

let chart: uPlot | undefined;
let starts: number[] = [];
let binMs = 60_000;
/** The keyboard selection, as interval indexes (inclusive). */
let keys: { from: number; to: number } | undefined;
let choose: (w: [number, number] | undefined) => void = () => undefined;

function announce(w: [number, number] | undefined) {
  const text = w ? `Showing ${clock(w[0])} to ${clock(w[1])} UTC` : '';
  $(IDS.timelineStatus).textContent = text;
  $(IDS.timeline).setAttribute('aria-valuetext', text || 'the whole range');
}

/** Selects intervals from..to on the chart as a drag would, and shows their rows. */
function selectBins(from: number, to: number) {
  keys = { from, to };
  const timeline = $(IDS.timeline);
  timeline.setAttribute('aria-valuenow', String(to));
  if (chart) {
    const left = chart.valToPos(starts[from] / 1000, 'x');
    const right = chart.valToPos((starts[to] + binMs) / 1000, 'x');
    chart.setSelect({ left, top: 0, width: Math.max(2, right - left), height: chart.over.clientHeight }, false);
  }
  const w: [number, number] = [starts[from], starts[to] + binMs];
  announce(w);
  choose(w);
}

export function clearSelection(): void {
  keys = undefined;
  chart?.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  announce(undefined);
}

function onKey(e: KeyboardEvent) {
  const last = starts.length - 1;
  if (last < 0) return;
  const at = keys ?? { from: last, to: last };
  const step = (i: number, d: number) => Math.min(last, Math.max(0, i + d));
  let next: { from: number; to: number } | undefined;
  if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
    const d = e.key === 'ArrowLeft' ? -1 : 1;
    if (!keys) next = at;
    else if (e.shiftKey) next = d < 0 ? { from: step(at.from, -1), to: at.to } : { from: at.from, to: step(at.to, 1) };
    else next = { from: step(at.from, d), to: step(at.from, d) };
  } else if (e.key === 'Home') next = { from: 0, to: e.shiftKey ? at.to : 0 };
  else if (e.key === 'End') next = { from: e.shiftKey ? at.from : last, to: last };
  else if (e.key === 'Escape' && keys) {
    clearSelection();
    choose(undefined);
  } else return;
  e.preventDefault();
  if (next) selectBins(next.from, next.to);
}

/** Draws the timeline; `onWindow` gets the chosen interval (epoch ms), or undefined for the whole range. */
export function drawTimeline(s: SummaryView, onWindow: (w: [number, number] | undefined) => void): void {
  choose = onWindow;
  starts = s.starts;
  binMs = starts.length > 1 ? starts[1] - starts[0] : 60_000;
  keys = undefined;
  chart?.destroy();
  const host = $(IDS.timeline);
  host.replaceChildren();
  host.setAttribute('aria-valuemin', '0');
  host.setAttribute('aria-valuemax', String(Math.max(0, starts.length - 1)));
  if (!host.dataset.keys) {
    host.dataset.keys = 'on';
    host.addEventListener('keydown', onKey);
  }
  announce(undefined);
  const axis = { stroke: css('--vscode-foreground', '#ccc'), grid: { stroke: css('--vscode-editorGroup-border', '#444') } };
  chart = new uPlot(
    {
      width: Math.max(240, host.clientWidth || 600),
      height: HEIGHT,
      // The selection stays drawn over the whole range (no zoom), so the user sees which interval the rows are from.
      cursor: { drag: { x: true, y: false, setScale: false } },
      legend: { show: true },
      axes: [axis, { ...axis, incrs: COUNT_STEPS, size: 40 }],
      series: [{}, { label: 'granted', stroke: css('--vscode-charts-green', '#89d185'), width: 2 }, { label: 'denied', stroke: css('--vscode-charts-red', '#f14c4c'), width: 2 }],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const w: [number, number] = [u.posToVal(u.select.left, 'x') * 1000, u.posToVal(u.select.left + u.select.width, 'x') * 1000];
            keys = undefined;
            announce(w);
            choose(w);
          },
        ],
      },
    },
    [s.starts.map((t) => t / 1000), s.granted, s.denied],
    host,
  );
}

/** Keeps the chart as wide as its box when the editor is resized. */
export function fitTimeline(): void {
  const host = $(IDS.timeline);
  if (chart && host.clientWidth && Math.abs(chart.width - host.clientWidth) > 4) chart.setSize({ width: host.clientWidth, height: HEIGHT });
}
