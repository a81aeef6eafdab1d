/**
 * Per metric kind: observations for a baseline and a window → the estimate to judge (window value vs
 * counterfactual with variances), data-quality figures, warnings, and what was missing.
 * No decision is taken here; see inference.ts.
 */
import type { MetricDefinition, ParsedMetricKey } from '../metric-catalog';
import type { Observation, ObservedMetric } from '../observation';
import type { ModelDiagnostics, PlaceboSummary, Verdict, VerdictWarning } from '../verdict';
import { cellTotals, eventUnits, type EventUnit, unitsIn } from '../metrics/event-units';
import { countSnapshots } from '../metrics/daily-series';
import {
  type Backtest, chooseCounterfactual, type CounterfactualChoice, type CounterfactualSpec, type CountRateFit, dayLoadings, fitCounterfactual,
  levelScale, MIN_BASELINE_DAYS, modelSpreadVariance, noiseUnits, predictWindowTotal, dfWithInflationFrom,
} from './count-rate-model';
import { type EffectEstimate, widen } from './inference';
import { comparePairedProportions, compareUnpairedProportions } from './proportion-model';
import { compareRatios, type RatioUnit } from './ratio-model';
import {
  type CountSnapshot, DAY_MS, type DailyIncrement, dailyIncrements, gapRanges, incrementShape, isoDate, type MeasuredCount,
  measureCount, type Timeline, timelineOf,
} from './snapshot-interpolation';

export interface Period {
  start: string;
  end: string;
}

export interface AnalysisInput {
  parsed: ParsedMetricKey;
  observations: readonly Observation[];
  baseline: Period;
  window: Period;
  /** Required confidence (the placebo check counts "finds" at this level). */
  confidence: number;
}

export interface Analysis {
  method: string;
  baselineValue: number | null;
  windowValue: number | null;
  expectedValue: number | null;
  /** Present exactly when nothing is missing. Already widened by the placebo check. */
  estimate: EffectEstimate | null;
  dataQuality: Verdict['dataQuality'];
  warnings: VerdictWarning[];
  missing: string[];
  model?: ModelDiagnostics;
  placebo?: PlaceboSummary;
  /** Standard-error multiplier from the placebo check (1 when it passed or did not run). */
  placeboInflation: number;
  /** Where the counterfactual comes from, for the summary. */
  counterfactual: CounterfactualKind;
  /** Why this result may not be kept whatever it shows (e.g. the list was cleaned during the window). */
  refuseKeep?: string;
  /** Newsletter rates: how the list size moved between baseline and window, and what the expectation was adjusted for. */
  denominator?: DenominatorShift;
  /** Count rates: the model chosen by the backtest and the days it was fitted on. */
  counterfactualSpec?: CounterfactualSpec & { fittedDays: number };
}

export type CounterfactualKind = 'trend' | 'trend_and_weekdays' | 'level' | 'level_and_weekdays' | 'baseline' | 'baseline_on_remaining_list';

/** Windows and baselines with less than this share of measurable days are not judged. */
export const MIN_COVERAGE = 0.5;
/** Below this share of measurable days a low_coverage warning is raised. */
const WARN_COVERAGE = 0.8;
/** Fewer measured baseline days than this: short_baseline warning. */
const WARN_BASELINE_DAYS = 14;
/** Fewer units per period than this (prompts: than 2×): few_events warning. */
const FEW_UNITS = 5;
const IMMATURE_MS = 24 * 3_600_000;

const COUNT_NAMES: Record<ObservedMetric, string> = {
  'x.followers': 'X follower counts',
  'x.posts': 'X post counts',
  'newsletter.subscribers': 'newsletter subscriber counts',
  'bluesky.followers': 'Bluesky follower counts',
  'bluesky.posts': 'Bluesky post counts',
  'x.post': 'X posts',
  'newsletter.send': 'newsletter sends',
  'citations.answer': 'AI answers',
  'revenue.gross': 'daily gross revenue',
  'revenue.net': 'daily net revenue',
  'revenue.new_customers': 'daily new paying customers',
  'revenue.mrr': 'MRR snapshots',
  'revenue.active_subscriptions': 'active subscription counts',
  'traffic.visitors': 'daily visitor counts',
  'traffic.ai_referred_visitors': 'daily AI-referred visitor counts',
};

