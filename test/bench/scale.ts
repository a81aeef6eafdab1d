/**
 * `npm run bench` part for issue #20 — how the work per request grows with the research log, the
 * backlog and the collection density. Each figure is measured side by side in one run (small size vs
 * large size), so the ratio means something on a shared machine; the machine's load is printed beside
 * it. Standalone: `nice npx tsx test/bench/scale.ts` (BENCH_SCALE=0.2 for a quick pass).
 *
 * Everything is seeded through our own stores and read through the API router in-process, with every
 * DynamoDB command counted (and the items and read units each Query returned).
 */
import { loadavg } from 'node:os';
import type { HttpResult } from '../../functions/api/http';
import type { Experiment } from '../../functions/domain/experiment';
import { scoreExperiment } from '../../functions/domain/scoring/score-experiment';
import { observationRange } from '../../functions/domain/scoring/score-experiment';
import { scoreDueExperiments } from '../../functions/jobs/score-due';
import { httpEvent, startCountedApi, type CountedApi } from '../reliability/api-harness';
import { anExperiment, followerSnapshots } from '../support/factories';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const DAY = 86_400_000;
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));
const NOW = new Date('2026-11-20T00:00:00Z');
const quiet = { info: () => {}, warn: () => {} };

export type ScaleRow = [figure: string, measured: string, goal: string, status: string];

/** "load 7.9" — the 1-minute load average, printed beside every figure. */
export const loadNow = () => `load ${loadavg()[0].toFixed(1)}`;
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** Counts Query items and read units on the API's client (ReturnConsumedCapacity added to every read). */
function attachReadMeter(api: CountedApi) {
  const meter = { items: 0, rcu: 0, queries: 0 };
  api.stores.db.middlewareStack.add((next, context) => async (args) => {
    const input = args.input as Record<string, unknown>;
    const read = context.commandName === 'QueryCommand' || context.commandName === 'GetItemCommand' || context.commandName === 'BatchGetItemCommand';
    if (read) input.ReturnConsumedCapacity = 'TOTAL';
    const out = await next(args);
    if (read) {
      const o = out.output as { Count?: number; ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] };
      if (context.commandName === 'QueryCommand') { meter.queries++; meter.items += o.Count ?? 0; }
      const capacity = Array.isArray(o.ConsumedCapacity) ? o.ConsumedCapacity : o.ConsumedCapacity ? [o.ConsumedCapacity] : [];
      meter.rcu += capacity.reduce((a, c) => a + (c.CapacityUnits ?? 0), 0);
    }
    return out;
  }, { step: 'initialize', name: 'benchReadMeter' });
  return { meter, reset: () => { meter.items = 0; meter.rcu = 0; meter.queries = 0; } };
}

/** Median time, requests, response bytes (what Lambda would return) of `runs` identical requests. */
async function measureRequest(api: CountedApi, event: () => ReturnType<typeof httpEvent>, runs = 3) {
  const samples: number[] = [];
  let last: { counts: Record<string, number>; result: HttpResult } | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const { result, counts } = await api.stores.counter.during(() => api.send(event()));
    samples.push(performance.now() - t0);
    last = { result, counts };
  }
  samples.sort((a, b) => a - b);
  const body = last!.result.body ?? '';
  return {
    ms: samples[Math.floor(samples.length / 2)],
    requests: Object.values(last!.counts).reduce((a, b) => a + b, 0),
    bytes: Buffer.byteLength(typeof body === 'string' ? body : JSON.stringify(body)),
    status: last!.result.statusCode,
  };
}

/** A verdict as the scorer would record it, reused for every seeded experiment (scoring 10,000 is not the point here). */
function sampleVerdict(experiment: Experiment) {
  const observations = followerSnapshots({ from: '2026-09-01T00:00:00Z', to: '2026-11-19T00:00:00Z', perDay: () => 10 });
  return scoreExperiment(experiment, observations, { now: NOW });
}

/** Seeds `count` concluded experiments (each with its verdict, through the store's own verdict path). */
async function seedConcluded(api: CountedApi, count: number, prefix: string) {
  const template = sampleVerdict(anExperiment({ id: 'exp_template' }));
  const writers = 8;
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    for (let i = w; i < count; i += writers) {
      const end = NOW.getTime() - (1 + (i % 300)) * DAY;
      const e = anExperiment({
        id: `exp_${prefix}${String(i).padStart(6, '0')}`, status: 'running',
        start: new Date(end - 14 * DAY).toISOString(), end: new Date(end).toISOString(),
        createdAt: new Date(end - 15 * DAY).toISOString(), updatedAt: new Date(end - 15 * DAY).toISOString(),
      });
      const created = await api.stores.experiments.create(e);
      await api.stores.experiments.recordFirstVerdict(created, { ...template, experimentId: e.id, scoredAt: new Date(end + 3_600_000).toISOString() });
    }
  }));
}

