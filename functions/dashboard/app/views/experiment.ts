/**
 * One experiment: its hypothesis and window, the verdict (or, while it runs, the interim readout —
 * clearly not a verdict), and its metric's chart with the baseline period and counterfactual band.
 */
import type { Experiment, ExperimentDetail, InterimReadout, MetricDefinition, Verdict } from '../api';
import { annotationFor } from '../annotations';
import { metricChart, type ChartAnnotation } from '../chart';
import { h, replaceChildren, type Child } from '../dom';
import { daysUntil, formatDate, formatDelta, formatLift, formatProbability, formatValue, formatWindow, plural } from '../format';
import { annotationList, badge, errorNotice, loading, type BadgeKind, type ViewContext } from './common';
import { listChangeNote } from '../../../domain/scoring/summary';

const DAY_MS = 86_400_000;
/** GET /metrics/{metric} answers at most this many days (MAX_SERIES_DAYS in the API). */
const SERIES_MAX_DAYS = 400;

export function renderExperiment(main: HTMLElement, ctx: ViewContext, id: string): void {
  const body = h('div', { class: 'experiment' }, loading('experiment'));
  main.replaceChildren(h('p', {}, h('a', { href: '#/', class: 'back-link' }, '← Overview')), body);
  void load(ctx, id).then((data) => {
    replaceChildren(body, experimentView(ctx, data));
    (body.querySelector('h1') as HTMLElement | null)?.focus();
  }).catch((err: unknown) => {
    replaceChildren(body, h('h1', { tabindex: '-1' }, 'Experiment'), errorNotice(err));
  });
}

interface Loaded {
  experiment: ExperimentDetail;
  verdict: Verdict | null;
  definition?: MetricDefinition;
  others: { experiment: Experiment; verdict: Verdict | null }[];
  points: { date: string; value: number | null }[];
  range: { from: number; to: number };
}

async function load(ctx: ViewContext, id: string): Promise<Loaded> {
  const experiment = await ctx.api.experiment(id);
  const [verdict, catalog, all] = await Promise.all([
    experiment.status === 'concluded' ? ctx.api.verdict(id) : Promise.resolve(null),
    ctx.api.metrics().catch(() => []),
    ctx.api.experiments().catch(() => []),
  ]);
  const readout = verdict ?? experiment.interim ?? null;
  const today = Math.floor(ctx.now.getTime() / DAY_MS) * DAY_MS;
  const baselineStart = readout?.periods?.baseline?.start ?? experiment.baseline?.start;
  const start = experiment.start ? Date.parse(experiment.start) : today - 28 * DAY_MS;
  const end = experiment.end ? Date.parse(experiment.end) : today;
  // Runs to today while the window is recent, else a week past its end (a window from years ago must
  // not stretch the chart, and one request asks for at most SERIES_MAX_DAYS days).
  const to = end + 7 * DAY_MS >= today - 28 * DAY_MS ? Math.max(end + 7 * DAY_MS, today + DAY_MS) : end + 7 * DAY_MS;
  const fetchTo = Math.min(to, today + DAY_MS);
  const from = Math.max(Math.min(baselineStart ? Date.parse(baselineStart) : start - 28 * DAY_MS, start) - 7 * DAY_MS, fetchTo - (SERIES_MAX_DAYS - 1) * DAY_MS);
  const series = experiment.start
    ? await ctx.api.series(experiment.primaryMetric, new Date(from).toISOString().slice(0, 10), new Date(fetchTo).toISOString().slice(0, 10)).catch(() => ({ points: [] }))
    : { points: [] };
  const overlapping = all.filter((e) => e.id !== id && e.primaryMetric === experiment.primaryMetric && e.start && e.end && Date.parse(e.end) > from && Date.parse(e.start) < to);
  // Neighbouring windows carry their own verdict labels, as on the overview.
  const others = await Promise.all(overlapping.map(async (e) => ({ experiment: e, verdict: e.status === 'concluded' ? await ctx.api.verdict(e.id).catch(() => null) : null })));
  return {
    experiment, verdict, others, points: series.points,
    definition: catalog.find((d) => d.key === experiment.primaryMetric.split(/[:@]/)[0]),
    range: { from: from / 1000, to: to / 1000 },
  };
}

