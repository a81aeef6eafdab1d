/**
 * Lists stay bounded as the backlog grows (issue #14 item 9, #20): with 3,000 backlog items GET /backlog
 * answers the top of the start order (not 10 MB), /health and /digest do bounded work, and the
 * backlog's index order is the loop's start order, so the top is one Query.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Experiment } from '../../../functions/domain/experiment';
import { BACKLOG_CONSIDERED, rankBacklog } from '../../../functions/domain/loop';
import { httpEvent, startCountedApi, type CountedApi } from '../../reliability/api-harness';
import { anExperiment } from '../../support/factories';

const BACKLOG = 3_000;
const DAY = 86_400_000;
let api: CountedApi;
const backlog: Experiment[] = [];

beforeAll(async () => {
  api = await startCountedApi();
  for (let i = 0; i < BACKLOG; i++) {
    backlog.push(anExperiment({
      id: `exp_idea${String(i).padStart(5, '0')}`, name: `Idea ${i}`, status: 'backlog', start: undefined, end: undefined,
      primaryMetric: i % 2 ? 'x.follower_growth_rate' : 'newsletter.subscriber_growth_rate',
      ...(i % 11 !== 0 && { iceScore: { impact: 1 + (i % 10), confidence: 1 + (i % 7), ease: 1 + (i % 5) } }),
      createdAt: new Date(Date.parse('2026-01-01T00:00:00Z') + (i % 500) * 60_000).toISOString(),
    }));
  }
  await Promise.all(Array.from({ length: 8 }, async (_, w) => {
    for (let i = w; i < BACKLOG; i += 8) await api.stores.experiments.create(backlog[i]);
  }));
  await api.stores.experiments.create(anExperiment({ id: 'exp_now', status: 'running', start: new Date(Date.now() - 2 * DAY).toISOString(), end: new Date(Date.now() + 12 * DAY).toISOString() }));
});
afterAll(async () => { await api?.close(); });

async function get(path: string, query: Record<string, string> = {}) {
  const { result, counts } = await api.stores.counter.during(() => api.send(httpEvent('GET', path, { query })));
  const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
  return { status: result.statusCode, body: JSON.parse(text), bytes: Buffer.byteLength(text), requests: Object.values(counts).reduce((a, b) => a + b, 0) };
}

describe(`with ${BACKLOG} backlog items`, () => {
  it('GET /backlog answers the top of the start order with the total, in a small response and a few requests', async () => {
    const res = await get('/backlog');

    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { experiment: { id: string } }) => i.experiment.id)).toEqual(rankBacklog(backlog).slice(0, BACKLOG_CONSIDERED).map((e) => e.id));
    expect(res.body.items.map((i: { rank: number }) => i.rank)).toEqual(Array.from({ length: BACKLOG_CONSIDERED }, (_, i) => i + 1));
    expect(res.body).toMatchObject({ total: BACKLOG, totalCapped: false });
    expect(res.bytes).toBeLessThan(512 * 1024);
    expect(res.requests).toBeLessThanOrEqual(8);
  });

  it('GET /experiments?status=backlog pages the whole backlog in the same start order', async () => {
    const first = await get('/experiments', { status: 'backlog', limit: '50' });
    const second = await get('/experiments', { status: 'backlog', limit: '50', cursor: first.body.nextCursor });

    expect([...first.body.items, ...second.body.items].map((e: { id: string }) => e.id)).toEqual(rankBacklog(backlog).slice(0, 100).map((e) => e.id));
  });

  it('GET /health counts the backlog with bounded work', async () => {
    const res = await get('/health');

    expect(res.status).toBe(200);
    expect(res.body.loop).toMatchObject({ backlog: BACKLOG, running: 1 });
    expect(res.requests).toBeLessThanOrEqual(10);
  });

  it('GET /digest shows the top three and the backlog count with bounded work', async () => {
    const res = await get('/digest');

    expect(res.status).toBe(200);
    const top = res.body.sections.find((s: { id: string }) => s.id === 'backlog');
    expect(top.items.map((i: { label: string }) => i.label)).toEqual(rankBacklog(backlog).slice(0, 3).map((e) => e.name));
    expect(res.body.counts.backlog).toBe(BACKLOG);
    expect(res.bytes).toBeLessThan(64 * 1024);
    expect(res.requests).toBeLessThanOrEqual(16);
  });
});

describe('backlog order backfill', () => {
  let small: CountedApi;
  beforeAll(async () => {
    small = await startCountedApi();
    for (const e of backlog.slice(0, 5)) await small.stores.experiments.create(e);
  });
  afterAll(async () => { await small?.close(); });

  it('re-keys a backlog item stored before the start-order key, once', async () => {
    const old = anExperiment({ id: 'exp_oldkey', name: 'Old key', status: 'backlog', start: undefined, end: undefined, iceScore: { impact: 1, confidence: 1, ease: 1 }, createdAt: '2025-01-01T00:00:00.000Z', version: 1 });
    await small.stores.db.send(new PutCommand({ TableName: small.stores.experiments.tableName, Item: { pk: `EXP#${old.id}`, sk: 'EXPERIMENT', type: 'experiment', gsi1pk: 'STATUS#backlog', gsi1sk: `${old.createdAt}#${old.id}`, gsi2pk: 'EXPERIMENTS', gsi2sk: `${old.createdAt}#${old.id}`, ...old } }));
    expect((await small.stores.experiments.backlogTop(1)).map((e) => e.id)).toEqual(['exp_oldkey']); // an old key sorts first, whatever its ICE

    const rekeyed = await small.stores.experiments.backfillBacklogOrder();

    expect(rekeyed).toBe(6);
    expect((await small.stores.experiments.backlogTop(6)).map((e) => e.id)).toEqual(rankBacklog([...backlog.slice(0, 5), old]).map((e) => e.id));
    expect(await small.stores.experiments.backfillBacklogOrder()).toBe(0);
  });
});

describe('experiments planned far ahead', () => {
  const PLANNED = 500;
  let none: CountedApi;
  let many: CountedApi;
  const running = anExperiment({ id: 'exp_live', status: 'running', start: new Date(Date.now() - 3 * DAY).toISOString(), end: new Date(Date.now() + 11 * DAY).toISOString() });
  beforeAll(async () => {
    [none, many] = await Promise.all([startCountedApi(), startCountedApi()]);
    for (const api of [none, many]) await api.stores.experiments.create(running);
    await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; i < PLANNED; i += 8) {
        const start = Date.now() + (120 + i) * DAY;
        await many.stores.experiments.create(anExperiment({ id: `exp_later${String(i).padStart(4, '0')}`, status: 'planned', start: new Date(start).toISOString(), end: new Date(start + 14 * DAY).toISOString() }));
      }
    }));
  });
  afterAll(async () => { await none?.close(); await many?.close(); });

  it('add no reads to a running experiment\'s interim readout', async () => {
    const read = async (api: CountedApi) => (await api.stores.counter.during(() => api.send(httpEvent('GET', `/experiments/${running.id}`)))).counts;

    expect(await read(many)).toEqual(await read(none));
  });

  it('add no reads to /backlog, /health and /digest, and /health still counts them', async () => {
    const counts = async (api: CountedApi, path: string) => (await api.stores.counter.during(() => api.send(httpEvent('GET', path)))).counts;

    for (const path of ['/backlog', '/health', '/digest']) expect({ path, counts: await counts(many, path) }).toEqual({ path, counts: await counts(none, path) });
    const health = JSON.parse(String((await many.send(httpEvent('GET', '/health'))).body));
    expect(health.loop.planned).toBe(PLANNED);
  });
});
