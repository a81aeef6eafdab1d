/**
 * Power planning: before an experiment starts, what can its window see?
 *
 * From the account's own history of the metric we estimate a noise profile (level, day-to-day or
 * unit-to-unit variance, autocorrelation) and, from it, the standard error the verdict's model will
 * have for a given window and baseline. That gives the minimum detectable lift at 80 % power, the
 * window that would detect a target lift, and what 1-, 2-, 4- and 6-week windows could detect.
 *
 * Pure: no I/O, no clock (`now` comes in). The switchback/post-variant designs build on
 * `noiseProfile`, `powerAt` and `detectableEffect` (a standard error in → lift out).
 */
import { type MetricKind, parseMetricKey } from '../metric-catalog';
import type { SwitchbackPlan } from './switchback-plan';
import { countSnapshots } from '../metrics/daily-series';
import { eventUnits } from '../metrics/event-units';
import type { Experiment } from '../experiment';
import { DEFAULT_TARGET_LIFT, type PlanWarning } from './stored-plan';
import type { Observation } from '../observation';
import { DEFAULT_BASELINE_MAX_DAYS, resolveBaseline } from '../scoring/score-experiment';
import { verdictBaselineDays } from '../scoring/metric-analysis';
import {
  chooseCounterfactual, type CounterfactualSpec, fitCounterfactual, levelScale, modelSpreadVariance, predictWindowTotal, trendDay,
} from '../scoring/count-rate-model';
import { ratioOfSums } from '../scoring/ratio-model';
import { DAY_MS, dailyIncrements, timelineOf } from '../scoring/snapshot-interpolation';
import { invertSymmetric, normalQuantile, studentTCdf, studentTQuantile } from '../scoring/statistics';

/** Power the plan sizes for. */
export const PLAN_POWER = 0.8;
export { DEFAULT_TARGET_LIFT } from './stored-plan';
/** Windows the plan reports (days). */
export const PLAN_WINDOWS = [7, 14, 28, 42] as const;
/** The longest window `verdict new` and the API accept. */
const MAX_WINDOW_DAYS = 42;
/** Longest default baseline (8 weeks): older history rarely describes the present. */
export const MAX_DEFAULT_BASELINE_DAYS = DEFAULT_BASELINE_MAX_DAYS;
/** Longest window the plan will search when nothing up to 42 days detects the target. */
const MAX_SEARCH_WINDOW_DAYS = 182;
/** Largest relative lift the plan reports a window for (+2000 %). */
const MAX_LIFT = 20;

/**
 * What the history says about a metric's noise, in the metric's unit.
 * count_rate: units are days; `unitVariance` is Var(one day's value) at `level`.
 * ratio/proportion: units are posts, sends or answer-days; Var(period value over k units) ≈ unitVariance / k.
 */
export interface NoiseProfile {
  metric: string;
  kind: MetricKind;
  /** Days of history the profile rests on (first to last usable observation). */
  historyDays: number;
  /** Typical value (per day for count rates; the rate for ratios/proportions). */
  level: number;
  /** Variance of one unit's value (see above), metric unit². */
  unitVariance: number;
  /** Units per day (1 for count rates). */
  unitsPerDay: number;
  /** Count rates: part of the daily variance the level does not explain (unit²/day²); the rest grows with the level. */
  excessVariance?: number;
  /** Variance multiplier for day-to-day autocorrelation (≥ 1). */
  inflation: number;
  /** Count rates: degrees of freedom of that estimated multiplier (absent or Infinity: known), from `inflationRows` daily rows. */
  inflationDf?: number;
  inflationRows?: number;
  /**
   * Count rates: the residual df under that autocorrelation as a share of rows − columns (absent: 1), as
   * the verdict's fit reads it (CountRateFit.residualDfShare): a persistent wander leaves σ̂² fewer
   * independent pieces of information than there are rows.
   */
  residualDfShare?: number;
  /**
   * Count rates: excess kurtosis of the fit's residuals (heavy-tailed days: viral spikes, good and bad weeks),
   * which lowers the verdict's df as 1/df + κ/2n (CountRateFit.kurtosis); absent: 0.
   */
  kurtosis?: number;
  /** Whether the model will fit weekday effects (costs a little power). */
  seasonal: boolean;
  /** Count rates: recent trend per day, per day (for the expected level at the window). */
  trendPerDay?: number;
  /** Count rates: the counterfactual the verdict's backtest picks on this history (see chooseCounterfactual). */
  model?: CounterfactualSpec;
  /** Whether the figures are an assumption (Poisson from a short history) rather than measured. */
  assumed: boolean;
  /**
   * Count rates: the model-uncertainty variance the verdict will add (modelSpreadVariance), of the
   * window's mean per day, for a window of `windowDays` starting at the history's end (metric unit²).
   */
  modelSpread?: (windowDays: number) => number;
}