function durationDays(p: Period): number {
  return (Date.parse(p.end) - Date.parse(p.start)) / DAY_MS;
}

function range(p: Period): string {
  return `${p.start.slice(0, 10)} to ${isoDate(Math.ceil(Date.parse(p.end) / DAY_MS) - 1)}`;
}

/**
 * The baseline days a verdict reports (dataQuality.baselineDays): the period's length in days. The planner
 * names its baseline with this, so plan and verdict say the same number.
 */
export function verdictBaselineDays(baseline: Period): number {
  return Math.round(durationDays(baseline));
}

/** Full UTC days inside [start, end). */
function fullDays(p: Period): { firstDay: number; count: number } {
  const firstDay = Math.ceil(Date.parse(p.start) / DAY_MS);
  return { firstDay, count: Math.max(0, Math.floor(Date.parse(p.end) / DAY_MS) - firstDay) };
}

function emptyQuality(baseline: Period, window: Period): Verdict['dataQuality'] {
  return {
    windowCoverage: 0,
    baselineCoverage: 0,
    gaps: [],
    baselineDays: verdictBaselineDays(baseline),
    windowDays: Math.round(durationDays(window)),
  };
}

function coverageWarnings(quality: Verdict['dataQuality']): VerdictWarning[] {
  const low: string[] = [];
  if (quality.baselineCoverage < WARN_COVERAGE) low.push(`baseline ${pct(quality.baselineCoverage)}`);
  if (quality.windowCoverage < WARN_COVERAGE) low.push(`window ${pct(quality.windowCoverage)}`);
  return low.length
    ? [{ code: 'low_coverage', message: `Only part of the expected daily data was measurable (${low.join(', ')}); gaps: ${quality.gaps.length}.` }]
    : [];
}

function pct(x: number): string {
  return `${Math.round(x * 100)} %`;
}

// ---------------------------------------------------------------- count rates

/** First (or last) measurable instant among `candidates`. */
function firstMeasurable(snaps: readonly CountSnapshot[], candidates: number[]): { atMs: number; count: MeasuredCount } | undefined {
  for (const atMs of candidates) {
    const count = measureCount(snaps, atMs);
    if (count) return { atMs, count };
  }
  return undefined;
}

function midnightsBetween(startMs: number, endMs: number): number[] {
  const out: number[] = [];
  for (let d = Math.ceil(startMs / DAY_MS); d * DAY_MS <= endMs; d++) out.push(d * DAY_MS);
  return out;
}

/** What the snapshots cover of a count rate's baseline and window: the numbers, no words. */
interface CountRateCoverage {
  quality: Verdict['dataQuality'];
  /** Full baseline days, and the measured daily increments among them. */
  baselineDays: number;
  measuredBaselineDays: readonly DailyIncrement[];
  /** Growth per day over the baseline (edge to edge, else the mean measured day); null without data. */
  baselineValue: number | null;
  /** The measurable instants nearest the window's edges, and the days between them. */
  windowEdges?: { start: { atMs: number; count: MeasuredCount }; end: { atMs: number; count: MeasuredCount } };
  windowLengthDays: number;
  spanDays: number;
  /** Growth per day over the measurable span of the window; null without it. */
  windowValue: number | null;
}

