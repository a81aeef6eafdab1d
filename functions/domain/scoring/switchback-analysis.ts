/**
 * The analysis of a switchback experiment: treatment days against control days inside one window.
 *
 * - Decision: a randomization test. The statistic is the regression t of the treatment indicator; its
 *   null distribution comes from redrawing the schedule with the design's own procedure (same block
 *   length, weekday balance and washout) thousands of times. Under "the tactic does nothing" every
 *   day's growth is what it would have been anyway, so the test holds its level whatever the trend,
 *   weekday pattern or growth curve — no model of them has to be right.
 * - Other switchbacks on the same metric: the test holds their schedules fixed (their effects are
 *   then part of "what the day would have been") and redraws this one as the pair could have been
 *   drawn — within their arms when this one was drawn balanced against them, and, when one was drawn
 *   balanced against this one, only schedules it could have been balanced against, each weighted
 *   by how likely its draw was given them (rejection sampling; switchback.ts conditionalWeight). So
 *   every draw comes from the distribution of this schedule given the others', and the test is exact.
 * - Effect and interval: ordinary least squares of daily growth on intercept, trend (and a quadratic
 *   term), weekday effects, the treatment indicator and the indicators of other switchbacks on the
 *   same metric (a factorial design: each is estimated with the others as covariates).
 * - Carryover: the same regression with "the block before was treatment" on the first day of each
 *   block; a clear coefficient means the effect lingers and washout days are advised.
 *
 * An extended schedule is redrawn stretch by stretch, as it was drawn (switchback.ts
 * extendSwitchbackDesign); the bar an extension raises is applied by the caller.
 *
 * Pure: the permutation stream is seeded from the design's seed, so a verdict is reproducible.
 */
import {
  assignArms, balanceCells, conditionalWeight, drawArms, prepareDesign, type Arm, type BalancedAgainst, type DependentSchedule, type ScheduledDay,
} from '../switchback';
import { SeededRandom } from '../seeded-random';
import type { EffectEstimate } from './inference';
import { fCdf, invertSymmetric, ols, studentTCdf, studentTQuantile } from './statistics';

/** Permutations of the randomization test: Monte-Carlo error of p ≈ ±0.005 at p = 0.05. */
export const DEFAULT_PERMUTATIONS = 2000;
/** Days per arm below which nothing is judged. */
export const MIN_DAYS_PER_ARM = 3;

export interface SwitchbackDay {
  date: string;
  /** Position in the schedule (0 = first date of the window). */
  index: number;
  weekday: number;
  /** Daily growth in the metric's unit; null when it could not be measured. */
  value: number | null;
  arm: Arm;
  washout: boolean;
  skipped: boolean;
  /** 1 on the treatment days of each other switchback experiment on this metric (same order as `others`). */
  others: number[];
}

export interface SwitchbackInput {
  days: readonly SwitchbackDay[];
  /** `stretches`: the parts appended by extend, which the randomization test redraws on their own. */
  design: { blockDays: number; washoutDays: number; seed: number; stretches?: readonly { from: number }[]; balancedAgainst?: readonly BalancedAgainst[] };
  /** Ids of the other switchback experiments whose indicators are in `days[].others`. */
  others: readonly string[];
  /**
   * Switchbacks drawn balanced against this one (switchback.ts dependentSchedule): the test redraws
   * this schedule given theirs, by rejection (conditionalWeight).
   */
  dependents?: readonly DependentSchedule[];
  permutations?: number;
  /** Leave skipped days out (per-protocol) instead of analysing them as assigned (intention-to-treat). */
  perProtocol?: boolean;
}

export interface SwitchbackFit {
  estimate: EffectEstimate;
  /** Treatment effect per day (metric unit) and its standard error. */
  effect: number;
  standardError: number;
  df: number;
  /** One-sided p-values of the randomization test: effect > 0, and effect < 0. */
  pImprovement: number;
  pWorse: number;
  permutations: number;
  /** How the redrawn schedules were drawn: within the other switchbacks' arms, given the ones drawn against this one. */
  balancedAgainst: string[];
  conditionedOn: string[];
  treatmentDays: number;
  controlDays: number;
  /** Raw mean daily growth on the analysed treatment and control days. */
  treatmentMean: number;
  controlMean: number;
  covariates: { trend: boolean; quadratic: boolean; weekdays: boolean; otherExperiments: string[] };
  residualSd: number;
}

export interface CarryoverCheck {
  /** Growth on a block's first day after a treatment block minus after a control block (metric unit/day). */
  estimate: number;
  interval: { lower: number; upper: number };
  /** Two-sided p-value. */
  pValue: number;
  /** First days of blocks the comparison rests on. */
  days: number;
}