export interface PlanInput {
  metric: string;
  observations: readonly Observation[];
  /** The planned start (history is what was observed before it). */
  start: Date;
  windowDays: number;
  /** Baseline length, ending at the start; default: the verdict's default baseline for this start (resolveBaseline). */
  baselineDays?: number;
  /** An explicit baseline period, as stored with the experiment (wins over baselineDays). */
  baseline?: { start: string; end: string };
  confidence: number;
  minLift: number;
  /** Lift to size the window for; default max(+50 %, 2 × minLift). */
  targetLift?: number;
  /** Other experiments (a default baseline starts after one on the same metric that ended inside it). */
  otherExperiments?: readonly Experiment[];
  /** The experiment's own id, when it exists already (so it is not its own neighbour). */
  experimentId?: string;
}

export interface WindowPower {
  windowDays: number;
  /** Smallest relative lift detected with 80 % power (null: not within +2000 %). */
  detectableLift: number | null;
  /** Power for the target lift, 0–1. */
  powerAtTarget: number;
}

export interface ExperimentPlan {
  /** Switchback requests: the switchback's own power, and the before/after power of the same account beside it. */
  switchback?: SwitchbackPlan;
  metric: string;
  windowDays: number;
  baselineDays: number;
  /** Days of usable history before the start. */
  historyDays: number;
  confidence: number;
  minLift: number;
  targetLift: number;
  /** Level the lift is relative to (metric unit), e.g. 2.1 followers/day. */
  expectedLevel: number | null;
  /** Minimum detectable relative lift at 80 % power for this window and baseline (null: unknown or beyond +2000 %). */
  detectableLift: number | null;
  /** Power for the target lift with this window, 0–1 (null: unknown). */
  powerAtTarget: number | null;
  /** Smallest window (days, at this baseline) reaching 80 % for the target lift; null when none ≤ 26 weeks does. */
  windowForTarget: number | null;
  /**
   * When minLift > 0: the smallest window (days) with 80 % power to tell a lift of minLift from no change
   * (null: none ≤ 26 weeks). A keep needs more (the lift credibly above minLift), hence the larger target.
   */
  windowForMinLift?: number | null;
  /** What 7-, 14-, 28- and 42-day windows could detect. */
  byWindow: WindowPower[];
  /** Whether the noise figures were assumed (too little history) rather than measured. */
  assumed: boolean;
  /** Plain-language sentences for the CLI, dashboard and MCP. */
  summary: string;
  warnings: PlanWarning[];
}

export type { PlanWarning, PlanWarningCode, StoredPlan } from './stored-plan';

// ---------------------------------------------------------------- noise profile

/** History at most this long is read for the profile. */
const PROFILE_DAYS = 84;

/**
 * The noise profile of `metric` from observations before `before` (at most 12 weeks of them).
 * Undefined when there is nothing to go on (no observations of the metric at all).
 */
