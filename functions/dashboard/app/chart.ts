/**
 * A metric's daily series as a uPlot chart, annotated automatically: every experiment's window is a
 * shaded band labelled with its name and verdict, its baseline period is marked, and the
 * counterfactual (what the window was expected to show without the experiment, with its 95 % band)
 * is drawn across the window next to what it actually showed. Nobody adds annotations by hand.
 * Colours come from the page's CSS variables, so the chart follows light and dark mode.
 */
import uPlot from 'uplot';
import { h } from './dom';
import { formatValue } from './format';

export type AnnotationKind = 'keep' | 'discard' | 'running' | 'planned' | 'abandoned';

export interface ChartAnnotation {
  id: string;
  name: string;
  kind: AnnotationKind;
  /** Short verdict text drawn on the band: "KEEP +42 %", "RUNNING · 12 d left". */
  label: string;
  /** Unix seconds; end exclusive. */
  window: { start: number; end: number };
  baseline?: { start: number; end: number };
  /** Per-day values in the metric's unit. */
  counterfactual?: { expected: number; lower: number; upper: number; observed: number | null };
}

export interface MetricChartInput {
  title: string;
  unit?: string;
  /** UTC dates (YYYY-MM-DD) and values; null is a gap. */
  points: readonly { date: string; value: number | null }[];
  annotations: readonly ChartAnnotation[];
  /** Visible x range in unix seconds. */
  range: { from: number; to: number };
  now: number;
  /** 'detail' draws baselines as full-height bands (one experiment); 'overview' as strips along the bottom. */
  mode: 'overview' | 'detail';
  height?: number;
  onSelect?: (annotation: ChartAnnotation) => void;
}

const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const monthOnly = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });

