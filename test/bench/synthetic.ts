/**
 * Synthetic experiments for the verdict simulation: follower series (flat, steady, accelerating,
 * weekly-seasonal, small, gappy, overdispersed), newsletter sends, posts and AI answers, each with a
 * known true effect so false keeps, power and interval coverage can be counted.
 */
import type { Experiment } from '../../functions/domain/experiment';
import type { Observation } from '../../functions/domain/observation';
import type { Rng } from './random';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Monday 2025-01-06 00:00 UTC; each simulated experiment shifts it by a random number of days. */
const EPOCH = Date.UTC(2025, 0, 6);

export interface SyntheticExperiment {
  experiment: Experiment;
  observations: Observation[];
  /** True absolute effect in the metric's unit (window vs counterfactual). */
  trueEffect: number;
  /** When scoring happens (window end + 3 days so posts and sends are mature). */
  now: Date;
}

export interface Layout {
  baselineDays: number;
  windowDays: number;
}

function experimentFor(metric: string, startMs: number, layout: Layout): Experiment {
  const start = new Date(startMs).toISOString();
  const end = new Date(startMs + layout.windowDays * DAY_MS).toISOString();
  return {
    id: 'sim',
    name: 'Simulated experiment',
    hypothesis: 'synthetic',
    primaryMetric: metric,
    status: 'running',
    start,
    end,
    durationDays: layout.windowDays,
    decision: { minLift: 0, confidence: 0.95 },
    baseline: { start: new Date(startMs - layout.baselineDays * DAY_MS).toISOString(), end: start },
    createdAt: start,
    updatedAt: start,
  };
}

// ---------------------------------------------------------------- follower series

export type SnapshotSchedule = 'hourly' | 'daily' | 'gappy';

export interface FollowerSeriesSpec {
  /** Expected new followers on day d, where d = 0 is the first baseline day. */
  gainsPerDay: (d: number, dow: number) => number;
  /** Expected unfollows per day (Poisson). */
  lossesPerDay?: number;
  /** Gamma shape of a day-level multiplier on gains (viral/quiet days); undefined = pure Poisson. */
  dayShape?: number;
  /** Relative lift applied to gains in the window (0.5 = +50 %). */
  lift: number;
  schedule: SnapshotSchedule;
}

/** A follower series through baseline and window, snapshotted on the given schedule. */
export function followerExperiment(rng: Rng, spec: FollowerSeriesSpec, layout: Layout): SyntheticExperiment {
  const startMs = EPOCH + (layout.baselineDays + rng.int(7)) * DAY_MS;
  const baselineStartMs = startMs - layout.baselineDays * DAY_MS;
  const firstDayMs = baselineStartMs - 2 * DAY_MS;
  const totalDays = layout.baselineDays + layout.windowDays + 4;
  const hourly = new Float64Array(totalDays * 24 + 1);
  let count = 1000;
  hourly[0] = count;
  let trueLiftTotal = 0;
  for (let day = 0; day < totalDays; day++) {
    const d = day - 2;
    const dow = new Date(firstDayMs + day * DAY_MS).getUTCDay();
    const inWindow = d >= layout.baselineDays && d < layout.baselineDays + layout.windowDays;
    const base = Math.max(0, spec.gainsPerDay(d, dow));
    const gains = base * (inWindow ? 1 + spec.lift : 1);
    if (inWindow) trueLiftTotal += base * spec.lift;
    const multiplier = spec.dayShape ? rng.gamma(spec.dayShape) / spec.dayShape : 1;
    for (let h = 0; h < 24; h++) {
      count += rng.poisson((gains * multiplier) / 24) - rng.poisson((spec.lossesPerDay ?? 0) / 24);
      hourly[day * 24 + h + 1] = count;
    }
  }
  const snapshotHours: number[] = [];
  if (spec.schedule === 'hourly') {
    for (let h = 0; h <= totalDays * 24; h++) snapshotHours.push(h);
  } else {
    const outageStart = spec.schedule === 'gappy' ? 2 + rng.int(layout.baselineDays + layout.windowDays - 4) : -1;
    const outageDays = 3 + rng.int(2);
    for (let day = 0; day < totalDays; day++) {
      if (spec.schedule === 'gappy' && ((day >= outageStart && day < outageStart + outageDays) || rng.next() < 0.2)) continue;
      snapshotHours.push(day * 24 + rng.int(24));
    }
  }
  const observations: Observation[] = snapshotHours.map((h) => ({
    metric: 'x.followers',
    at: new Date(firstDayMs + h * HOUR_MS).toISOString(),
    value: Math.max(0, hourly[h]),
    source: 'x',
  }));
  const experiment = experimentFor('x.follower_growth_rate', startMs, layout);
  return {
    experiment,
    observations,
    trueEffect: trueLiftTotal / layout.windowDays,
    now: new Date(startMs + (layout.windowDays + 3) * DAY_MS),
  };
}

