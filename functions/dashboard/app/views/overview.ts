/**
 * The one-page Friday review: headline numbers, a chart per metric with every experiment's window
 * annotated, the running experiments with their interim readouts, the research log, the backlog
 * ranked by ICE and the health of the sources.
 */
import type { BacklogEntry, Experiment, Health, InterimReadout, LogRow, MetricDefinition, MetricSeries, Today, Verdict } from '../api';
import { annotationFor } from '../annotations';
import { metricChart, type ChartAnnotation } from '../chart';
import { h, type Child } from '../dom';
import { daysUntil, formatDate, formatDateTime, formatProbability, formatRelative, formatValue, formatWindow, plural } from '../format';
import { annotationList, badge, emptyState, experimentLink, fill, section, type BadgeKind, type ViewContext } from './common';
import { downloadButton, researchLogTable } from './research-log';

const DAY_MS = 86_400_000;
/** How far back the charts look. */
const CHART_DAYS = 84;

interface Readout { verdict: Verdict | null; interim: InterimReadout | null }

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function renderOverview(main: HTMLElement, ctx: ViewContext): void {
  const today = Math.floor(ctx.now.getTime() / DAY_MS) * DAY_MS;
  const from = today - CHART_DAYS * DAY_MS;

  const experiments = ctx.api.experiments();
  const health = ctx.api.health();
  const log = ctx.api.researchLog();
  const catalog = ctx.api.metrics();
  const inRange = experiments.then((list) => list.filter((e) => e.start && e.end && Date.parse(e.end) > from));
  const readouts = inRange.then((list) => loadReadouts(ctx, list));

  const summary = h('div', { class: 'summary', 'aria-live': 'polite' });
  const today_ = h('div');
  const charts = h('div', { class: 'charts' });
  const active = h('div');
  const logBody = h('div');
  const backlog = h('div');
  const sources = h('div');

  main.replaceChildren(
    h('h1', { class: 'visually-hidden', tabindex: '-1' }, 'Verdict dashboard'),
    h('nav', { class: 'section-nav', 'aria-label': 'Sections' },
      h('a', { href: '#today' }, 'Today'), h('a', { href: '#growth' }, 'Growth'), h('a', { href: '#active' }, 'Active'), h('a', { href: '#log' }, 'Research log'),
      h('a', { href: '#backlog' }, 'Backlog'), h('a', { href: '#health' }, 'Sources')),
    summary,
    section('today', 'Today', today_),
    section('growth', 'Growth', h('p', { class: 'muted lede' }, 'Daily values per metric. Shaded bands are experiment windows, labelled with the verdict; the dashed line and grey band are what the window was expected to show without the experiment, the solid line what it showed.'), charts),
    h('div', { class: 'grid-2' },
      section('active', 'Active experiments', active),
      section('health', 'Source health', sources)),
    section('log', 'Research log', downloadButton(ctx), logBody),
    section('backlog', 'Backlog, ranked by ICE', backlog),
  );

  void fill(today_, 'today', ctx.api.today(), (t) => todayCard(t));
  void fill(summary, 'summary', Promise.all([health, log]), ([hl, rows]) => summaryTiles(hl, rows, ctx.now));
  const chartData = Promise.all([catalog, inRange, readouts]).then(async ([defs, list, map]) =>
    ({ defs, list, map, series: await loadSeries(ctx, defs, list, isoDay(from), isoDay(today + DAY_MS)) }));
  void fill(charts, 'charts', chartData, ({ defs, list, map, series }) =>
    chartFigures(ctx, defs, series, list, map, { from: from / 1000, to: chartEnd(list, today) / 1000 }));
  const backlogItems = ctx.api.backlog();
  void fill(active, 'active experiments', Promise.all([experiments, readouts, health, backlogItems.catch(() => ({ items: [] }))]), ([list, map, hl, b]) => activeList(list, map, hl, b.items, ctx.now));
  void fill(logBody, 'research log', log, (rows) => researchLogTable(rows, ctx.now));
  void fill(backlog, 'backlog', backlogItems, (b) => backlogTable(b, ctx.now));
  void fill(sources, 'source health', health, (hl) => healthTable(hl, ctx.now));
}

