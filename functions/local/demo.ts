/**
 * Demo data for a newcomer: ten weeks of follower and subscriber history and a handful of experiments,
 * written through the real stores (validated like any import), then scored by the real scorer job.
 */
import { CreateExperimentSchema, newExperiment, type Experiment } from '../domain/experiment';
import { ObservationSchema, type Observation } from '../domain/observation';
import { SeededRandom } from '../domain/seeded-random';
import { newExperimentId } from '../api/services';
import { scoreDueExperiments, type ScoreRunResult } from '../jobs/score-due';
import type { ExperimentStore } from '../store/experiment-store';
import type { ObservationStore } from '../store/observation-store';

const DAY = 86_400_000;

/**
 * The demo's calendar is pinned to this Monday and moves only in whole weeks: on any day the demo's
 * "today" is the latest anchor + 7·k not after today, so weekdays fall where they fell on the anchor and
 * every number (the README's, the screenshot's) comes out the same; only the dates move, by weeks.
 */
export const DEMO_ANCHOR = Date.UTC(2026, 10, 30);

/**
 * The random seed of each series, pinned. Seed 7 tells a typical story: the thread's true +80 % lift
 * comes out a clear KEEP and the replies' true 0 % a DISCARD (test/integration/local/demo.test.ts).
 */
const DEMO_SEEDS = { x: 7, newsletter: 4242 };

/** The demo's "today" (midnight UTC) for a real `now`: the anchor moved by whole weeks, at most 6 days back. */
export function demoToday(now: Date): number {
  const today = Math.floor(now.getTime() / DAY) * DAY;
  return DEMO_ANCHOR + Math.floor((today - DEMO_ANCHOR) / (7 * DAY)) * 7 * DAY;
}

/** Deterministic draws (mulberry32) from a pinned seed per series, so the demo tells the same story on every machine. */
function prng(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

function poisson(lambda: number, rand: () => number): number {
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rand)));
  const l = Math.exp(-lambda);
  let k = 0;
  for (let p = rand(); p > l; p *= rand()) k++;
  return k;
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
}

interface DemoPlan { name: string; hypothesis: string; primaryMetric: string; startDaysAgo: number; durationDays: number; lift: number }

const PLANS: DemoPlan[] = [
  { name: 'Daily build-in-public thread', hypothesis: 'A daily thread about what we shipped grows followers faster than single posts.', primaryMetric: 'x.follower_growth_rate', startDaysAgo: 17, durationDays: 14, lift: 0.8 },
  { name: 'Reply to 10 larger accounts a day', hypothesis: 'Thoughtful replies under larger accounts bring profile visits and follows.', primaryMetric: 'x.follower_growth_rate', startDaysAgo: 45, durationDays: 14, lift: 0 },
  { name: 'Lead magnet in the X bio', hypothesis: 'Offering the checklist in the bio converts profile visitors into subscribers.', primaryMetric: 'newsletter.subscriber_growth_rate', startDaysAgo: 24, durationDays: 21, lift: 0 },
  { name: 'Weekly teardown video', hypothesis: 'A weekly teardown video earns more follows than text posts.', primaryMetric: 'x.follower_growth_rate', startDaysAgo: 2, durationDays: 14, lift: 0.5 },
];

/** Six-hourly snapshots of a series growing `perDay` (weekday-seasonal, Poisson noise) with lifts inside experiment windows. */
function snapshots(metric: 'x.followers' | 'newsletter.subscribers', source: string, start: number, end: number, startValue: number, perDay: (t: number) => number, rand: () => number): Observation[] {
  const out: Observation[] = [];
  let value = startValue;
  for (let t = start; t <= end; t += DAY / 4) {
    out.push({ metric, at: new Date(t).toISOString(), value, source });
    value += poisson(perDay(t) / 4, rand);
  }
  return out;
}

export interface DemoResult { experiments: Experiment[]; observations: number; scoring: ScoreRunResult }

export async function seedDemo(stores: { experiments: ExperimentStore; observations: ObservationStore }, now: Date, log = { info: () => {}, warn: () => {} }): Promise<DemoResult> {
  const today = demoToday(now);
  const experiments = PLANS.map((p) =>
    newExperiment(
      CreateExperimentSchema.parse({ name: p.name, hypothesis: p.hypothesis, primaryMetric: p.primaryMetric, start: new Date(today - p.startDaysAgo * DAY).toISOString(), durationDays: p.durationDays }),
      newExperimentId(),
      now,
    ),
  );
  const liftAt = (metric: string, t: number) => {
    const i = PLANS.findIndex((p, k) => p.primaryMetric === metric && t >= Date.parse(experiments[k].start!) && t < Date.parse(experiments[k].end!));
    return i >= 0 ? 1 + PLANS[i].lift : 1;
  };
  const weekday = (t: number) => [0.7, 1.1, 1.15, 1.1, 1.05, 1, 0.8][new Date(t).getUTCDay()];
  const from = today - 70 * DAY;
  const observations = [
    // One random stream per series: the history up to the demo's today is the same however far now is past it.
    ...snapshots('x.followers', 'x', from, now.getTime(), 1840, (t) => (9 + (3 * (t - from)) / (70 * DAY)) * weekday(t) * liftAt('x.follower_growth_rate', t), prng(DEMO_SEEDS.x)),
    ...snapshots('newsletter.subscribers', 'beehiiv', from, now.getTime(), 612, (t) => 4 * liftAt('newsletter.subscriber_growth_rate', t), prng(DEMO_SEEDS.newsletter)),
  ].map((o) => ObservationSchema.parse(o));
  await stores.observations.putMany(observations);
  for (const e of experiments) await stores.experiments.create(e);
  const scoring = await scoreDueExperiments(now, { ...stores, log });
  return { experiments, observations: observations.length, scoring };
}