// ---------------------------------------------------------------- newsletter sends

export interface SendSpec {
  /** Send weekdays (0 = Sunday). */
  weekdays: number[];
  delivered: number;
  openRate: number;
  /** SD of the per-send open rate (subject lines, timing). */
  perSendSd: number;
  lift: number;
}

export function openRateExperiment(rng: Rng, spec: SendSpec, layout: Layout): SyntheticExperiment {
  const startMs = EPOCH + (layout.baselineDays + rng.int(7)) * DAY_MS;
  const baselineStartMs = startMs - layout.baselineDays * DAY_MS;
  const observations: Observation[] = [];
  for (let d = 0; d < layout.baselineDays + layout.windowDays; d++) {
    const dayMs = baselineStartMs + d * DAY_MS;
    if (!spec.weekdays.includes(new Date(dayMs).getUTCDay())) continue;
    const inWindow = d >= layout.baselineDays;
    const mean = spec.openRate * (inWindow ? 1 + spec.lift : 1);
    const rate = rng.betaMeanSd(mean, spec.perSendSd);
    const delivered = Math.round(spec.delivered * (0.9 + 0.2 * rng.next()));
    const sentAt = dayMs + 14 * HOUR_MS;
    observations.push({
      metric: 'newsletter.send',
      id: `send-${d}`,
      sentAt: new Date(sentAt).toISOString(),
      delivered,
      opens: rng.binomial(delivered, rate),
      clicks: rng.binomial(delivered, rate * 0.1),
      at: new Date(sentAt + 40 * HOUR_MS).toISOString(),
      source: 'beehiiv',
    });
  }
  return {
    experiment: experimentFor('newsletter.open_rate', startMs, layout),
    observations,
    trueEffect: spec.openRate * spec.lift,
    now: new Date(startMs + (layout.windowDays + 3) * DAY_MS),
  };
}

// ---------------------------------------------------------------- X posts

export interface PostSpec {
  postsPerDay: number;
  /** Median impressions per post (log-normal, σ = 0.8). */
  medianImpressions: number;
  engagementRate: number;
  perPostSd: number;
  lift: number;
  metric: 'x.engagement_rate' | 'x.replies_per_post';
  /** Replies per post (negative binomial) for replies_per_post. */
  repliesMean?: number;
  repliesShape?: number;
}

