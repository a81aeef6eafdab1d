/**
 * A newsletter rate judged while the list moved (issue 16.5): after a clean-up the expectation is the
 * baseline's opens counted over the list that remained (removed subscribers assumed not to open), so the
 * interval describes the tactic, not the clean-up; a list that grew is compared as measured. Either way
 * the result is never kept, and the verdict, its summary, `verdict show` and the dashboard say why.
 */
import { scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import { listChangeNote } from '../../../functions/domain/scoring/summary';
import { aScoredExperiment, listChangeSends, SCORED_AT } from './factories';

const sends = listChangeSends;

describe('moving denominator', () => {
  const experiment = aScoredExperiment({ primaryMetric: 'newsletter.open_rate' });

  it('judges an open rate after a clean-up against the baseline counted over the list that remained', () => {
    // 800 inactive readers removed at the window's start: the same ~610 opens over 1,200 delivered.
    const verdict = scoreExperiment(experiment, sends(1200, 600), { now: SCORED_AT });

    expect(verdict.baselineValue).toBeCloseTo(0.305, 3);
    expect(verdict.windowValue).toBeCloseTo(0.504, 3);
    expect(verdict.expectedValue).toBeCloseTo(0.305 * (2000 / 1200), 3);
    expect(verdict.effect.absoluteInterval!.lower).toBeLessThan(0);
    expect(verdict.effect.absoluteInterval!.upper).toBeGreaterThan(0);
    expect(verdict.listChange).toEqual({ baselineDeliveredPerSend: 2000, windowDeliveredPerSend: 1200, adjustment: 'remaining_list', unadjustedExpectedValue: 0.305 });
    expect(verdict).toMatchObject({ decision: 'discard', outcome: 'inconclusive' });
    expect(verdict.warnings.find((w) => w.code === 'moving_denominator')!.message).toMatch(
      /^Delivered per send fell 40 % \(2,000 → 1,200\).*the baseline's 30\.5 % becomes 50\.8 %.*assuming the removed subscribers would not have opened/,
    );
    expect(verdict.summary).toMatch(/^Open rate was 50\.4 % vs 50\.8 % expected for the list that remained/);
    expect(verdict.summary).toMatch(/Inconclusive, so not kept: the list shrank by 40 % \(delivered per send\), and the adjustment for it assumes the removed subscribers would not have opened/);
    expect(verdict.summary).toMatch(/The baseline's 30\.5 % was over 2,000 delivered per send; counted over the 1,200 that remained, it is 50\.8 %/);
  });

  it('measures a real lift during a clean-up on the remaining list, and still does not keep it', () => {
    const verdict = scoreExperiment(experiment, sends(1200, 700), { now: SCORED_AT });

    // ~100 more opens per send over 1,200 delivered: about +8 points, well clear of zero.
    expect(verdict.effect.absolute).toBeCloseTo((700 - 600) / 1200, 2);
    expect(verdict.effect.absoluteInterval!.lower).toBeGreaterThan(0.05);
    expect(verdict.probabilityOfImprovement).toBeGreaterThan(0.99);
    expect(verdict).toMatchObject({ decision: 'discard', reason: 'not_improved', outcome: 'inconclusive' });
  });

  it('compares the open rate of a list that grew as measured, and says why it is not judged worse', () => {
    // 800 subscribers imported at the window's start, opening less often: the rate falls with no tactic.
    const verdict = scoreExperiment(experiment, sends(2800, 700), { now: SCORED_AT });

    expect(verdict.expectedValue).toBeCloseTo(0.305, 3);
    expect(verdict.listChange).toMatchObject({ adjustment: 'none', windowDeliveredPerSend: 2800 });
    expect(verdict.outcome).toBe('inconclusive');
    expect(verdict.summary).toMatch(/Inconclusive, so not kept: the list grew by 40 % \(delivered per send\), and how often the new subscribers open cannot be told apart/);
    expect(verdict.summary).not.toMatch(/did worse/);
    expect(verdict.warnings.find((w) => w.code === 'moving_denominator')!.message).toMatch(
      /the expectation is the baseline's 30\.5 %, as if they open as often as the rest \(21\.8 % if they never did\)/,
    );
  });

  it('does not adjust when the baseline had more opens per send than the window delivered', () => {
    // 1,500 removed, yet each baseline send had ~610 opens: the removed subscribers did open.
    const verdict = scoreExperiment(experiment, sends(500, 480), { now: SCORED_AT });

    expect(verdict.expectedValue).toBeCloseTo(0.305, 3);
    expect(verdict.listChange).toMatchObject({ adjustment: 'none', windowDeliveredPerSend: 500 });
    expect(verdict).toMatchObject({ decision: 'discard', outcome: 'inconclusive' });
    expect(verdict.summary).toMatch(/the removed subscribers had opened, so no adjustment is possible/);
  });

  it('keeps a real lift on a steady list, with nothing adjusted', () => {
    const verdict = scoreExperiment(experiment, sends(2000, 900), { now: SCORED_AT });
    expect(verdict.decision).toBe('keep');
    expect(verdict.listChange).toBeUndefined();
    expect(verdict.expectedValue).toBeCloseTo(0.305, 3);
    expect(verdict.warnings.map((w) => w.code)).not.toContain('moving_denominator');
  });

  it('words the adjustment in one line for verdict show and the dashboard', () => {
    const verdict = scoreExperiment(experiment, sends(1200, 600), { now: SCORED_AT });
    expect(listChangeNote(verdict.listChange!, verdict.expectedValue, verdict.metric)).toBe(
      "Adjusted for a list clean-up: expected 50.8 % = the baseline's 30.5 % counted over the 1,200 delivered per send that remained (2,000 before), " +
        'assuming the removed subscribers would not have opened. Not kept whatever it shows.',
    );
    const grown = scoreExperiment(experiment, sends(2800, 700), { now: SCORED_AT });
    expect(listChangeNote(grown.listChange!, grown.expectedValue, grown.metric)).toBe(
      "Not adjusted: the list grew 40 % (2,000 → 2,800 delivered per send) and the new subscribers' own rate cannot be told apart, so the rate is compared as measured: " +
        'expected 30.5 % if they open as often as the rest, 21.8 % if they never do. Not kept whatever it shows.',
    );
  });
});