function countRateCoverage(snaps: readonly CountSnapshot[], baseline: Period, window: Period): CountRateCoverage {
  const quality = emptyQuality(baseline, window);
  const bDays = fullDays(baseline);
  const bInc = dailyIncrements(snaps, bDays.firstDay, bDays.count);
  const measured = bInc.filter((d): d is DailyIncrement => d !== null);
  const wDays = fullDays(window);
  const wInc = dailyIncrements(snaps, wDays.firstDay, wDays.count);
  quality.baselineCoverage = bDays.count > 0 ? measured.length / bDays.count : 0;
  quality.windowCoverage = wDays.count > 0 ? wInc.filter((d) => d !== null).length / wDays.count : 0;
  quality.gaps = [
    ...gapRanges(bDays.firstDay, bInc.map((d) => d !== null)),
    ...gapRanges(wDays.firstDay, wInc.map((d) => d !== null)),
  ];

  // Baseline value: growth between the baseline's edges, else the mean of measured days.
  const bStartMs = Date.parse(baseline.start);
  const bEndMs = Date.parse(baseline.end);
  const bStart = firstMeasurable(snaps, [bStartMs, ...midnightsBetween(bStartMs, bEndMs)]);
  const bEnd = firstMeasurable(snaps, [bEndMs, ...midnightsBetween(bStartMs, bEndMs).reverse()]);
  const baselineValue =
    bStart && bEnd && bEnd.atMs - bStart.atMs >= DAY_MS
      ? ((bEnd.count.value - bStart.count.value) * DAY_MS) / (bEnd.atMs - bStart.atMs)
      : measured.length > 0
        ? measured.reduce((s, d) => s + d.value, 0) / measured.length
        : null;

  // Window: count at its start and end (or the nearest measurable midnights inside it).
  const wStartMs = Date.parse(window.start);
  const wEndMs = Date.parse(window.end);
  const inside = midnightsBetween(wStartMs, wEndMs);
  const edgeStart = firstMeasurable(snaps, [wStartMs, ...inside]);
  const edgeEnd = firstMeasurable(snaps, [wEndMs, ...[...inside].reverse()]);
  const spanDays = edgeStart && edgeEnd ? (edgeEnd.atMs - edgeStart.atMs) / DAY_MS : 0;
  return {
    quality,
    baselineDays: bDays.count,
    measuredBaselineDays: measured,
    baselineValue,
    ...(edgeStart && edgeEnd && { windowEdges: { start: edgeStart, end: edgeEnd } }),
    windowLengthDays: durationDays(window),
    spanDays,
    windowValue: edgeStart && edgeEnd && spanDays > 0 ? (edgeEnd.count.value - edgeStart.count.value) / spanDays : null,
  };
}

/** What a count rate's coverage lacks for a verdict, in words (empty when it can be judged). */
function countRateMissing(c: CountRateCoverage, noun: string, baseline: Period, window: Period): string[] {
  const missing: string[] = [];
  const measured = c.measuredBaselineDays.length;
  if (measured < MIN_BASELINE_DAYS) {
    missing.push(`${noun} for at least ${MIN_BASELINE_DAYS} measurable days in the baseline (${range(baseline)}); found ${measured} of ${c.baselineDays}`);
  } else if (c.quality.baselineCoverage < MIN_COVERAGE) {
    missing.push(`${noun} for at least half the baseline days (${range(baseline)}); found ${measured} of ${c.baselineDays}`);
  }
  if (c.windowLengthDays < 1) {
    missing.push(`a window of at least one day (it starts ${window.start.slice(0, 10)})`);
  } else if (c.spanDays < Math.max(1, MIN_COVERAGE * c.windowLengthDays)) {
    missing.push(
      c.spanDays <= 0
        ? `${noun} at (or near) the start and end of the window (${range(window)})`
        : `${noun} spanning at least half the window (${range(window)}); measurable span ${c.spanDays.toFixed(1)} of ${c.windowLengthDays.toFixed(0)} days`,
    );
  }
  return missing;
}

/** What the chosen fit does not know about itself: the other candidates and the whole baseline's autocorrelation. */
interface ModelUncertainty {
  choice: CounterfactualChoice;
  /** The candidates' fits, in choice.candidates' order (the chosen one is `fit` itself). */
  candidateFits: readonly (CountRateFit | undefined)[];
}

/**
 * The window's growth per day against the fitted counterfactual's, with their variances (per day²): the
 * measured window total picks up each day's growth in proportion to its day loadings. The noise is the
 * account's: when the whole baseline shows more autocorrelation than the chosen fit (fitted on its
 * recent weeks) saw, that inflation is used; and the other candidates' disagreement beyond noise is
 * added to the counterfactual's variance (modelSpreadVariance).
 */