export function noiseProfile(
  metric: string, observations: readonly Observation[], before: Date, windowDays = 14, historyStart?: Date,
): NoiseProfile | undefined {
  const parsed = parseMetricKey(metric);
  if (!parsed) return undefined;
  const endMs = before.getTime();
  const startMs = historyStart ? historyStart.getTime() : endMs - PROFILE_DAYS * DAY_MS;
  const inRange = observations.filter((o) => {
    const t = Date.parse(o.at);
    return t >= startMs - (historyStart ? 0 : 2 * DAY_MS) && t <= endMs;
  });
  const def = parsed.definition;
  if (def.kind === 'count_rate') return countRateProfile(metric, countSnapshots(inRange, def.from[0], parsed.series), endMs, windowDays);
  const units = def.key === 'x.follower_growth_per_post'
    ? followersPerPostUnits(inRange, startMs, endMs)
    : eventUnitsByDayIfPaired(parsed.definition.key, eventUnits(parsed, inRange).filter((u) => u.atMs >= startMs && u.atMs < endMs && u.denominator > 0));
  if (units.list.length < 2) return undefined;
  const arm = ratioOfSums(units.list);
  const days = Math.max(1, units.spanDays);
  return {
    metric, kind: def.kind, historyDays: Math.round(units.spanDays), level: arm.ratio,
    unitVariance: arm.variance * arm.units, unitsPerDay: arm.units / days, inflation: 1, seasonal: false, assumed: arm.units < 6,
  };
}

function countRateProfile(metric: string, snaps: ReturnType<typeof countSnapshots>, endMs: number, windowDays: number): NoiseProfile | undefined {
  if (snaps.length < 2) return undefined;
  const firstMs = snaps[0].atMs;
  const lastMs = Math.min(snaps[snaps.length - 1].atMs, endMs);
  const historyDays = (lastMs - firstMs) / DAY_MS;
  const timeline = timelineOf(snaps);
  const baseline = { startMs: lastMs - Math.min(historyDays, MAX_DEFAULT_BASELINE_DAYS) * DAY_MS, endMs: lastMs };
  const choice = historyDays >= 7 ? chooseCounterfactual(timeline, baseline, Math.max(7, windowDays), 0.95) : undefined;
  const model = choice?.spec;
  const fit = choice ? fitCounterfactual(timeline, baseline, choice.spec) : undefined;
  if (fit && model && choice) {
    const level = Math.max(0, fit.level.baselineLevel);
    // The same widening the verdict applies: the whole baseline's autocorrelation when the chosen fit saw
    // less of it, and the spread of the other candidates' forecasts of the window.
    const candidateFits = choice.candidates.map((c) => (c === choice.backtest ? fit : fitCounterfactual(timeline, baseline, c.spec)));
    const firstWindowDay = Math.ceil(baseline.endMs / DAY_MS);
    const modelSpread = (days: number): number => {
      const window = Array.from({ length: days }, (_, k) => ({ day: firstWindowDay + k, weight: 1 }));
      return modelSpreadVariance(choice, candidateFits, predictWindowTotal(fit, window), window) / (days * days);
    };
    return {
      metric, kind: 'count_rate', historyDays: Math.floor(historyDays), level,
      unitVariance: Math.max(fit.sigma2, 1e-9), unitsPerDay: 1, excessVariance: fit.level.excess,
      inflation: Math.max(fit.inflation, choice.baselineInflation),
      // Its df, and the rows it was read on, from whichever fit the multiplier comes from (as the verdict does).
      ...(choice.baselineInflation > fit.inflation
        ? { inflationDf: choice.baselineInflationDf, inflationRows: choice.baselineInflationRows }
        : { inflationDf: fit.inflation > 1 ? fit.inflationDf : Infinity, inflationRows: fit.rows }),
      residualDfShare: fit.residualDfShare, kurtosis: fit.kurtosis,
      seasonal: fit.seasonal, trendPerDay: fit.coefficients[1] / 7, assumed: false, model,
      modelSpread,
    };
  }
  // Too short to fit: assume Poisson-like growth at the observed rate (at least one a day).
  const level = historyDays > 0 ? Math.max(0, (snaps[snaps.length - 1].value - snaps[0].value) / historyDays) : 0;
  return {
    metric, kind: 'count_rate', historyDays: Math.floor(historyDays), level,
    unitVariance: Math.max(level, 1), unitsPerDay: 1, excessVariance: 0, inflation: 1, seasonal: false, assumed: true,
  };
}

