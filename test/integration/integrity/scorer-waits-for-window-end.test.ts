/**
 * Issue 14.3 — the scorer races the collectors. X collects daily at 00:00 UTC; the scorer fires hourly.
 * An experiment ending at 00:00 is scored only once its metric's source has a run for the slot at the
 * window's end (or the stated grace period has passed), and the verdict records which collection closed
 * the window — so the window's last snapshot can never be missing from a permanent verdict.
 */
import { scoreDueExperiments, type ScoreDeps } from '../../../functions/jobs/score-due';
import { WINDOW_CLOSE_GRACE_MS } from '../../../functions/jobs/window-close';
import { ensureTable, startDynalite, type LocalDynamo } from '../../../functions/local/dynalite';
import { parseAppConfig } from '../../../functions/shared/app-config';
import { createDocumentClient } from '../../../functions/shared/clients';
import { createStores, type Stores } from '../../../functions/store/stores';
import { anExperiment, followerSnapshots } from '../../support/factories';

const TABLE = 'verdict-window-close';
const END = '2026-11-20T00:00:00.000Z';
const quiet = { info: () => {}, warn: () => {} };
const config = parseAppConfig({ sources: { x: { enabled: true, everyMinutes: 1440 } } });

let dynamo: LocalDynamo;
let stores: Stores;
let db: ReturnType<typeof createDocumentClient>;
beforeAll(async () => {
  dynamo = await startDynalite();
  await ensureTable(dynamo.endpoint, TABLE);
  db = createDocumentClient(dynamo.endpoint);
  stores = createStores(db, TABLE);
  // Daily follower snapshots at 00:00 up to the day before the window's end: the 00:00 one of END is not collected yet.
  await stores.observations.putMany(followerSnapshots({ from: '2026-10-01T00:00:00Z', to: '2026-11-19T00:00:00Z', everyHours: 24, perDay: (t) => (t.getTime() >= Date.parse('2026-11-06T00:00:00Z') ? 14 : 10) }));
});
afterAll(async () => { db?.destroy(); await dynamo?.close(); });

const deps = (): ScoreDeps => ({ experiments: stores.experiments, observations: stores.observations, log: quiet, windowClose: { runs: stores.runs, sources: config.sources } });

it('waits while the source has not collected the slot at the window\'s end, then records the run that closed it', async () => {
  await stores.experiments.create(anExperiment({ id: 'exp_waits', start: '2026-11-06T00:00:00.000Z', end: END }));

  const early = await scoreDueExperiments(new Date('2026-11-20T00:05:00Z'), deps());
  expect(early.scored).not.toContain('exp_waits');
  expect(await stores.experiments.getVerdict('exp_waits')).toBeUndefined();

  // The collector delivers the 00:00 slot: its snapshot and its run.
  await stores.observations.putMany(followerSnapshots({ from: END, to: END, everyHours: 24, start: 1000 + 36 * 10 + 14 * 14, perDay: () => 14 }));
  await stores.runs.recordRun({ source: 'x', slot: END, outcome: 'ok', observations: 1, durationMs: 5, startedAt: '2026-11-20T00:00:07.000Z' });
  const later = await scoreDueExperiments(new Date('2026-11-20T01:00:00Z'), deps());

  expect(later.scored).toContain('exp_waits');
  const verdict = await stores.experiments.getVerdict('exp_waits');
  expect(verdict?.windowClose).toEqual({ closedBy: 'collected', slots: [{ source: 'x', slot: END, outcome: 'ok' }], missing: [] });
});

it('scores after the stated grace period even when the slot never came, and says so', async () => {
  await stores.experiments.create(anExperiment({ id: 'exp_grace', start: '2026-11-06T00:00:00.000Z', end: '2026-11-21T00:00:00.000Z', durationDays: 15 }));

  const within = await scoreDueExperiments(new Date(Date.parse('2026-11-21T00:00:00Z') + WINDOW_CLOSE_GRACE_MS - 60_000), deps());
  const after = await scoreDueExperiments(new Date(Date.parse('2026-11-21T00:00:00Z') + WINDOW_CLOSE_GRACE_MS), deps());

  expect(within.scored).not.toContain('exp_grace');
  expect(after.scored).toContain('exp_grace');
  expect((await stores.experiments.getVerdict('exp_grace'))?.windowClose).toEqual({ closedBy: 'grace_period', slots: [], missing: [{ source: 'x', slot: '2026-11-21T00:00:00.000Z' }] });
});
