/** Switchback power planning: the same noise profile as before/after, two means of daily growth instead of a forecast. */
import type { NoiseProfile } from '../../../functions/domain/planning/power-plan';
import {
  analysedDays, planSwitchback, proposeSwitchbackWindow, snapshotBlur, switchbackPower, switchbackWindowFor,
} from '../../../functions/domain/planning/switchback-plan';

const RULE = { confidence: 0.95, minLift: 0 };

function aPoissonProfile(level: number, historyDays = 56): NoiseProfile {
  return { metric: 'x.follower_growth_rate', kind: 'count_rate', historyDays, level, unitVariance: level, unitsPerDay: 1, excessVariance: 0, inflation: 1, seasonal: false, assumed: false };
}

describe('switchback planning', () => {
  it('gains power with the window and with the lift', () => {
    const p = aPoissonProfile(10);
    expect(switchbackPower(p, 28, 0.3, RULE)).toBeGreaterThan(switchbackPower(p, 14, 0.3, RULE));
    expect(switchbackPower(p, 28, 0.5, RULE)).toBeGreaterThan(switchbackPower(p, 28, 0.3, RULE));
  });

  it('stays below the Poisson ceiling of a known-variance test (≈ 76 % for +30 % at 10/day over 28 days)', () => {
    const power = switchbackPower(aPoissonProfile(10), 28, 0.3, RULE);
    expect(power).toBeGreaterThan(0.55);
    expect(power).toBeLessThan(0.76);
  });

  it('never counts a day of followers as less noisy than a Poisson count, but takes amounts as measured', () => {
    const quiet = { ...aPoissonProfile(10), unitVariance: 6 };
    const revenue = { ...quiet, metric: 'revenue.net_per_day:usd' };

    expect(switchbackPower(quiet, 28, 0.3, RULE)).toBeCloseTo(switchbackPower(aPoissonProfile(10), 28, 0.3, RULE), 10);
    expect(switchbackPower(revenue, 28, 0.3, RULE)).toBeGreaterThan(switchbackPower(aPoissonProfile(10), 28, 0.3, RULE) + 0.05);
  });

  it('counts what snapshots between local midnights blur of each switch, in the design\'s time zone', () => {
    const every6h = (firstHourUtc: number) => Array.from({ length: 4 * 28 }, (_, k) => Date.UTC(2026, 10, 2, firstHourUtc + 6 * k));

    expect(snapshotBlur(every6h(0), 'UTC')).toBe(0);
    expect(snapshotBlur(every6h(3), 'UTC')).toBeCloseTo(0.25 * 0.5 * 0.5, 10);
    expect(snapshotBlur(every6h(4), 'UTC')).toBeCloseTo(0.25 * (4 / 6) * (2 / 6), 10);
    // The same snapshots at UTC midnights fall 5 hours before New York's midnights (EST, no DST in the range).
    expect(snapshotBlur(every6h(0).slice(0, 4 * 20), 'America/New_York')).toBeCloseTo(0.25 * (5 / 6) * (1 / 6), 10);
    const blurred = { blockDays: 1, washoutDays: 0, blur: 0.06 };
    expect(switchbackPower(aPoissonProfile(10), 28, 0.3, RULE, blurred)).toBeLessThan(switchbackPower(aPoissonProfile(10), 28, 0.3, RULE) - 0.03);
  });

  it('needs about two months for +50 % at 2 followers/day, and says so', () => {
    const days = switchbackWindowFor(aPoissonProfile(2), 0.5, RULE)!;
    // (t + t)² · (2 + 3) / (½ · 1²) ≈ 62 days before the covariates' cost.
    expect(days).toBeGreaterThan(55);
    expect(days).toBeLessThan(75);
  });

  it('proposes the 42-day maximum when +50 % at 2/day needs longer, with what 42 days can do', () => {
    const p = aPoissonProfile(2);
    const proposal = proposeSwitchbackWindow(p, 0.5, RULE);

    expect(proposal.windowDays).toBe(42);
    expect(proposal.reachesTarget).toBe(false);
    expect(proposal.powerAtTarget).toBeCloseTo(switchbackPower(p, 42, 0.5, RULE), 10);
    expect(proposal.detectableLift).toBeGreaterThan(0.5);
    expect(proposal.sentence).toBe(
      `No switchback window within the 42-day maximum reaches 80 % for +50 %: 42 days has ${Math.round(proposal.powerAtTarget * 100)} % power for it` +
        ` and detects +${Math.round(proposal.detectableLift! * 100)} % with 80 %; +50 % would take ${switchbackWindowFor(p, 0.5, RULE)} days.`,
    );
  });

  it('proposes the smallest window that reaches 80 % when one within 42 days does', () => {
    const p = aPoissonProfile(10);
    const proposal = proposeSwitchbackWindow(p, 0.3, RULE);

    expect(proposal.windowDays).toBe(switchbackWindowFor(p, 0.3, RULE));
    expect(proposal.windowDays).toBeGreaterThan(28);
    expect(proposal.windowDays).toBeLessThanOrEqual(42);
    expect(switchbackPower(p, proposal.windowDays - 1, 0.3, RULE)).toBeLessThan(0.8);
    expect(proposal).toMatchObject({ reachesTarget: true, sentence: `A ${proposal.windowDays}-day switchback reaches ${Math.round(proposal.powerAtTarget * 100)} % power for +30 %.` });
    expect(planSwitchback(p, 28, 0.3, RULE).proposed).toEqual(proposal);
  });

  it('shows the gain over a before/after test of the same account (four weeks of history)', () => {
    const plan = planSwitchback(aPoissonProfile(10, 28), 28, 0.3, RULE);
    expect(plan.powerAtTarget).toBeGreaterThan(plan.beforeAfter.powerAtTarget + 0.1);
    expect(plan.gain).toMatch(/^For \+30 % over 28 days: \d+ % power switching daily vs \d+ % before\/after on a 28-day baseline\.$/);
  });

  it('counts washout days out of the analysed days', () => {
    expect(analysedDays(28)).toBe(28);
    expect(analysedDays(28, { blockDays: 4, washoutDays: 1 })).toBeCloseTo(28 - 0.75 * 6, 10);
  });
});