function countRateEstimate(
  fit: CountRateFit, timeline: Timeline, edges: NonNullable<CountRateCoverage['windowEdges']>, spanDays: number, uncertainty: ModelUncertainty,
): { estimate: EffectEstimate; trendPerDay: number } {
  const spanShape = incrementShape(edges.start.count.position, edges.end.count.position, timeline);
  const actualTotal = edges.end.count.value - edges.start.count.value;
  const days = dayLoadings(spanShape);
  const prediction = predictWindowTotal(fit, days, spanShape);
  const spread = modelSpreadVariance(uncertainty.choice, uncertainty.candidateFits, prediction, days);
  const inflation = Math.max(1, uncertainty.choice.baselineInflation / fit.inflation);
  const df = inflation > 1 ? dfWithInflationFrom(fit, uncertainty.choice.baselineInflationDf, uncertainty.choice.baselineInflationRows) : fit.df;
  // Window noise: σ² per day through the interpolation structure, at the window's own level
  // (count noise grows with the level, so a lift brings its own variance).
  const windowScale = levelScale(fit.level, actualTotal / spanDays);
  const noiseVariance = fit.sigma2 * fit.inflation * windowScale * noiseUnits(fit, spanShape);
  const estimate: EffectEstimate = {
    windowValue: actualTotal / spanDays,
    expectedValue: prediction.expectedTotal / spanDays,
    windowVariance: (inflation * noiseVariance) / (spanDays * spanDays),
    expectedVariance: (inflation * prediction.parameterVariance + spread) / (spanDays * spanDays),
    covariance: (inflation * prediction.covarianceWithActual * Math.sqrt(windowScale)) / (spanDays * spanDays),
    df,
  };
  return { estimate, trendPerDay: prediction.trendPerDay };
}

/** The warnings a fitted count rate earns, in words: an unstable baseline (already widened), a short one, no weekday pattern. */
function countRateFitWarnings(fit: CountRateFit, placebo: Backtest | undefined, placeboInflation: number, c: CountRateCoverage): VerdictWarning[] {
  const warnings: VerdictWarning[] = [];
  if (placebo?.unstable) {
    warnings.push({
      code: 'unstable_baseline',
      message:
        `The model "found" effects in ${placebo.falseFinds} of ${placebo.windows} ${placebo.windowDays}-day stretches of the baseline ` +
        `where nothing was tested; intervals were widened ×${placeboInflation.toFixed(2)}.`,
    });
  }
  const measured = c.measuredBaselineDays.length;
  if (measured < WARN_BASELINE_DAYS) {
    warnings.push({ code: 'short_baseline', message: `Only ${measured} measured baseline days: the prior trend is uncertain, so only large effects can be detected.` });
  }
  if (!fit.seasonal && fit.seasonalityPValue === null && Math.abs(c.windowLengthDays / 7 - Math.round(c.windowLengthDays / 7)) > 1e-9) {
    warnings.push({ code: 'no_seasonality', message: 'The baseline is too short to learn the weekday pattern and the window is not whole weeks; weekday effects may bias the comparison.' });
  }
  return warnings;
}