export function postExperiment(rng: Rng, spec: PostSpec, layout: Layout): SyntheticExperiment {
  const startMs = EPOCH + (layout.baselineDays + rng.int(7)) * DAY_MS;
  const baselineStartMs = startMs - layout.baselineDays * DAY_MS;
  const observations: Observation[] = [];
  let id = 0;
  for (let d = 0; d < layout.baselineDays + layout.windowDays; d++) {
    const inWindow = d >= layout.baselineDays;
    const posts = rng.poisson(spec.postsPerDay);
    for (let i = 0; i < posts; i++) {
      const published = baselineStartMs + d * DAY_MS + rng.next() * DAY_MS;
      const impressions = Math.max(1, Math.round(spec.medianImpressions * Math.exp(0.8 * rng.normal())));
      const rate = rng.betaMeanSd(spec.engagementRate * (inWindow && spec.metric === 'x.engagement_rate' ? 1 + spec.lift : 1), spec.perPostSd);
      const engagements = rng.binomial(impressions, rate);
      const likes = Math.round(engagements * 0.7);
      const repliesMean = (spec.repliesMean ?? 1) * (inWindow && spec.metric === 'x.replies_per_post' ? 1 + spec.lift : 1);
      const replies = spec.metric === 'x.replies_per_post' ? rng.negativeBinomial(repliesMean, spec.repliesShape ?? 1) : Math.round(engagements * 0.1);
      observations.push({
        metric: 'x.post',
        id: `post-${id++}`,
        publishedAt: new Date(published).toISOString(),
        impressions,
        likes,
        replies,
        reposts: Math.round(engagements * 0.15),
        quotes: Math.max(0, engagements - likes - Math.round(engagements * 0.1) - Math.round(engagements * 0.15)),
        at: new Date(published + 36 * HOUR_MS).toISOString(),
        source: 'x',
      });
    }
  }
  const trueEffect = spec.metric === 'x.engagement_rate' ? spec.engagementRate * spec.lift : (spec.repliesMean ?? 1) * spec.lift;
  return { experiment: experimentFor(spec.metric, startMs, layout), observations, trueEffect, now: new Date(startMs + (layout.windowDays + 3) * DAY_MS) };
}

// ---------------------------------------------------------------- AI answers

export interface CitationSpec {
  prompts: number;
  engines: string[];
  /** Mean and SD of per-prompt citation probability (prompts differ a lot). */
  meanRate: number;
  promptSd: number;
  /** SD of day-to-day logit noise per prompt and engine. */
  dailyLogitSd: number;
  lift: number;
}

const logit = (p: number) => Math.log(p / (1 - p));
const expit = (x: number) => 1 / (1 + Math.exp(-x));

export function citationExperiment(rng: Rng, spec: CitationSpec, layout: Layout): SyntheticExperiment {
  const startMs = EPOCH + (layout.baselineDays + rng.int(7)) * DAY_MS;
  const baselineStartMs = startMs - layout.baselineDays * DAY_MS;
  const rates = Array.from({ length: spec.prompts }, () => spec.engines.map(() => rng.betaMeanSd(spec.meanRate, spec.promptSd)));
  const lifted = rates.map((r) => r.map((p) => Math.min(0.95, p * (1 + spec.lift))));
  const observations: Observation[] = [];
  // True effect: E[window rate] − E[baseline rate] for these prompts, including the daily logit noise.
  let trueB = 0;
  let trueW = 0;
  const noiseDraws = Array.from({ length: 200 }, () => rng.normal() * spec.dailyLogitSd);
  for (let j = 0; j < spec.prompts; j++) {
    for (let k = 0; k < spec.engines.length; k++) {
      trueB += noiseDraws.reduce((s, z) => s + expit(logit(rates[j][k]) + z), 0) / noiseDraws.length;
      trueW += noiseDraws.reduce((s, z) => s + expit(logit(lifted[j][k]) + z), 0) / noiseDraws.length;
    }
  }
  const cells = spec.prompts * spec.engines.length;
  for (let d = 0; d < layout.baselineDays + layout.windowDays; d++) {
    const inWindow = d >= layout.baselineDays;
    const at = new Date(baselineStartMs + d * DAY_MS + 6 * HOUR_MS).toISOString();
    for (let j = 0; j < spec.prompts; j++) {
      spec.engines.forEach((engine, k) => {
        const p = expit(logit((inWindow ? lifted : rates)[j][k]) + spec.dailyLogitSd * rng.normal());
        const cited = rng.next() < p;
        observations.push({ metric: 'citations.answer', engine, prompt: `prompt ${j}`, cited, mentioned: cited || rng.next() < 0.2, at, source: engine });
      });
    }
  }
  return {
    experiment: experimentFor('citations.citation_rate', startMs, layout),
    observations,
    trueEffect: (trueW - trueB) / cells,
    now: new Date(startMs + (layout.windowDays + 3) * DAY_MS),
  };
}
