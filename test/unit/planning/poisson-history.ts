/** Test histories for the planner: seeded Poisson follower growth, one snapshot per UTC midnight. */
import type { Observation } from '../../../functions/domain/observation';
import { SeededRandom } from '../../../functions/domain/seeded-random';

const DAY_MS = 86_400_000;

/** Poisson daily follower gains at `perDay(day)` (seeded), one snapshot per UTC midnight from `firstDay` for `days` days. */
export function followerHistory(firstDay: string, days: number, perDay: (day: number) => number = () => 2): Observation[] {
  const rng = new SeededRandom(20261201);
  const fromMs = Date.parse(firstDay);
  let count = 412;
  const out: Observation[] = [];
  for (let d = 0; d <= days; d++) {
    out.push({ metric: 'x.followers', at: new Date(fromMs + d * DAY_MS).toISOString(), value: count, source: 'x' });
    // Knuth's Poisson draw (small means).
    const limit = Math.exp(-perDay(d));
    let k = 0;
    for (let p = rng.next(); p > limit; p *= rng.next()) k++;
    count += k;
  }
  return out;
}