/** The Today card: what each randomized experiment asks of the user today. */
function todayCard(t: Today): Child {
  if (t.assignments.length === 0) return emptyState('No switchback or post-variant experiment is running: nothing to switch today.');
  return h('ul', { class: 'today-list' }, ...t.assignments.map((a) => h('li', {},
    a.design === 'switchback'
      ? badge(a.arm === 'treatment' ? 'keep' : 'planned', a.arm === 'treatment' ? 'do it' : 'control day')
      : badge('running', 'draw per post'),
    ' ', experimentLink(a.experimentId, a.name),
    a.day ? h('span', { class: 'muted' }, ` · day ${a.day} of ${a.days}${a.washout ? ' · washout' : ''}${a.skipped ? ' · skipped' : ''}`) : null,
    h('div', { class: 'muted' }, a.instruction))));
}

/**
 * The chart runs to today, or to the end of the latest running or planned window so days left show —
 * at most six weeks ahead (the longest window), so a far-off plan does not squash the history.
 */
function chartEnd(list: readonly Experiment[], today: number): number {
  const ends = list.filter((e) => e.status === 'running' || e.status === 'planned').map((e) => Date.parse(e.end!) + DAY_MS);
  return Math.min(today + 42 * DAY_MS, Math.max(today + DAY_MS, ...ends));
}

/** Verdicts of concluded and interim readouts of running experiments; one that fails to load is just unlabelled. */
async function loadReadouts(ctx: ViewContext, list: readonly Experiment[]): Promise<Map<string, Readout>> {
  const entries = await Promise.all(list.map(async (e): Promise<[string, Readout]> => {
    const none: Readout = { verdict: null, interim: null };
    if (e.status === 'concluded') return [e.id, { ...none, verdict: await ctx.api.verdict(e.id).catch(() => null) }];
    if (e.status === 'running') return [e.id, { ...none, interim: await ctx.api.experiment(e.id).then((d) => d.interim ?? null, () => null) }];
    return [e.id, none];
  }));
  return new Map(entries);
}

/** Catalog metrics (without engine qualifiers) of every configured account (`key@acme`), and every metric an experiment uses. */
async function loadSeries(ctx: ViewContext, defs: readonly MetricDefinition[], list: readonly Experiment[], from: string, to: string): Promise<MetricSeries[]> {
  const perAccount = defs.flatMap((d) => ((d as { accounts?: string[] }).accounts ?? []).map((a) => `${d.key}@${a}`));
  const keys = [...new Set([...list.map((e) => e.primaryMetric), ...defs.map((d) => d.key), ...perAccount])];
  const results = await Promise.allSettled(keys.map((k) => ctx.api.series(k, from, to)));
  return results.flatMap((r, i) => (r.status === 'fulfilled' ? [r.value] : [{ metric: keys[i], points: [] }]));
}

function chartFigures(ctx: ViewContext, defs: readonly MetricDefinition[], series: readonly MetricSeries[], list: readonly Experiment[], readouts: Map<string, Readout>, range: { from: number; to: number }): Child {
  const shown = series
    .map((s) => ({ s, experiments: list.filter((e) => e.primaryMetric === s.metric) }))
    .filter(({ s, experiments }) => experiments.length > 0 || s.points.some((p) => p.value !== null))
    .sort((a, b) => b.experiments.length - a.experiments.length);
  if (shown.length === 0) {
    return emptyState(['No metric has data yet. Connect a source (see the README) or try ', h('code', {}, 'npm run demo'), '.']);
  }
  // One time axis for every chart, starting where the data (or the earliest baseline) does.
  const starts = shown.flatMap(({ s, experiments }) => [
    ...s.points.filter((p) => p.value !== null).slice(0, 1).map((p) => Date.parse(`${p.date}T00:00:00Z`) / 1000),
    ...experiments.flatMap((e) => { const a = annotationFor({ experiment: e, ...readouts.get(e.id) }, ctx.now); return a ? [a.baseline?.start ?? a.window.start, a.window.start] : []; }),
  ]);
  const axis = { from: Math.max(range.from, Math.min(range.to, ...starts) - 2 * 86_400), to: range.to };
  return shown.map(({ s, experiments }) => {
    const def = defs.find((d) => d.key === s.metric.split(/[:@]/)[0]);
    const unit = s.unit ?? def?.unit;
    const annotations = experiments
      .map((e) => annotationFor({ experiment: e, ...readouts.get(e.id) }, ctx.now))
      .filter((a): a is ChartAnnotation => a !== undefined)
      .sort((a, b) => a.window.start - b.window.start);
    const chart = metricChart({
      title: s.metric, unit, points: s.points, annotations, range: axis, now: ctx.now.getTime() / 1000, mode: 'overview',
      onSelect: (a) => ctx.navigate(`#/experiments/${encodeURIComponent(a.id)}`),
    });
    ctx.charts.push(chart);
    chart.element.prepend(h('figcaption', { class: 'chart-title' },
      h('h3', {}, def?.description ?? s.metric), h('span', { class: 'muted' }, h('code', {}, s.metric), unit ? ` · ${unit}` : '')));
    chart.element.append(annotationList(annotations, ctx.now));
    return h('article', { class: 'chart-card' }, chart.element);
  });
}

