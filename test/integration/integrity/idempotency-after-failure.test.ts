/**
 * Issue 14.4 — idempotency across a failure. The create's item is written, then completing its
 * idempotency record fails (the store hiccups). Retries with the same Idempotency-Key — at once, and
 * after the claim's lock has expired — must answer with the first result: one experiment, one id.
 */
import { aCreateRequest } from '../../support/factories';
import { httpEvent, startCountedApi, type CountedApi } from '../../reliability/api-harness';

let api: CountedApi;
let clock = new Date('2026-11-20T10:00:00.000Z');
beforeAll(async () => {
  api = await startCountedApi();
  api.services.now = () => clock;
});
afterAll(async () => { await api?.close(); });

/** Fails the next write that completes an idempotency record, as a store outage right after the create would. */
function failNextCompletion(): () => void {
  const name = 'failIdempotencyCompletion';
  let failed = false;
  api.stores.db.middlewareStack.add((next, context) => async (args) => {
    const input = args.input as { Item?: { pk?: string; state?: string } };
    if (!failed && context.commandName === 'PutItemCommand' && input.Item?.pk?.startsWith('IDEMPOTENCY#') && input.Item.state === 'completed') {
      failed = true;
      throw Object.assign(new Error('connect ECONNRESET'), { name: 'TimeoutError' });
    }
    return next(args);
  }, { step: 'initialize', name, override: true });
  return () => api.stores.db.middlewareStack.remove(name);
}

const create = async (body: unknown, key: string) => {
  const res = await api.send(httpEvent('POST', '/experiments', { body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'idempotency-key': key } }));
  return { status: res.statusCode ?? 0, body: JSON.parse(res.body || 'null') as any };
};
const storedNamed = async (name: string) => (await api.stores.experiments.list({ limit: 200 })).items.filter((e) => e.name === name);

it('answers every retry with the first result when the idempotency record failed to complete after the write', async () => {
  const body = aCreateRequest({ name: 'idempotent across a failure', start: '2026-11-25T00:00:00.000Z', durationDays: 14 });
  const detach = failNextCompletion();
  let first;
  try { first = await create(body, 'key-failure-1'); } finally { detach(); }
  const [stored] = await storedNamed(body.name);
  expect(stored).toBeDefined();

  const atOnce = await create(body, 'key-failure-1');
  clock = new Date(clock.getTime() + 61_000);
  const afterTheLock = await create(body, 'key-failure-1');

  expect(first.status).toBe(201);
  expect(first.body.id).toBe(stored.id);
  expect(atOnce).toMatchObject({ status: 201, body: { id: stored.id } });
  expect(afterTheLock).toMatchObject({ status: 201, body: { id: stored.id } });
  expect(await storedNamed(body.name)).toHaveLength(1);
});

it('still refuses the same key for a different body, and a new key makes a new experiment', async () => {
  const body = aCreateRequest({ name: 'one key, one request', start: '2026-11-25T00:00:00.000Z', durationDays: 14 });
  const first = await create(body, 'key-2');

  expect((await create({ ...body, name: 'something else' }, 'key-2')).status).toBe(422);
  const second = await create(body, 'key-3');

  expect(first.status).toBe(201);
  expect(second.status).toBe(201);
  expect(second.body.id).not.toBe(first.body.id);
  expect(await storedNamed(body.name)).toHaveLength(2);
});
