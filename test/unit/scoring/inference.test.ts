import { decide, type EffectEstimate, equivalentConfidence, fiellerInterval, inferEffect, widen } from '../../../functions/domain/scoring/inference';
import { studentTQuantile } from '../../../functions/domain/scoring/statistics';

function anEstimate(overrides: Partial<EffectEstimate> = {}): EffectEstimate {
  return { windowValue: 12.4, expectedValue: 7.1, windowVariance: 1.2, expectedVariance: 2, covariance: 0, df: 30, ...overrides };
}

describe('effect and intervals', () => {
  it("gives Fieller's interval for the relative lift", () => {
    // Expected (reference_values.py, 'fieller'): roots of (A − gE)² = t²(V_A + g²V_E) by scipy.optimize.brentq, t = t.ppf(0.975, 30).
    const t = studentTQuantile(0.975, 30);
    const interval = fiellerInterval(12.4, 7.1, 1.2, 2, 0, t)!;
    expect(t).toBeCloseTo(2.0422724563012378, 10);
    expect(interval.lower).toBeCloseTo(0.17424170531732797, 8);
    expect(interval.upper).toBeCloseTo(2.0113380359112174, 8);
  });

  it('has no relative interval when the counterfactual is not clearly above zero', () => {
    expect(fiellerInterval(3, 0.5, 1, 2, 0, 2)).toBeNull();
  });

  it('reports the absolute effect with a t interval and P(improvement)', () => {
    const inference = inferEffect(anEstimate(), 0);
    const se = Math.sqrt(3.2);
    expect(inference.absolute).toBeCloseTo(5.3, 12);
    expect(inference.absoluteInterval.lower).toBeCloseTo(5.3 - 2.0422724563012378 * se, 8);
    expect(inference.relative).toBeCloseTo(12.4 / 7.1 - 1, 12);
    // scipy: t.cdf(5.3 / sqrt(3.2), 30) = 0.9970412666431986
    expect(inference.probabilityOfImprovement).toBeCloseTo(0.9970412666431986, 9);
  });

  it('leaves the relative lift undefined when nothing was expected', () => {
    const inference = inferEffect(anEstimate({ expectedValue: -1 }), 0.1);
    expect(inference.relative).toBeNull();
    expect(inference.relativeInterval).toBeNull();
    expect(inference.probabilityOfMinLift).toBeNull();
  });
});

describe('keep rule', () => {
  it('keeps a probable improvement that clears the confidence', () => {
    expect(decide(inferEffect(anEstimate(), 0), { minLift: 0, confidence: 0.95 })).toEqual({ decision: 'keep', reason: 'improved' });
  });

  it('discards a probable improvement that does not clearly clear minLift', () => {
    // +75 % point lift, but P(lift > 100 %) is far below 95 %.
    expect(decide(inferEffect(anEstimate(), 1), { minLift: 1, confidence: 0.95 })).toEqual({ decision: 'discard', reason: 'below_min_lift' });
  });

  it('calls a credible drop worse', () => {
    const worse = inferEffect(anEstimate({ windowValue: 2 }), 0);
    expect(decide(worse, { minLift: 0, confidence: 0.95 })).toEqual({ decision: 'discard', reason: 'worse' });
  });

  it('discards when the improvement is not certain enough', () => {
    const unsure = inferEffect(anEstimate({ windowValue: 8 }), 0);
    expect(decide(unsure, { minLift: 0, confidence: 0.95 })).toEqual({ decision: 'discard', reason: 'not_improved' });
  });
});

describe('placebo widening', () => {
  it('widens standard errors and states the equivalent raised bar', () => {
    const widened = widen(anEstimate(), 2);
    expect(widened.windowVariance).toBeCloseTo(4.8, 12);
    expect(widened.expectedVariance).toBeCloseTo(8, 12);
    expect(equivalentConfidence(0.95, 1, 30)).toBe(0.95);
    // scipy: t.cdf(2 * t.ppf(0.95, 30), 30) = 0.9990242427037567
    expect(equivalentConfidence(0.95, 2, 30)).toBeCloseTo(0.9990242427037567, 8);
  });
});
