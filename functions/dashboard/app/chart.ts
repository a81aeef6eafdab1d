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

/**
 * "5 Sep" for day and week ticks, "Sep" for month ticks (UTC, like the data); when the axis spans more
 * than one year or lies in another year than today, the first tick and every tick in a new year carry
 * the year ("5 Sep 2025", "Jan 2026").
 */
export function axisLabels(splits: readonly number[], incrSeconds: number, nowSeconds: number): string[] {
  const year = (s: number) => new Date(s * 1000).getUTCFullYear();
  const spansYears = splits.length > 0 && (year(splits[0]) !== year(splits[splits.length - 1]) || year(splits[0]) !== year(nowSeconds));
  return splits.map((s, i) => {
    const d = new Date(s * 1000);
    const label = incrSeconds >= 28 * 86_400 ? monthOnly.format(d) : dayMonth.format(d);
    return spansYears && (i === 0 || year(s) !== year(splits[i - 1])) ? `${label} ${year(s)}` : label;
  });
}

/** Which row (0, 1, …) each label goes in so no two overlap, or null when all rows are taken there. */
export function labelRows(boxes: readonly { x: number; width: number }[], rows: number, gap = 6): (number | null)[] {
  const rowEnds: number[] = Array.from({ length: rows }, () => -Infinity);
  return boxes.map((b) => {
    const row = rowEnds.findIndex((end) => b.x >= end + gap);
    if (row < 0) return null;
    rowEnds[row] = b.x + b.width;
    return row;
  });
}

/**
 * A palette colour as the canvas can use it. The variables hold light-dark() pairs, which only a colour
 * property resolves, so a hidden element takes the colour and reports it as rgb() for the current scheme.
 */
function cssVar(name: string): string {
  let probe = document.getElementById('colour-probe');
  if (!probe) {
    probe = document.createElement('span');
    probe.id = 'colour-probe';
    probe.hidden = true;
    document.body.append(probe);
  }
  probe.style.color = `var(${name}, #888)`;
  return getComputedStyle(probe).color || '#888';
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
    const observedLines: { id: string; x0: number; x1: number; now: number }[] = [];
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
        // What the window showed so far: never drawn across days that have not happened yet.
        const xShown = a.window.end > input.now ? Math.min(x1, clampX(u, xPos(u, input.now))) : x1;
        observedLines.push({ id: a.id, x0: x0 / uPlot.pxRatio, x1: xShown / uPlot.pxRatio, now: xPos(u, input.now) / uPlot.pxRatio });
        if (cf.observed !== null && xShown > x0) {
          const yo = u.valToPos(cf.observed, 'y', true);
          ctx.strokeStyle = color;
          ctx.lineWidth = px(2.5);
          ctx.beginPath();
          ctx.moveTo(x0, yo);
          ctx.lineTo(xShown, yo);
          ctx.stroke();
        }
      }
    });
    // Labels: verdict on the first line, the name on the second, each as wide as its band allows (plus
    // the free room after it), laid out in rows so that labels of overlapping windows never overlap.
    const pad = px(4);
    const placed = input.annotations.map((a) => {
      const x0 = clampX(u, xPos(u, a.window.start));
      const x1 = clampX(u, xPos(u, a.window.end));
      ctx.font = font(700, 11);
      const labelWidth = ctx.measureText(a.label).width;
      ctx.font = font(500, 11);
      const width = Math.min(Math.max(labelWidth, ctx.measureText(a.name).width), Math.max(x1 - x0 - 2 * pad, px(90)), left + width0(u) - x0 - pad);
      return { a, x0, x1, box: { x: x0 + pad, width } };
    });
    const rows = labelRows(placed.map((p) => p.box), 3, px(6));
    const drawn: { x: number; y: number; width: number; height: number; id: string }[] = [];
    placed.forEach(({ a, x1, x0, box }, i) => {
      const row = rows[i];
      if (row === null || x1 <= x0 || box.width < px(24)) return;
      const y = top + px(4) + row * px(30);
      ctx.globalAlpha = 1;
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      ctx.font = font(700, 11);
      ctx.fillStyle = kindColor(a.kind);
      ctx.fillText(ellipsis(ctx, a.label, box.width), box.x, y);
      ctx.font = font(500, 11);
      ctx.fillStyle = cssVar('--text');
      ctx.fillText(ellipsis(ctx, a.name, box.width), box.x, y + px(13));
      drawn.push({ id: a.id, x: box.x / uPlot.pxRatio, y: y / uPlot.pxRatio, width: box.width / uPlot.pxRatio, height: 26 });
    });
    // For tests and tools: where each label was drawn, in CSS pixels of the canvas.
    const figure = u.root.closest('figure') as HTMLElement | null;
    figure?.setAttribute('data-label-boxes', JSON.stringify(drawn));
    figure?.setAttribute('data-observed-lines', JSON.stringify(observedLines));
    ctx.restore();
  }

  const width0 = (u: uPlot) => u.bbox.width;
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
      {
        stroke: axisStroke, space: 72, grid: { stroke: gridStroke, width: 1 }, ticks: { stroke: gridStroke, width: 1 },
        values: (_u, splits, _i, _space, incr) => {
          const labels = axisLabels(splits, incr, input.now);
          figure.dataset.axisLabels = labels.join('|');
          return labels;
        },
      },
      { stroke: axisStroke, grid: { stroke: gridStroke, width: 1 }, ticks: { show: false }, size: 56, values: (_u, splits) => splits.map((v) => formatValue(v, input.unit?.startsWith('fraction') ? input.unit : undefined)) },
    ],
    series: [
      { value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
      { label: 'Daily', stroke: () => cssVar('--series-light'), width: 1, points: { show: false }, spanGaps: false, value: (_u, v) => formatValue(v, input.unit) },
      { label: '7-day mean', stroke: () => cssVar('--series'), width: 2.5, points: { show: false }, spanGaps: true, value: (_u, v) => formatValue(v, input.unit) },
    ],
    plugins: [annotationPlugin(input)],
    hooks: {
      // Without a cursor on the chart the legend shows the latest measured day, not "—".
      ready: [showLatestInLegend],
      setCursor: [showLatestInLegend],
    },
  };
  let chart: uPlot | undefined;
  const latest = (() => { for (let i = ys.length - 1; i >= 0; i--) if (ys[i] !== null) return i; return ys.length - 1; })();
  function showLatestInLegend(u: uPlot): void {
    if (u.cursor.idx == null && latest >= 0) u.setLegend({ idx: latest }, false);
  }

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