function analyseCountRate(input: AnalysisInput): Analysis {
  const { parsed, observations, baseline, window, confidence } = input;
  const source = parsed.definition.from[0];
  const noun = COUNT_NAMES[source];
  const snaps = countSnapshots(observations, source, parsed.series);
  const base: Omit<Analysis, 'dataQuality' | 'warnings' | 'missing'> = {
    method: 'count_rate_trend_gls',
    baselineValue: null,
    windowValue: null,
    expectedValue: null,
    estimate: null,
    placeboInflation: 1,
    counterfactual: 'trend',
  };
  if (snaps.length === 0) {
    return { ...base, dataQuality: emptyQuality(baseline, window), warnings: [], missing: [`${noun}: none recorded for the baseline or the window`] };
  }

  const coverage = countRateCoverage(snaps, baseline, window);
  const { quality, baselineValue, windowValue } = coverage;
  const warnings = coverageWarnings(quality);
  const missing = countRateMissing(coverage, noun, baseline, window);
  if (missing.length > 0 || !coverage.windowEdges) {
    return { ...base, baselineValue, windowValue, dataQuality: quality, warnings, missing };
  }

  const timeline = timelineOf(snaps);
  const bStartMs = Date.parse(baseline.start);
  const bEndMs = Date.parse(baseline.end);
  const windowDays = Math.max(7, Math.round(coverage.windowLengthDays));
  const choice = chooseCounterfactual(timeline, { startMs: bStartMs, endMs: bEndMs }, windowDays, confidence);
  const fitStartMs = choice.spec.lookbackDays === undefined ? bStartMs : Math.max(bStartMs, bEndMs - choice.spec.lookbackDays * DAY_MS);
  const baselineSpan = { startMs: bStartMs, endMs: bEndMs };
  const windowSpan = { startMs: Date.parse(window.start), endMs: Date.parse(window.end) };
  const fit = fitCounterfactual(timeline, baselineSpan, choice.spec, windowSpan);
  if (!fit) {
    return { ...base, baselineValue, windowValue, dataQuality: quality, warnings, missing: [`${noun} on enough distinct baseline days to fit a trend`] };
  }
  const candidateFits = choice.candidates.map((c) => (c === choice.backtest ? fit : fitCounterfactual(timeline, baselineSpan, c.spec, windowSpan)));
  const fitted = countRateEstimate(fit, timeline, coverage.windowEdges, coverage.spanDays, { choice, candidateFits });
  // The placebo check: a baseline on which the model "finds" effects where nothing was tested widens the intervals.
  const placebo = choice.backtest;
  const placeboInflation = placebo?.unstable ? placebo.inflation : 1;
  const estimate = placebo?.unstable ? widen(fitted.estimate, placeboInflation) : fitted.estimate;
  warnings.push(...countRateFitWarnings(fit, placebo, placeboInflation, coverage));
  return {
    ...base,
    counterfactual: `${choice.spec.trend ? 'trend' : 'level'}${fit.seasonal ? '_and_weekdays' : ''}` as CounterfactualKind,
    counterfactualSpec: { ...choice.spec, fittedDays: Math.round((bEndMs - fitStartMs) / DAY_MS) },
    baselineValue,
    windowValue: estimate.windowValue,
    expectedValue: estimate.expectedValue,
    estimate,
    dataQuality: quality,
    warnings,
    missing: [],
    placeboInflation,
    model: {
      df: fit.df,
      trendPerDay: fitted.trendPerDay,
      weekdayEffects: fit.seasonal,
      weekdayPValue: fit.seasonalityPValue,
      dailyNoiseSd: Math.sqrt(fit.sigma2),
      dayShockShare: fit.dayShockShare,
      autocorrelationInflation: fit.inflation,
    },
    ...(placebo && {
      placebo: {
        windows: placebo.windows,
        windowDays: placebo.windowDays,
        falseFinds: placebo.falseFinds,
        rmsZ: placebo.rmsZ,
        unstable: placebo.unstable,
        inflation: placebo.inflation,
      },
    }),
  };
}

// ---------------------------------------------------------------- followers per post (days as units)

function analyseFollowersPerPost(input: AnalysisInput): Analysis {
  const { observations, baseline, window } = input;
  const followers = countSnapshots(observations, 'x.followers');
  const posts = countSnapshots(observations, 'x.posts');
  const quality = emptyQuality(baseline, window);
  const missing: string[] = [];
  const units = (p: Period) => {
    const { firstDay, count } = fullDays(p);
    const f = dailyIncrements(followers, firstDay, count);
    const n = dailyIncrements(posts, firstDay, count);
    const present = f.map((x, i) => x !== null && n[i] !== null);
    const list: RatioUnit[] = [];
    present.forEach((ok, i) => ok && list.push({ y: f[i]!.value, x: n[i]!.value }));
    return { list, count, firstDay, present };
  };
  const b = units(baseline);
  const w = units(window);
  quality.baselineCoverage = b.count ? b.list.length / b.count : 0;
  quality.windowCoverage = w.count ? w.list.length / w.count : 0;
  quality.gaps = [...gapRanges(b.firstDay, b.present), ...gapRanges(w.firstDay, w.present)];
  const bPosts = b.list.reduce((s, u) => s + u.x, 0);
  const wPosts = w.list.reduce((s, u) => s + u.x, 0);
  quality.baselineEvents = bPosts;
  quality.windowEvents = wPosts;
  const warnings = coverageWarnings(quality);
  if (b.list.length < MIN_BASELINE_DAYS || quality.baselineCoverage < MIN_COVERAGE) {
    missing.push(`X follower and post counts for at least ${MIN_BASELINE_DAYS} days and half the baseline (${range(baseline)}); found ${b.list.length} of ${b.count}`);
  }
  if (w.list.length < 2 || quality.windowCoverage < MIN_COVERAGE) {
    missing.push(`X follower and post counts for at least half the window (${range(window)}); found ${w.list.length} of ${w.count} days`);
  }
  if (b.list.length >= 2 && bPosts <= 0) missing.push(`posts published in the baseline (the X post count did not rise in ${range(baseline)})`);
  if (w.list.length >= 2 && wPosts <= 0) missing.push(`posts published in the window (the X post count did not rise in ${range(window)})`);
  const out = {
    method: 'ratio_delta_method',
    baselineValue: bPosts > 0 ? b.list.reduce((s, u) => s + u.y, 0) / bPosts : null,
    windowValue: wPosts > 0 ? w.list.reduce((s, u) => s + u.y, 0) / wPosts : null,
    dataQuality: quality,
    placeboInflation: 1,
    counterfactual: 'baseline' as const,
  };
  if (missing.length > 0) return { ...out, expectedValue: null, estimate: null, warnings, missing };
  const { estimate } = compareRatios(b.list, w.list);
  if (bPosts < FEW_UNITS || wPosts < FEW_UNITS) {
    warnings.push({ code: 'few_events', message: `Few posts behind the ratio (${bPosts} in the baseline, ${wPosts} in the window).` });
  }
  return { ...out, expectedValue: estimate.expectedValue, estimate, warnings, missing, model: { df: estimate.df } };
}

