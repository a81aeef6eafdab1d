/**
 * Level-shift detection for default baselines: a real step in the daily level is found, a wandering level
 * (good and bad weeks, no step) is not taken for one.
 */
import { detectLevelShift } from '../../../functions/domain/scoring/level-shift';
import { SeededRandom } from '../../../functions/domain/seeded-random';

/** Counting noise stand-in: a fixed, zero-mean pattern of ±2 around the level (deterministic). */
const wiggle = (d: number) => [2, -1, 0, -2, 1, 1, -1][d % 7] * (d % 2 === 0 ? 1 : -1);

describe('detectLevelShift', () => {
  it('finds a step from 4 to 10 a day in the middle of 56 days, at the step', () => {
    const values = Array.from({ length: 56 }, (_, d) => (d < 28 ? 4 : 10) + wiggle(d));
    const shift = detectLevelShift(values);
    expect(shift).toBeDefined();
    expect(Math.abs(shift! - 28)).toBeLessThanOrEqual(2);
  });

  it('cuts few histories whose level wanders in good and bad weeks (AR(1) ρ = 0.85, no step), and still finds most real steps', () => {
    // 300 seeded 56-day histories of each: 10/day times a persistent day multiplier (log-SD 0.4), and a
    // clean step from 4 to 10 a day at day 28, both with counting noise. The lag-1 AR(1) deflation used
    // before cut 26 % of the wandering ones (78 of 300) and found 221 of the steps.
    const rng = new SeededRandom(2026);
    const normal = () => Math.sqrt(-2 * Math.log(Math.max(rng.next(), 1e-12))) * Math.cos(2 * Math.PI * rng.next());
    let wanderingCut = 0;
    let stepsFound = 0;
    for (let k = 0; k < 300; k++) {
      let z = normal() * 0.4;
      const wandering: number[] = [];
      const step: number[] = [];
      for (let d = 0; d < 56; d++) {
        z = 0.85 * z + Math.sqrt(1 - 0.85 ** 2) * 0.4 * normal();
        const rate = 10 * Math.exp(z - 0.08);
        wandering.push(rate + Math.sqrt(rate) * normal());
        const level = d < 28 ? 4 : 10;
        step.push(level + Math.sqrt(level) * normal());
      }
      if (detectLevelShift(wandering) !== undefined) wanderingCut++;
      if (detectLevelShift(step) !== undefined) stepsFound++;
    }
    expect(wanderingCut).toBeLessThanOrEqual(60);
    expect(stepsFound).toBeGreaterThanOrEqual(180);
  });

  it('needs two weeks either side', () => {
    expect(detectLevelShift(Array.from({ length: 27 }, (_, d) => (d < 13 ? 4 : 10)))).toBeUndefined();
  });
});
