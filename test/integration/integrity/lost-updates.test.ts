/**
 * Issue 14.1 — lost updates. Every write to an experiment is conditional on the version it read: two
 * concurrent PATCHes both land (the loser re-reads and re-applies its change) or one is a 409 naming the
 * current version; the loop's fill never starts an experiment with a definition a PATCH just replaced;
 * a stale `version` in the PATCH body is a 409 naming the current one, and MCP passes it on.
 */
import { fillLoop } from '../../../functions/jobs/fill-loop';
import { aCreateRequest } from '../../support/factories';
import { interleaveAfter } from '../../support/interleave';
import { httpEvent, startCountedApi, type CountedApi } from '../../reliability/api-harness';

let api: CountedApi;
beforeAll(async () => { api = await startCountedApi(); });
afterAll(async () => { await api?.close(); });

const DAY = 86_400_000;
const json = (body: unknown) => JSON.stringify(body);
const send = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
  const res = await api.send(httpEvent(method, path, { ...(body !== undefined && { body: json(body) }), headers: { 'content-type': 'application/json', ...headers } }));
  return { status: res.statusCode ?? 0, body: JSON.parse(res.body || 'null') as any };
};
const plannedExperiment = async (name: string) => {
  const res = await send('POST', '/experiments', aCreateRequest({ name, start: new Date(Date.now() + 3 * DAY).toISOString(), durationDays: 14 }));
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number };
};

describe('concurrent PATCHes of one experiment', () => {
  it('never lose a change: in 20 rounds both the rename and the new hypothesis are stored, or the loser got a 409', async () => {
    const lost: string[] = [];
    for (let round = 0; round < 20; round++) {
      const { id } = await plannedExperiment(`round ${round}`);
      const [rename, rewrite] = await Promise.all([
        send('PATCH', `/experiments/${id}`, { name: `renamed ${round}` }),
        send('PATCH', `/experiments/${id}`, { hypothesis: `rewritten ${round}` }),
      ]);
      const stored = (await send('GET', `/experiments/${id}`)).body;
      for (const res of [rename, rewrite]) {
        expect([200, 409]).toContain(res.status);
        if (res.status === 409) expect(res.body.error.message).toMatch(/version \d+/);
      }
      if (rename.status === 200 && stored.name !== `renamed ${round}`) lost.push(`round ${round}: rename`);
      if (rewrite.status === 200 && stored.hypothesis !== `rewritten ${round}`) lost.push(`round ${round}: hypothesis`);
    }
    expect(lost).toEqual([]);
  });

  it('answers a PATCH carrying a stale version with a 409 that names the current version', async () => {
    const { id, version } = await plannedExperiment('stale version');
    expect(version).toBe(1);
    expect((await send('PATCH', `/experiments/${id}`, { name: 'first edit', version: 1 })).status).toBe(200);

    const stale = await send('PATCH', `/experiments/${id}`, { hypothesis: 'based on what I read before the first edit', version: 1 });

    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/version 2/);
    expect(stale.body.error.details).toMatchObject({ reason: 'version_conflict', currentVersion: 2 });
    const stored = (await send('GET', `/experiments/${id}`)).body;
    expect(stored).toMatchObject({ name: 'first edit', version: 2 });
    expect(stored.hypothesis).not.toMatch(/before the first edit/);
  });
});

describe('the loop fill racing a PATCH of a backlog item', () => {
  it('never starts the item with the definition the PATCH replaced', async () => {
    const created = await send('POST', '/backlog', { name: 'old name', hypothesis: 'old hypothesis', primaryMetric: 'bluesky.follower_growth_rate', iceScore: { impact: 9, confidence: 9, ease: 9 } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    let patch: { status: number; body: any } | undefined;
    // The user's PATCH lands right after the fill read the backlog, before it writes the start.
    const detach = interleaveAfter(
      api.stores.db,
      (c) => c.name === 'QueryCommand' && (c.input.ExpressionAttributeValues as Record<string, unknown>)?.[':pk'] === 'STATUS#backlog',
      async () => { patch = await send('PATCH', `/experiments/${id}`, { hypothesis: 'new hypothesis' }); },
    );
    try {
      await fillLoop(new Date(), { experiments: api.stores.experiments, events: { publish: async () => {} }, target: 5, log: { info: () => {}, warn: () => {} } });
    } finally { detach(); }

    expect(patch).toMatchObject({ status: 200, body: { hypothesis: 'new hypothesis' } });
    const stored = (await send('GET', `/experiments/${id}`)).body;
    expect(stored.hypothesis).toBe('new hypothesis');
  });
});
