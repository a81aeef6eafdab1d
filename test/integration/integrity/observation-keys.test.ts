/**
 * Issue 14.5 — observations. A batch is validated whole before anything is written (an over-long id is
 * a 400 with nothing stored, not a 500 after 25 writes); `#` inside engine or prompt cannot make two
 * different answers share a key; four spellings of one instant are one snapshot, through REST and
 * through the store the collectors write with; and the answer says exactly what was stored.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { writesIn } from '../../support/dynamo-counter';
import { httpEvent, startCountedApi, TABLE, type CountedApi } from '../../reliability/api-harness';

let api: CountedApi;
beforeAll(async () => { api = await startCountedApi(); });
afterAll(async () => { await api?.close(); });

const post = async (observations: unknown[]) => {
  const { result, counts } = await api.stores.counter.during(() => api.send(httpEvent('POST', '/observations', { body: JSON.stringify({ observations }), headers: { 'content-type': 'application/json' } })));
  return { status: result.statusCode ?? 0, body: JSON.parse(result.body || 'null') as any, writes: writesIn(counts) };
};
/** Every stored item of one metric's partition, raw. */
const partition = async (metric: string) => (await api.stores.db.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `OBS#${metric}` } }))).Items ?? [];

const aPost = (i: number, id = `post-${i}`) => ({ metric: 'x.post', id, at: '2026-11-20T06:00:00.000Z', source: 'x', impressions: 10, likes: 1, replies: 0, reposts: 0, quotes: 0 });

it('rejects a batch with one over-long id whole: 400 naming it, nothing written', async () => {
  const batch = Array.from({ length: 31 }, (_, i) => aPost(i, i === 30 ? 'x'.repeat(2000) : `long-batch-${i}`));

  const res = await post(batch);

  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body.error.details)).toMatch(/observations\.30\.id/);
  expect(res.writes).toBe(0);
  expect((await partition('x.post')).filter((i) => String(i.id).startsWith('long-batch-'))).toHaveLength(0);
});

it('keeps two citation answers apart even when # inside engine and prompt would make their keys equal', async () => {
  const answer = { metric: 'citations.answer', at: '2026-11-20T00:00:00.000Z', source: 'perplexity', cited: true, mentioned: true };
  const first = { ...answer, engine: 'e', repetition: 0, prompt: '1#best crm' };
  const second = { ...answer, engine: 'e#0', repetition: 1, prompt: 'best crm', cited: false };

  const res = await post([first, second]);

  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ received: 2, written: 2, duplicates: 0 });
  const stored = await partition('citations.answer');
  expect(stored.map((i) => `${i.engine} | ${i.prompt} | ${i.cited}`).sort()).toEqual(['e | 1#best crm | true', 'e#0 | best crm | false']);
});

it('stores four spellings of one instant as one snapshot, and says so', async () => {
  const spellings = ['2026-11-21T06:00:00Z', '2026-11-21T06:00:00.000Z', '2026-11-21T11:00:00+05:00', '2026-11-21T06:00:00.000000Z'];

  const res = await post(spellings.map((at, i) => ({ metric: 'x.followers', at, source: 'x', value: 1000 + i })));

  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ received: 4, written: 1, duplicates: 3 });
  const stored = (await partition('x.followers')).filter((i) => String(i.sk).startsWith('2026-11-21T06'));
  expect(stored).toHaveLength(1);
  expect(stored[0].at).toBe('2026-11-21T06:00:00.000Z');
});

it('canonicalises instants in the store too, so a collector\'s offset time lands on the same key', async () => {
  await api.stores.observations.putMany([{ metric: 'bluesky.followers', at: '2026-11-22T01:00:00+01:00', source: 'bluesky', value: 5 }]);
  await api.stores.observations.putMany([{ metric: 'bluesky.followers', at: '2026-11-22T00:00:00Z', source: 'bluesky', value: 6 }]);

  const stored = await partition('bluesky.followers');

  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ at: '2026-11-22T00:00:00.000Z', value: 6 });
});

it('bounds every key component: a 3,000-character prompt from a collector is stored under a key DynamoDB accepts', async () => {
  const prompt = `${'which tool is best for solo marketers? '.repeat(75)}`.slice(0, 3000);

  await api.stores.observations.putMany([{ metric: 'citations.answer', at: '2026-11-23T00:00:00.000Z', source: 'openai', engine: 'openai', prompt, cited: false, mentioned: true }]);

  const stored = (await partition('citations.answer')).filter((i) => i.prompt === prompt);
  expect(stored).toHaveLength(1);
  expect(Buffer.byteLength(String(stored[0].sk))).toBeLessThanOrEqual(1024);
});