/** Which days of a switchback were treatment, control, washout or skipped: one square per day, weeks in rows of seven. */
function assignmentStrip(sb: NonNullable<Experiment['switchback']>): HTMLElement {
  const skipped = new Set(sb.skips?.map((k) => k.date) ?? []);
  const kind = (d: (typeof sb.schedule)[number]) => (skipped.has(d.date) ? 'skipped' : d.washout ? 'washout' : d.arm);
  const treated = sb.schedule.filter((d) => d.arm === 'treatment').length;
  return h('div', { class: 'assignment-strip', role: 'group', 'aria-label': 'Switchback schedule' },
    h('p', { class: 'muted small' }, `Assignment (seed ${sb.seed}, ${sb.timeZone}): ${treated} treatment and ${sb.schedule.length - treated} control days — filled squares are treatment days${sb.washoutDays ? ', hatched washout' : ''}, crossed ones were skipped.`),
    h('ol', { class: 'sb-days' }, ...sb.schedule.map((d) => h('li', { class: `sb-day sb-${kind(d)}`, title: `${d.date}: ${kind(d)}` }, h('span', { class: 'visually-hidden' }, `${d.date} ${kind(d)}`)))));
}

function experimentView(ctx: ViewContext, d: Loaded): Child {
  const e = d.experiment;
  const unit = d.verdict?.unit ?? e.interim?.unit ?? d.definition?.unit;
  const statusKind: BadgeKind = d.verdict ? d.verdict.decision : (e.status as BadgeKind);
  const statusText = d.verdict ? outcomeLabel(d.verdict) : e.status;
  const facts: [string, Child][] = [
    ['Metric', [h('code', {}, e.primaryMetric), d.definition ? h('span', { class: 'muted' }, ` — ${d.definition.description}`) : null]],
    ['Window', e.start ? `${formatWindow(e.start, e.end, ctx.now)} (${plural(e.durationDays, 'day')})` : `not started (${plural(e.durationDays, 'day')} once started)`],
    ['Decision rule', `keep if P(improvement) ≥ ${formatProbability(e.decision.confidence)}${e.decision.minLift > 0 ? ` and lift ≥ ${formatLift(e.decision.minLift)}` : ''}`],
  ];
  if (e.iceScore) facts.push(['ICE', `${e.iceScore.impact} × ${e.iceScore.confidence} × ${e.iceScore.ease} = ${e.iceScore.impact * e.iceScore.confidence * e.iceScore.ease}`]);
  if (e.channel) facts.push(['Channel', e.channel]);

  const annotation = annotationFor({ experiment: e, verdict: d.verdict, interim: e.interim }, ctx.now);
  const others = d.others.map((o) => annotationFor(o, ctx.now)).filter((a): a is ChartAnnotation => a !== undefined);
  const annotations = [...others, ...(annotation ? [annotation] : [])].sort((a, b) => a.window.start - b.window.start);
  let chartBlock: Child = null;
  if (e.start) {
    const chart = metricChart({
      title: e.primaryMetric, unit, points: d.points, annotations, range: d.range, now: ctx.now.getTime() / 1000, mode: 'detail', height: 300,
      onSelect: (a) => { if (a.id !== e.id) ctx.navigate(`#/experiments/${encodeURIComponent(a.id)}`); },
    });
    ctx.charts.push(chart);
    chart.element.prepend(h('figcaption', { class: 'chart-title' }, h('h2', {}, d.definition?.description ?? e.primaryMetric), unit ? h('span', { class: 'muted' }, unit) : null));
    chart.element.append(
      h('p', { class: 'muted small legend-note' }, 'Amber: the baseline period. Shaded: the window. Dashed line and grey band: the counterfactual (expected without the experiment, 95 % band); solid line: what the window showed.'),
      annotationList(annotations, ctx.now));
    if (e.design === 'switchback' && e.switchback) chart.element.append(assignmentStrip(e.switchback));
    chartBlock = h('section', { class: 'card chart-card', 'aria-label': 'Chart' }, chart.element);
  }

  return [
    h('header', { class: 'experiment-header' },
      h('h1', { tabindex: '-1' }, e.name),
      h('p', {}, badge(statusKind, statusText), e.startedBy === 'loop' ? h('span', { class: 'muted small' }, ' started by the loop') : null)),
    h('p', { class: 'hypothesis' }, h('span', { class: 'muted' }, 'Hypothesis: '), e.hypothesis),
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    d.verdict ? verdictCard(d.verdict, unit) : e.interim ? interimCard(e.interim, unit, e, ctx.now) : statusCard(e, ctx.now),
    e.plan ? planCard(e.plan, e.status, ctx.now) : null,
    chartBlock,
    e.learnings ? h('section', { class: 'card' }, h('h2', {}, 'Learnings'), h('p', { class: 'prewrap' }, e.learnings)) : null,
  ];
}

