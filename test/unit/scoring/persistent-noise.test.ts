/**
 * A persistent wander (good and bad weeks) in the day-to-day noise: the fit's σ² is the daily variance,
 * not what is left of it once the fitted level, trend and window shift have absorbed part of the wander.
 */
import { correlatedResidualSpread, fitCountRate } from '../../../functions/domain/scoring/count-rate-model';
import { timelineOf, toCountSnapshots } from '../../../functions/domain/scoring/snapshot-interpolation';
import { SeededRandom } from '../../../functions/domain/seeded-random';
import { DAY_MS, midnightSnapshots } from './factories';

const FROM = '2025-02-03T00:00:00.000Z';

function poisson(rng: SeededRandom, mean: number): number {
  // Knuth's method (means here are at most a few dozen).
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng.next(); p > limit; p *= rng.next()) k++;
  return k;
}

function normal(rng: SeededRandom): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** Poisson days at `rate` × a log-normal multiplier whose log follows an AR(1) (stationary SD `logSd`). */
function persistentDays(rng: SeededRandom, days: number, rate: number, rho: number, logSd: number): number[] {
  let z = normal(rng) * logSd;
  return Array.from({ length: days }, () => {
    z = rho * z + Math.sqrt(1 - rho * rho) * logSd * normal(rng);
    return poisson(rng, rate * Math.exp(z - (logSd * logSd) / 2));
  });
}

describe('correlatedResidualSpread', () => {
  it('is n − p for independent residuals, and n − 1ᵀR1/n for a mean under correlation R', () => {
    const n = 40;
    const positions = Array.from({ length: n }, (_, i) => i + 1);
    const intercept = positions.map(() => [1]);
    const white = correlatedResidualSpread(intercept, [[1 / n]], positions, 0, 0.5);
    expect(white.expectedShare).toBeCloseTo(n - 1, 9);
    expect(white.df).toBeCloseTo(n - 1, 9);
    // ρ_k = 0.5 · 0.8^(k−1): E RSS/σ² = n − Σ_ij R_ij / n.
    let sum = 0;
    for (const i of positions) for (const j of positions) sum += i === j ? 1 : 0.5 * 0.8 ** (Math.abs(i - j) - 1);
    const correlated = correlatedResidualSpread(intercept, [[1 / n]], positions, 0.5, 0.8);
    expect(correlated.expectedShare).toBeCloseTo(n - sum / n, 3);
    expect(correlated.df).toBeLessThan(n / 2);
  });
});

describe('fitCountRate on very persistent days', () => {
  it('reads σ² near the true daily variance (not the part a fitted level and window shift leave)', () => {
    // 200 seeded 70-day series of 10/day with an AR(1) ρ = 0.85 log multiplier (SD 0.4), a level fit with a
    // 14-day window: the true variance of a day's count is 10 + 100·(e^0.16 − 1) ≈ 27.4. RSS/(n − p) read about
    // 22 (the level and the window's shift each take about F of the wander's variance, not 1); σ² now divides
    // RSS by its expectation under the fitted correlation, tr((I − H)R̂).
    const rng = new SeededRandom(85);
    const fromMs = Date.parse(FROM);
    const windowStart = fromMs + 56 * DAY_MS;
    let sigma2 = 0;
    for (let k = 0; k < 200; k++) {
      const timeline = timelineOf(toCountSnapshots(midnightSnapshots(persistentDays(rng, 70, 10, 0.85, 0.4), { from: FROM })));
      const fit = fitCountRate(timeline, {
        baseline: { startMs: fromMs, endMs: windowStart }, window: { startMs: windowStart, endMs: windowStart + 14 * DAY_MS }, trend: false,
      })!;
      sigma2 += fit.sigma2 / 200;
    }
    expect(sigma2 / (10 + 100 * (Math.exp(0.16) - 1))).toBeGreaterThan(0.86);
  });

  it('leaves σ² of independent Poisson days as it was (within 1 %)', () => {
    const rng = new SeededRandom(10);
    const fromMs = Date.parse(FROM);
    let ratio = 0;
    for (let k = 0; k < 100; k++) {
      const days = Array.from({ length: 56 }, () => poisson(rng, 10));
      const timeline = timelineOf(toCountSnapshots(midnightSnapshots(days, { from: FROM })));
      const fit = fitCountRate(timeline, { baseline: { startMs: fromMs, endMs: fromMs + 56 * DAY_MS }, trend: true })!;
      ratio += fit.sigma2 / 100;
    }
    expect(ratio / 10).toBeGreaterThan(0.9);
    expect(ratio / 10).toBeLessThan(1.1);
  });
});
