import { scoreScenario } from '../../../functions/domain/scoring/scenario';
import { midnightSnapshots } from './factories';

const BASELINE = [9, 12, 10, 8, 11, 13, 9, 10, 12, 7, 11, 10, 9, 12, 10, 11, 8, 12, 10, 9, 13, 10, 11, 9, 10, 12, 8, 11];
const NOW = new Date('2025-03-19T00:00:00.000Z');

function aScenario(experiment: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    experiment: { primaryMetric: 'x.follower_growth_rate', start: '2025-03-03', durationDays: 14, baseline: { start: '2025-02-03', end: '2025-03-03' }, ...experiment },
    observations: midnightSnapshots([...BASELINE, ...BASELINE.slice(0, 14).map((v) => v + 9), 20, 20]),
    ...extra,
  };
}

describe('offline scenarios', () => {
  it('scores a scenario with the same engine as the scorer', () => {
    const result = scoreScenario(aScenario(), NOW);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.verdict).toMatchObject({
      experimentId: 'scenario', decision: 'keep', reason: 'improved', scoredAt: NOW.toISOString(),
      periods: { window: { start: '2025-03-03T00:00:00.000Z', end: '2025-03-17T00:00:00.000Z' } },
    });
  });

  it('flags overlaps with the other experiments given', () => {
    const result = scoreScenario(aScenario({ id: 'mine' }, {
      otherExperiments: [{ id: 'theirs', name: 'Giveaway', primaryMetric: 'x.follower_growth_rate', start: '2025-03-10', durationDays: 7 }],
    }), NOW);

    expect(result.ok && result.verdict.warnings.find((w) => w.code === 'overlapping_experiment')?.experimentIds).toEqual(['theirs']);
  });

  it('names every invalid field', () => {
    const result = scoreScenario({
      experiment: { primaryMetric: 'x.followers_typo', start: 'yesterday' },
      observations: [{ metric: 'x.followers', at: '2025-03-01T00:00:00Z', value: -5, source: 'x' }],
    }, NOW);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['experiment.primaryMetric', 'experiment.start', 'observations.0.value']));
    expect(result.issues.find((i) => i.path === 'experiment.primaryMetric')?.message).toMatch(/Unknown metric/);
  });

  it('requires exactly one of end and durationDays', () => {
    const result = scoreScenario(aScenario({ durationDays: undefined }), NOW);
    expect(result.ok ? [] : result.issues).toEqual([{ path: 'experiment.durationDays', message: 'Give either end or durationDays' }]);
  });

  it('rejects a document that is not a scenario', () => {
    const result = scoreScenario([1, 2, 3], NOW);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['(root)']);
  });
});
