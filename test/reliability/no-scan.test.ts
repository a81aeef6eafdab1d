/**
 * The Scan ban: every API route, a collector slot and a scorer run, on stores whose client refuses
 * Scans (test/support/dynamo-counter.ts) — none may need one. A route added later is covered
 * automatically (the loop is over ROUTES).
 */
import { ROUTES } from '../../functions/api/routes';
import { collectSlot } from '../../functions/jobs/collect';
import { scoreDueExperiments } from '../../functions/jobs/score-due';
import { createAnySource } from '../../functions/sources/all-sources';
import { FakeServer } from '../fakes/fake-http-server';
import { installXFake } from '../fakes/x-fake';
import { anExperiment, followerSnapshots } from '../support/factories';
import { httpEvent, startCountedApi, type CountedApi } from './api-harness';

const quiet = { info: () => {}, warn: () => {} };
const DAY = 86_400_000;

/** A plausible body per route (routes not listed get `{}` — their validation path still runs). */
function sampleBody(method: string, path: string): unknown {
  const start = new Date(Date.now() + 30 * DAY).toISOString();
  const samples: Record<string, unknown> = {
    'POST /experiments': { name: 'No scan', hypothesis: 'Every read is a Get or a Query', primaryMetric: 'x.follower_growth_rate', start, durationDays: 14 },
    'PATCH /experiments/{id}': { name: 'Renamed' },
    'POST /experiments/{id}/abandon': { reason: 'reliability test' },
    'POST /backlog': { name: 'Backlog idea', hypothesis: 'Ideas are stored without a Scan', primaryMetric: 'x.follower_growth_rate' },
    'POST /observations': { observations: [{ metric: 'x.followers', at: '2026-11-01T06:00:00.000Z', value: 1200, source: 'csv' }] },
    'POST /collect': { source: 'x' },
    'POST /mcp': { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_experiments', arguments: {} } },
  };
  return samples[`${method} ${path}`] ?? {};
}

let api: CountedApi;
let fakeX: FakeServer;
beforeAll(async () => {
  api = await startCountedApi();
  fakeX = await FakeServer.start();
  installXFake(fakeX);
});
afterAll(async () => {
  await fakeX.close();
  await api.close();
});

describe('no code path issues a DynamoDB Scan', () => {
  it('serves every route without a Scan and without a 5xx', async () => {
    const { experiments, observations } = api.stores;
    await observations.putMany(followerSnapshots({ from: '2026-10-01T00:00:00Z', to: '2026-11-19T00:00:00Z', perDay: () => 10 }));
    const statuses: string[] = [];

    for (const route of ROUTES) {
      // A fresh experiment per route: state-changing routes (start, abandon, delete) must not disturb the others.
      const id = `exp_noscan${statuses.length}`;
      const scored = route.path.endsWith('/rescore') || route.path.endsWith('/verdict');
      if (route.path.endsWith('/start')) await experiments.create(anExperiment({ id, status: 'backlog', start: undefined, end: undefined }));
      else if (route.path.endsWith('/abandon')) await experiments.create(anExperiment({ id, status: 'running', start: new Date(Date.now() - DAY).toISOString(), end: new Date(Date.now() + 13 * DAY).toISOString() }));
      else await experiments.create(anExperiment({ id, status: scored ? 'running' : 'planned' }));
      if (scored) await scoreDueExperiments(new Date('2026-11-20T00:00:00Z'), { experiments, observations, log: quiet });
      const path = route.path.replace('{id}', id).replace('{metric}', 'x.follower_growth_rate').replace('{file}', 'app.js');
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : JSON.stringify(sampleBody(route.method, route.path));
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

      const res = await api.send(httpEvent(route.method, path, { body, headers }));

      const outcome = `${route.method} ${route.path} → ${res.statusCode}`;
      statuses.push(outcome);
      expect(outcome).not.toMatch(/→ 5\d\d$/);
    }

    expect(statuses).toHaveLength(ROUTES.length);
    expect(api.stores.counter.scans).toBe(0);
    expect(api.loggedErrors).toEqual([]);
  });

  it('collects a slot and scores due experiments without a Scan', async () => {
    const { experiments, observations, runs, counter } = api.stores;
    const config = api.services.config;
    const now = new Date('2026-11-20T06:00:05Z');
    await experiments.create(anExperiment({ id: 'exp_noscan_due' }));
    counter.reset();

    const run = await collectSlot('x', '2026-11-20T06:00:00Z', 30_000, {
      config, runs, observations, log: quiet, now: () => now,
      credentials: { credentialsFor: async () => ({ appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'a' }) },
      buildSource: (name, credentials) => createAnySource(name, credentials, { config, endpoints: { x: fakeX.url }, now: () => now }),
    });
    const scoring = await scoreDueExperiments(now, { experiments, observations, log: quiet });

    expect(run.outcome).toBe('ok');
    expect(scoring.scored).toContain('exp_noscan_due');
    expect(counter.scans).toBe(0);
    expect(counter.counts).not.toHaveProperty('ScanCommand');
    expect(counter.total()).toBeGreaterThan(0);
  });
});