// ---------------------------------------------------------------- event-based metrics

const EVENT_NOUNS: Record<string, { one: string; many: string }> = {
  'x.post': { one: 'post', many: 'posts' },
  'newsletter.send': { one: 'send', many: 'sends' },
  'citations.answer': { one: 'answer', many: 'answers' },
};

function coverageFromObservations(observations: readonly Observation[], metric: ObservedMetric, p: Period): { coverage: number; firstDay: number; present: boolean[] } {
  const { firstDay, count } = fullDays(p);
  const present = new Array<boolean>(count).fill(false);
  for (const o of observations) {
    if (o.metric !== metric) continue;
    const i = Math.floor(Date.parse(o.at) / DAY_MS) - firstDay;
    if (i >= 0 && i < count) present[i] = true;
  }
  return { coverage: count ? present.filter(Boolean).length / count : 0, firstDay, present };
}

function analyseEvents(input: AnalysisInput): Analysis {
  const { parsed, observations, baseline, window } = input;
  const def: MetricDefinition = parsed.definition;
  const source = def.from[0];
  const noun = EVENT_NOUNS[source];
  const isCitation = source === 'citations.answer';
  const isProportion = def.kind === 'proportion';
  const all = eventUnits(parsed, observations).filter((u) => !isProportion || u.denominator > 0);
  const bUnits = unitsIn(all, Date.parse(baseline.start), Date.parse(baseline.end));
  const wUnits = unitsIn(all, Date.parse(window.start), Date.parse(window.end));
  const quality = emptyQuality(baseline, window);
  quality.baselineEvents = bUnits.length;
  quality.windowEvents = wUnits.length;
  const bCov = coverageFromObservations(observations, source, baseline);
  const wCov = coverageFromObservations(observations, source, window);
  quality.baselineCoverage = bCov.coverage;
  quality.windowCoverage = wCov.coverage;
  const warnings: VerdictWarning[] = [];
  if (isCitation) {
    // The tracker runs daily, so missing days are real gaps; posts and sends are not expected every day.
    quality.gaps = [...gapRanges(bCov.firstDay, bCov.present), ...gapRanges(wCov.firstDay, wCov.present)];
    warnings.push(...coverageWarnings(quality));
  }
  const engine = parsed.engine ? ` from ${parsed.engine}` : '';
  const missing: string[] = [];
  if (bUnits.length === 0) missing.push(`${noun.many}${engine} in the baseline (${range(baseline)}): none recorded`);
  if (wUnits.length === 0) missing.push(`${noun.many}${engine} in the window (${range(window)}): none recorded`);

  const sum = (us: readonly EventUnit[], f: (u: EventUnit) => number) => us.reduce((s, u) => s + f(u), 0);
  const valueOf = (us: readonly EventUnit[]) => {
    const d = sum(us, (u) => u.denominator);
    return d > 0 ? sum(us, (u) => u.numerator) / d : null;
  };
  const out = {
    baselineValue: valueOf(bUnits),
    windowValue: valueOf(wUnits),
    dataQuality: quality,
    placeboInflation: 1,
    counterfactual: 'baseline' as const,
  };

  let clusters = 0;
  if (missing.length === 0) {
    if (isCitation) {
      clusters = new Set([...bUnits, ...wUnits].map((u) => u.cluster)).size;
      if (clusters < 3) missing.push(`at least 3 tracked prompts to measure prompt-to-prompt variation; found ${clusters}`);
    } else if (isProportion) {
      if (bUnits.length + wUnits.length < 3) {
        missing.push(`at least 3 ${noun.many} across baseline and window to measure how much the rate varies between ${noun.many}; found ${bUnits.length + wUnits.length}`);
      }
    } else {
      if (bUnits.length < 2) missing.push(`at least 2 ${noun.many} in the baseline (${range(baseline)}); found ${bUnits.length}`);
      if (wUnits.length < 2) missing.push(`at least 2 ${noun.many} in the window (${range(window)}); found ${wUnits.length}`);
    }
  }
  const method = isCitation ? 'proportion_paired_clusters' : isProportion ? 'proportion_random_effects' : 'ratio_delta_method';
  if (missing.length > 0) return { ...out, method, expectedValue: null, estimate: null, warnings, missing };

  let estimate: EffectEstimate;
  let model: ModelDiagnostics;
  const shift = denominatorShift(def, bUnits, wUnits);
  // After a clean-up the baseline's sends are counted over the list that remained (see denominatorShift).
  const judgedBaseline = shift?.adjusted ? bUnits.map((u) => ({ ...u, denominator: u.denominator * shift.ratio })) : bUnits;
  if (isProportion) {
    const result = isCitation
      ? comparePairedProportions(cellTotals(bUnits), cellTotals(wUnits))
      : compareUnpairedProportions(cellTotals(judgedBaseline), cellTotals(wUnits));
    estimate = result.estimate;
    model = { df: estimate.df, ...(result.betweenUnitVariance !== undefined && { betweenUnitSd: Math.sqrt(result.betweenUnitVariance) }) };
  } else {
    estimate = compareRatios(bUnits.map((u) => ({ y: u.numerator, x: u.denominator })), wUnits.map((u) => ({ y: u.numerator, x: u.denominator }))).estimate;
    model = { df: estimate.df };
  }
  if (isCitation ? clusters < 2 * FEW_UNITS : Math.min(bUnits.length, wUnits.length) < FEW_UNITS) {
    warnings.push({
      code: 'few_events',
      message: isCitation
        ? `Only ${clusters} tracked prompts: the verdict rests on few independent questions.`
        : `Few ${noun.many} behind the rate (${bUnits.length} in the baseline, ${wUnits.length} in the window): one unusual ${noun.one} can swing it.`,
    });
  }
  // Follows per post count fixed hours after each post: complete once those hours have passed (no unit exists before).
  if (!isCitation && def.key !== 'x.follows_per_post') {
    const immature = wUnits.filter((u) => u.measuredAtMs - u.atMs < IMMATURE_MS).length;
    if (immature > 0) {
      warnings.push({
        code: 'immature_events',
        message: `${immature} of ${wUnits.length} window ${noun.many} were last read less than 24 h after they went out; their counts may still grow. Scoring two days after the window ends avoids this.`,
      });
    }
  }
  if (shift) warnings.push({ code: 'moving_denominator', message: shift.message });
  return {
    ...out, method, expectedValue: estimate.expectedValue, estimate, warnings, missing, model,
    ...(shift && { refuseKeep: shift.message, denominator: shift }),
    ...(shift?.adjusted && { counterfactual: 'baseline_on_remaining_list' as const }),
  };
}

