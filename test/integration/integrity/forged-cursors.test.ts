/**
 * Issue 14.8 — pagination cursors. A well-formed but forged cursor (base64url JSON naming the right
 * index, but another partition's key, a key outside the query, or one issued for another query) is a
 * 400 naming the cursor — never a 500, and never silently accepted. Genuine cursors still page.
 */
import { aCreateRequest } from '../../support/factories';
import { httpEvent, startCountedApi, type CountedApi } from '../../reliability/api-harness';

let api: CountedApi;
beforeAll(async () => {
  api = await startCountedApi();
  for (let i = 0; i < 5; i++) {
    const res = await api.send(httpEvent('POST', '/experiments', { body: JSON.stringify(aCreateRequest({ name: `paged ${i}`, start: new Date(Date.now() + 86_400_000).toISOString(), durationDays: 14 })), headers: { 'content-type': 'application/json' } }));
    expect(res.statusCode).toBe(201);
  }
});
afterAll(async () => { await api?.close(); });

const list = async (query: Record<string, string>) => {
  const res = await api.send(httpEvent('GET', '/experiments', { query }));
  return { status: res.statusCode ?? 0, body: JSON.parse(res.body || 'null') as any };
};
const forge = (cursor: unknown) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

it('still pages with the cursors it issued', async () => {
  const first = await list({ limit: '2', status: 'planned' });
  const second = await list({ limit: '2', status: 'planned', cursor: first.body.nextCursor });

  expect(first.status).toBe(200);
  expect(second.status).toBe(200);
  expect(second.body.items).toHaveLength(2);
  expect(second.body.items.map((e: { id: string }) => e.id)).not.toContain(first.body.items[0].id);
});

describe('forged cursors are a 400 naming the cursor', () => {
  const cases: [string, () => Promise<Record<string, string>>][] = [
    ['another partition\'s key (an observation) on the full list', async () => ({ cursor: forge({ i: 'gsi2', k: { pk: 'OBS#x.followers', sk: '2026-11-01T06:00:00.000Z#', gsi2pk: 'OBS#x.followers', gsi2sk: 'x' } }) })],
    ['a key of another status on a status listing', async () => ({ status: 'planned', cursor: forge({ i: 'gsi1', k: { pk: 'EXP#exp_a', sk: 'EXPERIMENT', gsi1pk: 'STATUS#running', gsi1sk: '2026-11-01T00:00:00.000Z#exp_a' } }) })],
    ['a key whose index sort key does not belong to its item', async () => ({ cursor: forge({ i: 'gsi2', k: { pk: 'EXP#exp_a', sk: 'EXPERIMENT', gsi2pk: 'EXPERIMENTS', gsi2sk: 'zzz' } }) })],
    ['a key with attributes the index has not', async () => ({ cursor: forge({ i: 'gsi2', k: { pk: 'EXP#exp_a', sk: 'EXPERIMENT', gsi2pk: 'EXPERIMENTS', gsi2sk: '2026-11-01T00:00:00.000Z#exp_a', gsi1pk: 'STATUS#running' } }) })],
    ['a genuine cursor of one status listing replayed on another', async () => ({ status: 'running', cursor: (await list({ limit: '2', status: 'planned' })).body.nextCursor })],
    ['a genuine cursor of one metric filter replayed on another', async () => ({ metric: 'newsletter.open_rate', cursor: (await list({ limit: '2', metric: 'x.follower_growth_rate' })).body.nextCursor })],
  ];
  it.each(cases)('%s', async (_name, query) => {
    const q = await query();
    expect(q.cursor).toBeDefined();

    const res = await list(q);

    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe('cursor');
  });
});
