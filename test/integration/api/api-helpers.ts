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
export async function importFollowerHistory(runtime: LocalRuntime, days: number, perDay: (t: Date) => number = () => 10): Promise<number> {
  const observations = followerSnapshots({ from: daysFromNow(-days), to: new Date().toISOString(), perDay });
  for (let i = 0; i < observations.length; i += 500) {
    const res = await call(runtime, 'POST', '/observations', { body: { observations: observations.slice(i, i + 500) } });
    if (res.status !== 200) throw new Error(`import failed: ${res.text}`);
  }
  return observations.length;
}