/** Delivered per send may change by at most this share between baseline and window before a rate is not kept. */
const MAX_DENOMINATOR_CHANGE = 0.15;

/** A newsletter list that shrank (a clean-up) or grew sharply between baseline and window. */
export interface DenominatorShift {
  /** Mean delivered per send in the baseline and in the window. */
  baselinePerSend: number;
  windowPerSend: number;
  /** windowPerSend / baselinePerSend. */
  ratio: number;
  /**
   * True when the expectation was adjusted to the list that remained: the baseline's opens (clicks)
   * counted over the window's delivered per send, i.e. the baseline rate × baselinePerSend / windowPerSend.
   */
  adjusted: boolean;
  /** The baseline rate as measured (before the adjustment). */
  baselineRate: number;
  message: string;
}

/**
 * Newsletter rates are opens (clicks) over delivered: removing subscribers or a burst of new ones moves
 * the denominator, and the rate with it, with no tactic involved. When delivered per send differs by
 * more than 15 % between baseline and window:
 * - the list shrank (a clean-up): the expectation is adjusted to the list that remained, under the
 *   assumption that the removed subscribers would not have opened (clicked) — what a clean-up of
 *   inactive subscribers removes. The baseline's sends are then counted over the window's delivered per
 *   send, so the interval describes the tactic's effect on the rate of the list as it is, not the
 *   clean-up's. Not adjusted when the baseline's opens per send exceed the window's delivered (the
 *   assumption is then plainly false).
 * - the list grew (an import, a burst of sign-ups): not adjusted — how often the newcomers open cannot be
 *   told apart from the others' in per-send totals, so the rate is compared as measured.
 * Either way the sends cannot show whether the assumption holds, so the result is never kept.
 */
