/**
 * Duplicate, concurrent, late and missing deliveries. The collector job for one slot delivered 100
 * times in a row and 10 times at once stores one observation per metric and slot; the scorer Lambda
 * handler invoked 10 times at once on a due experiment records one verdict; a delivery 20 minutes late
 * lands in its scheduled slot; a gap of missed slots shows in GET /health and in the verdict's coverage.
 * (collector-x.test.ts covers one late re-delivery; scorer-once.test.ts races the job, not the handler.)
 */
import { createScorer } from '../../functions/handlers/scorer';
import { collectSlot, type CollectDeps } from '../../functions/jobs/collect';
import { scoreDueExperiments } from '../../functions/jobs/score-due';
import type { LocalRuntime } from '../../functions/local/runtime';
import { parseAppConfig } from '../../functions/shared/app-config';
import { loggingPublisher } from '../../functions/shared/events';
import { logger } from '../../functions/shared/logger';
import { slotFor } from '../../functions/shared/schedules';
import { createAnySource } from '../../functions/sources/all-sources';
import { FakeServer } from '../fakes/fake-http-server';
import { installXFake } from '../fakes/x-fake';
import { anExperiment, followerSnapshots } from '../support/factories';
import { call, startTestRuntime } from '../support/local-runtime';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const quiet = { info: () => {}, warn: () => {} };
const config = parseAppConfig({ sources: { x: { everyMinutes: 360 } } });

let runtime: LocalRuntime;
let fakeX: FakeServer;
beforeAll(async () => {
  logger.setLogLevel('SILENT'); // the handler's logger was created before the test support silenced it
  runtime = await startTestRuntime({ sources: { x: { everyMinutes: 360 } } });
  fakeX = await FakeServer.start();
  installXFake(fakeX);
});
afterAll(async () => {
  await fakeX.close();
  await runtime.close();
});
beforeEach(() => fakeX.resetRequests());

/** The collector job's collaborators as the handler wires them, with X served by the local fake. */
function deps(now: Date): CollectDeps {
  const { runs, observations } = runtime.stores;
  return {
    config, runs, observations, log: quiet, now: () => now,
    credentials: { credentialsFor: async () => ({ appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'a' }) },
    buildSource: (name, credentials) => createAnySource(name, credentials, { config, endpoints: { x: fakeX.url }, now: () => now }),
  };
}

async function storedFollowers(slot: string) {
  return runtime.stores.observations.query('x.followers', slot, new Date(Date.parse(slot) + HOUR).toISOString());
}

describe('duplicate deliveries of one collector slot', () => {
  it('100 sequential deliveries store one observation and read X once', async () => {
    const slot = '2026-11-20T06:00:00.000Z';

    const runs = [];
    for (let i = 0; i < 100; i++) runs.push(await collectSlot('x', slot, 30_000, deps(new Date(Date.parse(slot) + 5_000 + i))));

    expect(runs.every((r) => r.slot === slot && r.outcome === 'ok')).toBe(true);
    expect(runs[99].deliveries).toBe(100);
    expect(fakeX.requestsTo('GET', '/2/users/me')).toHaveLength(1);
    expect(await storedFollowers(slot)).toHaveLength(1);
  });

  it('10 concurrent deliveries store one observation per metric', async () => {
    const slot = '2026-11-20T12:00:00.000Z';

    const runs = await Promise.all(Array.from({ length: 10 }, () => collectSlot('x', slot, 30_000, deps(new Date(Date.parse(slot) + 5_000)))));

    expect(runs.every((r) => r.slot === slot && r.outcome === 'ok')).toBe(true);
    expect(await storedFollowers(slot)).toHaveLength(1);
    expect(await runtime.stores.observations.query('x.posts', slot, new Date(Date.parse(slot) + HOUR).toISOString())).toHaveLength(1);
    // Concurrent first deliveries may each read X (no lock before the read), but never store twice.
    expect(fakeX.requestsTo('GET', '/2/users/me').length).toBeLessThanOrEqual(10);
  });
});