async function seedBacklog(api: CountedApi, count: number) {
  const writers = 8;
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    for (let i = w; i < count; i += writers) {
      await api.stores.experiments.create(anExperiment({
        id: `exp_backlog${String(i).padStart(6, '0')}`, status: 'backlog', start: undefined, end: undefined,
        ice: { impact: 1 + (i % 10), confidence: 1 + (i % 7), ease: 1 + (i % 5) },
        createdAt: new Date(NOW.getTime() - i * 60_000).toISOString(), updatedAt: new Date(NOW.getTime() - i * 60_000).toISOString(),
      } as Partial<Experiment>));
    }
  }));
}

const logEvent = (query: Record<string, string> = {}) => () => httpEvent('GET', '/log', { query });

/** GET /log (JSON and TSV) at 100 concluded experiments and at `large`, side by side. */
export async function benchLog(large = scaled(10_000)): Promise<ScaleRow[]> {
  const small = await startCountedApi();
  const big = await startCountedApi();
  try {
    await seedConcluded(small, 100, 's');
    await seedConcluded(big, large, 'b');
    const [s, b] = [await measureRequest(small, logEvent()), await measureRequest(big, logEvent())];
    const bt = await measureRequest(big, logEvent({ format: 'tsv' }));
    const ratio = b.ms / s.ms;
    return [
      [`GET /log, first page: 100 vs ${large} concluded`, `${s.ms.toFixed(0)} ms / ${s.requests} req / ${kb(s.bytes)} vs ${b.ms.toFixed(0)} ms / ${b.requests} req / ${kb(b.bytes)} (${ratio.toFixed(1)}× time; status ${b.status}; ${loadNow()})`, 'same req, ≤ 2× time', met(b.requests === s.requests && ratio <= 2)],
      [`GET /log?format=tsv at ${large} concluded`, `${bt.ms.toFixed(0)} ms, ${bt.requests} req, ${kb(bt.bytes)} (${loadNow()})`, '≤ 6 MB', met(bt.bytes <= 6 * 1024 * 1024)],
      [`Largest GET /log response at ${large} concluded`, `${kb(Math.max(b.bytes, bt.bytes))}`, '≤ 6 MB', met(Math.max(b.bytes, bt.bytes) <= 6 * 1024 * 1024)],
    ];
  } finally {
    await small.close();
    await big.close();
  }
}

/** The verdict of one experiment whose window and baseline overlap `others` experiments on its metric. */
export function benchVerdictSize(others = scaled(10_000)): ScaleRow[] {
  const experiment = anExperiment({ id: 'exp_judged' });
  const overlapping = Array.from({ length: others }, (_, i) => anExperiment({
    id: `exp_other${String(i).padStart(6, '0')}`, name: `Another tactic number ${i} with a descriptive name`, status: 'concluded',
    start: new Date(Date.parse('2026-10-01T00:00:00Z') + (i % 40) * DAY).toISOString(),
    end: new Date(Date.parse('2026-10-15T00:00:00Z') + (i % 40) * DAY).toISOString(),
  }));
  const observations = followerSnapshots({ from: '2026-09-01T00:00:00Z', to: '2026-11-19T00:00:00Z', perDay: () => 10 });
  const verdict = scoreExperiment(experiment, observations, { now: NOW, otherExperiments: overlapping });
  const bytes = Buffer.byteLength(JSON.stringify(verdict));
  return [[`Verdict size with ${others} overlapping experiments`, `${kb(bytes)} (${verdict.warnings.length} warnings)`, '≤ 8 KB', met(bytes <= 8 * 1024)]];
}

/** /backlog, /health, /digest and a running experiment's interim readout at 0 and `count` backlog items. */
export async function benchPlanned(count = scaled(3_000)): Promise<ScaleRow[]> {
  const empty = await startCountedApi();
  const full = await startCountedApi();
  try {
    await seedBacklog(full, count);
    const running = anExperiment({ id: 'exp_running', status: 'running', start: new Date(Date.now() - 5 * DAY).toISOString(), end: new Date(Date.now() + 9 * DAY).toISOString() });
    for (const api of [empty, full]) await api.stores.experiments.create(running);
    const rows: ScaleRow[] = [];
    for (const [label, path] of [['GET /backlog', '/backlog'], ['GET /health', '/health'], ['GET /digest', '/digest'], ['GET /experiments/{id} (running: interim)', '/experiments/exp_running']] as const) {
      const a = await measureRequest(empty, () => httpEvent('GET', path));
      const b = await measureRequest(full, () => httpEvent('GET', path));
      // A long backlog may add its capped COUNT (≤ 10,000 items, a few small answers): allowed, and shown.
      rows.push([`${label}: 0 vs ${count} backlog items`, `${a.ms.toFixed(0)} ms / ${a.requests} req / ${kb(a.bytes)} vs ${b.ms.toFixed(0)} ms / ${b.requests} req / ${kb(b.bytes)} (status ${b.status}; ${loadNow()})`, '≤ 6 MB, ≤ 2 extra req', met(b.requests <= a.requests + 2 && b.bytes <= 6 * 1024 * 1024)]);
    }
    return rows;
  } finally {
    await empty.close();
    await full.close();
  }
}