/** Rows that enter the analysis. */
function analysed(days: readonly SwitchbackDay[], perProtocol: boolean): SwitchbackDay[] {
  return days.filter((d) => d.value !== null && !d.washout && !(perProtocol && d.skipped));
}

interface Design {
  /** Covariate columns (without the treatment indicator), one row per analysed day. */
  x: number[][];
  labels: { trend: boolean; quadratic: boolean; weekdays: boolean; otherExperiments: string[] };
}

/** F-test level at which the quadratic trend and the weekday effects are kept. */
const COVARIATE_ALPHA = 0.05;

function covariateRow(r: SwitchbackDay, centre: number, scale: number, quadratic: boolean, weekdays: boolean, others: readonly number[]): number[] {
  const t = (r.index - centre) / scale;
  const row = [1, t];
  if (quadratic) row.push(t * t - 1 / 3);
  if (weekdays) for (let k = 1; k <= 6; k++) row.push(r.weekday === k ? 1 : r.weekday === 0 ? -1 : 0);
  for (const k of others) row.push(r.others[k]);
  return row;
}

/** Whether adding `extra` columns to `base` explains clearly more of y (partial F-test). */
function improves(base: readonly number[][], extended: readonly number[][], y: readonly number[]): boolean {
  const a = ols(base, y);
  const b = ols(extended, y);
  if (!a || !b || b.df < 3) return false;
  const q = a.df - b.df;
  const f = ((a.rss - b.rss) / q) / (b.rss / b.df);
  return f > 0 && 1 - fCdf(f, q, b.df) < COVARIATE_ALPHA;
}

/**
 * Covariates for `rows`: intercept, linear trend, the other switchbacks' indicators, and — when a
 * partial F-test on the growth series says they matter — a quadratic trend and weekday effects. The
 * choice looks at growth and the fixed covariates only, never at this experiment's arms, so under
 * "no effect" it is the same for every redrawn schedule and the randomization test stays exact.
 */
function covariates(rows: readonly SwitchbackDay[], others: readonly string[], totalDays: number): Design {
  const centre = (totalDays - 1) / 2;
  const scale = Math.max(1, totalDays / 2);
  const keptOthers = others.map((_, k) => k).filter((k) => new Set(rows.map((r) => r.others[k])).size > 1);
  const y = rows.map((r) => r.value as number);
  const build = (quadratic: boolean, weekdays: boolean) => rows.map((r) => covariateRow(r, centre, scale, quadratic, weekdays, keptOthers));
  const base = build(false, false);
  const quadratic = rows.length >= 10 && improves(base, build(true, false), y);
  const weekdaysSeen = new Set(rows.map((r) => r.weekday)).size;
  const weekdays = rows.length >= 14 && weekdaysSeen === 7 && improves(build(quadratic, false), build(quadratic, true), y);
  const x = build(quadratic, weekdays);
  const p = x[0]?.length ?? 0;
  // One more column (the arm) must leave at least 3 residual degrees of freedom and a full-rank design.
  if (rows.length - p - 1 < 3 || !ols(x.map((row, i) => [...row, rows[i].arm === 'treatment' ? 1 : 0]), y)) {
    return { x: [], labels: { trend: false, quadratic: false, weekdays: false, otherExperiments: [] } };
  }
  return { x, labels: { trend: true, quadratic, weekdays, otherExperiments: keptOthers.map((k) => others[k]) } };
}

/** t statistic of the last column; undefined when the design is singular. */
function tOfLast(x: readonly number[][], z: readonly number[], y: readonly number[]): number | undefined {
  const fit = ols(x.map((row, i) => [...row, z[i]]), y);
  if (!fit) return undefined;
  const last = fit.coefficients.length - 1;
  const se = Math.sqrt(fit.sigma2 * fit.xtxInverse[last][last]);
  return se > 0 ? fit.coefficients[last] / se : 0;
}

/**
 * Residual-maker M = I − X(XᵀX)⁻¹Xᵀ applied to vectors: with the covariates fixed, the treatment t is
 * a function of M·z and M·y only (Frisch–Waugh–Lovell), so each permutation costs O(n²).
 */
function residualMaker(x: readonly number[][]): ((v: readonly number[]) => number[]) | undefined {
  const n = x.length;
  const p = x[0].length;
  const xtx = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => x.reduce((s, r) => s + r[a] * r[b], 0)));
  const inv = invertSymmetric(xtx);
  if (!inv) return undefined;
  // H = X (XᵀX)⁻¹ Xᵀ, precomputed once as a flat n×n array.
  const xi = x.map((r) => inv.map((col) => col.reduce((s, v, j) => s + v * r[j], 0)));
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let k = 0; k < p; k++) sum += xi[i][k] * x[j][k];
    h[i * n + j] = sum;
  }
  return (v) => {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) sum += h[row + j] * v[j];
      out[i] = v[i] - sum;
    }
    return out;
  };
}