interface UnitList {
  list: { y: number; x: number }[];
  spanDays: number;
}

function followersPerPostUnits(observations: readonly Observation[], startMs: number, endMs: number): UnitList {
  const followers = countSnapshots(observations, 'x.followers');
  const posts = countSnapshots(observations, 'x.posts');
  const firstDay = Math.ceil(startMs / DAY_MS);
  const count = Math.floor(endMs / DAY_MS) - firstDay;
  const f = dailyIncrements(followers, firstDay, count);
  const p = dailyIncrements(posts, firstDay, count);
  const list: { y: number; x: number }[] = [];
  let first = -1;
  let last = -1;
  f.forEach((inc, i) => {
    if (inc && p[i]) {
      list.push({ y: inc.value, x: p[i]!.value });
      if (first < 0) first = i;
      last = i;
    }
  });
  return { list: list.some((u) => u.x > 0) ? list : [], spanDays: first >= 0 ? last - first + 1 : 0 };
}

/**
 * Units for event metrics: posts and sends are their own units; AI answers are compared prompt by
 * prompt across periods, so their noise is the day-to-day variation of a day's pooled rate.
 */
function eventUnitsByDayIfPaired(key: string, units: readonly { atMs: number; numerator: number; denominator: number }[]): UnitList {
  if (units.length === 0) return { list: [], spanDays: 0 };
  const firstMs = Math.min(...units.map((u) => u.atMs));
  const lastMs = Math.max(...units.map((u) => u.atMs));
  const spanDays = Math.max(1, (lastMs - firstMs) / DAY_MS + 1);
  if (!key.startsWith('citations.')) return { list: units.map((u) => ({ y: u.numerator, x: u.denominator })), spanDays };
  const byDay = new Map<number, { y: number; x: number }>();
  for (const u of units) {
    const d = Math.floor(u.atMs / DAY_MS);
    const cell = byDay.get(d) ?? { y: 0, x: 0 };
    cell.y += u.numerator;
    cell.x += u.denominator;
    byDay.set(d, cell);
  }
  return { list: [...byDay.values()], spanDays };
}

// ---------------------------------------------------------------- standard error of the effect

/**
 * Standard error (metric unit) of window value − counterfactual for a window of `windowDays` after a
 * baseline of `baselineDays`, when the true relative lift is `lift` (count noise grows with the level).
 * Count rates: the verdict's regression (intercept, trend, window level shift, weekday effects when
 * the history shows them) on daily values, weighted like the model; its df is returned too.
 * Ratios/proportions: baseline and window pooled rates, independent.
 */
export function effectStandardError(p: NoiseProfile, baselineDays: number, windowDays: number, lift = 0): { se: number; df: number } {
  const { se, df } = effectVariances(p, baselineDays, windowDays, lift);
  return { se, df };
}