function summaryTiles(health: Health, rows: readonly LogRow[], now: Date): Child {
  const running = health.experiments?.running ?? 0;
  const target = health.experiments?.target ?? 0;
  const kept = rows.filter((r) => r.decision === 'keep').length;
  const paused = health.sources.filter((s) => s.pausedUntil).length;
  const failing = health.sources.filter((s) => !s.pausedUntil && s.lastRun?.outcome === 'failed').length;
  // Healthy means collecting: a last run that went well and no pause. A source that never ran (or has
  // no credentials) is not counted as healthy.
  const healthy = health.sources.filter((s) => !s.pausedUntil && s.lastRun?.outcome === 'ok').length;
  const idle = health.sources.length - healthy - paused - failing;
  const sourceNote = [paused > 0 ? `${paused} paused` : '', failing > 0 ? `${failing} failing` : '', idle > 0 ? `${idle} not collecting yet` : '']
    .filter(Boolean).join(', ') || `all ${health.sources.length} collecting`;
  const tile = (label: string, value: Child, note: Child, tone = '') => h('div', { class: `tile ${tone}` }, h('span', { class: 'tile-label' }, label), h('strong', { class: 'tile-value' }, value), h('span', { class: 'tile-note' }, note));
  return [
    tile('Running', `${running} of ${target}`, running < target ? 'below target' : 'loop is full', running < target ? 'tone-warn' : ''),
    tile('Verdicts', `${kept} kept`, `${rows.length - kept} discarded of ${rows.length}`),
    tile('Last scorer run', formatRelative(health.scorer?.lastRun?.startedAt ?? health.scorer?.lastRun?.slot, now), health.schedule?.running === false ? 'not scheduled' : `next ${formatRelative(health.scorer?.nextSlot, now)}`),
    tile('Sources', `${healthy} of ${health.sources.length} healthy`, sourceNote, healthy < health.sources.length ? 'tone-warn' : ''),
  ];
}

function activeList(list: readonly Experiment[], readouts: Map<string, Readout>, health: Health, backlog: readonly BacklogEntry[], now: Date): Child {
  const running = list.filter((e) => e.status === 'running').sort((a, b) => Date.parse(a.end!) - Date.parse(b.end!));
  const planned = list.filter((e) => e.status === 'planned');
  const target = health.experiments?.target ?? 0;
  const warning = running.length < target
    ? h('p', { class: 'notice warn', role: 'status' }, h('strong', {}, `Only ${running.length} of ${target} experiments running.`), ' ', whyNotFull(backlog, now, health.schedule?.running !== false))
    : null;
  const cards = running.map((e) => {
    const interim = readouts.get(e.id)?.interim ?? null;
    const left = interim?.daysLeft ?? daysUntil(e.end, now);
    const elapsed = Math.max(0, Math.min(e.durationDays, interim?.daysElapsed ?? e.durationDays - left));
    return h('article', { class: 'active-card', 'data-experiment': e.id },
      h('h3', {}, experimentLink(e.id, e.name)),
      h('p', { class: 'muted small' }, h('code', {}, e.primaryMetric), ` · ${formatWindow(e.start, e.end, now)}`),
      h('div', { class: 'progress-row' },
        h('progress', { max: e.durationDays, value: elapsed, 'aria-label': `${elapsed} of ${e.durationDays} days elapsed` }),
        h('span', { class: 'days-left' }, `${plural(left, 'day')} left`)),
      interim ? interimLine(interim) : h('p', { class: 'muted small' }, 'No interim readout yet (needs a few measured days).'));
  });
  const plannedLine = planned.length > 0
    ? h('p', { class: 'muted small' }, `Planned: `, planned.map((e, i) => [i > 0 ? ', ' : '', experimentLink(e.id, e.name), ` (starts ${formatDate(e.start, now)})`]))
    : null;
  return [warning, cards.length > 0 ? cards : emptyState('Nothing is running right now.'), plannedLine];
}

