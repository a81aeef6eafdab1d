/** Chart annotations from experiments and verdicts: which band, which label, where the counterfactual lies. */
import { annotationFor, counterfactualOf } from '../../../functions/dashboard/app/annotations';
import { trailingMean } from '../../../functions/dashboard/app/chart';
import type { Verdict } from '../../../functions/domain/verdict';
import { anExperiment } from '../../support/factories';

const NOW = new Date('2026-11-08T12:00:00Z');
const seconds = (iso: string) => Date.parse(iso) / 1000;

function aVerdict(overrides: Partial<Verdict> = {}): Verdict {
  return {
    experimentId: 'exp_test0001', metric: 'x.follower_growth_rate', decision: 'keep', reason: 'improved',
    baselineValue: 10, windowValue: 15, expectedValue: 11,
    effect: { absolute: 4, relative: 0.3636, absoluteInterval: { lower: 1, upper: 7 }, relativeInterval: { lower: 0.09, upper: 0.64 } },
    probabilityOfImprovement: 0.99,
    periods: { baseline: { start: '2026-10-18T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' }, window: { start: '2026-11-01T00:00:00.000Z', end: '2026-11-15T00:00:00.000Z' } },
    dataQuality: { windowCoverage: 1, baselineCoverage: 1, gaps: [], baselineDays: 14, windowDays: 14 },
    warnings: [], summary: 'Kept.', method: 'count_rate_trend_gls', scoredAt: '2026-11-15T06:00:00.000Z',
    ...overrides,
  };
}

describe('annotationFor', () => {
  it('labels a concluded experiment with its decision and lift, and draws its verdict baseline', () => {
    const a = annotationFor({ experiment: anExperiment({ status: 'concluded' }), verdict: aVerdict() }, NOW);

    expect(a).toMatchObject({ kind: 'keep', label: 'KEEP +36 %', window: { start: seconds('2026-11-01T00:00:00Z'), end: seconds('2026-11-15T00:00:00Z') } });
    expect(a?.baseline).toEqual({ start: seconds('2026-10-18T00:00:00Z'), end: seconds('2026-11-01T00:00:00Z') });
  });

  it('says when a discard is for lack of data rather than a worse result', () => {
    const a = annotationFor({ experiment: anExperiment({ status: 'concluded' }), verdict: aVerdict({ decision: 'discard', reason: 'insufficient_data', effect: { absolute: null, relative: null, absoluteInterval: null, relativeInterval: null }, expectedValue: null }) }, NOW);

    expect(a).toMatchObject({ kind: 'discard', label: 'DISCARD · too little data' });
    expect(a?.counterfactual).toBeUndefined();
  });

  it('labels a discard whose window could not tell as inconclusive, not as a failed tactic', () => {
    const a = annotationFor({ experiment: anExperiment({ status: 'concluded' }), verdict: aVerdict({ decision: 'discard', reason: 'not_improved', outcome: 'inconclusive' }) }, NOW);
    expect(a).toMatchObject({ kind: 'discard', label: 'INCONCLUSIVE +36 %' });
  });

  it('counts the days left of a running experiment', () => {
    const a = annotationFor({ experiment: anExperiment({ status: 'running' }) }, NOW);

    expect(a).toMatchObject({ kind: 'running', label: 'RUNNING · 7 d left' });
  });

  it('has no band for a backlog item, which has no window yet', () => {
    expect(annotationFor({ experiment: anExperiment({ status: 'backlog', start: undefined, end: undefined }) }, NOW)).toBeUndefined();
  });
});

describe('counterfactualOf', () => {
  it('turns the effect interval into the band of what was expected: window minus effect', () => {
    expect(counterfactualOf(aVerdict())).toEqual({ expected: 11, lower: 8, upper: 14, observed: 15 });
  });

  it('draws just the expected line when there is no interval', () => {
    expect(counterfactualOf(aVerdict({ effect: { absolute: 4, relative: 0.36, absoluteInterval: null, relativeInterval: null } }))).toEqual({ expected: 11, lower: 11, upper: 11, observed: 15 });
  });
});

describe('trailingMean', () => {
  it('averages the measured days of the last week and waits for four of them', () => {
    expect(trailingMean([1, null, 3, 5, 7, 9])).toEqual([null, null, null, null, 4, 5]);
  });
});
