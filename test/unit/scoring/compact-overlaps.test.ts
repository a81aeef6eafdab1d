/**
 * A verdict does not grow with the number of other experiments: overlap warnings carry a count, the first
 * few ids and the first few names (a busy metric once produced 238 KB verdicts; DynamoDB's item limit is
 * 400 KB, past which the experiment could never be scored).
 */
import { scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import { OVERLAP_IDS_SHOWN } from '../../../functions/domain/verdict';
import { aScoredExperiment, midnightSnapshots, SCORED_AT } from './factories';

const BASELINE = [9, 12, 10, 8, 11, 13, 9, 10, 12, 7, 11, 10, 9, 12, 10, 11, 8, 12, 10, 9, 13, 10, 11, 9, 10, 12, 8, 11];
const observations = midnightSnapshots([...BASELINE, ...BASELINE.slice(0, 14).map((v) => v + 9), 20, 20]);

/** `n` experiments on the same metric, half in the baseline and half over the window. */
function others(n: number) {
  return Array.from({ length: n }, (_, i) => aScoredExperiment({
    id: `exp-${String(i).padStart(5, '0')}`, name: `A long descriptive tactic name, number ${i}`, status: i % 2 ? 'concluded' : 'running',
    start: i % 2 ? '2025-02-10T00:00:00.000Z' : '2025-03-10T00:00:00.000Z', end: i % 2 ? '2025-02-24T00:00:00.000Z' : '2025-03-24T00:00:00.000Z',
  }));
}

describe('overlap warnings stay compact', () => {
  it('holds 10,000 overlapping experiments in a verdict of at most 8 KB, with their count and the first ids', () => {
    const verdict = scoreExperiment(aScoredExperiment(), observations, { now: SCORED_AT, otherExperiments: others(10_000) });

    const window = verdict.warnings.find((w) => w.code === 'overlapping_experiment')!;
    const baseline = verdict.warnings.find((w) => w.code === 'baseline_overlap')!;
    expect(Buffer.byteLength(JSON.stringify(verdict))).toBeLessThanOrEqual(8 * 1024);
    expect(window).toMatchObject({ count: 5_000, experimentIds: ['exp-00000', 'exp-00002', 'exp-00004', 'exp-00006', 'exp-00008'] });
    expect(baseline.count).toBe(5_000);
    expect(baseline.experimentIds).toHaveLength(OVERLAP_IDS_SHOWN);
    expect(window.message).toContain('5000 other experiments');
    expect(window.message).toContain('and 4997 more');
  });

  it('names every one when there are only a few', () => {
    const verdict = scoreExperiment(aScoredExperiment(), observations, { now: SCORED_AT, otherExperiments: others(4).filter((e) => e.status === 'running') });

    const window = verdict.warnings.find((w) => w.code === 'overlapping_experiment')!;
    expect(window).toMatchObject({ count: 2, experimentIds: ['exp-00000', 'exp-00002'] });
    expect(window.message).not.toContain('more');
  });
});