function tFromResiduals(zr: readonly number[], yr: readonly number[], df: number): number {
  let zz = 0;
  let zy = 0;
  let yy = 0;
  for (let i = 0; i < zr.length; i++) {
    zz += zr[i] * zr[i];
    zy += zr[i] * yr[i];
    yy += yr[i] * yr[i];
  }
  if (zz <= 1e-12) return 0;
  const delta = zy / zz;
  const rss = Math.max(yy - zy * delta, 0);
  const se = Math.sqrt(rss / df / zz);
  return se > 0 ? delta / se : delta > 0 ? Infinity : delta < 0 ? -Infinity : 0;
}

/**
 * Fits the switchback and runs the randomization test. Undefined when either arm has fewer than
 * MIN_DAYS_PER_ARM measured days or the regression has under 3 residual degrees of freedom.
 */
export function fitSwitchback(input: SwitchbackInput): SwitchbackFit | undefined {
  const perProtocol = input.perProtocol ?? false;
  const rows = analysed(input.days, perProtocol);
  const treated = rows.filter((r) => r.arm === 'treatment');
  const control = rows.filter((r) => r.arm === 'control');
  if (treated.length < MIN_DAYS_PER_ARM || control.length < MIN_DAYS_PER_ARM) return undefined;
  const design = covariates(rows, input.others, input.days.length);
  if (design.x.length === 0) return undefined;
  const y = rows.map((r) => r.value as number);
  const z = rows.map((r) => (r.arm === 'treatment' ? 1 : 0));
  const full = ols(design.x.map((row, i) => [...row, z[i]]), y);
  if (!full) return undefined;
  const p = full.coefficients.length;
  const last = p - 1;
  const v = full.xtxInverse.map((row) => row.map((c) => c * full.sigma2));
  const effect = full.coefficients[last];
  const se = Math.sqrt(v[last][last]);
  const tObserved = se > 0 ? effect / se : 0;

  // Counterfactual level of the treatment days: their fitted growth without the effect.
  const g = new Array<number>(p).fill(0);
  design.x.forEach((row, i) => {
    if (z[i] === 1) row.forEach((val, k) => { g[k] += val / treated.length; });
  });
  let varC = 0;
  let covCD = 0;
  for (let a = 0; a < last; a++) {
    covCD += g[a] * v[a][last];
    for (let b = 0; b < last; b++) varC += g[a] * v[a][b] * g[b];
  }
  const c = g.reduce((s, gk, k) => s + (k < last ? gk * full.coefficients[k] : 0), 0);
  const estimate: EffectEstimate = {
    windowValue: c + effect,
    expectedValue: c,
    windowVariance: varC + v[last][last] + 2 * covCD,
    expectedVariance: varC,
    covariance: varC + covCD,
    df: full.df,
  };

  // Randomization test over the schedules the design could have drawn: within the other switchbacks'
  // arms when it was drawn balanced against them, and given the schedules drawn against this one.
  const permutations = input.permutations ?? DEFAULT_PERMUTATIONS;
  const rng = new SeededRandom((input.design.seed ^ 0x5bd1e995) >>> 0 || 1);
  const dates = input.days.map((d) => d.date);
  const fixedSet = input.design.washoutDays === 0;
  const m = fixedSet ? residualMaker(design.x) : undefined;
  const yr = m?.(y);
  const rowIndex = rows.map((r) => r.index);
  const starts = [0, ...(input.design.stretches ?? []).map((x) => x.from)];
  const cells = balanceCells(input.design);
  const prepared = prepareDesign(dates, input.design.blockDays, starts, cells);
  const dependents = input.dependents ?? [];
  const scratch = dependents.map((d) => ({ size: new Int32Array(d.cells), treated: new Int32Array(d.cells) }));
  /** Accept a redrawn schedule with the probability the dependents' draws had given it (relative to the most they can have). */
  const accepted = (codeAt: (i: number) => number): boolean => {
    let w = 1;
    for (let k = 0; k < dependents.length && w > 0; k++) w *= conditionalWeight(dependents[k], dates.length, codeAt, scratch[k]);
    return w >= 1 - 1e-12 || (w > 0 && rng.next() < w);
  };
  // Rejection costs attempts; the cap keeps a verdict's time bounded (fewer draws only widen p's Monte-Carlo error).
  const maxAttempts = dependents.length ? permutations * 400 : permutations;
  const zPerm = new Array<number>(rowIndex.length);
  let atLeast = 0;
  let atMost = 0;
  let drawn = 0;
  let taken = 0;
  for (let attempt = 0; attempt < maxAttempts && taken < permutations; attempt++) {
    let t: number | undefined;
    if (m && yr) {
      const arms = drawArms(prepared, rng);
      if (dependents.length && !accepted((i) => arms[i])) continue;
      taken++;
      for (let j = 0; j < rowIndex.length; j++) zPerm[j] = arms[rowIndex[j]];
      t = tFromResiduals(m(zPerm), yr, full.df);
    } else {
      const schedule: ScheduledDay[] = assignArms(dates, input.design.blockDays, input.design.washoutDays, rng, starts, cells);
      if (dependents.length && !accepted((i) => (schedule[i].washout ? 2 : schedule[i].arm === 'treatment' ? 1 : 0))) continue;
      taken++;
      const permRows = input.days
        .map((d, i) => ({ ...d, arm: schedule[i].arm, washout: schedule[i].washout === true }))
        .filter((d) => d.value !== null && !d.washout && !(perProtocol && d.skipped));
      const tr = permRows.filter((r) => r.arm === 'treatment').length;
      if (tr < 1 || tr === permRows.length) continue;
      const permDesign = covariates(permRows, input.others, input.days.length);
      if (permDesign.x.length === 0) continue;
      t = tOfLast(permDesign.x, permRows.map((r) => (r.arm === 'treatment' ? 1 : 0)), permRows.map((r) => r.value as number));
    }
    if (t === undefined) continue;
    drawn++;
    if (t >= tObserved - 1e-9) atLeast++;
    if (t <= tObserved + 1e-9) atMost++;
  }
  const mean = (xs: readonly SwitchbackDay[]) => xs.reduce((s, r) => s + (r.value as number), 0) / xs.length;
  return {
    estimate,
    effect,
    standardError: se,
    df: full.df,
    pImprovement: (1 + atLeast) / (1 + drawn),
    pWorse: (1 + atMost) / (1 + drawn),
    permutations: drawn,
    balancedAgainst: cells ? (input.design.balancedAgainst ?? []).map((b) => b.experimentId) : [],
    conditionedOn: dependents.map((d) => d.experimentId),
    treatmentDays: treated.length,
    controlDays: control.length,
    treatmentMean: mean(treated),
    controlMean: mean(control),
    covariates: design.labels,
    residualSd: Math.sqrt(full.sigma2),
  };
}

