import { interimReadout } from '../../../functions/domain/scoring/interim';
import { overlappingExperiments, scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import { aScoredExperiment, midnightSnapshots, SCORED_AT } from './factories';

const BASELINE = [9, 12, 10, 8, 11, 13, 9, 10, 12, 7, 11, 10, 9, 12, 10, 11, 8, 12, 10, 9, 13, 10, 11, 9, 10, 12, 8, 11];
const observations = midnightSnapshots([...BASELINE, ...BASELINE.slice(0, 14).map((v) => v + 9), 20, 20]);

describe('overlapping experiments', () => {
  it('warns when another experiment on the same metric ran during the baseline, since the expected value may carry its effect', () => {
    const earlier = aScoredExperiment({ id: 'exp-0', name: 'Bio link test', status: 'concluded', start: '2025-02-10T00:00:00.000Z', end: '2025-02-24T00:00:00.000Z' });
    const otherMetric = aScoredExperiment({ id: 'exp-9', primaryMetric: 'newsletter.open_rate', status: 'concluded', start: '2025-02-10T00:00:00.000Z', end: '2025-02-24T00:00:00.000Z' });

    const verdict = scoreExperiment(aScoredExperiment(), observations, { now: SCORED_AT, otherExperiments: [earlier, otherMetric] });

    const warning = verdict.warnings.find((w) => w.code === 'baseline_overlap')!;
    expect(warning.experimentIds).toEqual(['exp-0']);
    expect(warning.message).toContain('Bio link test');
    expect(verdict.warnings.find((w) => w.code === 'overlapping_experiment')).toBeUndefined();
    expect(verdict.summary).toContain('ran during the baseline');
  });

  it('warns, naming the other experiment, when another live experiment on the same metric overlaps the window', () => {
    const other = aScoredExperiment({ id: 'exp-2', name: 'Reply to every mention', start: '2025-03-10T00:00:00.000Z', end: '2025-03-24T00:00:00.000Z' });

    const verdict = scoreExperiment(aScoredExperiment(), observations, { now: SCORED_AT, otherExperiments: [other] });

    const warning = verdict.warnings.find((w) => w.code === 'overlapping_experiment')!;
    expect(warning.experimentIds).toEqual(['exp-2']);
    expect(warning.message).toContain('"Reply to every mention" (exp-2, 2025-03-10 to 2025-03-23)'); // its last day: end is exclusive
    expect(verdict.summary).toMatch(/Caution: Another experiment on the same metric overlapped this window/);
  });

  it('ignores itself, other metrics, abandoned and backlog experiments, and windows that only touch', () => {
    const others = [
      aScoredExperiment(),
      aScoredExperiment({ id: 'a', primaryMetric: 'newsletter.open_rate' }),
      aScoredExperiment({ id: 'b', status: 'abandoned' }),
      aScoredExperiment({ id: 'c', status: 'backlog', start: undefined, end: undefined }),
      aScoredExperiment({ id: 'd', start: '2025-03-17T00:00:00.000Z', end: '2025-03-31T00:00:00.000Z' }),
    ];
    expect(overlappingExperiments(aScoredExperiment(), { start: '2025-03-03T00:00:00.000Z', end: '2025-03-17T00:00:00.000Z' }, others)).toEqual([]);
  });

  it('matches engine-qualified citation metrics on their base metric', () => {
    const me = aScoredExperiment({ primaryMetric: 'citations.citation_rate:perplexity' });
    const other = aScoredExperiment({ id: 'x', primaryMetric: 'citations.citation_rate' });
    expect(overlappingExperiments(me, { start: me.start!, end: me.end! }, [other]).map((o) => o.id)).toEqual(['x']);
  });
});

describe('interim readout', () => {
  it('shows progress so far, clearly labelled as not a verdict', () => {
    const now = new Date('2025-03-08T12:00:00.000Z');

    const readout = interimReadout(aScoredExperiment(), observations, { now });

    expect(readout).toMatchObject({ notAVerdict: true, daysElapsed: 5, daysLeft: 9, leaning: 'keep', leaningReason: 'improved', computedAt: now.toISOString() });
    expect(readout.periods.window).toEqual({ start: '2025-03-03T00:00:00.000Z', end: '2025-03-08T12:00:00.000Z' });
    expect(readout.summary).toMatch(/^Interim readout after 5 of 14 days, not a verdict: X followers grew .* So far it leans keep/);
    expect(readout).not.toHaveProperty('decision');
    expect(readout).not.toHaveProperty('reason');
  });

  it('has nothing to show before the window starts, and no leaning either way', () => {
    const readout = interimReadout(aScoredExperiment(), observations, { now: new Date('2025-03-01T00:00:00.000Z') });

    expect(readout).toMatchObject({ daysElapsed: 0, daysLeft: 14, leaningReason: 'insufficient_data', leaning: null });
    expect(readout.summary).toMatch(/^Interim readout after 0 of 14 days, not a verdict: Not enough data to judge .* No leaning yet\.$/);
  });
});