/**
 * What the loop does about a free slot: start an idea next run, or why each idea waits and until when.
 * Without a schedule (--no-schedule) no run comes, so it says how to start the idea instead.
 */
function whyNotFull(backlog: readonly BacklogEntry[], now: Date, scheduled: boolean): Child {
  if (backlog.length === 0) {
    return ['The backlog is empty: add ideas (', h('code', {}, 'verdict backlog add'), ') and the loop starts the best-ranked one at its next run.'];
  }
  const next = backlog.find((b) => b.startsNext);
  const waiting = backlog.filter((b) => !b.startsNext && b.blockedBy).slice(0, 3);
  return [
    next && scheduled ? ['The next scheduler run starts ', experimentLink(next.experiment.id, next.experiment.name), '. '] : null,
    next && !scheduled ? [experimentLink(next.experiment.id, next.experiment.name), ' could start now, but nothing runs on a schedule (--no-schedule): start it with ', h('code', {}, `verdict backlog start ${next.experiment.id}`), '. '] : null,
    waiting.map((b) => [
      experimentLink(b.experiment.id, b.experiment.name), ' waits for ', experimentLink(b.blockedBy!.experimentId, b.blockedBy!.name),
      ` to end${b.blockedBy!.until ? ` (${formatDate(b.blockedBy!.until, now)})` : ''}: it measures the same metric, `, h('code', {}, b.blockedBy!.metric),
      ', and two experiments on one metric would confound each other. ',
    ]),
    !next && waiting.length === 0 ? ['No backlog idea can start yet; see the backlog below for what holds each back.'] : null,
    !next && waiting.length > 0 ? 'Add an idea on another metric to fill the slot now.' : null,
  ];
}

export function interimLine(r: InterimReadout): HTMLElement {
  if (r.leaning === null || r.expectedValue === null) {
    return h('p', { class: 'interim' }, badge('planned', 'no leaning yet'), ` Day ${r.daysElapsed} of ${r.daysElapsed + r.daysLeft}: too few measured days to compare with the expected value. `, h('em', { class: 'muted' }, 'Interim readout — not a verdict.'));
  }
  return h('p', { class: 'interim' },
    badge(r.leaning === 'keep' ? 'keep' : 'discard', `leaning ${r.leaning}`),
    ` So far ${formatValue(r.windowValue, r.unit)} vs ${formatValue(r.expectedValue, r.unit)} expected; P(improvement) ${formatProbability(r.probabilityOfImprovement)}. `,
    h('em', { class: 'muted' }, 'Interim readout — not a verdict.'));
}

