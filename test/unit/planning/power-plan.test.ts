/**
 * The planner: noise profiles from an account's own history, and what a window can detect.
 * Closed-form checks use a profile built by hand, so the expected numbers are computed independently.
 */
import {
  defaultBaselineDays, detectableEffect, detectableLift, effectStandardError, type NoiseProfile, noiseProfile, planExperiment, powerAt, windowFor,
} from '../../../functions/domain/planning/power-plan';
import { normalQuantile, studentTCdf, studentTQuantile } from '../../../functions/domain/scoring/statistics';
import { midnightSnapshots } from '../scoring/factories';

const START = new Date('2025-03-31T00:00:00.000Z');
const RULE = { confidence: 0.95, minLift: 0 };

function aProfile(overrides: Partial<NoiseProfile> = {}): NoiseProfile {
  return {
    metric: 'x.follower_growth_rate', kind: 'count_rate', historyDays: 56, level: 10, unitVariance: 10, unitsPerDay: 1,
    excessVariance: 0, inflation: 1, seasonal: false, assumed: false, ...overrides,
  };
}

/** Alternating daily growth around `mean` (±spread), 56 days ending at START. */
function history(mean: number, spread: number, days = 56) {
  const growth = Array.from({ length: days }, (_, i) => mean + (i % 2 === 0 ? spread : -spread));
  return midnightSnapshots(growth, { from: new Date(START.getTime() - days * 86_400_000).toISOString() });
}

describe('effect standard error', () => {
  it('for proportions is the two pooled rates’ independent noise', () => {
    const p = aProfile({ kind: 'proportion', level: 0.4, unitVariance: 0.09, unitsPerDay: 3 / 7 });
    const { se } = effectStandardError(p, 28, 14, 0);
    expect(se).toBeCloseTo(Math.sqrt(0.09 / 12 + 0.09 / 6), 10);
  });

  it('for count rates takes its residual df from the autocorrelated fit (a persistent wander leaves fewer independent rows)', () => {
    // 56 + 14 rows, level, trend and shift: n − p = 67; the fit read a quarter of that under its autocorrelation.
    expect(effectStandardError(aProfile({ inflation: 4 }), 56, 14).df).toBeCloseTo(67, 10);
    expect(effectStandardError(aProfile({ inflation: 4, residualDfShare: 0.25 }), 56, 14).df).toBeCloseTo(16.75, 10);
  });

  it('for count rates lowers its df for heavy-tailed days as the verdict does (1/df gains κ/2n over the n rows)', () => {
    // 56 + 14 rows, level, trend and shift: n − p = 67; excess kurtosis 2.8 on 70 rows adds 2.8/140 to 1/df.
    expect(effectStandardError(aProfile({ kurtosis: 2.8 }), 56, 14).df).toBeCloseTo(1 / (1 / 67 + 2.8 / 140), 10);
    expect(effectStandardError(aProfile({ kurtosis: 0 }), 56, 14).df).toBeCloseTo(67, 10);
  });

  it('reads the heavy tails from the history: viral days lower the df the plan tests with', () => {
    // 10/day with a weekly wobble, and four viral days (+20 each).
    const growth = Array.from({ length: 56 }, (_, i) => 10 + [2, -1, 0, 3, -2, 1, -3][i % 7] * ((i * 5) % 3 === 0 ? 1 : -1) + ([9, 23, 37, 48].includes(i) ? 20 : 0));
    const observations = midnightSnapshots(growth, { from: new Date(START.getTime() - 56 * 86_400_000).toISOString() });
    const profile = noiseProfile('x.follower_growth_rate', observations, new Date(START.getTime() + 1))!;
    expect(profile.kurtosis).toBeGreaterThan(1);
    expect(effectStandardError(profile, 56, 14).df).toBeLessThan(effectStandardError({ ...profile, kurtosis: 0 }, 56, 14).df - 1);
  });

  it('for count rates grows with autocorrelation inflation by its square root', () => {
    const plain = effectStandardError(aProfile(), 56, 14).se;
    const inflated = effectStandardError(aProfile({ inflation: 4 }), 56, 14).se;
    expect(inflated / plain).toBeCloseTo(2, 10);
  });
});

