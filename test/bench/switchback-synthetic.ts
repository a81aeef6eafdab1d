/**
 * Synthetic randomized experiments for the bench and the scoring tests: follower series under a
 * switchback schedule (strong trends, decaying growth, weekday patterns, lingering effects, several
 * switchbacks at once) and posts under post variants, each with a known true effect.
 */
import { newExperiment, type CreateExperiment, type CreateExperimentInput, CreateExperimentSchema, type Experiment } from '../../functions/domain/experiment';
import type { Observation } from '../../functions/domain/observation';
import { armOfDraw as armOfDrawFor } from '../../functions/domain/post-variants';
import type { Rng } from './random';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Monday 2025-01-06 00:00 UTC; each simulated experiment shifts it by a random number of days. */
const EPOCH = Date.UTC(2025, 0, 6);

export interface SwitchbackSpec {
  /** Expected new followers on window day d (0-based) with weekday dow, without the tactic. */
  gainsPerDay: (d: number, dow: number) => number;
  /** Relative lift on treatment days (0.3 = +30 %). */
  lift: number;
  /** Share of the lift that lingers into the day after a treatment day (carryover). */
  carryover?: number;
  /** Gamma shape of a day-level multiplier (viral/quiet days); undefined = pure Poisson. */
  dayShape?: number;
  windowDays: number;
  blockDays?: number;
  washoutDays?: number;
  /** Snapshot every this many hours (X collects every 6 h by default). */
  everyHours?: number;
  /** Snapshots fall on local midnights (exact daily counts) instead of at a random hour. */
  midnightSnapshots?: boolean;
  /** Hours after midnight of the first snapshot (a collector keeps its hours); default drawn at random. */
  snapshotOffsetHours?: number;
  /** Other switchbacks on the same metric at once, each with its own lift. */
  concurrentLifts?: number[];
  /**
   * How the schedules of concurrent switchbacks are drawn: 'independent' (each on its own, default),
   * 'second' (the others were running first; this one is drawn balanced against them), 'first' (this
   * one was running first; each other is drawn balanced against it and those before).
   */
  concurrency?: 'independent' | 'second' | 'first';
  /**
   * 'complete': this schedule drawn as 14 of 28 days at random, without weekday balance (recorded as
   * balanced against a switchback with only control days, so its test redraws it the same way) —
   * to measure what the weekday balance costs in power. Default: the product's weekday balance.
   */
  randomization?: 'weekday' | 'complete';
}

export interface SyntheticSwitchback {
  experiment: Experiment;
  others: Experiment[];
  observations: Observation[];
  /** True average effect on treatment days, followers/day. */
  trueEffect: number;
  now: Date;
}

function switchbackExperiment(id: string, startMs: number, spec: SwitchbackSpec, seed: number, scheduledNow: readonly Experiment[] = []): Experiment {
  const input: CreateExperimentInput = {
    name: `Simulated switchback ${id}`,
    hypothesis: 'synthetic',
    primaryMetric: 'x.follower_growth_rate',
    start: new Date(startMs).toISOString(),
    durationDays: spec.windowDays,
    design: 'switchback',
    switchback: { blockDays: spec.blockDays ?? 1, washoutDays: spec.washoutDays ?? 0, seed, timeZone: 'UTC' },
  };
  // Windows over the 42-day maximum are simulated too (the planner may propose one): the schema is bypassed for them.
  const parsed = spec.windowDays <= 42 ? CreateExperimentSchema.parse(input) : (input as unknown as CreateExperiment);
  return { ...newExperiment(parsed, id, new Date(startMs), undefined, scheduledNow), status: 'running' };
}