function denominatorShift(def: MetricDefinition, baseline: readonly EventUnit[], window: readonly EventUnit[]): DenominatorShift | undefined {
  if (def.from[0] !== 'newsletter.send' || baseline.length === 0 || window.length === 0) return undefined;
  const mean = (us: readonly EventUnit[], f: (u: EventUnit) => number) => us.reduce((s, u) => s + f(u), 0) / us.length;
  const b = mean(baseline, (u) => u.denominator);
  const w = mean(window, (u) => u.denominator);
  const ratio = w / b;
  if (!(Math.abs(ratio - 1) > MAX_DENOMINATOR_CHANGE)) return undefined;
  const baselineRate = mean(baseline, (u) => u.numerator) / b;
  const what = def.key === 'newsletter.open_rate' ? { rate: 'open rate', act: 'opened' } : { rate: 'click rate', act: 'clicked' };
  const count = (x: number) => Math.round(x).toLocaleString('en-US');
  const moved = `Delivered per send ${ratio < 1 ? 'fell' : 'rose'} ${Math.round(Math.abs(ratio - 1) * 100)} % (${count(b)} → ${count(w)}) between baseline and window`;
  const fmt = (x: number) => `${(x * 100).toFixed(1)} %`;
  const adjusted = ratio < 1 && mean(baseline, (u) => u.numerator) <= w;
  const message = ratio < 1
    ? adjusted
      ? `${moved}, as after a list clean-up, which raises the ${what.rate} by itself. The expectation was adjusted to the list that remained: ` +
        `the baseline's ${fmt(baselineRate)} becomes ${fmt(baselineRate / ratio)} when its sends are counted over ${count(w)} instead of ${count(b)} delivered, ` +
        `assuming the removed subscribers would not have ${what.act}. The sends cannot show that, so this result is not kept whatever it shows.`
      : `${moved}, but the baseline's sends had more ${what.act === 'opened' ? 'opens' : 'clicks'} than the window's delivered, so the removed subscribers did ${what.act.replace('ed', '')} ` +
        `and no adjustment is possible: the ${what.rate} moved with the list, so this result is not kept whatever it shows.`
    : `${moved}, as after an import or a burst of sign-ups: new subscribers ${what.act.replace('ed', '')} at their own rate, which per-send totals cannot separate from the rest, ` +
      `so the ${what.rate} is compared as measured — the expectation is the baseline's ${fmt(baselineRate)}, as if they ${what.act.replace('ed', '')} as often as the rest ` +
      `(${fmt(baselineRate / ratio)} if they never did) — and this result is not kept whatever it shows.`;
  return { baselinePerSend: b, windowPerSend: w, ratio, adjusted, baselineRate, message };
}

/** Dispatches on the metric kind. */
export function analyseMetric(input: AnalysisInput): Analysis {
  const def = input.parsed.definition;
  if (def.kind === 'count_rate') return analyseCountRate(input);
  if (def.key === 'x.follower_growth_per_post') return analyseFollowersPerPost(input);
  return analyseEvents(input);
}
