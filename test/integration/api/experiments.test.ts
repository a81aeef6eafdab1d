/**
 * /experiments through the local HTTP server: create, list with filters and pagination over several
 * pages, show, update, delete, idempotent create, and every error code with its envelope.
 */
import type { LocalRuntime } from '../../../functions/local/runtime';
import { aCreateRequest } from '../../support/factories';
import { call, startTestRuntime } from '../../support/local-runtime';
import { daysFromNow } from './api-helpers';

let runtime: LocalRuntime;
beforeAll(async () => { runtime = await startTestRuntime(); });
afterAll(async () => { await runtime.close(); });

const create = async (overrides: Parameters<typeof aCreateRequest>[0] = {}) => {
  const res = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ start: daysFromNow(10), ...overrides }) });
  expect(res.status).toBe(201);
  return res.body;
};

describe('POST /experiments', () => {
  it('accepts the fields beyond the skeleton: channel, tags, secondary metrics, ICE score', async () => {
    const body = aCreateRequest({
      start: daysFromNow(3), channel: 'x', tags: ['threads', 'build-in-public'], secondaryMetrics: ['x.engagement_rate'],
      iceScore: { impact: 8, confidence: 6, ease: 9 },
    });

    const res = await call(runtime, 'POST', '/experiments', { body });

    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/experiments/${res.body.id}`);
    expect(res.body).toMatchObject({ status: 'planned', channel: 'x', tags: ['threads', 'build-in-public'], secondaryMetrics: ['x.engagement_rate'], iceScore: { impact: 8, confidence: 6, ease: 9 } });
  });

  it('rejects an ICE score outside 1–10 naming the field', async () => {
    const res = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ iceScore: { impact: 11, confidence: 0, ease: 5 } }) });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['iceScore.impact', 'iceScore.confidence']));
  });
});

describe('Idempotency-Key', () => {
  it('makes a retried create return the first experiment instead of a second one', async () => {
    const body = aCreateRequest({ name: 'idempotent', start: daysFromNow(5) });
    const headers = { 'idempotency-key': 'create-0001-retry' };

    const first = await call(runtime, 'POST', '/experiments', { body, headers });
    const retry = await call(runtime, 'POST', '/experiments', { body, headers });

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const named = (await call(runtime, 'GET', '/experiments?limit=200')).body.items.filter((e: { name: string }) => e.name === 'idempotent');
    expect(named).toHaveLength(1);
  });

  it('creates one experiment when the same request races itself', async () => {
    const body = aCreateRequest({ name: 'raced', start: daysFromNow(5) });
    const headers = { 'idempotency-key': 'create-0002-race' };

    const results = await Promise.all([1, 2, 3].map(() => call(runtime, 'POST', '/experiments', { body, headers })));

    expect(results.every((r) => r.status === 201 || (r.status === 409 && r.body.error.details.reason === 'idempotency_in_progress'))).toBe(true);
    const named = (await call(runtime, 'GET', '/experiments?limit=200')).body.items.filter((e: { name: string }) => e.name === 'raced');
    expect(named).toHaveLength(1);
  });

  it('answers 422 when a key is reused for a different request', async () => {
    const headers = { 'idempotency-key': 'create-0003-reuse' };
    await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'first', start: daysFromNow(5) }), headers });

    const res = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'second', start: daysFromNow(5) }), headers });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'idempotency_key_reused', requestId: expect.any(String) });
  });

  it('does not remember a failed request, so a corrected retry with the same key succeeds', async () => {
    const headers = { 'idempotency-key': 'create-0004-fix' };
    const bad = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ primaryMetric: 'x.vibes' }), headers });
    expect(bad.status).toBe(400);
    const retry = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ primaryMetric: 'x.vibes' }), headers });
    expect(retry.status).toBe(400);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('rejects a malformed key with 400', async () => {
    const res = await call(runtime, 'POST', '/experiments', { body: aCreateRequest(), headers: { 'idempotency-key': 'x'.repeat(256) } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe('Idempotency-Key');
  });

  it('rejects an empty key with 400 instead of creating without idempotency', async () => {
    const res = await call(runtime, 'POST', '/experiments', { body: aCreateRequest(), headers: { 'idempotency-key': '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe('Idempotency-Key');
  });
});

describe('GET /experiments', () => {
  it('pages through more than one page without repeats or gaps', async () => {
    const created = [];
    for (let i = 0; i < 7; i++) created.push((await create({ name: `paged ${i}`, primaryMetric: 'bluesky.follower_growth_rate' })).id);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call(runtime, 'GET', `/experiments?metric=bluesky.follower_growth_rate&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((e: { id: string }) => e.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);

    expect(pages).toBe(3);
    expect(seen).toEqual([...created].reverse());
  });

  it('fills every page of a filtered listing exactly', async () => {
    for (let i = 0; i < 5; i++) {
      await create({ name: `mixed ${i}`, primaryMetric: i % 2 === 0 ? 'newsletter.click_rate' : 'newsletter.open_rate' });
    }
    const first = await call(runtime, 'GET', '/experiments?metric=newsletter.click_rate&limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items.every((e: { primaryMetric: string }) => e.primaryMetric === 'newsletter.click_rate')).toBe(true);
    const second = await call(runtime, 'GET', `/experiments?metric=newsletter.click_rate&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeUndefined();
  });

  it('filters by status', async () => {
    const res = await call(runtime, 'GET', '/experiments?status=planned&limit=200');
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.every((e: { status: string }) => e.status === 'planned')).toBe(true);
  });

  it.each([
    ['an unknown status', 'status=paused', 'status'],
    ['an unknown metric', 'metric=x.vibes', 'metric'],
    ['a limit out of range', 'limit=0', 'limit'],
    ['a forged cursor', 'cursor=bm90LWEtY3Vyc29y', 'cursor'],
  ])('rejects %s with 400', async (_case, query, path) => {
    const res = await call(runtime, 'GET', `/experiments?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe(path);
  });

  it('rejects a cursor taken from a different listing', async () => {
    const page = await call(runtime, 'GET', '/experiments?status=planned&limit=1');
    const res = await call(runtime, 'GET', `/experiments?limit=1&cursor=${page.body.nextCursor}`);
    expect(res.status).toBe(400);
  });
});

describe('PATCH /experiments/{id}', () => {
  it('changes a planned experiment and re-validates its window', async () => {
    const planned = await create({ start: daysFromNow(10), durationDays: 14 });

    const res = await call(runtime, 'PATCH', `/experiments/${planned.id}`, { body: { name: 'Renamed', durationDays: 21, tags: ['q4'] } });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: planned.id, name: 'Renamed', durationDays: 21, tags: ['q4'], start: planned.start, createdAt: planned.createdAt });
    expect(Date.parse(res.body.end) - Date.parse(res.body.start)).toBe(21 * 86_400_000);
    expect((await call(runtime, 'GET', `/experiments/${planned.id}`)).body.name).toBe('Renamed');
  });

  it('answers 400 for a window the rules reject and 400 for an empty change', async () => {
    const planned = await create();
    const tooLong = await call(runtime, 'PATCH', `/experiments/${planned.id}`, { body: { durationDays: 90 } });
    expect(tooLong.status).toBe(400);
    const empty = await call(runtime, 'PATCH', `/experiments/${planned.id}`, { body: {} });
    expect(empty.status).toBe(400);
  });

  it('answers 409 with the reason for a running experiment', async () => {
    const running = await create({ start: daysFromNow(-1) });
    const res = await call(runtime, 'PATCH', `/experiments/${running.id}`, { body: { name: 'nope' } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/while it is running/), details: { status: 'running', allowedTransitions: ['concluded', 'abandoned'] } });
  });

  it('answers 404 for an unknown experiment', async () => {
    expect((await call(runtime, 'PATCH', '/experiments/exp_missing', { body: { name: 'x' } })).status).toBe(404);
  });
});

