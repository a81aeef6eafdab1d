import { baselinePeriod, observationRange, resolveBaseline, scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import { fitCountRate, predictWindowTotal } from '../../../functions/domain/scoring/count-rate-model';
import { timelineOf, toCountSnapshots } from '../../../functions/domain/scoring/snapshot-interpolation';
import { aScoredExperiment, DAY_MS, hourlySnapshots, midnightSnapshots, SCORED_AT } from './factories';

const BASELINE = [9, 12, 10, 8, 11, 13, 9, 10, 12, 7, 11, 10, 9, 12, 10, 11, 8, 12, 10, 9, 13, 10, 11, 9, 10, 12, 8, 11];

describe('count-rate verdicts', () => {
  it('matches an independent local-level regression when snapshots fall on midnights and the baseline is flat', () => {
    // Arrange: one snapshot per UTC midnight, so each row is one day's growth. The baseline has no trend
    // (t = 0.29), so the backtest picks the local level y_d = β₀ + δ·[window]; |t| of the shift is 3.4,
    // so rows are weighted by the level-dependent variance. Expected numbers: numpy + scipy.stats.t
    // (reference_values.py, last block).
    const window = [12, 10, 13, 11, 12, 14, 10, 11, 13, 12, 11, 13, 12, 12];
    const observations = midnightSnapshots([...BASELINE, ...window, 11, 11]);

    // Act
    const verdict = scoreExperiment(aScoredExperiment(), observations, { now: SCORED_AT });

    // Assert
    expect(verdict.windowValue).toBeCloseTo(11.857142857142858, 9);
    expect(verdict.expectedValue).toBeCloseTo(10.249999999999991, 9);
    expect(verdict.effect.absolute).toBeCloseTo(1.6071428571428652, 9);
    expect(verdict.effect.absoluteInterval!.lower).toBeCloseTo(0.6082562030969643, 7);
    expect(verdict.effect.absoluteInterval!.upper).toBeCloseTo(2.6060295111887664, 7);
    expect(verdict.probabilityOfImprovement).toBeCloseTo(0.9988341167748845, 7);
    expect(verdict.model).toMatchObject({ df: 40, weekdayEffects: false, autocorrelationInflation: 1, trendPerDay: 0 });
    expect(verdict.placebo?.unstable).toBe(false);
    expect(verdict).toMatchObject({ decision: 'keep', reason: 'improved', baselineValue: 10.25 });
  });

  it('matches an independent segmented regression when the trend model is asked for', () => {
    // Same series; y_d = β₀ + β₁·(d − centre)/7 + δ·[window] (reference_values.py, the block before last).
    const window = [12, 10, 13, 11, 12, 14, 10, 11, 13, 12, 11, 13, 12, 12];
    const timeline = timelineOf(toCountSnapshots(midnightSnapshots([...BASELINE, ...window, 11, 11])));
    const startMs = Date.parse('2025-03-03T00:00:00Z');
    const periods = { baseline: { startMs: startMs - 28 * DAY_MS, endMs: startMs }, window: { startMs, endMs: startMs + 14 * DAY_MS } };

    const fit = fitCountRate(timeline, { ...periods, trend: true })!;
    const days = Array.from({ length: 14 }, (_, i) => ({ day: startMs / DAY_MS + i, weight: 1 }));
    const prediction = predictWindowTotal(fit, days);

    expect(prediction.expectedTotal / 14).toBeCloseTo(10.449318568994885, 9);
    expect(prediction.trendPerDay).toBeCloseTo(0.00949136042832802, 9);
    expect(fit.df).toBe(39);
  });

  it('keeps a clear lift on a steady account and says so in plain language', () => {
    const observations = midnightSnapshots([...BASELINE, ...BASELINE.slice(0, 14).map((v) => v + 9), 20, 20]);

    const verdict = scoreExperiment(aScoredExperiment(), observations, { now: SCORED_AT });

    expect(verdict).toMatchObject({ decision: 'keep', reason: 'improved' });
    expect(verdict.probabilityOfImprovement).toBeGreaterThan(0.99);
    expect(verdict.effect.relativeInterval!.lower).toBeGreaterThan(0);
    expect(verdict.summary).toMatch(/^X followers grew 19\.\d\/day vs 10\.\d\/day expected from the (prior trend|recent level)( and weekday pattern)? \(\+\d+ %, 95 % interval \+\d+ % to \+\d+ %\)\. Keep\.$/);
  });

  it('does not call growth that was already accelerating a win', () => {
    // Daily growth rises steadily from 4 to 16 across baseline and window; nothing changes at the start.
    const accelerating = Array.from({ length: 44 }, (_, d) => Math.round(4 + (12 * d) / 43 + (d % 3) - 1));

    const verdict = scoreExperiment(aScoredExperiment(), midnightSnapshots(accelerating), { now: SCORED_AT });

    expect(verdict.decision).toBe('discard');
    expect(verdict.windowValue! - verdict.baselineValue!).toBeGreaterThan(4); // a naive before/after would say "win"
    expect(Math.abs(verdict.effect.absolute!)).toBeLessThan(1.5);
    expect(verdict.model!.trendPerDay).toBeGreaterThan(0.2);
  });

  it('calls a credible drop worse', () => {
    const observations = midnightSnapshots([...BASELINE, ...BASELINE.slice(0, 14).map((v) => Math.max(0, v - 7)), 3, 3]);
    expect(scoreExperiment(aScoredExperiment(), observations, { now: SCORED_AT })).toMatchObject({ decision: 'discard', reason: 'worse' });
  });

  it('discards a lift that is real but does not clearly clear minLift', () => {
    const observations = midnightSnapshots([...BASELINE, ...BASELINE.slice(0, 14).map((v) => v + 5), 15, 15]);

    const verdict = scoreExperiment(aScoredExperiment({ decision: { minLift: 0.5, confidence: 0.95 } }), observations, { now: SCORED_AT });

    expect(verdict).toMatchObject({ decision: 'discard', reason: 'below_min_lift' });
    expect(verdict.probabilityOfImprovement).toBeGreaterThan(0.95);
    expect(verdict.probabilityOfMinLift).toBeLessThan(0.95);
  });

  it('judges a shrinking account on the absolute effect and says why there is no relative lift', () => {
    const shrinking = BASELINE.map((v) => -v);
    const observations = midnightSnapshots([...shrinking, ...BASELINE.slice(0, 14), 5, 5], { startCount: 5000 });

    const verdict = scoreExperiment(aScoredExperiment(), observations, { now: SCORED_AT });

    expect(verdict.expectedValue).toBeLessThan(0);
    expect(verdict.effect.relative).toBeNull();
    expect(verdict.warnings.map((w) => w.code)).toContain('expected_not_positive');
    expect(verdict.decision).toBe('keep');
  });

  it('never keeps without a baseline, however good the window looks, and says what is missing', () => {
    const windowOnly = midnightSnapshots(Array(16).fill(50), { from: '2025-03-03T00:00:00.000Z' });

    const verdict = scoreExperiment(aScoredExperiment(), windowOnly, { now: SCORED_AT });

    expect(verdict).toMatchObject({ decision: 'discard', reason: 'insufficient_data', probabilityOfImprovement: null });
    expect(verdict.missing).toEqual([expect.stringMatching(/X follower counts for at least 7 measurable days in the baseline \(2025-02-03 to 2025-03-02\); found 0 of 28/)]);
    expect(verdict.summary).toMatch(/^Not enough data to judge — missing X follower counts .*Discard/);
  });

  it('reports gaps and low coverage when the collector was down', () => {
    const all = midnightSnapshots([...BASELINE, ...BASELINE.slice(0, 14), 10, 10]);
    // Drop snapshots from 2025-02-10 to 2025-02-16 (a week without data) and 2025-03-08 to 2025-03-11.
    const down = (iso: string) => (iso >= '2025-02-10' && iso < '2025-02-17') || (iso >= '2025-03-08' && iso < '2025-03-12');
    const observations = all.filter((o) => !down(o.at));

    const verdict = scoreExperiment(aScoredExperiment(), observations, { now: SCORED_AT });

    expect(verdict.reason).not.toBe('insufficient_data');
    expect(verdict.dataQuality.gaps).toEqual([{ start: '2025-02-09', end: '2025-02-17' }, { start: '2025-03-07', end: '2025-03-12' }]);
    expect(verdict.dataQuality.baselineCoverage).toBeCloseTo(20 / 28, 10);
    expect(verdict.dataQuality.windowCoverage).toBeCloseTo(9 / 14, 10);
    expect(verdict.warnings.map((w) => w.code)).toContain('low_coverage');
    expect(verdict.windowValue).toBeCloseTo(BASELINE.slice(0, 14).reduce((a, b) => a + b, 0) / 14, 10);
  });

  it('warns about an unstable baseline and raises the bar', () => {
    // The account jumped from ~10/day to ~30/day halfway through the baseline: the model "finds"
    // effects in pseudo-windows where nothing was tested.
    const jumpy = [...BASELINE.slice(0, 14), ...BASELINE.slice(14).map((v) => v + 20)];
    const observations = midnightSnapshots([...jumpy, ...BASELINE.slice(0, 14).map((v) => v + 20), 30, 30]);

    const verdict = scoreExperiment(aScoredExperiment(), observations, { now: SCORED_AT });

    expect(verdict.warnings.map((w) => w.code)).toContain('unstable_baseline');
    expect(verdict.placebo).toMatchObject({ unstable: true });
    expect(verdict.placebo!.inflation).toBeGreaterThan(1);
    expect(verdict.effectiveConfidence).toBeGreaterThan(0.95);
    expect(verdict.summary).toMatch(/the bar was raised from 95\.0 % to 9\d\.\d %/);
  });

  it('scores a year of hourly snapshots with the 350-day baseline they give', () => {
    // Arrange: 365 days × 24 hourly snapshots; window = the last 14 days, baseline = the 350 before.
    // (How fast is measured by `npm run bench`, "Score one experiment, 8761 hourly observations".)
    const observations = hourlySnapshots(365, (d) => 10 + (d % 7 === 0 ? 3 : 0), '2024-01-01T00:00:00.000Z');
    const start = Date.parse('2024-01-01T00:00:00.000Z') + 351 * DAY_MS;
    const experiment = aScoredExperiment({
      start: new Date(start).toISOString(),
      end: new Date(start + 14 * DAY_MS).toISOString(),
      baseline: { start: '2024-01-02T00:00:00.000Z', end: new Date(start).toISOString() },
    });

    // Act
    const verdict = scoreExperiment(experiment, observations, { now: SCORED_AT });

    // Assert
    expect(observations.length).toBe(8761);
    expect(verdict.reason).not.toBe('insufficient_data');
    expect(verdict.dataQuality.baselineDays).toBe(350);
  });
});

describe('periods', () => {
  it('reaches back at most eight weeks for a default baseline', () => {
    const e = aScoredExperiment({ baseline: undefined, end: '2025-03-13T00:00:00.000Z' });
    expect(baselinePeriod(e)).toEqual({ start: '2025-01-06T00:00:00.000Z', end: '2025-03-03T00:00:00.000Z' });
  });

  it('defaults the baseline to the whole weeks of history there is', () => {
    const e = aScoredExperiment({ baseline: undefined });
    // 26 days of snapshots before the start → 3 whole weeks.
    const observations = midnightSnapshots(BASELINE.slice(0, 26), { from: '2025-02-05T00:00:00.000Z' });
    expect(resolveBaseline(e, observations)).toEqual({ start: '2025-02-10T00:00:00.000Z', end: '2025-03-03T00:00:00.000Z' });
  });

  it('starts a default baseline after another experiment on the same metric that ended inside it', () => {
    const e = aScoredExperiment({ baseline: undefined });
    const observations = midnightSnapshots([...BASELINE, ...BASELINE], { from: '2025-01-01T00:00:00.000Z' });
    const earlier = aScoredExperiment({ id: 'exp-0', status: 'concluded', start: '2025-01-20T00:00:00.000Z', end: '2025-02-03T00:00:00.000Z' });
    expect(resolveBaseline(e, observations, [earlier])).toEqual({ start: '2025-02-03T00:00:00.000Z', end: '2025-03-03T00:00:00.000Z' });
  });

  it('uses an explicit baseline as given', () => {
    expect(baselinePeriod(aScoredExperiment())).toEqual({ start: '2025-02-03T00:00:00.000Z', end: '2025-03-03T00:00:00.000Z' });
  });

  it('loads observations from two days before the baseline to two days after the window', () => {
    expect(observationRange(aScoredExperiment())).toEqual({ start: '2025-02-01T00:00:00.000Z', end: '2025-03-19T00:00:00.000Z' });
  });
});
