/** Helpers shared by the API integration tests: relative dates and running the scheduled scorer now. */
import type { LocalRuntime } from '../../../functions/local/runtime';
import type { ScorerRunResult } from '../../../functions/handlers/scorer';
import { followerSnapshots } from '../../support/factories';
import { call } from '../../support/local-runtime';

export const DAY = 86_400_000;

/** ISO time `days` from now (negative = past). */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString();
}

/** Runs the scorer job (score due experiments, then fill the loop) exactly as its schedule would. */
export async function runScorer(runtime: LocalRuntime): Promise<ScorerRunResult> {
  return runtime.runJob({ id: 'score', kind: 'scorer', cadence: { everyMinutes: 60 } }, new Date().toISOString()) as Promise<ScorerRunResult>;
}

/** Imports `days` of six-hourly X follower snapshots up to now (in batches the API accepts). */
/**
 * Imports `days` of 6-hourly follower snapshots up to now, taken at the hours of the clock the test runs at;
 * with `atUtcMidnights`, at 00:00, 06:00, 12:00 and 18:00 UTC up to the last midnight instead — the same
 * history whenever the test runs, for figures that depend on where midnight falls between snapshots (the
 * switchback planner's blur).
 */
export async function importFollowerHistory(runtime: LocalRuntime, days: number, perDay: (t: Date) => number = () => 10, options: { atUtcMidnights?: boolean } = {}): Promise<number> {
  const lastMidnight = Math.floor(Date.now() / DAY) * DAY;
  const [from, to] = options.atUtcMidnights
    ? [new Date(lastMidnight - days * DAY).toISOString(), new Date(lastMidnight).toISOString()]
    : [daysFromNow(-days), new Date().toISOString()];
  const observations = followerSnapshots({ from, to, perDay });
  for (let i = 0; i < observations.length; i += 500) {
    const res = await call(runtime, 'POST', '/observations', { body: { observations: observations.slice(i, i + 500) } });
    if (res.status !== 200) throw new Error(`import failed: ${res.text}`);
  }
  return observations.length;
}
