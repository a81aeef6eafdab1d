/** The outcome beside the decision, and what an inconclusive window could have detected. */
import type { EffectEstimate, EffectInference } from '../../../functions/domain/scoring/inference';
import { detectability, outcomeOf } from '../../../functions/domain/scoring/outcome';
import { normalQuantile } from '../../../functions/domain/scoring/statistics';

const anInference = (upper: number): EffectInference => ({
  absolute: 0.5, absoluteInterval: { lower: -1, upper: 2 }, relative: 0.2, relativeInterval: { lower: -0.4, upper },
  probabilityOfImprovement: 0.8, probabilityOfWorse: 0.2, probabilityOfMinLift: 0.8, standardError: 1,
});

describe('outcomeOf', () => {
  it('separates a window that could not tell from one that rules the target out', () => {
    expect(outcomeOf('discard', 'not_improved', anInference(1.9), 0.5)).toBe('inconclusive');
    expect(outcomeOf('discard', 'not_improved', anInference(0.3), 0.5)).toBe('no_effect');
    expect(outcomeOf('keep', 'improved', anInference(1.9), 0.5)).toBe('improved');
    expect(outcomeOf('discard', 'worse', anInference(-0.1), 0.5)).toBe('worse');
    expect(outcomeOf('discard', 'insufficient_data', null, 0.5)).toBe('insufficient_data');
  });
});

describe('detectability', () => {
  // Window 2/day over 14 days, Poisson: Var(window mean) = 2/14; counterfactual from 56 days: 2/56.
  const estimate: EffectEstimate = { windowValue: 2.4, expectedValue: 2, windowVariance: 2 / 14, expectedVariance: 2 / 56, covariance: 0, df: 1e7 };
  const m = normalQuantile(0.95) + normalQuantile(0.8);

  it('gives the lift detectable at 80 % power from the verdict’s own standard error', () => {
    const d = detectability(estimate, 0.95, 0, 0.5, 14);
    expect(d.detectableLift).toBeCloseTo((m * Math.sqrt(2 / 14 + 2 / 56)) / 2, 10);
  });

  it('names the extension whose window would detect the target', () => {
    const d = detectability(estimate, 0.95, 0, 0.5, 14);
    // (m·se(W))² = (0.5·2)² with se(W)² = 2/W + 2/56 → W = 2 / (1/m² − 2/56)
    const w = 2 / (1 / (m * m) - 2 / 56);
    expect(d.extraDaysForTarget).toBe(Math.ceil(w - 14));
    expect(d.message).toMatch(new RegExp(`^This 14-day window could detect \\+\\d+ % or more; ${d.extraDaysForTarget} more days .* would detect \\+50 %\\.$`));
  });

  it('says when no longer window would do because the baseline is the limit', () => {
    const noisyBaseline = { ...estimate, expectedVariance: 0.5 };
    const d = detectability(noisyBaseline, 0.95, 0, 0.5, 14);
    expect(d.extraDaysForTarget).toBeNull();
    expect(d.message).toMatch(/; no window up to 26 weeks would detect \+50 % against this baseline — a longer baseline or a bigger metric would\.$/);
  });

  it('says the window could already see the target when its detectable lift is below it', () => {
    // se = √0.002, so the detectable lift is m·0.0447 / 2 ≈ 5.6 %.
    const d = detectability({ ...estimate, windowVariance: 0.001, expectedVariance: 0.001 }, 0.95, 0, 0.5, 14);
    expect(d).toEqual({ detectableLift: expect.closeTo((m * Math.sqrt(0.002)) / 2, 10), targetLift: 0.5, extraDaysForTarget: 0, message: 'This 14-day window could detect +6 % or more (it could see +50 %).' });
  });

  it('plans no relative lift when no growth was expected', () => {
    expect(detectability({ ...estimate, expectedValue: 0 }, 0.95, 0, 0.5, 14)).toEqual({
      detectableLift: null, targetLift: 0.5, extraDaysForTarget: null, message: 'No growth was expected, so no relative lift can be planned for.',
    });
  });
});
