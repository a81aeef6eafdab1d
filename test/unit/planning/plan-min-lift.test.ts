/**
 * The plan answers for the user's own minimum lift first, then says why it is sized for a larger one
 * (a `verdict new --min-lift 10` on a 2-followers/day account was told only about +50 %).
 */
import { noiseProfile, planExperiment, powerAt, type PlanInput } from '../../../functions/domain/planning/power-plan';
import { followerHistory } from './poisson-history';

const START = new Date('2026-12-02T00:00:00.000Z');
const DAY_MS = 86_400_000;

/** 8 weeks of Poisson growth at `perDay` a day before START (seeded), snapshots at midnight. */
function history(perDay: number) {
  return followerHistory(new Date(START.getTime() - 56 * DAY_MS).toISOString(), 56, () => perDay);
}

function aPlan(overrides: Partial<PlanInput> = {}) {
  return planExperiment({ metric: 'x.follower_growth_rate', observations: history(2), start: START, windowDays: 14, confidence: 0.95, minLift: 0.1, ...overrides });
}

describe('a plan with a minimum lift', () => {
  it('says what the minimum lift needs before the +50 % target, and why +50 % is shown', () => {
    const plan = aPlan();

    const mine = plan.summary.indexOf('Your minimum lift is +10 %:');
    expect(mine).toBeGreaterThan(0);
    expect(plan.summary.indexOf('To detect +50 % with 80 % power it needs')).toBeGreaterThan(mine);
    expect(plan.summary).toContain('A keep needs the lift credibly above +10 %, so a true +10 % is rarely kept; the plan is sized for +50 %, the default target.');
  });

  it('names the window that tells the minimum lift from no change, at 80 % power', () => {
    // A bigger account, where +10 % is within reach of some window.
    const observations = history(100);
    const plan = aPlan({ observations });
    const profile = noiseProfile('x.follower_growth_rate', observations, START, 14, new Date(START.getTime() - 56 * DAY_MS))!;
    const w = plan.windowForMinLift!;

    expect(plan.summary).toContain(`Your minimum lift is +10 %: telling +10 % from no change needs ${w} days`);
    expect(powerAt(profile, plan.baselineDays, w, 0.1, { confidence: 0.95, minLift: 0 })).toBeGreaterThanOrEqual(0.8);
    expect(powerAt(profile, plan.baselineDays, w - 1, 0.1, { confidence: 0.95, minLift: 0 })).toBeLessThan(0.8);
  });

  it('says when no window up to 26 weeks tells the minimum lift from no change', () => {
    const plan = aPlan({ minLift: 0.02 });

    expect(plan.windowForMinLift).toBeNull();
    expect(plan.summary).toContain('Your minimum lift is +2 %: no window up to 26 weeks tells +2 % from no change.');
  });

  it('explains a target of twice the minimum lift', () => {
    expect(aPlan({ minLift: 0.4 }).summary).toContain('the plan is sized for +80 %, twice your minimum lift.');
  });

  it('without a minimum lift says nothing of one', () => {
    const plan = aPlan({ minLift: 0 });

    expect(plan.windowForMinLift).toBeUndefined();
    expect(plan.summary).not.toContain('minimum lift');
  });
});