/** "5 Sep" for day and week ticks, "Sep" for month ticks (UTC, like the data). */
function axisDate(seconds: number, incrSeconds: number): string {
  const d = new Date(seconds * 1000);
  return incrSeconds >= 28 * 86_400 ? monthOnly.format(d) : dayMonth.format(d);
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function kindColor(kind: AnnotationKind): string {
  return cssVar(`--${kind}`);
}

/** Trailing 7-day mean of the measured days (null until 4 of the 7 are measured). */
export function trailingMean(values: readonly (number | null)[], days = 7, minMeasured = 4): (number | null)[] {
  return values.map((_v, i) => {
    const slice = values.slice(Math.max(0, i - days + 1), i + 1).filter((v): v is number => v !== null);
    return slice.length >= minMeasured ? slice.reduce((a, b) => a + b, 0) / slice.length : null;
  });
}

function annotationPlugin(input: MetricChartInput): uPlot.Plugin {
  const px = (n: number) => n * uPlot.pxRatio;
  const xPos = (u: uPlot, t: number) => Math.round(u.valToPos(t, 'x', true));
  const clampX = (u: uPlot, x: number) => Math.min(u.bbox.left + u.bbox.width, Math.max(u.bbox.left, x));

  function drawBands(u: uPlot): void {
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    input.annotations.forEach((a, lane) => {
      const color = kindColor(a.kind);
      if (a.baseline) {
        const b0 = clampX(u, xPos(u, a.baseline.start));
        const b1 = clampX(u, xPos(u, a.baseline.end));
        if (b1 > b0) {
          ctx.fillStyle = cssVar('--baseline');
          if (input.mode === 'detail') {
            ctx.globalAlpha = 0.14;
            ctx.fillRect(b0, top, b1 - b0, height);
          } else {
            ctx.globalAlpha = 0.5;
            ctx.fillRect(b0, top + height - px(5 + 7 * (lane % 3)), b1 - b0, px(5));
          }
        }
      }
      const x0 = clampX(u, xPos(u, a.window.start));
      const x1 = clampX(u, xPos(u, a.window.end));
      if (x1 <= x0) return;
      ctx.globalAlpha = a.kind === 'planned' ? 0.08 : 0.16;
      ctx.fillStyle = color;
      ctx.fillRect(x0, top, x1 - x0, height);
      // The part of a running window still ahead is drawn lighter: it has not happened yet.
      if (a.kind === 'running' && input.now < a.window.end) {
        const xn = clampX(u, xPos(u, input.now));
        ctx.globalAlpha = 0.55;
        ctx.fillStyle = cssVar('--surface');
        ctx.fillRect(xn, top, x1 - xn, height);
      }
      ctx.globalAlpha = 0.9;
      ctx.strokeStyle = color;
      ctx.lineWidth = px(1);
      ctx.setLineDash([px(3), px(3)]);
      for (const x of [x0, x1]) {
        ctx.beginPath();
        ctx.moveTo(x + 0.5, top);
        ctx.lineTo(x + 0.5, top + height);
        ctx.stroke();
      }
      ctx.setLineDash([]);
    });
    ctx.restore();
  }

  function drawOverlays(u: uPlot): void {
    const ctx = u.ctx;
    const { top, height, left, width } = u.bbox;
    ctx.save();
    // Today.
    const xn = xPos(u, input.now);
    if (xn > left && xn < left + width) {
      ctx.strokeStyle = cssVar('--muted');
      ctx.lineWidth = px(1);
      ctx.setLineDash([px(2), px(4)]);
      ctx.beginPath();
      ctx.moveTo(xn + 0.5, top);
      ctx.lineTo(xn + 0.5, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    const font = (weight: number, size: number) => `${weight} ${px(size)}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;
    input.annotations.forEach((a, lane) => {
      const color = kindColor(a.kind);
      const x0 = clampX(u, xPos(u, a.window.start));
      const x1 = clampX(u, xPos(u, a.window.end));
      if (x1 <= x0) return;
      const cf = a.counterfactual;
      if (cf) {
        const yl = u.valToPos(cf.lower, 'y', true);
        const yu = u.valToPos(cf.upper, 'y', true);
        const ye = u.valToPos(cf.expected, 'y', true);
        ctx.globalAlpha = 0.22;
        ctx.fillStyle = cssVar('--counterfactual');
        ctx.fillRect(x0, Math.min(yl, yu), x1 - x0, Math.abs(yl - yu));
        ctx.globalAlpha = 1;
        ctx.strokeStyle = cssVar('--counterfactual');
        ctx.lineWidth = px(1.5);
        ctx.setLineDash([px(6), px(4)]);
        ctx.beginPath();
        ctx.moveTo(x0, ye);
        ctx.lineTo(x1, ye);
        ctx.stroke();
        ctx.setLineDash([]);
        if (cf.observed !== null) {
          const yo = u.valToPos(cf.observed, 'y', true);
          ctx.strokeStyle = color;
          ctx.lineWidth = px(2.5);
          ctx.beginPath();
          ctx.moveTo(x0, yo);
          ctx.lineTo(x1, yo);
          ctx.stroke();
        }
      }
      // Label: verdict on the first line, the name (ellipsised to the band) on the second.
      const pad = px(4);
      const maxWidth = x1 - x0 - 2 * pad;
      if (maxWidth < px(24)) return;
      const y = top + px(4) + (lane % 2) * px(30);
      ctx.globalAlpha = 1;
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      ctx.font = font(700, 11);
      ctx.fillStyle = color;
      ctx.fillText(ellipsis(ctx, a.label, maxWidth), x0 + pad, y);
      ctx.font = font(500, 11);
      ctx.fillStyle = cssVar('--text');
      ctx.fillText(ellipsis(ctx, a.name, maxWidth), x0 + pad, y + px(13));
    });
    ctx.restore();
  }

  return { hooks: { drawClear: [drawBands], draw: [drawOverlays] } };
}

function ellipsis(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : `${text.slice(0, lo).trimEnd()}…`;
}

/** The y range: the data and every counterfactual band, from zero, with room at the top for labels. */
function yRange(values: readonly (number | null)[], annotations: readonly ChartAnnotation[]): [number, number] {
  const all = values.filter((v): v is number => v !== null);
  for (const a of annotations) if (a.counterfactual) all.push(a.counterfactual.lower, a.counterfactual.upper);
  if (all.length === 0) return [0, 1];
  const min = Math.min(0, ...all);
  const max = Math.max(...all);
  const span = max - min || Math.abs(max) || 1;
  return [min, max + span * 0.45];
}

export interface MetricChart {
  element: HTMLElement;
  /** Redraws with the current CSS colours (after a theme change). */
  redraw(): void;
  destroy(): void;
}

/** Renders the chart into a new <figure> (canvas + a text list of its annotations for screen readers). */
export function metricChart(input: MetricChartInput): MetricChart {
  const xs = input.points.map((p) => Date.parse(`${p.date}T12:00:00Z`) / 1000);
  const ys = input.points.map((p) => p.value);
  const mean = trailingMean(ys);
  const plot = h('div', { class: 'chart-canvas' });
  const figure = h('figure', { class: 'chart', 'data-metric': input.title, 'data-annotations': input.annotations.length }, plot);

  const axisStroke = () => cssVar('--muted');
  const gridStroke = () => cssVar('--grid');
  const opts: uPlot.Options = {
    width: 600,
    height: input.height ?? 240,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    cursor: { y: false, points: { size: 6 } },
    legend: { show: true, live: true },
    scales: {
      x: { time: true, range: () => [input.range.from, input.range.to] },
      y: { range: () => yRange(ys, input.annotations) },
    },
    axes: [
      { stroke: axisStroke, space: 72, grid: { stroke: gridStroke, width: 1 }, ticks: { stroke: gridStroke, width: 1 }, values: (_u, splits, _i, _space, incr) => splits.map((v) => axisDate(v, incr)) },
      { stroke: axisStroke, grid: { stroke: gridStroke, width: 1 }, ticks: { show: false }, size: 56, values: (_u, splits) => splits.map((v) => formatValue(v, input.unit?.startsWith('fraction') ? input.unit : undefined)) },
    ],
    series: [
      { value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
      { label: 'Daily', stroke: () => cssVar('--series-light'), width: 1, points: { show: false }, spanGaps: false, value: (_u, v) => formatValue(v, input.unit) },
      { label: '7-day mean', stroke: () => cssVar('--series'), width: 2.5, points: { show: false }, spanGaps: true, value: (_u, v) => formatValue(v, input.unit) },
    ],
    plugins: [annotationPlugin(input)],
  };
  let chart: uPlot | undefined;

  // The canvas can only size itself once the figure is in the document.
  const observer = new ResizeObserver(() => {
    const width = Math.floor(plot.clientWidth);
    if (width <= 0) return;
    if (!chart) {
      chart = new uPlot({ ...opts, width }, [xs, ys, mean] as uPlot.AlignedData, plot);
      const canvas = chart.root.querySelector('canvas');
      canvas?.setAttribute('role', 'img');
      canvas?.setAttribute('aria-label', `${input.title}: daily values and ${input.annotations.length} experiment windows, listed below the chart`);
      if (input.onSelect) wireSelection(chart, input);
    } else if (Math.abs(chart.width - width) > 1) {
      chart.setSize({ width, height: opts.height });
    }
  });
  observer.observe(plot);
  return {
    element: figure,
    redraw() {
      chart?.redraw(true, true);
    },
    destroy() {
      observer.disconnect();
      chart?.destroy();
    },
  };
}

/** Clicking inside a window opens its experiment. */
function wireSelection(u: uPlot, input: MetricChartInput): void {
  const at = (e: MouseEvent) => {
    const t = u.posToVal(e.offsetX, 'x');
    // Later windows first: when windows overlap, the most recent is the one on top.
    return [...input.annotations].reverse().find((a) => t >= a.window.start && t < a.window.end);
  };
  u.over.addEventListener('click', (e) => {
    const hit = at(e);
    if (hit) input.onSelect?.(hit);
  });
  u.over.addEventListener('mousemove', (e) => {
    u.over.classList.toggle('is-clickable', at(e) !== undefined);
  });
}
