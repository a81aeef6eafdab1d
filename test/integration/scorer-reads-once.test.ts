/**
 * The scorer reads each stored observation once per run: for many due experiments with overlapping
 * ranges on 15-minute data it reads the union of their ranges (not ~100× it), and each verdict is the
 * one the experiment gets when scored on its own range of the observations (sliced here from what was
 * seeded, not read back: ten range reads of ~7,000 items each were half this suite's time).
 */
import type { Experiment } from '../../functions/domain/experiment';
import { observationRange, scoreExperiment } from '../../functions/domain/scoring/score-experiment';
import { unionOfRanges } from '../../functions/jobs/observations-once';
import { scoreDueExperiments } from '../../functions/jobs/score-due';
import { ensureTable, startDynalite, type LocalDynamo } from '../../functions/local/dynalite';
import { countedStores } from '../support/dynamo-counter';
import { anExperiment, followerSnapshots } from '../support/factories';

const DAY = 86_400_000;
const NOW = new Date('2026-11-20T00:00:00Z');
const TABLE = 'verdict-reads-once';
const quiet = { info: () => {}, warn: () => {} };

let dynamo: LocalDynamo;
let stores: ReturnType<typeof countedStores>;
// From two weeks before the union of the due ranges (which starts 2026-08-21), so that some stored data is outside it.
const snapshots = followerSnapshots({ from: '2026-08-07T00:00:00Z', to: '2026-11-19T23:45:00Z', everyHours: 0.25, perDay: (t) => 10 + (t.getUTCDay() === 0 ? 4 : 0) });
// Ten windows ending two days apart overlap into one stretch; the read-once property does not depend on how many
// (the bench scores 1,000 due: test/bench/scale.ts). Thirty took this suite twice as long for the same claim.
const due: Experiment[] = Array.from({ length: 10 }, (_, i) => {
  const end = NOW.getTime() - (1 + i * 2) * DAY;
  return anExperiment({ id: `exp_once${String(i).padStart(2, '0')}`, start: new Date(end - 14 * DAY).toISOString(), end: new Date(end).toISOString(), createdAt: new Date(end - 15 * DAY).toISOString() });
});

beforeAll(async () => {
  dynamo = await startDynalite();
  await ensureTable(dynamo.endpoint, TABLE);
  stores = countedStores(dynamo.endpoint, TABLE);
  await stores.observations.putMany(snapshots);
  for (const e of due) await stores.experiments.create(e);
});
afterAll(async () => {
  stores?.db.destroy();
  await dynamo?.close();
});

it('reads no more observation items than the union of the due ranges, and scores each as on its own reads', async () => {
  // Arrange: what each experiment scores to on its own range alone (the old way: one read per experiment).
  const alone = new Map<string, ReturnType<typeof scoreExperiment>>();
  for (const e of due) {
    const range = observationRange(e);
    const own = snapshots.filter((o) => o.at >= range.start && o.at < range.end);
    alone.set(e.id, scoreExperiment(e, own, { now: NOW, otherExperiments: due.filter((o) => o.id !== e.id) }));
  }
  const union = unionOfRanges(due.map((e) => observationRange(e)));
  expect(union[0].start > snapshots[0].at).toBe(true); // some stored data lies outside the union
  const inUnion = snapshots.filter((o) => union.some((r) => o.at >= r.start && o.at < r.end)).length;
  let observationItemsRead = 0;
  stores.db.middlewareStack.add((next, context) => async (args) => {
    const out = await next(args);
    const pk = (args.input as { ExpressionAttributeValues?: Record<string, unknown> }).ExpressionAttributeValues?.[':pk'];
    const partition = typeof pk === 'string' ? pk : (pk as { S?: string } | undefined)?.S; // plain or marshalled, by step
    if (context.commandName === 'QueryCommand' && partition?.startsWith('OBS#')) observationItemsRead += (out.output as { Count?: number }).Count ?? 0;
    return out;
  }, { step: 'initialize', name: 'countObservationItems' });

  // Act
  const run = await scoreDueExperiments(NOW, { experiments: stores.experiments, observations: stores.observations, log: quiet });

  // Assert
  expect(run.scored.sort()).toEqual(due.map((e) => e.id).sort());
  expect(union.length).toBe(1); // the ranges overlap: one stretch
  expect(observationItemsRead).toBeLessThanOrEqual(inUnion);
  expect(observationItemsRead).toBeGreaterThan(0);
  for (const e of due) {
    const recorded = await stores.experiments.getVerdict(e.id);
    const expected = alone.get(e.id)!;
    expect({ decision: recorded?.decision, effect: recorded?.effect, windowValue: recorded?.windowValue }).toEqual({ decision: expected.decision, effect: expected.effect, windowValue: expected.windowValue });
  }
});

it('merges touching and overlapping ranges, keeps disjoint ones apart', () => {
  expect(unionOfRanges([
    { start: '2026-01-10T00:00:00Z', end: '2026-01-20T00:00:00Z' },
    { start: '2026-01-01T00:00:00Z', end: '2026-01-10T00:00:00Z' },
    { start: '2026-02-01T00:00:00Z', end: '2026-02-05T00:00:00Z' },
    { start: '2026-01-15T00:00:00Z', end: '2026-01-18T00:00:00Z' },
  ])).toEqual([
    { start: '2026-01-01T00:00:00.000Z', end: '2026-01-20T00:00:00.000Z' },
    { start: '2026-02-01T00:00:00.000Z', end: '2026-02-05T00:00:00.000Z' },
  ]);
});
