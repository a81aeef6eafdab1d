/**
 * `npm run bench:verdicts`, randomized designs: seeded simulations of switchback and post-variant
 * experiments scored by Verdict's own engine (randomization test and all), printing false keeps on
 * nulls (strong trends, decaying growth, weekday patterns, viral days), power for true lifts, two
 * switchbacks on one metric at once, the planner's proposed window at 2 followers/day, post variants
 * at 40 posts in 4 weeks, and before/after vs switchback side by side. Families run on two worker
 * threads. Exit code 1 when a target is missed by more than Monte-Carlo error.
 *
 * Environment: BENCH_SWITCHBACK_N (simulations per family, default 1000), BENCH_SEED (default
 * 20250101), BENCH_WORKERS (default 2), BENCH_PERMUTATIONS (randomization-test draws, default 1000).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Experiment } from '../../functions/domain/experiment';
import { noiseProfile, powerAt } from '../../functions/domain/planning/power-plan';
import { switchbackPower, switchbackWindowFor } from '../../functions/domain/planning/switchback-plan';
import { scoreExperiment } from '../../functions/domain/scoring/score-experiment';
import { Rng } from './random';
import { followerExperiment } from './synthetic';
import { postVariantSeries, switchbackSeries, type SwitchbackSpec } from './switchback-synthetic';

const N = Number(process.env.BENCH_SWITCHBACK_N ?? 1000);
const SEED = Number(process.env.BENCH_SEED ?? 20250101);
const PERMUTATIONS = Number(process.env.BENCH_PERMUTATIONS ?? 1000);
const RULE = { confidence: 0.95, minLift: 0 };
const SEASONAL = [0.55, 1.3, 1.2, 1.1, 1.1, 1.0, 0.75]; // Sun..Sat, mean 1

interface Outcome { keep: boolean; covered: boolean | null }

interface Family {
  key: string;
  name: string;
  isNull: boolean;
  powerTarget?: number;
  run: (rng: Rng) => Outcome;
}

function scoreSwitchback(rng: Rng, spec: SwitchbackSpec): Outcome {
  const sim = switchbackSeries(rng, spec);
  const v = scoreExperiment(sim.experiment, sim.observations, { now: sim.now, otherExperiments: sim.others, permutations: PERMUTATIONS });
  const ci = v.effect.absoluteInterval;
  return { keep: v.decision === 'keep', covered: ci ? ci.lower <= sim.trueEffect && sim.trueEffect <= ci.upper : null };
}

const daily = (gainsPerDay: SwitchbackSpec['gainsPerDay'], lift: number, extra: Partial<SwitchbackSpec> = {}): (rng: Rng) => Outcome =>
  (rng) => scoreSwitchback(rng, { gainsPerDay, lift, windowDays: 28, ...extra });

const flat = () => 10;
const trend = (d: number) => 4 + (16 * d) / 27;
const decaying = (d: number) => 5 + 25 * Math.exp(-d / 8);
const weekly = (_d: number, dow: number) => 10 * SEASONAL[dow];

/** The planner's switchback window for +50 % at 2 followers/day, from an 8-week history it measures. */
function plannedWindowAt2PerDay(): { days: number | null; predicted: number; profileLevel: number } {
  const history = switchbackSeries(new Rng(SEED ^ 0xabcdef), { gainsPerDay: () => 2, lift: 0, windowDays: 56 });
  const profile = noiseProfile('x.follower_growth_rate', history.observations, history.now)!;
  const days = switchbackWindowFor(profile, 0.5, RULE);
  return { days, predicted: days ? switchbackPower(profile, days, 0.5, RULE) : 0, profileLevel: profile.level };
}

/** The planner's predictions at 10/day for +30 % over 28 days: switchback and before/after. */
function predictedAt10PerDay(): { switchback: number; beforeAfter: number } {
  const history = switchbackSeries(new Rng(SEED ^ 0x123456), { gainsPerDay: () => 10, lift: 0, windowDays: 56 });
  const profile = noiseProfile('x.follower_growth_rate', history.observations, history.now)!;
  return { switchback: switchbackPower(profile, 28, 0.3, RULE), beforeAfter: powerAt(profile, 28, 28, 0.3, RULE) };
}

const PLANNED = plannedWindowAt2PerDay();