/**
 * The plan stored with the experiment (at create, PATCH and start): what its window can detect, what
 * 1- to 6-week windows could, and its warnings. Before a verdict it is what to expect; after, what was expected.
 */
function planCard(plan: NonNullable<Experiment['plan']>, status: Experiment['status'], now: Date): HTMLElement {
  const lift = (x: number | null) => (x === null ? 'nothing plausible' : `${formatLift(x)} or more`);
  const power = (p: number) => `${Math.round(p * 100)} %`;
  const rows = plan.byWindow.map((w) => h('tr', { class: w.windowDays === plan.windowDays ? 'current' : null },
    h('th', { scope: 'row' }, plural(w.windowDays, 'day')), h('td', {}, lift(w.detectableLift)), h('td', { class: 'num' }, power(w.powerAtTarget))));
  const switchback = plan.switchback
    ? h('p', {}, `As a switchback: ${plan.switchback.detectableLift === null ? 'no plausible lift is detectable' : `detects ${formatLift(plan.switchback.detectableLift)} or more`} ` +
      `(${power(plan.switchback.powerAtTarget)} power for ${formatLift(plan.targetLift)}). ${plan.switchback.gain}`)
    : null;
  return h('section', { class: 'card plan-card', 'aria-labelledby': 'plan-title' },
    h('h2', { id: 'plan-title' }, status === 'concluded' || status === 'abandoned' ? 'The plan it started with' : 'Plan'),
    h('p', {}, plan.summary),
    switchback,
    rows.length > 0
      ? h('table', { class: 'data-table plan-table' },
        h('caption', { class: 'muted small' }, `What a window on this ${plural(plan.baselineDays, 'day')} baseline could detect at 80 % power, and its power for ${formatLift(plan.targetLift)}`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Window'), h('th', { scope: 'col' }, 'Detects'), h('th', { scope: 'col', class: 'num' }, `Power for ${formatLift(plan.targetLift)}`))),
        h('tbody', {}, rows))
      : null,
    plan.warnings.length > 0
      ? h('ul', { class: 'warnings', 'aria-label': 'Plan warnings' }, plan.warnings.map((w) => h('li', {}, h('strong', {}, w.code.replace(/_/g, ' ')), `: ${w.message}`)))
      : null,
    h('p', { class: 'muted small' }, `Planned ${formatDate(plan.computedAt, now)}${plan.assumed ? ' — noise assumed: too little history to measure it' : ''}.`));
}

/** Units are spelled once per figure; only percentages keep their sign in intervals. */
const fractionOnly = (unit: string | undefined) => (unit?.startsWith('fraction') ? unit : undefined);

function numbers(r: Verdict | InterimReadout, unit: string | undefined): HTMLElement {
  const abs = r.effect?.absoluteInterval;
  const rel = r.effect?.relativeInterval;
  const rows: [string, Child][] = [
    ['Baseline', formatValue(r.baselineValue, unit)],
    ['Window', formatValue(r.windowValue, unit)],
    ['Expected without the experiment', [formatValue(r.expectedValue, unit), r.listChange ? h('span', { class: 'muted' }, ` — ${listChangeNote(r.listChange, r.expectedValue, r.metric)}`) : null]],
    ['Effect', [formatDelta(r.effect?.absolute, unit), abs ? h('span', { class: 'muted' }, ` (95 %: ${formatDelta(abs.lower, fractionOnly(unit))} to ${formatDelta(abs.upper, fractionOnly(unit))})`) : null]],
    ['Lift', [formatLift(r.effect?.relative), rel ? h('span', { class: 'muted' }, ` (95 %: ${formatLift(rel.lower)} to ${formatLift(rel.upper)})`) : null]],
    ['P(improvement)', formatProbability(r.probabilityOfImprovement)],
  ];
  if (r.dataQuality) rows.push(['Data coverage', `baseline ${Math.round(r.dataQuality.baselineCoverage * 100)} %, window ${Math.round(r.dataQuality.windowCoverage * 100)} %`]);
  return h('dl', { class: 'numbers' }, rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))));
}