/**
 * Carryover: among the first days of blocks, growth after a treatment block vs after a control block,
 * adjusted like the main regression (and for the day's own arm). Undefined with fewer than 3 such
 * days after each kind of block.
 */
export function checkCarryover(input: SwitchbackInput): CarryoverCheck | undefined {
  const k = Math.max(1, input.design.blockDays);
  const rows = analysed(input.days, false).filter((r) => r.index > 0);
  const previousArm = (r: SwitchbackDay) => input.days[r.index - 1].arm;
  const firstOfBlock = (r: SwitchbackDay) => r.index % k === 0;
  const afterTreatment = rows.filter((r) => firstOfBlock(r) && previousArm(r) === 'treatment').length;
  const afterControl = rows.filter((r) => firstOfBlock(r) && previousArm(r) === 'control').length;
  if (afterTreatment < MIN_DAYS_PER_ARM || afterControl < MIN_DAYS_PER_ARM) return undefined;
  const design = covariates(rows, input.others, input.days.length);
  if (design.x.length === 0) return undefined;
  const blockStartVaries = k > 1;
  const x = design.x.map((row, i) => {
    const r = rows[i];
    const out = [...row, r.arm === 'treatment' ? 1 : 0];
    if (blockStartVaries) out.push(firstOfBlock(r) ? 1 : 0);
    out.push(firstOfBlock(r) && previousArm(r) === 'treatment' ? 1 : 0);
    return out;
  });
  const fit = ols(x, rows.map((r) => r.value as number));
  if (!fit || fit.df < 3) return undefined;
  const last = fit.coefficients.length - 1;
  const se = Math.sqrt(fit.sigma2 * fit.xtxInverse[last][last]);
  const estimate = fit.coefficients[last];
  const t = studentTQuantile(0.975, fit.df);
  const pValue = se > 0 ? 2 * (1 - studentTCdf(Math.abs(estimate / se), fit.df)) : 1;
  return { estimate, interval: { lower: estimate - t * se, upper: estimate + t * se }, pValue, days: afterTreatment + afterControl };
}