describe('DELETE /experiments/{id}', () => {
  it('deletes a planned experiment', async () => {
    const planned = await create();
    const res = await call(runtime, 'DELETE', `/experiments/${planned.id}`);
    expect(res.status).toBe(204);
    expect((await call(runtime, 'GET', `/experiments/${planned.id}`)).status).toBe(404);
  });

  it('refuses to delete a running experiment with 409, pointing to abandon', async () => {
    const running = await create({ start: daysFromNow(-1) });
    const res = await call(runtime, 'DELETE', `/experiments/${running.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/abandon it instead/);
    expect((await call(runtime, 'GET', `/experiments/${running.id}`)).status).toBe(200);
  });

  it('answers 404 for an unknown experiment', async () => {
    expect((await call(runtime, 'DELETE', '/experiments/exp_missing')).status).toBe(404);
  });
});

describe('the error envelope', () => {
  it('answers 404 for an unknown route', async () => {
    const res = await call(runtime, 'GET', '/nowhere');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', requestId: expect.any(String) });
  });

  it('answers 405 naming the allowed methods', async () => {
    const res = await call(runtime, 'PUT', '/experiments');
    expect(res.status).toBe(405);
    expect(res.body.error).toMatchObject({ code: 'method_not_allowed', message: expect.stringMatching(/POST, GET/) });
  });

  it('answers 400 for a malformed experiment id', async () => {
    const res = await call(runtime, 'GET', '/experiments/not-an-id');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('answers 413 for a body over 10 MB', async () => {
    const res = await call(runtime, 'POST', '/observations', { body: `{"observations":"${'x'.repeat(10 * 1024 * 1024 + 10)}"}` });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });
});
