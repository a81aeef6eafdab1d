/** The API through the local HTTP server: create, read, validation, verdict 404s, auth on every route. */
import type { LocalRuntime } from '../../functions/local/runtime';
import { ROUTES } from '../../functions/api/routes';
import { aCreateRequest } from '../support/factories';
import { call, startTestRuntime } from '../support/local-runtime';

let runtime: LocalRuntime;
beforeAll(async () => { runtime = await startTestRuntime(); });
afterAll(async () => { await runtime.close(); });

describe('POST /experiments', () => {
  it('stores a valid experiment and returns it with id, status and window', async () => {
    const res = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ start: '2030-01-01', durationDays: 14 }) });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'planned', start: '2030-01-01T00:00:00.000Z', end: '2030-01-15T00:00:00.000Z', durationDays: 14, decision: { minLift: 0, confidence: 0.95 } });
    expect(res.body.id).toMatch(/^exp_/);
    const fetched = await call(runtime, 'GET', `/experiments/${res.body.id}`);
    expect(fetched.body).toEqual(res.body);
  });

  it('marks an experiment whose start has passed as running', async () => {
    const res = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ start: new Date(Date.now() - 86_400_000).toISOString() }) });
    expect(res.body.status).toBe('running');
  });

  it.each([
    ['an unknown metric', { primaryMetric: 'x.vibes' }, 'primaryMetric'],
    ['end before start', { durationDays: undefined, end: '2026-10-01T00:00:00Z' }, 'end'],
    ['a missing hypothesis', { hypothesis: undefined }, 'hypothesis'],
    ['a wrong type', { durationDays: '14' }, 'durationDays'],
    ['extra junk', { junk: true }, '(root)'],
  ])('rejects %s with 400 naming the field, and stores nothing', async (_case, overrides, path) => {
    const before = await call(runtime, 'GET', '/experiments?limit=200');

    const res = await call(runtime, 'POST', '/experiments', { body: { ...aCreateRequest(), ...overrides } });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(res.body.error.requestId).toEqual(expect.any(String));
    const after = await call(runtime, 'GET', '/experiments?limit=200');
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('reports every issue at once', async () => {
    const res = await call(runtime, 'POST', '/experiments', { body: { name: '', primaryMetric: 'nope', start: 'yesterday' } });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'hypothesis', 'primaryMetric', 'start']));
  });

  it('rejects a body that is not JSON with 400', async () => {
    const res = await call(runtime, 'POST', '/experiments', { body: '{"name":' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});

describe('GET routes', () => {
  it('lists experiments newest first', async () => {
    await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'listed' }) });
    const res = await call(runtime, 'GET', '/experiments');
    expect(res.status).toBe(200);
    expect(res.body.items[0].name).toBe('listed');
  });

  it('answers 404 for an unknown experiment and for its verdict', async () => {
    expect((await call(runtime, 'GET', '/experiments/exp_unknown')).status).toBe(404);
    const verdict = await call(runtime, 'GET', '/experiments/exp_unknown/verdict');
    expect(verdict.status).toBe(404);
    expect(verdict.body.error.code).toBe('not_found');
  });

  it('answers 404 for the verdict of an experiment not yet scored', async () => {
    const created = await call(runtime, 'POST', '/experiments', { body: aCreateRequest() });
    const res = await call(runtime, 'GET', `/experiments/${created.body.id}/verdict`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/no verdict yet/);
  });
});

describe('authentication', () => {
  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'exp_abc');
  const protectedRoutes = ROUTES.filter((r) => !(r as { public?: boolean }).public);

  it.each(protectedRoutes.map((r) => [r.method, r.path]))('%s %s answers 401 without a token', async (method, path) => {
    expect((await call(runtime, method, concrete(path), { token: null })).status).toBe(401);
  });

  it.each(protectedRoutes.map((r) => [r.method, r.path]))('%s %s answers 401 with a wrong token', async (method, path) => {
    expect((await call(runtime, method, concrete(path), { token: 'wrong-token-of-some-length' })).status).toBe(401);
  });

  it('rejects a token of the wrong length and a non-Bearer scheme', async () => {
    expect((await call(runtime, 'GET', '/experiments', { token: 'x' })).status).toBe(401);
    expect((await call(runtime, 'GET', '/experiments', { token: null, headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } })).status).toBe(401);
  });
});