describe('the scorer handler invoked 10 times at once', () => {
  it('records one verdict for a due experiment and concludes it once', async () => {
    const { experiments } = runtime.stores;
    const end = new Date(slotFor(new Date(), { everyMinutes: 60 }).getTime() - DAY);
    await experiments.create(anExperiment({ id: 'exp_tenscorers', start: new Date(end.getTime() - 14 * DAY).toISOString(), end: end.toISOString() }));

    const log = { ...quiet, error: () => {} };
    const scorerHandler = createScorer({ ...runtime.stores, config, events: loggingPublisher(log), log });

    const results = await Promise.all(Array.from({ length: 10 }, () => scorerHandler({ scheduledTime: new Date().toISOString() })));

    expect(results.filter((r) => r.scored.includes('exp_tenscorers'))).toHaveLength(1);
    expect(results.every((r) => r.failed.length === 0)).toBe(true);
    expect(await experiments.verdictHistory('exp_tenscorers')).toHaveLength(1);
    expect((await experiments.get('exp_tenscorers'))?.status).toBe('concluded');
  });
});

describe('late and missed slots', () => {
  it('a first delivery 20 minutes late lands in its scheduled slot', async () => {
    const slot = '2026-11-20T18:00:00.000Z';
    const late = new Date(Date.parse(slot) + 20 * 60_000);

    const run = await collectSlot('x', late.toISOString(), 30_000, deps(late));

    expect(run).toMatchObject({ slot, outcome: 'ok' });
    expect((await storedFollowers(slot)).map((o) => o.at)).toEqual([slot]);
  });

  /** Collects the last eight six-hour slots before now except three in the middle; returns the missed ones. */
  async function collectWithAGap(): Promise<string[]> {
    const current = slotFor(new Date(), { everyMinutes: 360 }).getTime();
    const slots = Array.from({ length: 8 }, (_, i) => new Date(current - (8 - i) * 6 * HOUR).toISOString());
    const missed = slots.slice(3, 6);
    for (const slot of slots.filter((s) => !missed.includes(s))) await collectSlot('x', slot, 30_000, deps(new Date(Date.parse(slot) + 5_000)));
    return missed;
  }

  it('GET /health reports a gap of missed collection slots', async () => {
    const missed = await collectWithAGap();

    const health = await call(runtime, 'GET', '/health');

    expect(health.status).toBe(200);
    const x = JSON.stringify(health.body.sources.find((s: { source: string }) => s.source === 'x'));
    expect(health.body.sources.find((s: { source: string }) => s.source === 'x').missedSlots).toEqual(expect.arrayContaining(missed));
    expect(x).toContain(missed[0]);
  });

  it('scoring reports the reduced coverage of a window with missing days', async () => {
    const { experiments, observations } = runtime.stores;
    const series = followerSnapshots({ from: '2026-08-01T00:00:00Z', to: '2026-09-15T00:00:00Z', perDay: () => 12, metric: 'bluesky.followers' });
    // Five days of the 14-day window were never collected.
    const withGap = series.filter((o) => o.at < '2026-09-05T00:00:00.000Z' || o.at >= '2026-09-10T00:00:00.000Z');
    await observations.putMany(withGap);
    await experiments.create(anExperiment({ id: 'exp_gappy', primaryMetric: 'bluesky.follower_growth_rate', start: '2026-09-01T00:00:00.000Z', end: '2026-09-15T00:00:00.000Z' }));

    await scoreDueExperiments(new Date('2026-09-16T00:00:00Z'), { experiments, observations, log: quiet });

    const verdict = await experiments.getVerdict('exp_gappy');
    expect(verdict?.dataQuality.windowCoverage).toBeLessThan(1);
    expect(verdict?.dataQuality.baselineCoverage).toBeGreaterThan(verdict?.dataQuality.windowCoverage ?? 1);
    expect(verdict?.dataQuality.gaps.length).toBeGreaterThan(0);
  });
});