function warnings(r: Verdict | InterimReadout): Child {
  if (!r.warnings || r.warnings.length === 0) return null;
  return h('ul', { class: 'warnings', 'aria-label': 'Warnings' }, r.warnings.map((w) => h('li', {}, h('strong', {}, w.code.replace(/_/g, ' ')), `: ${w.message}`)));
}

function verdictCard(v: Verdict, unit: string | undefined): HTMLElement {
  return h('section', { class: `card verdict verdict-${v.decision}`, 'aria-labelledby': 'verdict-title' },
    h('h2', { id: 'verdict-title' }, 'Verdict: ', badge(v.decision, outcomeLabel(v)), h('span', { class: 'muted small' }, ` ${v.reason.replace(/_/g, ' ')}`)),
    h('p', { class: 'summary-text' }, v.summary),
    numbers(v, unit),
    warnings(v),
    h('p', { class: 'muted small' }, `Scored ${formatDate(v.scoredAt)} · ${v.method}`));
}

function interimCard(r: InterimReadout, unit: string | undefined, e: ExperimentDetail, now: Date): HTMLElement {
  return h('section', { class: 'card interim-card', 'aria-labelledby': 'interim-title' },
    h('h2', { id: 'interim-title' }, 'Interim readout ', h('span', { class: 'muted small' }, '— not a verdict')),
    r.leaning === null
      ? h('p', {}, `${plural(r.daysElapsed, 'day')} in, ${plural(r.daysLeft ?? daysUntil(e.end, now), 'day')} left. `, badge('planned', 'no leaning yet'), ' Too few measured days to compare with the expected value.')
      : h('p', {}, `${plural(r.daysElapsed, 'day')} in, ${plural(r.daysLeft ?? daysUntil(e.end, now), 'day')} left. If the window ended now it would lean `, badge(r.leaning, r.leaning), '.'),
    r.summary ? h('p', { class: 'summary-text' }, r.summary) : null,
    numbers(r, unit),
    warnings(r));
}

function statusCard(e: ExperimentDetail, now: Date): HTMLElement {
  const text = e.status === 'running' ? `Running: ${plural(daysUntil(e.end, now), 'day')} left. The interim readout appears after a few measured days.`
    : e.status === 'planned' ? `Planned: starts ${formatDate(e.start, now)}.`
    : e.status === 'backlog' ? 'In the backlog: the loop starts it when a slot frees up and it is the best-ranked idea.'
    : e.status === 'abandoned' ? `Abandoned${e.abandonReason ? `: ${e.abandonReason}` : ''}. It is kept in the record and never scored.`
    : 'Concluded; the verdict is not available.';
  return h('section', { class: 'card' }, h('p', {}, text));
}

/** KEEP, DISCARD, or — for a discard that is not a failure — INCONCLUSIVE (the window could not tell) or NO EFFECT. */
function outcomeLabel(v: Pick<Verdict, 'decision' | 'outcome'>): string {
  if (v.outcome === 'inconclusive') return 'INCONCLUSIVE (not kept)';
  if (v.outcome === 'no_effect') return 'NO EFFECT (discard)';
  return v.decision.toUpperCase();
}
