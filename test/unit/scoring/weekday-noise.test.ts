/**
 * A weekday pattern is the counterfactual's, not noise: on Poisson days with a strong weekly pattern and
 * nothing else, the fit reads neither day shocks nor autocorrelation from it.
 */
import { fitCountRate } from '../../../functions/domain/scoring/count-rate-model';
import { timelineOf, toCountSnapshots } from '../../../functions/domain/scoring/snapshot-interpolation';
import { SeededRandom } from '../../../functions/domain/seeded-random';
import { DAY_MS, midnightSnapshots } from './factories';

/** Sunday … Saturday, mean 1 (the bench's weekly-seasonal shape). */
const WEEKLY = [0.55, 1.3, 1.2, 1.1, 1.1, 1.0, 0.75];
const FROM = '2025-02-02T00:00:00.000Z'; // a Sunday

function poisson(rng: SeededRandom, mean: number): number {
  // Knuth's method (means here are ≤ 13).
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng.next(); p > limit; p *= rng.next()) k++;
  return k;
}

describe('fitCountRate on a weekly pattern with Poisson days', () => {
  it('reads no day shocks and (almost) no autocorrelation from the weekday pattern', () => {
    // 200 seeded 42-day histories of 10/day × the weekly shape, counted at midnight; baseline-only level fits.
    // Before the weekday columns entered the noise read and the autocorrelation correction, the pattern read
    // as a day-shock excess of about 6 (counts/day)² and the seasonal fits' multiplier averaged about 1.3.
    const rng = new SeededRandom(16);
    const fromMs = Date.parse(FROM);
    let excess = 0;
    let seasonalFits = 0;
    let seasonalInflation = 0;
    for (let k = 0; k < 200; k++) {
      const days = Array.from({ length: 42 }, (_, d) => poisson(rng, 10 * WEEKLY[d % 7]));
      const timeline = timelineOf(toCountSnapshots(midnightSnapshots(days, { from: FROM })));
      const fit = fitCountRate(timeline, { baseline: { startMs: fromMs, endMs: fromMs + 42 * DAY_MS }, trend: false })!;
      excess += fit.level.excess / 200;
      if (fit.seasonal) {
        seasonalFits++;
        seasonalInflation += fit.inflation;
      }
    }
    expect(seasonalFits).toBeGreaterThan(150);
    expect(excess).toBeLessThan(2);
    expect(seasonalInflation / seasonalFits).toBeLessThan(1.26);
  });
});