describe('power and detectable lift', () => {
  it('are consistent: the detectable lift has 80 % power and power rises with the lift', () => {
    const p = aProfile({ level: 2, unitVariance: 2 });
    const mde = detectableLift(p, 56, 14, RULE)!;
    expect(powerAt(p, 56, 14, mde, RULE)).toBeCloseTo(0.8, 3);
    expect(powerAt(p, 56, 14, mde / 2, RULE)).toBeLessThan(0.8);
    expect(powerAt(p, 56, 14, 0, RULE)).toBeCloseTo(0.05, 1);
  });

  it('a bigger account detects a smaller lift with the same window', () => {
    const small = detectableLift(aProfile({ level: 2, unitVariance: 2 }), 56, 14, RULE)!;
    const big = detectableLift(aProfile({ level: 10, unitVariance: 10 }), 56, 14, RULE)!;
    expect(big).toBeLessThan(small);
  });

  it('the window for a target is the first whose power reaches 80 %', () => {
    const p = aProfile({ level: 3, unitVariance: 3 });
    const w = windowFor(p, 56, 0.5, RULE)!;
    expect(powerAt(p, 56, w, 0.5, RULE)).toBeGreaterThanOrEqual(0.8);
    expect(powerAt(p, 56, w - 1, 0.5, RULE)).toBeLessThan(0.8);
  });

  it('a minLift bar costs power', () => {
    const p = aProfile();
    expect(powerAt(p, 56, 14, 0.5, { confidence: 0.95, minLift: 0.2 })).toBeLessThan(powerAt(p, 56, 14, 0.5, RULE));
  });

  it('with counting noise only is the fixed standard error formula (no day shocks to average over)', () => {
    const p = aProfile();
    const { se, df } = effectStandardError(p, 56, 14, 0.5);
    expect(powerAt(p, 56, 14, 0.5, RULE)).toBeCloseTo(studentTCdf((0.5 * 10) / se - studentTQuantile(0.95, df), df), 12);
  });

  it('with persistent day shocks is below the fixed standard error formula: good weeks raise the estimate and its error together', () => {
    // 10/day, day shocks of variance 17 on top of counting (log-SD 0.4), persistence ×4: the window's mean day multiplier varies.
    const p = aProfile({ unitVariance: 27, excessVariance: 17, inflation: 4 });
    const { se, df } = effectStandardError(p, 56, 14, 0.5);
    const fixed = studentTCdf((0.5 * 10) / se - studentTQuantile(0.95, df), df);
    const averaged = powerAt(p, 56, 14, 0.5, RULE);
    expect(averaged).toBeLessThan(fixed - 0.02);
    expect(averaged).toBeGreaterThan(0);
  });

  it('detectableEffect is (z_conf + z_power) · se for large df', () => {
    expect(detectableEffect(2, 1e7, 0.95, 0.8)).toBeCloseTo(2 * (normalQuantile(0.95) + normalQuantile(0.8)), 10);
  });
});

describe('planExperiment', () => {
  it('measures the level from the history and flags a window too short for +50 % at 2/day', () => {
    const plan = planExperiment({ metric: 'x.follower_growth_rate', observations: history(2, 1), start: START, windowDays: 14, confidence: 0.95, minLift: 0 });
    expect(plan.historyDays).toBe(56);
    expect(plan.baselineDays).toBe(56);
    expect(plan.expectedLevel).toBeCloseTo(2, 6);
    expect(plan.byWindow.map((w) => w.windowDays)).toEqual([7, 14, 28, 42]);
    expect(plan.detectableLift).not.toBeNull();
    expect(plan.summary).toMatch(/can detect \+\d+ % or more at 80 % power/);
    expect(plan.warnings.some((w) => w.code === 'underpowered')).toBe(plan.powerAtTarget! < 0.8);
  });

  it('with no observations says so instead of inventing figures', () => {
    const plan = planExperiment({ metric: 'x.follower_growth_rate', observations: [], start: START, windowDays: 14, confidence: 0.95, minLift: 0 });
    expect(plan.detectableLift).toBeNull();
    expect(plan.warnings[0].code).toBe('no_data');
  });

  it('warns when the history is shorter than the baseline asked for', () => {
    const plan = planExperiment({ metric: 'x.follower_growth_rate', observations: history(10, 3, 10), start: START, windowDays: 14, baselineDays: 28, confidence: 0.95, minLift: 0 });
    expect(plan.warnings.map((w) => w.code)).toContain('short_history');
  });

  it('when even the 42-day maximum falls short, says what 42 days reach and what would help (not "run it twice")', () => {
    // 2/day with a day-to-day spread of ±1.6: +50 % needs more than 42 days.
    const plan = planExperiment({ metric: 'x.follower_growth_rate', observations: history(2, 1.6), start: START, windowDays: 14, confidence: 0.95, minLift: 0 });
    const longest = plan.byWindow.find((w) => w.windowDays === 42)!;

    expect(plan.windowForTarget).toBeGreaterThan(42);
    expect(plan.summary).toContain(
      `it needs ${plan.windowForTarget} days — more than the 42-day maximum; 42 days give ${Math.round(longest.powerAtTarget * 100)} % power for it. ` +
        'Test a bolder change (a bigger lift is easier to see), or a metric that moves more.',
    );
    expect(plan.summary).not.toMatch(/run it twice/);
    expect(plan.warnings.find((w) => w.code === 'underpowered')!.message).toBe(
      `A 14-day window has ${Math.round(plan.powerAtTarget! * 100)} % power for +50 %; ${plan.windowForTarget} days would reach 80 %, more than the 42-day maximum.`,
    );
  });

  it('defaults the baseline to the whole weeks of history, one to eight', () => {
    expect([3, 10, 30, 200].map(defaultBaselineDays)).toEqual([7, 7, 28, 56]);
  });
});