/** One scorer run over `count` due experiments on 15-minute data: items read vs the union of their ranges. */
export async function benchScorerReads(count = scaled(1_000)): Promise<ScaleRow[]> {
  const api = await startCountedApi();
  try {
    const snapshots = followerSnapshots({ from: '2026-05-01T00:00:00Z', to: '2026-11-19T23:45:00Z', everyHours: 0.25, perDay: () => 12 });
    await api.stores.observations.putMany(snapshots);
    const due: Experiment[] = [];
    const writers = 8;
    await Promise.all(Array.from({ length: writers }, async (_, w) => {
      for (let i = w; i < count; i += writers) {
        const end = NOW.getTime() - (1 + (i % 60)) * DAY;
        const e = anExperiment({ id: `exp_due${String(i).padStart(6, '0')}`, start: new Date(end - 14 * DAY).toISOString(), end: new Date(end).toISOString(), createdAt: new Date(end - 15 * DAY).toISOString() });
        due.push(e);
        await api.stores.experiments.create(e);
      }
    }));
    const ranges = due.map((e) => observationRange(e)).map((r) => [r.start, r.end] as const).sort((a, b) => a[0].localeCompare(b[0]));
    const union = snapshots.filter((o) => ranges.some(([s, e]) => o.at >= s && o.at < e)).length;
    const { meter } = attachReadMeter(api);
    const t0 = performance.now();
    const run = await scoreDueExperiments(NOW, { experiments: api.stores.experiments, observations: api.stores.observations, log: quiet });
    const seconds = (performance.now() - t0) / 1000;
    const obsItems = meter.items; // includes the few experiment-list queries; they are small next to observations
    return [
      [`Scorer run, ${count} due on 15-minute data`, `${seconds.toFixed(1)} s, ${run.scored.length} scored, ${run.failed.length} failed (${loadNow()})`, '≤ 60 s', met(seconds <= 60 && run.scored.length === count)],
      [`Scorer items read / union of the due ranges`, `${obsItems} / ${union} = ${(obsItems / union).toFixed(1)}×`, '≤ 2×', met(obsItems <= 2 * union)],
    ];
  } finally {
    await api.close();
  }
}

/** GET /metrics/{m} over a year of snapshots at 15-minute and at daily density: Queries and read units. */
export async function benchYearChart(): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const [density, everyHours] of [['15-minute', 0.25], ['daily', 24]] as const) {
    const api = await startCountedApi();
    try {
      await api.stores.observations.dailyRollups.backfillOnce(); // what the runtime and the scorer do first: marks the fresh table complete
      const snapshots = followerSnapshots({ from: '2025-11-19T00:00:00Z', to: '2026-11-19T23:45:00Z', everyHours, perDay: () => 12 });
      await api.stores.observations.putMany(snapshots);
      const { meter } = attachReadMeter(api);
      const r = await measureRequest(api, () => httpEvent('GET', '/metrics/x.follower_growth_rate', { query: { from: '2025-11-20T00:00:00.000Z', to: '2026-11-20T00:00:00.000Z' } }), 1);
      rows.push([`GET /metrics/{m}, a year of ${density} data (${snapshots.length} snapshots)`, `${meter.queries} Queries, ${meter.items} items, ${meter.rcu.toFixed(1)} RCU, ${r.requests} requests, ${r.ms.toFixed(0)} ms (status ${r.status}; ${loadNow()})`, '≤ 2 Queries, ≤ 40 RCU', met(meter.queries <= 2 && meter.rcu <= 40)]);
    } finally {
      await api.close();
    }
  }
  return rows;
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** Every part, in order of cost. */
export async function benchScale(progress: (step: string) => void = () => {}): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  progress('scale: verdict size'); rows.push(...benchVerdictSize());
  progress('scale: /backlog, /health, /digest, interim vs backlog size'); rows.push(...await benchPlanned());
  progress('scale: a year chart'); rows.push(...await benchYearChart());
  progress('scale: /log at 100 vs many concluded'); rows.push(...await benchLog());
  progress('scale: scorer reads on 15-minute data'); rows.push(...await benchScorerReads());
  return rows;
}

if (require.main === module) {
  const only = process.argv.slice(2);
  (async () => {
    const parts: Record<string, () => Promise<ScaleRow[]> | ScaleRow[]> = { verdict: () => benchVerdictSize(), planned: () => benchPlanned(), chart: () => benchYearChart(), log: () => benchLog(), scorer: () => benchScorerReads() };
    const chosen = only.length > 0 ? only : Object.keys(parts);
    console.log(`scale bench — ${new Date().toISOString()} — BENCH_SCALE=${SCALE} — ${loadNow()}`);
    for (const name of chosen) {
      for (const row of await parts[name]()) console.log(row.join(' | '));
    }
  })().catch((err: unknown) => { console.error(err); process.exit(1); });
}