const FAMILIES: Family[] = [
  { key: 'null-flat', name: 'switchback null · flat 10/day', isNull: true, run: daily(flat, 0) },
  { key: 'null-trend', name: 'switchback null · strong trend 4→20/day', isNull: true, run: daily(trend, 0) },
  { key: 'null-decay', name: 'switchback null · decaying growth 30→6/day', isNull: true, run: daily(decaying, 0) },
  { key: 'null-weekly', name: 'switchback null · weekday pattern 10/day', isNull: true, run: daily(weekly, 0) },
  { key: 'null-viral', name: 'switchback null · viral/quiet days 10/day', isNull: true, run: daily(flat, 0, { dayShape: 2 }) },
  { key: 'lift', name: 'switchback +30 % · 10/day', isNull: false, powerTarget: 0.8, run: daily(flat, 0.3) },
  { key: 'lift-trend', name: 'switchback +30 % · strong trend 4→20/day', isNull: false, run: daily(trend, 0.3) },
  { key: 'lift-weekly', name: 'switchback +30 % · weekday pattern', isNull: false, run: daily(weekly, 0.3) },
  { key: 'two-null', name: 'two switchbacks: this one null, the other +30 %', isNull: true, run: daily(flat, 0, { concurrentLifts: [0.3] }) },
  { key: 'two-lift', name: 'two switchbacks: both +30 %', isNull: false, run: daily(flat, 0.3, { concurrentLifts: [0.3] }) },
  {
    key: 'planned', name: `switchback +50 % · 2/day · planner's window (${PLANNED.days ?? '—'} days)`, isNull: false, powerTarget: 0.75,
    run: (rng) => scoreSwitchback(rng, { gainsPerDay: () => 2, lift: 0.5, windowDays: PLANNED.days ?? 42 }),
  },
  {
    key: 'posts-null', name: 'post variants null · 40 posts / 4 weeks', isNull: true,
    run: (rng) => scorePosts(rng, 0),
  },
  {
    key: 'posts-lift', name: 'post variants +30 % engagement rate · 40 posts / 4 weeks', isNull: false, powerTarget: 0.8,
    run: (rng) => scorePosts(rng, 0.3),
  },
  {
    key: 'before-after', name: 'before/after +30 % · 10/day · 28-day window, 28-day baseline (hourly data)', isNull: false,
    run: (rng) => {
      const sim = followerExperiment(rng, { gainsPerDay: () => 10, lift: 0.3, schedule: 'hourly' }, { baselineDays: 28, windowDays: 28 });
      const v = scoreExperiment(sim.experiment as Experiment, sim.observations, { now: sim.now });
      const ci = v.effect.absoluteInterval;
      return { keep: v.decision === 'keep', covered: ci ? ci.lower <= sim.trueEffect && sim.trueEffect <= ci.upper : null };
    },
  },
];

function scorePosts(rng: Rng, lift: number): Outcome {
  const sim = postVariantSeries(rng, { posts: 40, windowDays: 28, medianImpressions: 1500, engagementRate: 0.03, perPostSd: 0.006, lift });
  const v = scoreExperiment(sim.experiment, sim.observations, { now: sim.now });
  const ci = v.effect.absoluteInterval;
  return { keep: v.decision === 'keep', covered: ci ? ci.lower <= sim.trueEffect && sim.trueEffect <= ci.upper : null };
}

interface Tally { runs: number; keeps: number; covered: number; withInterval: number }

function runFamily(index: number): Tally {
  const rng = new Rng(SEED + 104_729 * (index + 1));
  const t: Tally = { runs: 0, keeps: 0, covered: 0, withInterval: 0 };
  for (let i = 0; i < N; i++) {
    const o = FAMILIES[index].run(rng);
    t.runs++;
    if (o.keep) t.keeps++;
    if (o.covered !== null) {
      t.withInterval++;
      if (o.covered) t.covered++;
    }
  }
  return t;
}

const pct = (k: number, n: number) => (n ? `${((100 * k) / n).toFixed(1)} %` : '—');
const mcError = (p: number, n: number) => Math.sqrt(Math.max(p * (1 - p), 1e-9) / n);

/** ok, within Monte-Carlo error (2 SE), or MISSED. */
function judge(rate: number, n: number, target: number, kind: 'max' | 'min'): 'ok' | 'within MC error' | 'MISSED' {
  const se = mcError(target, n);
  const miss = kind === 'max' ? rate - target : target - rate;
  return miss <= 0 ? 'ok' : miss <= 2 * se ? 'within MC error' : 'MISSED';
}

function runInWorkers(workers: number): Promise<Tally[]> {
  const results = new Array<Tally>(FAMILIES.length);
  const jobs = Array.from({ length: workers }, (_, w) => FAMILIES.map((_, i) => i).filter((i) => i % workers === w));
  return Promise.all(jobs.map((indices) => new Promise<void>((resolve, reject) => {
    const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true, workerData: { indices } });
    worker.on('message', (m: { index: number; tally: Tally }) => (results[m.index] = m.tally));
    worker.on('error', reject);
    worker.on('exit', () => resolve());
  }))).then(() => results);
}