function backlogTable(backlog: { items: readonly BacklogEntry[]; message?: string }, now: Date): Child {
  if (backlog.items.length === 0) {
    return emptyState(['The backlog is empty. Add ideas with ', h('code', {}, 'verdict backlog add'), ' and an ICE score (impact, confidence, ease 1–10).']);
  }
  const next = (b: BacklogEntry): Child => b.startsNext ? badge('running', 'starts next run')
    : b.blockedBy ? h('span', {}, 'waits for ', experimentLink(b.blockedBy.experimentId, b.blockedBy.name), b.blockedBy.until ? ` (ends ${formatDate(b.blockedBy.until, now)})` : '')
    : '';
  return [
    backlog.message ? h('p', { class: 'muted small' }, backlog.message) : null,
    h('div', { class: 'table-scroll' }, h('table', { class: 'data-table backlog-table' },
      h('caption', { class: 'visually-hidden' }, 'Backlog ideas in the order the loop starts them'),
      h('thead', {}, h('tr', {}, ['#', 'Idea', 'Metric', 'Impact', 'Confidence', 'Ease', 'ICE', 'Next'].map((t, i) => h('th', { scope: 'col', class: i >= 3 && i <= 6 ? 'num' : null }, t)))),
      h('tbody', {}, backlog.items.map((b) => {
        const e = b.experiment;
        return h('tr', { 'data-id': e.id },
          h('td', { 'data-label': '#' }, String(b.rank)),
          h('td', { 'data-label': 'Idea' }, experimentLink(e.id, e.name)),
          h('td', { 'data-label': 'Metric' }, h('code', {}, e.primaryMetric)),
          h('td', { class: 'num', 'data-label': 'Impact' }, e.iceScore ? String(e.iceScore.impact) : '—'),
          h('td', { class: 'num', 'data-label': 'Confidence' }, e.iceScore ? String(e.iceScore.confidence) : '—'),
          h('td', { class: 'num', 'data-label': 'Ease' }, e.iceScore ? String(e.iceScore.ease) : '—'),
          h('td', { class: 'num', 'data-label': 'ICE' }, h('strong', {}, b.ice === null ? 'unscored' : String(b.ice))),
          h('td', { class: 'small', 'data-label': 'Next' }, next(b)));
      }))))];
}

function failureCount(s: Health['sources'][number]): number | null {
  const f = s.failures ?? s.recentFailures;
  if (typeof f === 'number') return f;
  if (Array.isArray(f)) return f.length;
  return null;
}

function healthTable(health: Health, now: Date): Child {
  if (health.sources.length === 0) return emptyState('No source is enabled. Enable one in cdk.json (context.verdict.sources).');
  const outcomeBadge = (outcome: string | undefined): HTMLElement => {
    if (!outcome) return badge('planned', 'no run yet');
    const kind: BadgeKind = outcome === 'ok' ? 'ok' : outcome === 'failed' ? 'fail' : 'warn';
    return badge(kind, outcome.replace(/_/g, ' '));
  };
  return [
    h('div', { class: 'table-scroll' }, h('table', { class: 'data-table health-table' },
      h('caption', { class: 'visually-hidden' }, 'Collection runs per source'),
      h('thead', {}, h('tr', {}, ['Source', 'Last run', 'Failures', 'Paused', 'Next run'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, health.sources.map((s) => {
        const failures = failureCount(s);
        return h('tr', { 'data-source': s.source },
          h('td', { 'data-label': 'Source' }, h('strong', {}, s.source)),
          h('td', { 'data-label': 'Last run' }, outcomeBadge(s.lastRun?.outcome), s.lastRun ? h('span', { class: 'sub muted small', title: formatDateTime(s.lastRun.startedAt) }, formatRelative(s.lastRun.startedAt ?? s.lastRun.slot, now)) : null,
            s.lastRun?.message ? h('div', { class: 'muted small' }, s.lastRun.message) : null),
          h('td', { 'data-label': 'Failures' }, failures === null ? (s.lastRun?.outcome === 'failed' ? 'last run' : '—') : String(failures)),
          h('td', { 'data-label': 'Paused' }, s.pausedUntil ? [badge('warn', (s.pauseReason ?? 'paused').replace(/_/g, ' ')), h('span', { class: 'sub small' }, `until ${formatDateTime(s.pausedUntil)}`)] : '—'),
          h('td', { 'data-label': 'Next run', class: 'small' }, health.schedule?.running === false ? 'not scheduled' : formatRelative(s.nextSlot, now)));
      })))),
    h('p', { class: 'muted small' }, `Scorer: last run ${formatRelative(health.scorer?.lastRun?.startedAt ?? health.scorer?.lastRun?.slot, now)}, ${health.schedule?.running === false ? 'not scheduled (the runtime was started with --no-schedule)' : `next ${formatRelative(health.scorer?.nextSlot, now)}`}.`),
  ];
}
