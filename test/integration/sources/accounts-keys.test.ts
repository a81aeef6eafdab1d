/**
 * Issue 18 — several accounts per source: the account is part of the metric key (`x.follower_growth_rate@acme`)
 * and of the stored series (`OBS#x.followers@acme`). Items stored before accounts existed (no `@`) stay
 * the default account's, read unchanged; `@` keys pass every validation (path params, observation bodies,
 * experiment metrics) and each account's series is read apart from the others.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { loadObservationsOnce } from '../../../functions/jobs/observations-once';
import { observationsFor } from '../../../functions/jobs/score-due';
import { httpEvent, startCountedApi, TABLE, type CountedApi } from '../../reliability/api-harness';
import { anExperiment, followerSnapshots } from '../../support/factories';

let api: CountedApi;
beforeAll(async () => { api = await startCountedApi(); });
afterAll(async () => { await api?.close(); });

const DAY = 86_400_000;
const json = { 'content-type': 'application/json' };
const get = async (path: string, query: Record<string, string> = {}) => {
  const res = await api.send(httpEvent('GET', path, { query }));
  return { status: res.statusCode ?? 0, body: JSON.parse(res.body || 'null') as any };
};
const post = async (path: string, body: unknown) => {
  const res = await api.send(httpEvent('POST', path, { body: JSON.stringify(body), headers: json }));
  return { status: res.statusCode ?? 0, body: JSON.parse(res.body || 'null') as any };
};
const partition = async (pk: string) => (await api.stores.db.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }))).Items ?? [];

const range = { from: '2026-10-01', to: '2026-10-08' };

beforeAll(async () => {
  // An item exactly as the store wrote it before accounts existed: default partition, provider username in `account`.
  for (let d = 0; d <= 9; d++) {
    const at = new Date(Date.parse('2026-09-30T00:00:00.000Z') + d * DAY).toISOString();
    await api.stores.db.send(new PutCommand({ TableName: TABLE, Item: { pk: 'OBS#x.followers', sk: `${at}#`, type: 'observation', metric: 'x.followers', at, value: 1000 + 10 * d, source: 'x', account: 'dev' } }));
  }
});

it('reads data stored before accounts as the default account, unchanged', async () => {
  const res = await get('/metrics/x.follower_growth_rate', { ...range, raw: '1' });

  expect(res.status).toBe(200);
  expect(res.body.series.map((p: any) => p.value)).toEqual([10, 10, 10, 10, 10, 10, 10]);
  expect(res.body.observations[0]).toEqual({ metric: 'x.followers', at: '2026-10-01T00:00:00.000Z', value: 1010, source: 'x', account: 'dev' });
});

it('stores an account\'s observations in its own series and leaves the default series alone', async () => {
  const acme = followerSnapshots({ from: '2026-09-30T00:00:00.000Z', to: '2026-10-09T00:00:00.000Z', everyHours: 24, perDay: () => 3 }).map((o) => ({ ...o, accountName: 'acme' }));

  const res = await post('/observations', { observations: acme });

  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ received: acme.length, written: acme.length, new: acme.length });
  expect(await partition('OBS#x.followers@acme')).toHaveLength(acme.length);
  expect(await partition('OBS#x.followers')).toHaveLength(10);
  const defaultSeries = await get('/metrics/x.follower_growth_rate', range);
  expect(defaultSeries.body.series.map((p: any) => p.value)).toEqual([10, 10, 10, 10, 10, 10, 10]);
});

it('serves metric@account as a path parameter, written with @ or %40', async () => {
  const plain = await get('/metrics/x.follower_growth_rate@acme', range);
  const encoded = await get('/metrics/x.follower_growth_rate%40acme', range);

  expect(plain.status).toBe(200);
  expect(plain.body.metric).toBe('x.follower_growth_rate@acme');
  expect(plain.body.series.map((p: any) => p.value)).toEqual([3, 3, 3, 3, 3, 3, 3]);
  expect(encoded.body).toEqual(plain.body);
  const unknownAccount = await get('/metrics/x.follower_growth_rate@beta', range);
  expect(unknownAccount.body.series.every((p: any) => p.value === null)).toBe(true);
});

it('refuses malformed account names in keys and observations with a 400 naming the field', async () => {
  for (const key of ['x.follower_growth_rate@Acme', 'x.follower_growth_rate@', 'x.follower_growth_rate@a@b', 'x.follower_growth_rate@a%20b']) {
    expect((await get(`/metrics/${encodeURIComponent(key)}`, range)).status).toBe(400);
  }
  const bad = await post('/observations', { observations: [{ metric: 'x.followers', at: '2026-10-01T00:00:00Z', value: 1, source: 'x', accountName: 'ACME CO' }] });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body.error.details)).toMatch(/observations\.0\.accountName/);
});

it('creates an experiment on metric@account, with a qualifier too', async () => {
  const start = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
  const res = await post('/experiments', { name: 'Acme threads', hypothesis: 'Threads grow the acme account', primaryMetric: 'x.follower_growth_rate@acme', start, durationDays: 14 });
  const qualified = await post('/experiments/plan', { name: 'Brand revenue', hypothesis: 'Launch email lifts revenue', primaryMetric: 'revenue.net_per_day:usd@brand2', start, durationDays: 14 });

  expect(res.status).toBe(201);
  expect(res.body.primaryMetric).toBe('x.follower_growth_rate@acme');
  expect(qualified.status).toBe(200);
});

it('gives the scorer each account\'s own series, in one read per series', async () => {
  const window = { start: '2026-10-04T00:00:00.000Z', end: '2026-10-06T00:00:00.000Z', baseline: { start: '2026-10-01T00:00:00.000Z', end: '2026-10-04T00:00:00.000Z' } };
  const onDefault = anExperiment({ id: 'exp_default01', status: 'running', ...window });
  const onAcme = anExperiment({ id: 'exp_acme00001', status: 'running', primaryMetric: 'x.follower_growth_rate@acme', ...window });

  const once = await loadObservationsOnce([onDefault, onAcme], api.stores.observations);
  const direct = await observationsFor(onAcme, api.stores.observations);

  expect(once.for(onDefault).every((o) => o.accountName === undefined && o.account === 'dev')).toBe(true);
  expect(once.for(onAcme).length).toBeGreaterThan(0);
  expect(once.for(onAcme).every((o) => o.accountName === 'acme')).toBe(true);
  expect(direct).toEqual(once.for(onAcme));
});
