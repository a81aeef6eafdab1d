/**
 * The plan names the baseline the verdict will use: for the same history, the plan made before the start
 * (history up to "now") and the verdict scored after the window (history through it) agree on the
 * baseline's days — for a start now, tomorrow, weeks ahead, on a short history, after another
 * experiment on the metric and after a level shift. (A 2-followers/day account was told "49-day
 * baseline" for a start tomorrow, and the verdict then took 8 weeks.)
 */
import type { Experiment } from '../../../functions/domain/experiment';
import type { Observation } from '../../../functions/domain/observation';
import { planExperiment } from '../../../functions/domain/planning/power-plan';
import { scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import { anExperiment } from '../../support/factories';
import { followerHistory } from './poisson-history';

const DAY_MS = 86_400_000;
/** "Now" when the plan is made: mid-afternoon, so a start "now" leaves partial days at both ends. */
const NOW = Date.parse('2026-12-01T18:05:00.000Z');
const WINDOW_DAYS = 14;

function planAndVerdict(history: readonly Observation[], startMs: number, others: Experiment[] = []) {
  const start = new Date(startMs);
  // The plan sees what is stored when it is made: nothing after now (or after the start, if that is earlier).
  const known = history.filter((o) => Date.parse(o.at) <= Math.min(startMs, NOW));
  const plan = planExperiment({
    metric: 'x.follower_growth_rate', observations: known, start, windowDays: WINDOW_DAYS, confidence: 0.95, minLift: 0.1, otherExperiments: others,
  });
  const experiment = anExperiment({ start: start.toISOString(), end: new Date(startMs + WINDOW_DAYS * DAY_MS).toISOString(), durationDays: WINDOW_DAYS });
  const verdict = scoreExperiment(experiment, history, { now: new Date(startMs + (WINDOW_DAYS + 3) * DAY_MS), otherExperiments: others, permutations: 200 });
  return { plan, verdict };
}

const TOMORROW = Date.parse('2026-12-02T00:00:00.000Z');

describe('the plan’s baseline is the verdict’s', () => {
  // History from 2026-10-06 (8 weeks before tomorrow, plus one day) and on through every window below.
  const history = followerHistory('2026-10-06T00:00:00.000Z', 120);

  it.each([
    ['now (18:05, partial days at both ends)', NOW],
    ['tomorrow (a day not collected yet)', TOMORROW],
    ['three weeks ahead', Date.parse('2026-12-22T00:00:00.000Z')],
  ])('for a start %s', (_label, startMs) => {
    const { plan, verdict } = planAndVerdict(history, startMs);

    expect(plan.baselineDays).toBe(verdict.dataQuality.baselineDays);
    expect(plan.summary).toContain(`on a ${verdict.dataQuality.baselineDays}-day baseline`);
    expect(plan.warnings.map((w) => w.code)).not.toContain('short_history');
  });

  it('for a start tomorrow on 8 weeks of history, is the 8 weeks the scorer takes (not 49 days)', () => {
    const { plan } = planAndVerdict(history, TOMORROW);

    expect(plan.baselineDays).toBe(56);
  });

  it('on a history shorter than 8 weeks, is its whole weeks, as the verdict’s', () => {
    const short = followerHistory('2026-11-10T00:00:00.000Z', 60); // 21 days before now, 22 before tomorrow

    for (const startMs of [NOW, TOMORROW, Date.parse('2026-12-09T00:00:00.000Z')]) {
      const { plan, verdict } = planAndVerdict(short, startMs);
      expect(plan.baselineDays).toBe(verdict.dataQuality.baselineDays);
    }
    expect(planAndVerdict(short, TOMORROW).plan.baselineDays).toBe(21);
  });

  it('stops after another experiment on the metric that ended inside it, as the verdict does', () => {
    const earlier = anExperiment({ id: 'exp_earlier01', status: 'concluded', start: '2026-10-20T00:00:00.000Z', end: '2026-11-03T00:00:00.000Z' });

    const { plan, verdict } = planAndVerdict(history, TOMORROW, [earlier]);

    expect(plan.baselineDays).toBe(verdict.dataQuality.baselineDays);
    expect(plan.baselineDays).toBe(28);
  });

  it('stops at a level shift in the history, as the verdict does', () => {
    // 2/day, then 12/day from five weeks before tomorrow.
    const shifted = followerHistory('2026-10-06T00:00:00.000Z', 120, (d) => (d < 22 ? 2 : 12));

    const { plan, verdict } = planAndVerdict(shifted, TOMORROW);

    expect(plan.baselineDays).toBe(verdict.dataQuality.baselineDays);
    expect(plan.baselineDays).toBeLessThan(56);
  });
});
