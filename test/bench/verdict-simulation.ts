/**
 * `npm run bench:verdicts`: a seeded simulation of many synthetic experiments, scored by Verdict and
 * by a naive before/after comparison, printing per scenario family the false-keep rate (null
 * families) or power (true lifts) and the 95 % interval coverage, then the scoring speed for one year
 * of hourly snapshots. Families run on two worker threads. Exit code 1 when a target is missed by
 * more than Monte-Carlo error (see `judge`).
 *
 * Environment: BENCH_N (simulations per family, default 2000), BENCH_SEED (default 20250101),
 * BENCH_WORKERS (default 2).
 */
import { cpus, loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { scoreExperiment } from '../../functions/domain/scoring/score-experiment';
import type { Observation } from '../../functions/domain/observation';
import type { Experiment } from '../../functions/domain/experiment';
import { planExperiment } from '../../functions/domain/planning/power-plan';
import { naiveBeforeAfter } from './naive';
import { Rng } from './random';
import { growthSituation, situationFamilies } from './situations';
import {
  citationExperiment, DAY_MS, followerExperiment, type Layout, openRateExperiment, postExperiment, type SyntheticExperiment,
} from './synthetic';

const N = Number(process.env.BENCH_N ?? 2000);
const SEED = Number(process.env.BENCH_SEED ?? 20250101);
const STANDARD: Layout = { baselineDays: 28, windowDays: 14 };

interface Family {
  name: string;
  /** Null families: any keep is a false keep. */
  isNull: boolean;
  /** The power target applies to this family. */
  powerTarget?: number;
  generate: (rng: Rng) => SyntheticExperiment;
}

const SEASONAL = [0.55, 1.3, 1.2, 1.1, 1.1, 1.0, 0.75]; // Sun..Sat, mean 1

const follower = (name: string, isNull: boolean, spec: Parameters<typeof followerExperiment>[1], extra: Partial<Family> = {}): Family => ({
  name, isNull, ...extra, generate: (rng) => followerExperiment(rng, spec, STANDARD),
});

const FAMILIES: Family[] = [
  follower('null · flat series (0/day net, 5 in / 5 out)', true, { gainsPerDay: () => 5, lossesPerDay: 5, lift: 0, schedule: 'hourly' }),
  follower('null · steady growth 10/day', true, { gainsPerDay: () => 10, lift: 0, schedule: 'hourly' }),
  follower('null · accelerating growth 4→16/day', true, { gainsPerDay: (d) => 4 + (12 * (d + 2)) / 46, lift: 0, schedule: 'hourly' }),
  follower('null · weekly seasonal 10/day', true, { gainsPerDay: (_d, dow) => 10 * SEASONAL[dow], lift: 0, schedule: 'daily' }),
  follower('null · small account 2/day', true, { gainsPerDay: () => 2, lift: 0, schedule: 'daily' }),
  follower('null · gappy snapshots 10/day', true, { gainsPerDay: () => 10, lift: 0, schedule: 'gappy' }),
  follower('null · viral/quiet days 10/day (overdispersed)', true, { gainsPerDay: () => 10, dayShape: 2, lift: 0, schedule: 'daily' }),
  follower('lift +25 % · 10/day', false, { gainsPerDay: () => 10, lift: 0.25, schedule: 'hourly' }),
  follower('lift +50 % · 10/day', false, { gainsPerDay: () => 10, lift: 0.5, schedule: 'hourly' }, { powerTarget: 0.8 }),
  follower('lift +100 % · 10/day', false, { gainsPerDay: () => 10, lift: 1, schedule: 'hourly' }),
  follower('lift +50 % · accelerating 4→16/day', false, { gainsPerDay: (d) => 4 + (12 * (d + 2)) / 46, lift: 0.5, schedule: 'hourly' }),
  follower('lift +50 % · weekly seasonal', false, { gainsPerDay: (_d, dow) => 10 * SEASONAL[dow], lift: 0.5, schedule: 'daily' }),
  follower('lift +100 % · small account 2/day', false, { gainsPerDay: () => 2, lift: 1, schedule: 'daily' }),
  follower('lift +50 % · gappy snapshots', false, { gainsPerDay: () => 10, lift: 0.5, schedule: 'gappy' }),
  {
    name: 'null · newsletter open rate (3 sends/wk)', isNull: true,
    generate: (rng) => openRateExperiment(rng, { weekdays: [1, 3, 5], delivered: 2000, openRate: 0.4, perSendSd: 0.03, lift: 0 }, STANDARD),
  },
  {
    name: 'lift +10 % · newsletter open rate', isNull: false,
    generate: (rng) => openRateExperiment(rng, { weekdays: [1, 3, 5], delivered: 2000, openRate: 0.4, perSendSd: 0.03, lift: 0.1 }, STANDARD),
  },
  {
    name: 'null · X engagement rate (2 posts/day)', isNull: true,
    generate: (rng) => postExperiment(rng, { metric: 'x.engagement_rate', postsPerDay: 2, medianImpressions: 1500, engagementRate: 0.03, perPostSd: 0.012, lift: 0 }, STANDARD),
  },
  {
    name: 'lift +25 % · X engagement rate', isNull: false,
    generate: (rng) => postExperiment(rng, { metric: 'x.engagement_rate', postsPerDay: 2, medianImpressions: 1500, engagementRate: 0.03, perPostSd: 0.012, lift: 0.25 }, STANDARD),
  },
  {
    name: 'null · X replies per post', isNull: true,
    generate: (rng) => postExperiment(rng, { metric: 'x.replies_per_post', postsPerDay: 2, medianImpressions: 1500, engagementRate: 0.03, perPostSd: 0.012, repliesMean: 3, repliesShape: 1, lift: 0 }, STANDARD),
  },
  {
    name: 'null · AI citation rate (20 prompts × 3 engines)', isNull: true,
    generate: (rng) => citationExperiment(rng, { prompts: 20, engines: ['perplexity', 'openai', 'gemini'], meanRate: 0.2, promptSd: 0.15, dailyLogitSd: 0.5, lift: 0 }, STANDARD),
  },
  {
    name: 'lift +50 % · AI citation rate', isNull: false,
    generate: (rng) => citationExperiment(rng, { prompts: 20, engines: ['perplexity', 'openai', 'gemini'], meanRate: 0.2, promptSd: 0.15, dailyLogitSd: 0.5, lift: 0.5 }, STANDARD),
  },
];

/**
 * The window the planner gives a 2/day account with 8 weeks of history for +50 % at 80 % power: the
 * median over 21 simulated histories (each plan reads only the history before the start).
 */
function plannedSmallWindow(): number {
  const rng = new Rng(SEED - 1);
  const windows: number[] = [];
  for (let i = 0; i < 21; i++) {
    const sim = growthSituation(rng, { gainsPerDay: () => 2, lift: 0 }, { historyDays: 56, windowDays: 14 });
    const start = new Date(sim.experiment.start!);
    const before = sim.observations.filter((o) => Date.parse(o.at) < start.getTime());
    const plan = planExperiment({ metric: sim.experiment.primaryMetric, observations: before, start, windowDays: 14, confidence: 0.95, minLift: 0, targetLift: 0.5 });
    windows.push(plan.windowForTarget ?? 182);
  }
  return windows.sort((a, b) => a - b)[10];
}

const SMALL_WINDOW = plannedSmallWindow();
const SITUATIONS = situationFamilies(SMALL_WINDOW);
/** Every family the workers run: the standard table's, then the situations at default settings. */
const ALL: (Family & { situation?: boolean })[] = [...FAMILIES, ...SITUATIONS.map((f) => ({ ...f, situation: true }))];

interface Tally {
  runs: number;
  keeps: number;
  insufficient: number;
  covered: number;
  withInterval: number;
  naiveKeeps: number;
  naiveCovered: number;
  naiveWithInterval: number;
  unstable: number;
  /** Sum and count of the plan's predicted power (effect families of the situations). */
  predicted: number;
  planned: number;
  inconclusive: number;
}

function runFamily(family: Family, index: number): Tally {
  const rng = new Rng(SEED + 7919 * index);
  const t: Tally = {
    runs: 0, keeps: 0, insufficient: 0, covered: 0, withInterval: 0, naiveKeeps: 0, naiveCovered: 0, naiveWithInterval: 0, unstable: 0,
    predicted: 0, planned: 0, inconclusive: 0,
  };
  const situation = (family as { situation?: boolean }).situation === true;
  for (let i = 0; i < N; i++) {
    const sim = family.generate(rng);
    const v = scoreExperiment(sim.experiment, sim.observations, { now: sim.now });
    if ((v as { outcome?: string }).outcome === 'inconclusive') t.inconclusive++;
    if (situation && !family.isNull && !(family as { unplannable?: boolean }).unplannable && i < PLANNED_RUNS) {
      // What the plan predicted before the start, from the history alone.
      const start = new Date(sim.experiment.start!);
      const before = sim.observations.filter((o) => Date.parse(o.at) < start.getTime());
      const plan = planExperiment({
        metric: sim.experiment.primaryMetric, observations: before, start, windowDays: sim.experiment.durationDays, confidence: 0.95, minLift: 0, targetLift: 0.5,
      });
      if (plan.powerAtTarget !== null) {
        t.predicted += plan.powerAtTarget;
        t.planned++;
      }
    }
    t.runs++;
    if (v.decision === 'keep') t.keeps++;
    if (v.reason === 'insufficient_data') t.insufficient++;
    if (v.warnings.some((w) => w.code === 'unstable_baseline')) t.unstable++;
    const ci = v.effect.absoluteInterval;
    if (ci) {
      t.withInterval++;
      if (ci.lower <= sim.trueEffect && sim.trueEffect <= ci.upper) t.covered++;
    }
    const naive = naiveBeforeAfter(sim, v.periods.baseline);
    if (naive.keep) t.naiveKeeps++;
    if (naive.interval) {
      t.naiveWithInterval++;
      if (naive.interval.lower <= sim.trueEffect && sim.trueEffect <= naive.interval.upper) t.naiveCovered++;
    }
  }
  return t;
}

/** Plans per effect family (planning is slower than scoring; its average needs fewer runs). */
const PLANNED_RUNS = Math.min(N, 200);

const pct = (num: number, den: number) => (den > 0 ? `${((100 * num) / den).toFixed(1)} %` : 'n/a');

// ---------------------------------------------------------------- speed: one year of hourly snapshots

function yearOfHourlySnapshots(): { experiment: Experiment; observations: Observation[] } {
  const rng = new Rng(SEED);
  const start = Date.UTC(2024, 0, 1);
  const observations: Observation[] = [];
  let count = 5000;
  for (let h = 0; h < 365 * 24; h++) {
    count += rng.poisson(10 / 24);
    observations.push({ metric: 'x.followers', at: new Date(start + h * 3_600_000).toISOString(), value: count, source: 'x' });
  }
  const windowStart = start + 351 * DAY_MS;
  const experiment: Experiment = {
    id: 'speed', name: 'Speed', hypothesis: 'speed', primaryMetric: 'x.follower_growth_rate', status: 'running',
    start: new Date(windowStart).toISOString(), end: new Date(windowStart + 14 * DAY_MS).toISOString(), durationDays: 14,
    decision: { minLift: 0, confidence: 0.95 },
    baseline: { start: new Date(start + DAY_MS).toISOString(), end: new Date(windowStart).toISOString() },
    createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z',
  };
  return { experiment, observations };
}

function timeScoring(): { first: number; median: number; observations: number; baselineDays: number } {
  const { experiment, observations } = yearOfHourlySnapshots();
  const now = new Date(Date.parse(experiment.end!) + DAY_MS);
  const t0 = performance.now();
  const v = scoreExperiment(experiment, observations, { now });
  const first = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const s = performance.now();
    scoreExperiment(experiment, observations, { now });
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return { first, median: times[10], observations: observations.length, baselineDays: v.dataQuality.baselineDays };
}

// ---------------------------------------------------------------- targets, judged with Monte-Carlo error

/** Binomial standard error of a rate from `runs` simulations. */
function mcError(rate: number, runs: number): number {
  return Math.sqrt(Math.max(rate * (1 - rate), 1e-9) / runs);
}

/**
 * A rate estimated from simulations misses a bound only when it is beyond it by more than 2
 * Monte-Carlo standard errors: a calibrated 95 % test keeps about 5 % of null experiments *by design*,
 * so half of the null families would print slightly above 5 % by chance alone.
 */
function judge(rate: number, runs: number, bound: number, side: 'max' | 'min'): 'ok' | 'within MC error' | 'MISSED' {
  const se = mcError(rate, runs);
  const beyond = side === 'max' ? rate - bound : bound - rate;
  return beyond <= 0 ? 'ok' : beyond <= 2 * se ? 'within MC error' : 'MISSED';
}

// ---------------------------------------------------------------- main

function runInWorkers(workers: number): Promise<Tally[]> {
  const results = new Array<Tally>(ALL.length);
  const jobs = Array.from({ length: workers }, (_, w) => ALL.map((_, i) => i).filter((i) => i % workers === w));
  return Promise.all(
    jobs.map(
      (indices) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true, workerData: { indices } });
          worker.on('message', (m: { index: number; tally: Tally }) => (results[m.index] = m.tally));
          worker.on('error', reject);
          worker.on('exit', () => resolve());
        }),
    ),
  ).then(() => results);
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg()[0];
  const tallies = await runInWorkers(Math.max(1, Number(process.env.BENCH_WORKERS ?? 2)));
  console.log(`Verdict simulation — ${N} synthetic experiments per family, seed ${SEED}. Standard families: 14-day window, explicit 28-day baseline, keep at 95 %.\n`);
  console.log('| Scenario family | Verdict: keeps | Verdict: 95 % CI coverage | Verdict: insufficient | Naive: keeps | Naive: 95 % CI coverage |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const notes: string[] = [];
  let missed = 0;
  FAMILIES.forEach((family, index) => {
    const t = tallies[index];
    console.log(
      `| ${family.name} | ${pct(t.keeps, t.runs)} ${family.isNull ? '(false)' : '(power)'} | ${pct(t.covered, t.withInterval)} | ${pct(t.insufficient, t.runs)} | ${pct(t.naiveKeeps, t.runs)} | ${pct(t.naiveCovered, t.naiveWithInterval)} |`,
    );
    const keepRate = t.keeps / t.runs;
    const coverage = t.withInterval ? t.covered / t.withInterval : 0;
    const checks: [string, ReturnType<typeof judge>][] = [];
    if (family.isNull) checks.push([`false keeps ${pct(t.keeps, t.runs)} vs ≤ 5 %`, judge(keepRate, t.runs, 0.05, 'max')]);
    checks.push([`coverage ${pct(t.covered, t.withInterval)} vs 93 %`, judge(coverage, t.withInterval, 0.93, 'min')]);
    checks.push([`coverage ${pct(t.covered, t.withInterval)} vs 97 %`, judge(coverage, t.withInterval, 0.97, 'max')]);
    if (family.powerTarget) checks.push([`power ${pct(t.keeps, t.runs)} vs ≥ ${family.powerTarget * 100} %`, judge(keepRate, t.runs, family.powerTarget, 'min')]);
    for (const [what, verdict] of checks) {
      if (verdict === 'ok') continue;
      notes.push(`- ${family.name}: ${what} — ${verdict} (±${(100 * mcError(what.startsWith('coverage') ? coverage : keepRate, t.runs)).toFixed(1)} pt)`);
      if (verdict === 'MISSED') missed++;
    }
    if (process.env.BENCH_VERBOSE) console.error(`  ${family.name}: unstable_baseline in ${pct(t.unstable, t.runs)}`);
  });

  console.log(
    `\nSituations real accounts produce, at the settings a user gets (no explicit baseline: the default takes the history there is, ` +
      `up to 8 weeks); 14-day windows unless named; keep at 95 %. "Plan predicted" is the planner's power for +50 %, from the history before the start ` +
      `(the mean over ${PLANNED_RUNS} runs). The 2/day window is the one the plan gives for +50 % at 80 % (median over 21 histories): ${SMALL_WINDOW} days.\n`,
  );
  console.log('| Situation | Verdict: keeps | Verdict: 95 % CI coverage | Verdict: inconclusive | Plan predicted | Naive: keeps | Naive: 95 % CI coverage |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  SITUATIONS.forEach((family, k) => {
    const index = FAMILIES.length + k;
    const t = tallies[index];
    const predicted = t.planned ? t.predicted / t.planned : null;
    console.log(
      `| ${family.name} | ${pct(t.keeps, t.runs)} ${family.isNull ? '(false)' : '(power)'} | ${pct(t.covered, t.withInterval)} | ${pct(t.inconclusive, t.runs)} | ` +
        `${predicted === null ? '—' : `${(100 * predicted).toFixed(1)} %`} | ${pct(t.naiveKeeps, t.runs)} | ${pct(t.naiveCovered, t.naiveWithInterval)} |`,
    );
    const keepRate = t.keeps / t.runs;
    const coverage = t.withInterval ? t.covered / t.withInterval : 0;
    const checks: [string, ReturnType<typeof judge>][] = [];
    if (family.isNull) checks.push([`false keeps ${pct(t.keeps, t.runs)} vs ≤ 5 %`, judge(keepRate, t.runs, 0.05, 'max')]);
    checks.push([`coverage ${pct(t.covered, t.withInterval)} vs 93 %`, judge(coverage, t.withInterval, 0.93, 'min')]);
    checks.push([`coverage ${pct(t.covered, t.withInterval)} vs 97 %`, judge(coverage, t.withInterval, 0.97, 'max')]);
    if (family.powerTarget) checks.push([`power ${pct(t.keeps, t.runs)} vs ≥ ${family.powerTarget * 100} %`, judge(keepRate, t.runs, family.powerTarget, 'min')]);
    if (predicted !== null) {
      const gap = Math.abs(predicted - keepRate);
      // Both sides carry Monte-Carlo error; the bound is ±7 points beyond twice the combined error.
      const se = Math.sqrt(mcError(keepRate, t.runs) ** 2 + 0.05 ** 2 / t.planned);
      checks.push([`plan predicted ${(100 * predicted).toFixed(1)} % vs simulated ${pct(t.keeps, t.runs)} (±7 pt)`, gap <= 0.07 ? 'ok' : gap <= 0.07 + 2 * se ? 'within MC error' : 'MISSED']);
    }
    for (const [what, verdict] of checks) {
      if (verdict === 'ok') continue;
      notes.push(`- ${family.name}: ${what} — ${verdict} (±${(100 * mcError(what.startsWith('coverage') ? coverage : keepRate, t.runs)).toFixed(1)} pt)`);
      if (verdict === 'MISSED') missed++;
    }
  });
  const speed = timeScoring();
  console.log(
    `\nScoring speed: ${speed.observations.toLocaleString('en-US')} hourly snapshots (one year, ${speed.baselineDays}-day baseline): ` +
      `median ${speed.median.toFixed(1)} ms, first call ${speed.first.toFixed(1)} ms (target ≤ 50 ms).`,
  );
  if (speed.median > 50) {
    notes.push(`- scoring speed ${speed.median.toFixed(1)} ms > 50 ms — MISSED`);
    missed++;
  }
  console.log(
    `Bench time: ${((performance.now() - started) / 1000).toFixed(1)} s. Machine load (1-min average, ${cpus().length} cores): ` +
      `${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end — the speed line is only comparable at similar load.`,
  );
  console.log(
    '\nTargets: false keeps ≤ 5 % on every null family; coverage 93–97 %; power ≥ 80 % for +50 % at 10/day (and ≥ 75 % at 2/day with the planned window); ' +
      'the plan within ±7 points of the simulated power; ≤ 50 ms per year of hourly data. ' +
      `Rates carry Monte-Carlo error (±${(100 * mcError(0.05, N)).toFixed(1)} pt at 5 %, ±${(100 * mcError(0.8, N)).toFixed(1)} pt at 80 %).`,
  );
  if (notes.length) console.log(notes.join('\n'));
  console.log(missed ? `${missed} target(s) missed beyond Monte-Carlo error.` : 'All targets met (within Monte-Carlo error where noted).');
  if (missed) process.exitCode = 1;
}

if (isMainThread) {
  void main();
} else {
  for (const index of (workerData as { indices: number[] }).indices) parentPort!.postMessage({ index, tally: runFamily(ALL[index], index) });
}
