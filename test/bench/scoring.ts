/**
 * Scoring speed: the pure engine on one year of hourly observations, and one scorer run over 1,000
 * due experiments on dynalite (observations and experiments written first, outside the timing).
 */
import { newExperimentId } from '../../functions/api/services';
import { scoreExperiment } from '../../functions/domain/scoring/score-experiment';
import { scoreDueExperiments } from '../../functions/jobs/score-due';
import { ensureTable, startDynalite } from '../../functions/local/dynalite';
import { anExperiment, followerSnapshots } from '../support/factories';
import { countedStores } from '../support/dynamo-counter';
import { median, timeMs } from './stats';

const DAY = 86_400_000;
const quiet = { info: () => {}, warn: () => {} };

export interface ScoringReport {
  yearOfHourly: { observations: number; medianMs: number; runs: number };
  dueRun: { experiments: number; scored: number; failed: number; seconds: number; dynamoRequests: number };
}

/** Median time to score a 28-day experiment given a year of hourly follower snapshots. */
export async function scoreYearOfHourly(runs = 15): Promise<ScoringReport['yearOfHourly']> {
  const observations = followerSnapshots({ from: '2025-11-20T00:00:00Z', to: '2026-11-19T23:00:00Z', everyHours: 1, perDay: (t) => 10 + (t.getUTCDay() === 0 ? -3 : 1) });
  const experiment = anExperiment({ start: '2026-10-22T00:00:00.000Z', end: '2026-11-19T00:00:00.000Z', durationDays: 28 });
  const now = new Date('2026-11-20T00:00:00Z');
  for (let i = 0; i < 3; i++) scoreExperiment(experiment, observations, { now }); // JIT warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timeMs(() => scoreExperiment(experiment, observations, { now })));
  return { observations: observations.length, medianMs: median(samples), runs };
}

/** One scorer run over `count` due experiments (staggered 14-day windows over six-hourly snapshots). */
export async function scoreManyDue(count = 1000): Promise<ScoringReport['dueRun']> {
  const dynamo = await startDynalite();
  try {
    await ensureTable(dynamo.endpoint, 'verdict-bench');
    const stores = countedStores(dynamo.endpoint, 'verdict-bench');
    const now = new Date('2026-11-20T00:00:00Z');
    await stores.observations.putMany(followerSnapshots({ from: '2026-06-01T00:00:00Z', to: '2026-11-19T18:00:00Z', perDay: () => 12 }));
    const writers = 8;
    // Windows end 1–60 days before `now`; a few writers in parallel keep seeding short.
    await Promise.all(Array.from({ length: writers }, async (_, w) => {
      for (let i = w; i < count; i += writers) {
        const end = now.getTime() - (1 + (i % 60)) * DAY;
        await stores.experiments.create(anExperiment({
          id: newExperimentId(), start: new Date(end - 14 * DAY).toISOString(), end: new Date(end).toISOString(), durationDays: 14,
          createdAt: new Date(end - 15 * DAY).toISOString(),
        }));
      }
    }));
    stores.counter.reset();
    const started = process.hrtime.bigint();
    const run = await scoreDueExperiments(now, { experiments: stores.experiments, observations: stores.observations, log: quiet });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { experiments: run.due, scored: run.scored.length, failed: run.failed.length, seconds, dynamoRequests: stores.counter.total() };
  } finally {
    await dynamo.close();
  }
}
