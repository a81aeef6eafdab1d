/**
 * The X collector end to end: the real twitter-api-v2 client against a local fake X API, the collection
 * job, and dynalite. One observation per slot, failures recorded (never data), pauses honoured.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectSlot, type CollectDeps } from '../../functions/jobs/collect';
import { ensureTable, startDynalite, type LocalDynamo } from '../../functions/local/dynalite';
import { parseAppConfig } from '../../functions/shared/app-config';
import { createDocumentClient } from '../../functions/shared/clients';
import { createXSource } from '../../functions/sources/x';
import { ObservationStore } from '../../functions/store/observation-store';
import { RunStore } from '../../functions/store/run-store';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Reply = { status: number; body: unknown; headers?: Record<string, string> };
let reply: Reply;
let requests = 0;
let fakeX: http.Server;
let xUrl: string;
let dynamo: LocalDynamo;
let observations: ObservationStore;
let runs: RunStore;

const CREDS = { appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'a' };
const ME = { data: { id: '2244994945', name: 'Dev', username: 'dev', public_metrics: { followers_count: 583423, following_count: 2048, tweet_count: 14052, listed_count: 1672, like_count: 3000, media_count: 120 } } };

function deps(now = new Date('2026-11-20T06:00:05Z')): CollectDeps {
  return {
    config: parseAppConfig({ sources: { x: { everyMinutes: 360 } } }),
    runs, observations,
    credentials: { credentialsFor: async () => CREDS },
    buildSource: (_name, credentials) => createXSource(credentials, { apiBaseUrl: xUrl }, () => now),
    log: { info: () => {}, warn: () => {} },
    now: () => now,
  };
}

beforeAll(async () => {
  fakeX = http.createServer((req, res) => {
    expect(req.headers.authorization).toMatch(/^OAuth /);
    if (/\/2\/users\/\d+\/tweets/.test(req.url ?? '')) {
      // Recent posts: none in this account's window (per-post collection has its own contract tests).
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ meta: { result_count: 0 } }));
    }
    expect(req.url).toContain('/2/users/me');
    requests++;
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  });
  await new Promise<void>((r) => fakeX.listen(0, '127.0.0.1', () => r()));
  xUrl = `http://127.0.0.1:${(fakeX.address() as AddressInfo).port}`;
  dynamo = await startDynalite();
  await ensureTable(dynamo.endpoint, 'verdict-test');
  const db = createDocumentClient(dynamo.endpoint);
  observations = new ObservationStore(db, 'verdict-test');
  runs = new RunStore(db, 'verdict-test');
});
afterAll(async () => {
  await dynamo.close();
  await new Promise((r) => fakeX.close(r));
});
beforeEach(() => { requests = 0; });

describe('X follower snapshot collection', () => {
  it('stores x.followers and x.posts at the scheduled slot', async () => {
    reply = { status: 200, body: ME };

    const run = await collectSlot('x', '2026-11-20T06:00:00Z', 30_000, deps());

    expect(run).toMatchObject({ outcome: 'ok', observations: 2, slot: '2026-11-20T06:00:00.000Z' });
    const stored = await observations.queryMany(['x.followers', 'x.posts'], '2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z');
    expect(stored).toEqual(expect.arrayContaining([
      expect.objectContaining({ metric: 'x.followers', at: '2026-11-20T06:00:00.000Z', value: 583423, source: 'x' }),
      expect.objectContaining({ metric: 'x.posts', at: '2026-11-20T06:00:00.000Z', value: 14052 }),
    ]));
  });

  it('stores one observation per slot when the slot is delivered again, late, without reading X again', async () => {
    reply = { status: 200, body: ME };
    await collectSlot('x', '2026-11-20T12:00:00Z', 30_000, deps());

    const late = await collectSlot('x', '2026-11-20T12:20:00Z', 30_000, deps(new Date('2026-11-20T12:20:00Z')));

    expect(late.slot).toBe('2026-11-20T12:00:00.000Z');
    expect(late.deliveries).toBe(2);
    expect(requests).toBe(1);
    const stored = await observations.query('x.followers', '2026-11-20T12:00:00Z', '2026-11-20T13:00:00Z');
    expect(stored).toHaveLength(1);
  });

  it('records a rate-limit window and pauses the source until X says it resets', async () => {
    const reset = Math.floor(Date.parse('2026-11-20T18:15:00Z') / 1000);
    reply = { status: 429, body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, headers: { 'x-rate-limit-limit': '75', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } };

    const run = await collectSlot('x', '2026-11-20T18:00:00Z', 30_000, deps(new Date('2026-11-20T18:00:02Z')));

    expect(run).toMatchObject({ outcome: 'rate_limited', errorCode: 'rate_limited', resetAt: '2026-11-20T18:15:00.000Z', observations: 0 });
    expect(await observations.query('x.followers', '2026-11-20T18:00:00Z', '2026-11-20T19:00:00Z')).toHaveLength(0);
    expect((await runs.getSourceState('x'))?.pausedUntil).toBe('2026-11-20T18:15:00.000Z');
  });

  it('tells the monthly usage cap apart and pauses until the next month', async () => {
    reply = { status: 429, body: { title: 'UsageCapExceeded', detail: 'Usage cap exceeded: Monthly product cap', type: 'https://api.twitter.com/2/problems/usage-capped', period: 'Monthly', scope: 'Product' } };

    const run = await collectSlot('x', '2026-11-21T06:00:00Z', 30_000, deps(new Date('2026-11-21T06:00:00Z')));

    expect(run).toMatchObject({ outcome: 'usage_capped', resetAt: '2026-12-01T00:00:00.000Z' });
  });

  it('skips a paused source without calling X', async () => {
    const run = await collectSlot('x', '2026-11-22T06:00:00Z', 30_000, deps(new Date('2026-11-22T06:00:00Z')));

    expect(run.outcome).toBe('paused');
    expect(requests).toBe(0);
  });

  it('records 401 as an unauthorized failure and stores nothing', async () => {
    await runs.putSourceState({ source: 'x', updatedAt: '2026-12-01T00:00:00Z' });
    reply = { status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } };

    const run = await collectSlot('x', '2026-12-02T06:00:00Z', 30_000, deps(new Date('2026-12-02T06:00:00Z')));

    expect(run).toMatchObject({ outcome: 'failed', errorCode: 'unauthorized' });
    expect(await observations.query('x.followers', '2026-12-02T00:00:00Z', '2026-12-03T00:00:00Z')).toHaveLength(0);
  });

  it('records schema drift naming the field, and stores nothing', async () => {
    reply = { status: 200, body: { data: { id: '1', username: 'dev', public_metrics: { following_count: 1 } } } };

    const run = await collectSlot('x', '2026-12-03T06:00:00Z', 30_000, deps(new Date('2026-12-03T06:00:00Z')));

    expect(run).toMatchObject({ outcome: 'failed', errorCode: 'schema_mismatch' });
    expect(run.message).toContain('followers_count');
  });
});