/** effectStandardError, with the part of its variance that is the window's own noise (count rates; 0 otherwise). */
function effectVariances(p: NoiseProfile, baselineDays: number, windowDays: number, lift: number): { se: number; df: number; windowVariance: number } {
  if (p.kind !== 'count_rate') {
    const kb = Math.max(p.unitsPerDay * baselineDays, 1e-9);
    const kw = Math.max(p.unitsPerDay * windowDays, 1e-9);
    const variance = p.unitVariance / kb + (p.unitVariance * (1 + lift) ** 2) / kw;
    return { se: Math.sqrt(variance), df: Math.max(1, kb + kw - 2), windowVariance: 0 };
  }
  const scale = levelScale({ baselineLevel: p.level, excess: p.excessVariance ?? 0 }, p.level * (1 + lift));
  const model = p.model ?? { trend: true };
  const fitted = Math.min(baselineDays, model.lookbackDays ?? baselineDays);
  const damping = model.damping !== undefined ? { fromDay: fitted, phi: model.damping } : undefined;
  const columns = (model.trend ? 3 : 2) + (p.seasonal ? 6 : 0);
  const shift = model.trend ? 2 : 1;
  const xtx = Array.from({ length: columns }, () => new Array<number>(columns).fill(0));
  const n = fitted + windowDays;
  const centre = (fitted - 1) / 2;
  for (let d = 0; d < n; d++) {
    const inWindow = d >= fitted;
    const row = [1, ...(model.trend ? [(trendDay(d, damping) - centre) / 7] : []), inWindow ? 1 : 0];
    if (p.seasonal) for (let k = 1; k <= 6; k++) row.push(d % 7 === k ? 1 : d % 7 === 0 ? -1 : 0);
    const w = inWindow ? 1 / scale : 1;
    for (let a = 0; a < columns; a++) for (let b = 0; b < columns; b++) xtx[a][b] += w * row[a] * row[b];
  }
  const inverse = invertSymmetric(xtx);
  if (!inverse) return { se: Infinity, df: 1, windowVariance: 0 };
  const spread = p.modelSpread ? p.modelSpread(windowDays) : 0;
  // The estimated autocorrelation multiplier's own uncertainty lowers df as in the verdict (Satterthwaite);
  // the verdict estimates it on baseline and window together, and its df grows with the rows (Var ρ̂ ∝ 1/n).
  const inflationDf = (p.inflationDf ?? Infinity) * Math.max(1, n / Math.max(1, p.inflationRows ?? n));
  // Heavy tails make σ̂² less certain too (the verdict's 1/df gains κ/2n over its n rows).
  const df = 1 / (1 / Math.max(1, (n - columns) * (p.residualDfShare ?? 1)) + (p.kurtosis ?? 0) / (2 * n) + 1 / inflationDf);
  const total = p.unitVariance * p.inflation * inverse[shift][shift] + spread;
  return { se: Math.sqrt(total), df: Math.max(1, df), windowVariance: Math.min(total, (p.unitVariance * p.inflation * scale) / windowDays) };
}

/** Gauss–Hermite nodes and weights (probabilists', weights summing to 1) for E[f(Z)], Z standard normal. */
const HERMITE_NODES = [-2.8569700138728056, -1.355626179974266, 0, 1.355626179974266, 2.8569700138728056];
const HERMITE_WEIGHTS = [0.011257411327720691, 0.22207592200561266, 0.5333333333333333, 0.22207592200561266, 0.011257411327720691];

/**
 * Power of the keep rule (P(lift > minLift) ≥ confidence) when the true relative lift is `lift`:
 * the probability that the estimated effect clears the rule's bar, Student t with the model's df.
 */
export function powerAt(p: NoiseProfile, baselineDays: number, windowDays: number, lift: number, rule: { confidence: number; minLift: number }): number {
  if (!(p.level > 0)) return 0;
  const { se, df, windowVariance } = effectVariances(p, baselineDays, windowDays, lift);
  if (!Number.isFinite(se) || se <= 0) return 0;
  const quantile = studentTQuantile(rule.confidence, df);
  // Count noise grows with the level, and the verdict reads it at the window's realised level: good weeks
  // raise the estimate and its standard error together, bad weeks lower both. The window's mean day
  // multiplier m has the variance of its day shocks (the variance beyond counting, over the window,
  // persistence included); the power is averaged over m (Gauss–Hermite, m log-normal), the estimate's
  // remaining noise (counting, the counterfactual) being independent of m.
  const lifted = p.level * (1 + lift);
  const shockVariance = p.kind === 'count_rate' ? Math.max(0, (p.unitVariance * p.inflation - p.level) / windowDays) / (p.level * p.level) : 0;
  const shockOfEstimate = Math.min(lifted * lifted * shockVariance, 0.9 * se * se);
  if (!(shockOfEstimate > 0)) return studentTCdf(((lift - rule.minLift) * p.level) / se - quantile, df);
  const logSd = Math.sqrt(Math.log1p(shockOfEstimate / (lifted * lifted)));
  const level = { baselineLevel: p.level, excess: p.excessVariance ?? 0 };
  const otherVariance = se * se - windowVariance;
  const residualSd = Math.sqrt(se * se - shockOfEstimate);
  let power = 0;
  HERMITE_NODES.forEach((z, k) => {
    const m = Math.exp(logSd * z - (logSd * logSd) / 2);
    // The verdict's standard error at the realised window level (its window part scales with levelScale).
    const ratio = levelScale(level, lifted * m) / levelScale(level, lifted);
    const reported = Math.sqrt(Math.max(otherVariance + windowVariance * ratio, 1e-12));
    const mean = lifted * m - p.level * (1 + rule.minLift);
    power += HERMITE_WEIGHTS[k] * studentTCdf((mean - quantile * reported) / residualSd, df);
  });
  return power;
}

