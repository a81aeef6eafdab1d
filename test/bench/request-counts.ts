/**
 * DynamoDB requests per operation, counted by the test-support middleware on the client the stores
 * use (a Scan would throw): create, get and list through the API router, one X collector slot against
 * the local fake X API, and scoring one due experiment.
 */
import { dispatch } from '../../functions/api/router';
import { COMPILED_ROUTES } from '../../functions/api/routes';
import type { HttpEvent } from '../../functions/api/http';
import { httpEvent } from '../reliability/api-harness';
import { newExperimentId } from '../../functions/api/services';
import { collectSlot } from '../../functions/jobs/collect';
import { scoreDueExperiments } from '../../functions/jobs/score-due';
import { ensureTable, startDynalite } from '../../functions/local/dynalite';
import { parseAppConfig } from '../../functions/shared/app-config';
import { createAnySource } from '../../functions/sources/all-sources';
import { FakeServer } from '../fakes/fake-http-server';
import { installXFake } from '../fakes/x-fake';
import { anExperiment, followerSnapshots } from '../support/factories';
import { countedStores } from '../support/dynamo-counter';

export interface RequestCountRow { operation: string; counts: Record<string, number>; total: number }

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

export async function countRequestsPerOperation(): Promise<RequestCountRow[]> {
  const dynamo = await startDynalite();
  const fakeX = await FakeServer.start();
  try {
    const table = 'verdict-bench';
    await ensureTable(dynamo.endpoint, table);
    const stores = countedStores(dynamo.endpoint, table);
    const config = parseAppConfig({});
    const services = { ...stores, config, now: () => new Date(), newId: newExperimentId, log: quiet };
    const rows: RequestCountRow[] = [];
    const measure = async (operation: string, work: () => Promise<unknown>) => {
      const { counts } = await stores.counter.during(work);
      rows.push({ operation, counts, total: Object.values(counts).reduce((a, b) => a + b, 0) });
    };
    const api = async (event: HttpEvent, expected: number) => {
      const res = await dispatch(event, COMPILED_ROUTES, services);
      if (res.statusCode !== expected) throw new Error(`${event.requestContext.http.method} ${event.rawPath} answered ${res.statusCode}: ${res.body}`);
      return JSON.parse(res.body ?? '{}') as { id?: string };
    };

    let id = '';
    await measure('create (POST /experiments)', async () => {
      id = (await api(httpEvent('POST', '/experiments', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Counted', hypothesis: 'Counting requests per operation', primaryMetric: 'x.follower_growth_rate', start: '2030-01-01T00:00:00Z', durationDays: 14 }),
      }), 201)).id ?? '';
    });
    await measure('get (GET /experiments/{id}), planned', () => api(httpEvent('GET', `/experiments/${id}`), 200));
    const running = (await api(httpEvent('POST', '/experiments', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Running', hypothesis: 'Reads of a running experiment add an interim readout', primaryMetric: 'x.follower_growth_rate', start: new Date(Date.now() - 3 * 86_400_000).toISOString(), durationDays: 14 }),
    }), 201)).id ?? '';
    await measure('get (GET /experiments/{id}), running', () => api(httpEvent('GET', `/experiments/${running}`), 200));
    await measure('list page (GET /experiments?limit=50)', () => api(httpEvent('GET', '/experiments', { query: { limit: '50' } }), 200));

    installXFake(fakeX);
    const slotNow = new Date('2026-11-20T06:00:05Z');
    await measure('one collector slot (x)', () => collectSlot('x', '2026-11-20T06:00:00Z', 30_000, {
      config, runs: stores.runs, observations: stores.observations,
      credentials: { credentialsFor: async () => ({ appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'a' }) },
      buildSource: (name, credentials) => createAnySource(name, credentials, { config, endpoints: { x: fakeX.url }, now: () => slotNow }),
      log: quiet, now: () => slotNow,
    }));

    await stores.observations.putMany(followerSnapshots({ from: '2026-10-01T00:00:00Z', to: '2026-11-19T00:00:00Z', perDay: () => 10 }));
    await stores.experiments.create(anExperiment({ id: 'exp_countme' }));
    await measure('scoring one due experiment', async () => {
      const run = await scoreDueExperiments(new Date('2026-11-20T00:00:00Z'), { experiments: stores.experiments, observations: stores.observations, log: quiet });
      if (run.scored.length !== 1) throw new Error(`expected one verdict, got ${JSON.stringify(run)}`);
    });
    await measure('get (GET /experiments/{id}), concluded', () => api(httpEvent('GET', '/experiments/exp_countme'), 200));
    if (stores.counter.scans > 0) throw new Error('a Scan was issued');
    // Reads first, by state, then the jobs.
    const order = (r: RequestCountRow) => (r.operation.startsWith('get') ? 1 : r.operation.startsWith('list') ? 2 : r.operation.startsWith('create') ? 0 : 3);
    return rows.map((r, i) => ({ r, i })).sort((a, b) => order(a.r) - order(b.r) || a.i - b.i).map(({ r }) => r);
  } finally {
    await fakeX.close();
    await dynamo.close();
  }
}
