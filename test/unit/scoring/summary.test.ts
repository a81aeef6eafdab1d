import { METRIC_CATALOG } from '../../../functions/domain/metric-catalog';
import { formatNumber, formatPercentChange, formatProbability, summarise, type SummaryInput } from '../../../functions/domain/scoring/summary';

const followers = METRIC_CATALOG.find((m) => m.key === 'x.follower_growth_rate')!;

function aSummaryInput(overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    definition: followers, reason: 'improved', decision: 'keep', windowValue: 12.4, expectedValue: 7.1, counterfactual: 'trend',
    absolute: 5.3, absoluteInterval: { lower: 2.2, upper: 8.7 }, relative: 0.75, relativeInterval: { lower: 0.31, upper: 1.22 },
    probabilityOfImprovement: 0.99, confidence: 0.95, effectiveConfidence: 0.95, minLift: 0, missing: [], warnings: [], ...overrides,
  };
}

describe('plain-language summary', () => {
  it('reads like the issue asks for a keep', () => {
    expect(summarise(aSummaryInput())).toBe('X followers grew 12.4/day vs 7.1/day expected from the prior trend (+75 %, 95 % interval +31 % to +122 %). Keep.');
  });

  it('explains a discard with the probability and the bar', () => {
    expect(summarise(aSummaryInput({ reason: 'not_improved', decision: 'discard', probabilityOfImprovement: 0.812 })))
      .toMatch(/\. Discard: not clearly better \(probability of improvement 81\.2 %, needed 95\.0 %\)\.$/);
  });

  it('falls back to the absolute effect when there is no relative lift', () => {
    expect(summarise(aSummaryInput({ relative: null, relativeInterval: null, expectedValue: -2, absolute: 5, absoluteInterval: { lower: 1.25, upper: 8.5 } })))
      .toContain('(+5.0/day, 95 % interval +1.3/day to +8.5/day)');
  });

  it('explains why the expectation is not the baseline average', () => {
    const text = summarise(aSummaryInput({ reason: 'not_improved', decision: 'discard', windowValue: 1.3, expectedValue: 1.1, expectation: { baselineValue: 2.4, trendPerDay: -0.09 } }));
    expect(text).toMatch(/The baseline averaged 2\.4\/day; it was falling by 0\.09\/day each day, so the expectation for the window is 1\.1\/day, below the baseline's average\.$/);
  });

  it('says nothing more when the expectation is the baseline average', () => {
    expect(summarise(aSummaryInput({ expectedValue: 7.1, expectation: { baselineValue: 7.0 } }))).toMatch(/Keep\.$/);
  });

  it('labels a window that could not tell as inconclusive and says what would', () => {
    const detectable = { detectableLift: 2.1, targetLift: 0.5, extraDaysForTarget: 35, message: 'This 14-day window could detect +210 % or more; 35 more days would detect +50 %.' };
    expect(summarise(aSummaryInput({ reason: 'not_improved', decision: 'discard', probabilityOfImprovement: 0.8, outcome: 'inconclusive', detectable })))
      .toMatch(/Inconclusive, so not kept: not clearly better \(probability of improvement 80\.0 %, needed 95\.0 %\)\. This 14-day window could detect \+210 % or more; 35 more days would detect \+50 %\.$/);
  });

  it('says what was missing when there was not enough data', () => {
    expect(summarise(aSummaryInput({ reason: 'insufficient_data', decision: 'discard', missing: ['X follower counts for the window', 'b'] })))
      .toBe('Not enough data to judge — missing X follower counts for the window (and 1 more). Discard: without enough data nothing is kept.');
  });
});

describe('number formatting', () => {
  it('formats rates, changes and probabilities for people', () => {
    expect(formatNumber(12.44)).toBe('12.4');
    expect(formatNumber(0.354)).toBe('0.35');
    expect(formatNumber(1234.5)).toBe('1,235');
    expect(formatPercentChange(0.754)).toBe('+75 %');
    expect(formatPercentChange(-0.031)).toBe('-3.1 %');
    expect(formatProbability(0.99996)).toBe('99.9 %');
  });
});