/**
 * The relative lift detected with probability `power`: the smallest L with powerAt(L) ≥ power
 * (bisection; null when beyond +2000 % or the level is not positive).
 */
export function detectableLift(
  p: NoiseProfile, baselineDays: number, windowDays: number, rule: { confidence: number; minLift: number }, power = PLAN_POWER,
): number | null {
  if (!(p.level > 0) || powerAt(p, baselineDays, windowDays, MAX_LIFT, rule) < power) return null;
  let lo = rule.minLift;
  let hi = MAX_LIFT;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (powerAt(p, baselineDays, windowDays, mid, rule) >= power) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The detectable effect (metric unit) for a design whose effect estimate has standard error `se`
 * and `df` degrees of freedom (one-sided test at `confidence`, given power): (t_conf + t_power)·se.
 * For designs that are not a forecast (switchbacks, post variants).
 */
export function detectableEffect(se: number, df: number, confidence: number, power = PLAN_POWER): number {
  return se * (studentTQuantile(confidence, df) + (df >= 1e6 ? normalQuantile(power) : studentTQuantile(power, df)));
}

/** Smallest window (days) reaching `power` for `lift` at this baseline; null when none up to 26 weeks does. */
export function windowFor(
  p: NoiseProfile, baselineDays: number, lift: number, rule: { confidence: number; minLift: number }, power = PLAN_POWER,
): number | null {
  for (let w = 7; w <= MAX_SEARCH_WINDOW_DAYS; w++) if (powerAt(p, baselineDays, w, lift, rule) >= power) return w;
  return null;
}

// ---------------------------------------------------------------- the plan

/**
 * A baseline length from a history length alone (whole weeks, one to eight), for a profile with no start
 * to resolve against (the switchback planner's before/after comparison when no plan gives it one). A plan
 * uses the verdict's own rule instead (resolveBaseline), which also stops at another experiment or a level shift.
 */
export function defaultBaselineDays(historyDays: number): number {
  return Math.min(MAX_DEFAULT_BASELINE_DAYS, Math.max(7, Math.floor(historyDays / 7) * 7));
}

/** The plan for one experiment (see ExperimentPlan). Pure. */
export function planExperiment(input: PlanInput): ExperimentPlan {
  const rule = { confidence: input.confidence, minLift: input.minLift };
  const targetLift = input.targetLift ?? Math.max(DEFAULT_TARGET_LIFT, 2 * input.minLift);
  const startMs = input.start.getTime();
  // The baseline the verdict will use for this start: the explicit one, else the scorer's default
  // (resolveBaseline: the history there is, whole weeks up to 8, cut at another experiment or a level shift).
  const period = input.baseline
    ? input.baseline
    : input.baselineDays !== undefined
    ? { start: new Date(startMs - input.baselineDays * DAY_MS).toISOString(), end: input.start.toISOString() }
    : resolveBaseline(
        { id: input.experimentId ?? '', primaryMetric: input.metric, start: input.start.toISOString(), end: new Date(startMs + input.windowDays * DAY_MS).toISOString() },
        input.observations,
        input.otherExperiments,
      );
  const from = new Date(period.start);
  const profile = noiseProfile(input.metric, input.observations, input.start, input.windowDays, from);
  const historyDays = profile?.historyDays ?? 0;
  // Named as the verdict will name it (its dataQuality.baselineDays).
  const baselineDays = verdictBaselineDays(period);
  // What the baseline will hold by the start: from its first observation to the start (the days until a
  // future start are still to be collected; a missing collector is warned about separately).
  const firstMs = firstObservationMs(input.metric, input.observations, Date.parse(period.start));
  const availableDays = firstMs === undefined ? 0 : verdictBaselineDays({ start: new Date(firstMs).toISOString(), end: period.end });
  const warnings: PlanWarning[] = [];
  const base = {
    metric: input.metric, windowDays: input.windowDays, baselineDays, historyDays, confidence: input.confidence,
    minLift: input.minLift, targetLift,
  };
  if (!profile || !(profile.level > 0)) {
    const message = !profile
      ? `No data for ${input.metric} yet: the plan cannot say what this window can detect. Connect its source and collect for at least two weeks first.`
      : `${input.metric} did not rise in the history (${profile.level.toFixed(2)} on average): a relative lift cannot be planned.`;
    warnings.push({ code: 'no_data', message });
    return {
      ...base, expectedLevel: profile?.level ?? null, detectableLift: null, powerAtTarget: null, windowForTarget: null,
      byWindow: [], assumed: true, summary: message, warnings,
    };
  }
  if (availableDays < baselineDays) {
    warnings.push({
      code: 'short_history',
      message: `Only ${availableDays} days of ${input.metric} history for a ${baselineDays}-day baseline: the verdict will rest on less than planned` +
        (availableDays < 14 ? ', and only large effects can be detected.' : '.'),
    });
  }
  // Power on the days the baseline will hold (at least a week's worth of model, as the verdict needs).
  const baselineForPower = Math.max(Math.min(7, baselineDays), Math.min(baselineDays, availableDays));
  const detectable = detectableLift(profile, baselineForPower, input.windowDays, rule);
  const powerAtTarget = powerAt(profile, baselineForPower, input.windowDays, targetLift, rule);
  const windowForTarget = windowFor(profile, baselineForPower, targetLift, rule);
  // The user's own bar first: what it takes to see a lift of minLift at all (against no change).
  const windowForMinLift = input.minLift > 0 ? windowFor(profile, baselineForPower, input.minLift, { confidence: input.confidence, minLift: 0 }) : undefined;
  const byWindow = PLAN_WINDOWS.map((w) => ({
    windowDays: w,
    detectableLift: detectableLift(profile, baselineForPower, w, rule),
    powerAtTarget: powerAt(profile, baselineForPower, w, targetLift, rule),
  }));
  if (powerAtTarget < PLAN_POWER) {
    warnings.push({
      code: 'underpowered',
      message: `A ${input.windowDays}-day window has ${Math.round(powerAtTarget * 100)} % power for ${liftText(targetLift)}` +
        (windowForTarget !== null
          ? `; ${windowForTarget} days would reach 80 %${windowForTarget > MAX_WINDOW_DAYS ? `, more than the ${MAX_WINDOW_DAYS}-day maximum` : ''}.`
          : '; no window up to 26 weeks reaches 80 %.'),
    });
  }
  const plan: Omit<ExperimentPlan, 'summary'> = {
    ...base, expectedLevel: profile.level, detectableLift: detectable, powerAtTarget,
    windowForTarget, ...(windowForMinLift !== undefined && { windowForMinLift }), byWindow, assumed: profile.assumed, warnings,
  };
  return { ...plan, summary: planSummary(plan) };
}

/** When the first observation feeding `metric` at or after `fromMs` was taken (undefined: none). */
function firstObservationMs(metric: string, observations: readonly Observation[], fromMs: number): number | undefined {
  const sources = new Set<string>(parseMetricKey(metric)?.definition.from ?? []);
  let first: number | undefined;
  for (const o of observations) {
    if (!sources.has(o.metric)) continue;
    const t = Date.parse(o.at);
    if (t >= fromMs && (first === undefined || t < first)) first = t;
  }
  return first;
}

/**
 * When even the longest window falls short of the target: what it does reach, and what would help. (Two
 * windows one after the other are judged separately — nothing pools them — so "run it twice" is no advice.)
 */
function beyondLongestWindow(p: Omit<ExperimentPlan, 'summary'>): string {
  const longest = p.byWindow.find((w) => w.windowDays === MAX_WINDOW_DAYS);
  const reach = longest ? `; ${MAX_WINDOW_DAYS} days give ${Math.round(longest.powerAtTarget * 100)} % power for it` : '';
  return ` — more than the ${MAX_WINDOW_DAYS}-day maximum${reach}. Test a bolder change (a bigger lift is easier to see), or a metric that moves more.`;
}

/** "+50 %" style. */
export function liftText(lift: number): string {
  return `+${Math.round(lift * 100)} %`;
}

function planSummary(p: Omit<ExperimentPlan, 'summary'>): string {
  const unit = parseMetricKey(p.metric)?.definition.unit ?? '';
  const shown = p.expectedLevel === null ? '' : unit.startsWith('fraction') ? `${(p.expectedLevel * 100).toFixed(1)} %` : `${p.expectedLevel.toFixed(p.expectedLevel < 10 ? 2 : 1)} ${unit}`;
  const level = p.expectedLevel !== null ? ` (the metric ran at ${shown} over ${p.historyDays} days of history${p.assumed ? '; noise assumed, too little history to measure it' : ''})` : '';
  const can = p.detectableLift !== null
    ? `This ${p.windowDays}-day window on a ${p.baselineDays}-day baseline can detect ${liftText(p.detectableLift)} or more at 80 % power${level}.`
    : `This ${p.windowDays}-day window cannot detect any plausible lift${level}.`;
  const target = minLiftSentence(p) + (p.powerAtTarget !== null && p.powerAtTarget >= PLAN_POWER
    ? ` It has ${Math.round(p.powerAtTarget * 100)} % power for ${liftText(p.targetLift)}.`
    : p.windowForTarget !== null
      ? ` To detect ${liftText(p.targetLift)} with 80 % power it needs ${p.windowForTarget} days` + (p.windowForTarget > MAX_WINDOW_DAYS ? beyondLongestWindow(p) : '.')
      : ` No window up to 26 weeks detects ${liftText(p.targetLift)} with 80 % power.`);
  return can + target;
}

/**
 * The user's minimum lift, before the target: the window it takes to tell that lift from no change, and
 * why the plan is sized for a larger lift (a keep needs the lift credibly above the minimum, so a true lift
 * of just the minimum is kept about as often as chance).
 */
function minLiftSentence(p: Omit<ExperimentPlan, 'summary'>): string {
  if (!(p.minLift > 0) || p.windowForMinLift === undefined) return '';
  const min = liftText(p.minLift);
  const needs = p.windowForMinLift === null
    ? `no window up to 26 weeks tells ${min} from no change`
    : `telling ${min} from no change needs ${p.windowForMinLift} days${p.windowForMinLift > MAX_WINDOW_DAYS ? ` (more than the ${MAX_WINDOW_DAYS}-day maximum)` : ''}`;
  const why = p.targetLift === DEFAULT_TARGET_LIFT ? 'the default target' : p.targetLift === 2 * p.minLift ? 'twice your minimum lift' : 'the target asked for';
  return ` Your minimum lift is ${min}: ${needs}. A keep needs the lift credibly above ${min}, so a true ${min} is rarely kept; the plan is sized for ${liftText(p.targetLift)}, ${why}.`;
}