/** A follower series through a switchback window (and one day either side), snapshotted every few hours. */
export function switchbackSeries(rng: Rng, spec: SwitchbackSpec): SyntheticSwitchback {
  const startMs = EPOCH + rng.int(28) * DAY_MS;
  const seed = 1 + rng.int(2_000_000_000);
  const otherSeeds = (spec.concurrentLifts ?? []).map(() => 1 + rng.int(2_000_000_000));
  const concurrency = spec.concurrency ?? 'independent';
  let experiment: Experiment;
  const others: Experiment[] = [];
  if (concurrency === 'second') {
    otherSeeds.forEach((s, k) => others.push(switchbackExperiment(`exp_other${k}`, startMs, spec, s, others)));
    experiment = switchbackExperiment('exp_sim', startMs, spec, seed, others);
  } else if (spec.randomization === 'complete') {
    const allControl = switchbackExperiment('exp_none', startMs, spec, 1);
    const only = { ...allControl, switchback: { ...allControl.switchback!, schedule: allControl.switchback!.schedule.map((d) => ({ date: d.date, arm: 'control' as const })) } };
    experiment = switchbackExperiment('exp_sim', startMs, spec, seed, [only]);
  } else {
    experiment = switchbackExperiment('exp_sim', startMs, spec, seed);
    otherSeeds.forEach((s, k) => others.push(switchbackExperiment(`exp_other${k}`, startMs, spec, s, concurrency === 'first' ? [experiment, ...others] : [])));
  }
  const arms = (e: Experiment): number[] => e.switchback!.schedule.map((d) => (d.arm === 'treatment' ? 1 : 0));
  const mine = arms(experiment);
  const theirs = others.map(arms);
  const firstMs = startMs - DAY_MS;
  const totalDays = spec.windowDays + 2;
  const hourly = new Float64Array(totalDays * 24 + 1);
  let count = 1000;
  hourly[0] = count;
  let liftOnTreatment = 0;
  for (let day = 0; day < totalDays; day++) {
    const d = day - 1;
    const dow = new Date(firstMs + day * DAY_MS).getUTCDay();
    const base = Math.max(0, spec.gainsPerDay(d, dow));
    const inWindow = d >= 0 && d < spec.windowDays;
    let factor = 1;
    if (inWindow) {
      factor += spec.lift * mine[d];
      if (d > 0 && spec.carryover) factor += spec.lift * spec.carryover * mine[d - 1];
      theirs.forEach((t, k) => { factor += spec.concurrentLifts![k] * t[d]; });
      if (mine[d] === 1) liftOnTreatment += base * spec.lift;
    }
    const multiplier = spec.dayShape ? rng.gamma(spec.dayShape) / spec.dayShape : 1;
    for (let h = 0; h < 24; h++) {
      count += rng.poisson((base * factor * multiplier) / 24);
      hourly[day * 24 + h + 1] = count;
    }
  }
  const every = spec.everyHours ?? 6;
  const drawnOffset = rng.int(every);
  const offset = spec.midnightSnapshots ? 0 : spec.snapshotOffsetHours ?? drawnOffset;
  const observations: Observation[] = [];
  for (let h = offset; h <= totalDays * 24; h += every) {
    observations.push({ metric: 'x.followers', at: new Date(firstMs + h * HOUR_MS).toISOString(), value: hourly[h], source: 'x' });
  }
  const treatmentDays = mine.reduce((s, z) => s + z, 0);
  return { experiment, others, observations, trueEffect: treatmentDays ? liftOnTreatment / treatmentDays : 0, now: new Date(startMs + (spec.windowDays + 2) * DAY_MS) };
}

// ---------------------------------------------------------------- post variants

export interface PostVariantSpec {
  /** Posts over the window (spread at random). */
  posts: number;
  windowDays: number;
  medianImpressions: number;
  engagementRate: number;
  /** SD of the per-post engagement rate (topic, timing). */
  perPostSd: number;
  /** Relative lift of the compared arm's engagement rate. */
  lift: number;
  /** Share of posts published without a marker (left out). */
  unmarked?: number;
}

export interface SyntheticPostVariants {
  experiment: Experiment;
  observations: Observation[];
  /** True engagement-rate difference, compared − reference. */
  trueEffect: number;
  now: Date;
}

/** Posts drawn in balanced random order (as `verdict next-post` draws them), each carrying its marker. */
export function postVariantSeries(rng: Rng, spec: PostVariantSpec): SyntheticPostVariants {
  const startMs = EPOCH + rng.int(28) * DAY_MS;
  const input: CreateExperimentInput = {
    name: 'Simulated post variants', hypothesis: 'synthetic', primaryMetric: 'x.engagement_rate', start: new Date(startMs).toISOString(),
    durationDays: spec.windowDays, design: 'post_variants', postVariants: { arms: ['raw', 'polished'], seed: 1 + rng.int(2_000_000_000) },
  };
  const experiment: Experiment = { ...newExperiment(CreateExperimentSchema.parse(input), 'exp_pv', new Date(startMs)), status: 'running' };
  const design = experiment.postVariants!;
  const times = Array.from({ length: spec.posts }, () => startMs + rng.next() * (spec.windowDays * DAY_MS - HOUR_MS)).sort((a, b) => a - b);
  const observations: Observation[] = [];
  times.forEach((published, i) => {
    const arm = armOfDrawFor(design, i);
    const impressions = Math.max(1, Math.round(spec.medianImpressions * Math.exp(0.8 * rng.normal())));
    const rate = rng.betaMeanSd(spec.engagementRate * (arm === 'polished' ? 1 + spec.lift : 1), spec.perPostSd);
    const engagements = rng.binomial(impressions, rate);
    const likes = Math.round(engagements * 0.7);
    const replies = Math.round(engagements * 0.1);
    const reposts = Math.round(engagements * 0.15);
    const marked = rng.next() >= (spec.unmarked ?? 0);
    observations.push({
      metric: 'x.post', id: `post-${i}`, publishedAt: new Date(published).toISOString(), impressions, likes, replies, reposts,
      quotes: Math.max(0, engagements - likes - replies - reposts), ...(marked && { markers: [`#v-${arm}`] }),
      at: new Date(published + 36 * HOUR_MS).toISOString(), source: 'x',
    });
  });
  return { experiment, observations, trueEffect: spec.engagementRate * spec.lift, now: new Date(startMs + (spec.windowDays + 3) * DAY_MS) };
}