async function main(): Promise<void> {
  const started = performance.now();
  const tallies = await runInWorkers(Math.max(1, Number(process.env.BENCH_WORKERS ?? 2)));
  const byKey = Object.fromEntries(FAMILIES.map((f, i) => [f.key, tallies[i]]));
  console.log(`\nRandomized designs — ${N} simulated experiments per family, seed ${SEED}, ${PERMUTATIONS} randomization draws per verdict; 28-day switchbacks switching daily (6-hourly snapshots), keep at 95 %.\n`);
  console.log('| Family | Keeps | 95 % CI coverage |');
  console.log('|---|---:|---:|');
  const notes: string[] = [];
  let missed = 0;
  FAMILIES.forEach((f, i) => {
    const t = tallies[i];
    console.log(`| ${f.name} | ${pct(t.keeps, t.runs)} ${f.isNull ? '(false)' : '(power)'} | ${pct(t.covered, t.withInterval)} |`);
    const rate = t.keeps / t.runs;
    const checks: [string, ReturnType<typeof judge>][] = [];
    if (f.isNull) checks.push([`false keeps ${pct(t.keeps, t.runs)} vs ≤ 5 %`, judge(rate, t.runs, 0.05, 'max')]);
    if (f.powerTarget) checks.push([`power ${pct(t.keeps, t.runs)} vs ≥ ${f.powerTarget * 100} %`, judge(rate, t.runs, f.powerTarget, 'min')]);
    for (const [what, verdict] of checks) {
      if (verdict === 'ok') continue;
      notes.push(`- ${f.name}: ${what} — ${verdict} (±${(100 * mcError(rate, t.runs)).toFixed(1)} pt)`);
      if (verdict === 'MISSED') missed++;
    }
  });
  const alone = byKey.lift.keeps / byKey.lift.runs;
  const together = byKey['two-lift'].keeps / byKey['two-lift'].runs;
  const gap = Math.abs(alone - together);
  const gapOk = gap <= 0.05 ? 'ok' : gap <= 0.05 + 2 * Math.sqrt(2) * mcError(alone, N) ? 'within MC error' : 'MISSED';
  if (gapOk !== 'ok') notes.push(`- two switchbacks: power ${pct(byKey['two-lift'].keeps, N)} vs ${pct(byKey.lift.keeps, N)} alone — ${gapOk}`);
  if (gapOk === 'MISSED') missed++;
  const predicted = predictedAt10PerDay();
  console.log(`\nTwo switchbacks on one metric: power ${pct(byKey['two-lift'].keeps, N)} together vs ${pct(byKey.lift.keeps, N)} alone (${(100 * gap).toFixed(1)} points apart; target ≤ 5).`);
  console.log(
    `Planner at 2 followers/day (measured level ${PLANNED.profileLevel.toFixed(2)}/day): proposes ${PLANNED.days ?? 'no window ≤ 26 weeks'}${PLANNED.days && PLANNED.days > 42 ? ' days — longer than the 42-day maximum a window may have' : ' days'} ` +
      `for +50 % at ${(100 * PLANNED.predicted).toFixed(0)} % predicted power; simulated ${pct(byKey.planned.keeps, N)}.`,
  );
  console.log(
    `Side by side, 10 followers/day, +30 %, 28-day window: switchback ${pct(byKey.lift.keeps, N)} power vs before/after ${pct(byKey['before-after'].keeps, N)} ` +
      `(planner predicts ${(100 * predicted.switchback).toFixed(0)} % vs ${(100 * predicted.beforeAfter).toFixed(0)} %). ` +
      'The Poisson ceiling for +30 % at 10/day over 14 vs 14 days is ≈ 76 % for any valid one-sided 95 % test.',
  );
  console.log(`Bench time: ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  console.log(
    '\nTargets: false keeps ≤ 5 % on every null; switchback power ≥ 80 % for +30 % at 10/day; planner window at 2/day ≥ 75 %; two at once within 5 points; ' +
      `post variants ≥ 80 % for +30 %. Monte-Carlo error ±${(100 * mcError(0.05, N)).toFixed(1)} pt at 5 %, ±${(100 * mcError(0.8, N)).toFixed(1)} pt at 80 %.`,
  );
  if (notes.length) console.log(notes.join('\n'));
  console.log(missed ? `${missed} target(s) missed beyond Monte-Carlo error.` : 'All targets met (within Monte-Carlo error where noted).');
  if (missed) process.exitCode = 1;
}

if (isMainThread) {
  void main();
} else {
  for (const index of (workerData as { indices: number[] }).indices) parentPort!.postMessage({ index, tally: runFamily(index) });
}
