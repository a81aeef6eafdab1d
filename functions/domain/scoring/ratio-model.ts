/**
 * Ratio metrics (followers per post, replies per post): R = Σy / Σx over the units of a period
 * (days, or posts), compared between window and baseline.
 *
 * Variance by the delta method for a ratio of sums (Cochran, Sampling Techniques, §6.4):
 * Var(R̂) ≈ k/(k−1) · Σ (y_i − R̂·x_i)² / (Σx)². Periods are independent, so the difference uses
 * Welch–Satterthwaite degrees of freedom.
 */
import type { EffectEstimate } from './inference';

export interface RatioUnit {
  /** Numerator of one unit (followers gained that day, replies to that post). */
  y: number;
  /** Denominator of one unit (posts published that day, 1 for a post). */
  x: number;
}

export interface RatioArm {
  ratio: number;
  variance: number;
  units: number;
  denominator: number;
}

/** Ratio of sums and its delta-method variance; needs ≥ 2 units and Σx > 0. */
export function ratioOfSums(units: readonly RatioUnit[]): RatioArm {
  let sy = 0;
  let sx = 0;
  for (const u of units) {
    sy += u.y;
    sx += u.x;
  }
  const ratio = sy / sx;
  const k = units.length;
  let ss = 0;
  for (const u of units) ss += (u.y - ratio * u.x) ** 2;
  return { ratio, variance: ((k / (k - 1)) * ss) / (sx * sx), units: k, denominator: sx };
}

/** Window ratio vs baseline ratio (the counterfactual is "the baseline's ratio continues"). */
export function compareRatios(baseline: readonly RatioUnit[], window: readonly RatioUnit[]): { estimate: EffectEstimate; method: 'ratio_delta_method' } {
  const b = ratioOfSums(baseline);
  const w = ratioOfSums(window);
  const vb = b.variance;
  const vw = w.variance;
  const denom = (vb * vb) / (b.units - 1) + (vw * vw) / (w.units - 1);
  const df = denom > 0 ? Math.max(1, (vb + vw) ** 2 / denom) : 1e6;
  return {
    estimate: { windowValue: w.ratio, expectedValue: b.ratio, windowVariance: vw, expectedVariance: vb, covariance: 0, df },
    method: 'ratio_delta_method',
  };
}
