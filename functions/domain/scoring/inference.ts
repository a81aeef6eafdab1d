/**
 * From an estimate (window value, counterfactual, their variances) to what a verdict states:
 * absolute and relative effect with intervals, probability of improvement, and the keep/discard rule.
 * Shared by every metric kind so the decision rule is written once.
 */
import type { DecisionRule } from '../experiment';
import type { Decision, Interval, VerdictReason } from '../verdict';
import { studentTCdf, studentTQuantile } from './statistics';

/**
 * A window value compared with its counterfactual, both in the metric's unit.
 * The effect's sampling distribution is taken to be Student t with `df` degrees of freedom.
 */
export interface EffectEstimate {
  /** What the window showed (A). */
  windowValue: number;
  /** What it was expected to show without the experiment (E). */
  expectedValue: number;
  /** Var(A): the window value's own noise. */
  windowVariance: number;
  /** Var(E): uncertainty of the counterfactual. */
  expectedVariance: number;
  /** Cov(A, E); non-zero only for paired designs (the same prompts in both periods). */
  covariance: number;
  df: number;
}

export interface EffectInference {
  absolute: number;
  /** 95 % interval for A − E. */
  absoluteInterval: Interval;
  /** A / E − 1; null when E ≤ 0. */
  relative: number | null;
  /** 95 % Fieller interval for A / E − 1; null when E is not clearly above zero. */
  relativeInterval: Interval | null;
  /** P(true effect > 0). */
  probabilityOfImprovement: number;
  /** P(true effect < 0). */
  probabilityOfWorse: number;
  /** P(true relative lift > minLift); null when E ≤ 0. */
  probabilityOfMinLift: number | null;
  standardError: number;
}

const INTERVAL_LEVEL = 0.95;

/**
 * Effect, intervals and probabilities. The relative interval is Fieller's (1954): the set of
 * ratios g = A/E for which A − g·E is within the t-quantile of zero, which stays honest when the
 * counterfactual itself is uncertain (a delta-method interval does not).
 */
export function inferEffect(est: EffectEstimate, minLift: number): EffectInference {
  const { windowValue: a, expectedValue: e, windowVariance: va, expectedVariance: ve, covariance: c, df } = est;
  const absolute = a - e;
  const variance = Math.max(va + ve - 2 * c, 0);
  const se = Math.sqrt(variance);
  const t = studentTQuantile(1 - (1 - INTERVAL_LEVEL) / 2, df);
  const pImprove = se > 0 ? studentTCdf(absolute / se, df) : absolute > 0 ? 1 : absolute < 0 ? 0 : 0.5;
  const pWorse = se > 0 ? 1 - pImprove : absolute < 0 ? 1 : 0;
  let relative: number | null = null;
  let relativeInterval: Interval | null = null;
  let probabilityOfMinLift: number | null = null;
  if (e > 0) {
    relative = a / e - 1;
    relativeInterval = fiellerInterval(a, e, va, ve, c, t);
    const g = 1 + minLift;
    const vg = va + g * g * ve - 2 * g * c;
    const diff = a - g * e;
    probabilityOfMinLift = vg > 0 ? studentTCdf(diff / Math.sqrt(vg), df) : diff > 0 ? 1 : 0;
  }
  return {
    absolute,
    absoluteInterval: { lower: absolute - t * se, upper: absolute + t * se },
    relative,
    relativeInterval,
    probabilityOfImprovement: pImprove,
    probabilityOfWorse: pWorse,
    probabilityOfMinLift,
    standardError: se,
  };
}

/** Fieller interval for A/E − 1, or null when it is unbounded (E not significantly > 0). */
export function fiellerInterval(a: number, e: number, va: number, ve: number, c: number, t: number): Interval | null {
  const t2 = t * t;
  const qa = e * e - t2 * ve;
  if (qa <= 0) return null;
  const qb = a * e - t2 * c;
  const qc = a * a - t2 * va;
  const disc = qb * qb - qa * qc;
  if (disc < 0) return null;
  const root = Math.sqrt(disc);
  return { lower: (qb - root) / qa - 1, upper: (qb + root) / qa - 1 };
}

export interface DecisionOutcome {
  decision: Decision;
  reason: Exclude<VerdictReason, 'insufficient_data'>;
}

/**
 * The keep rule. Keep only when P(true relative lift > minLift) ≥ confidence — with minLift = 0 that is
 * P(effect > 0) ≥ confidence. This is stricter than "point lift ≥ minLift": a lift that merely *looks*
 * big but might well be below minLift is not kept. When the counterfactual is ≤ 0 a relative lift is
 * undefined and the rule falls back to P(effect > 0) (the caller warns).
 * Otherwise: below_min_lift when probably better but not clearly by minLift; worse when
 * P(effect < 0) ≥ confidence; else not_improved.
 */
export function decide(inference: EffectInference, rule: DecisionRule): DecisionOutcome {
  const { confidence, minLift } = rule;
  if (inference.probabilityOfImprovement >= confidence) {
    const clears = minLift <= 0 || inference.probabilityOfMinLift === null || inference.probabilityOfMinLift >= confidence;
    return clears ? { decision: 'keep', reason: 'improved' } : { decision: 'discard', reason: 'below_min_lift' };
  }
  if (inference.probabilityOfWorse >= confidence) return { decision: 'discard', reason: 'worse' };
  return { decision: 'discard', reason: 'not_improved' };
}

/** Scales an estimate's variances (placebo-check widening by factor `k` on the standard error). */
export function widen(est: EffectEstimate, k: number): EffectEstimate {
  const k2 = k * k;
  return { ...est, windowVariance: est.windowVariance * k2, expectedVariance: est.expectedVariance * k2, covariance: est.covariance * k2 };
}

/**
 * The confidence the unwidened model would have had to reach for the same decision after the
 * placebo check widened the standard error by `k`.
 */
export function equivalentConfidence(confidence: number, k: number, df: number): number {
  if (k <= 1) return confidence;
  return Math.min(0.9999, studentTCdf(k * studentTQuantile(confidence, df), df));
}
