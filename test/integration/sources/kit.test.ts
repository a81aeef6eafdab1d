/** Contract tests for the Kit v4 adapter against a fake Kit API speaking the documented bodies. */
import { createKitSource } from '../../../functions/sources/kit';
import { aCollectContext, failureOf, idsOf } from '../../fakes/collect-context';
import { FakeServer } from '../../fakes/fake-http-server';
import { installKitFake, KIT_RATE_LIMIT, KIT_UNAUTHORIZED_BODY, kitBroadcastStatsPage, kitSubscribersBody } from '../../fakes/kit-fake';
import { describeTransportContract } from '../../fakes/transport-contract';

const API_KEY = 'kit-secret-key-456';
const SLOT = '2026-03-05T00:00:00.000Z';
const NOW = new Date('2026-03-05T00:00:02Z');

let fake: FakeServer;
beforeAll(async () => { fake = await FakeServer.start(); });
afterAll(async () => { await fake.close(); });

const kit = () => createKitSource({ apiKey: API_KEY }, { baseUrl: fake.url, backoffMs: 5 }, () => NOW);
const sends = (observations: { metric: string }[]) => observations.filter((o) => o.metric === 'newsletter.send');

describe('Kit adapter', () => {
  it('maps the active subscriber total and completed broadcasts (unique opens, unique clicks from counts)', async () => {
    installKitFake(fake, {
      subscribers: kitSubscribersBody(2500),
      pages: [kitBroadcastStatsPage([
        { id: 186, sendAt: '2026-03-01T10:00:00Z', recipients: 1000, emailsOpened: 610, openRate: 61, clickRate: 8.5, totalClicks: 130 },
        { id: 185, sendAt: null, recipients: 0, status: 'draft' },
      ])],
    });

    const result = await kit().collect(aCollectContext({ slot: SLOT }));

    expect(result.observations).toEqual([
      { metric: 'newsletter.subscribers', at: SLOT, value: 2500, source: 'kit' },
      { metric: 'newsletter.send', id: '186', sentAt: '2026-03-01T10:00:00.000Z', delivered: 1000, opens: 610, clicks: 85, at: SLOT, source: 'kit' },
    ]);
    const [subs] = fake.requestsTo('GET', '/v4/subscribers');
    expect(subs.headers['x-kit-api-key']).toBe(API_KEY);
    expect(Object.fromEntries(subs.query)).toEqual({ status: 'active', per_page: '1', include_total_count: 'true' });
  });

  it('reads the click rate on a 0–1 scale when the open pair says so', async () => {
    installKitFake(fake, { pages: [kitBroadcastStatsPage([{ id: 7, recipients: 1000, emailsOpened: 600, openRate: 0.6, clickRate: 0.05, totalClicks: 90 }])] });

    const result = await kit().collect(aCollectContext({ slot: SLOT }));

    expect(sends(result.observations)[0]).toMatchObject({ opens: 600, clicks: 50 });
  });

  it('follows end_cursor while has_next_page, stopping at sends older than the window', async () => {
    installKitFake(fake, {
      pages: [
        kitBroadcastStatsPage([{ id: 3, sendAt: '2026-03-03T10:00:00Z' }], 'cursor-0'),
        kitBroadcastStatsPage([{ id: 2, sendAt: '2026-02-20T10:00:00Z' }, { id: 1, sendAt: '2026-01-01T10:00:00Z' }], 'cursor-1'),
        kitBroadcastStatsPage([{ id: 0, sendAt: '2025-12-01T10:00:00Z' }]),
      ],
    });

    const result = await kit().collect(aCollectContext({ slot: SLOT }));

    expect(idsOf(result.observations, 'newsletter.send')).toEqual(['3', '2']);
    expect(fake.requestsTo('GET', '/v4/broadcasts/stats').map((r) => r.query.get('after'))).toEqual([null, 'cursor-0']);
  });

  it("reads Kit's plain-text 429 as rate_limited for its 60-second window", async () => {
    installKitFake(fake);
    fake.route('GET', '/v4/subscribers', KIT_RATE_LIMIT);

    const err = await failureOf(kit().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'rate_limited', extra: { resetAt: '2026-03-05T00:01:02.000Z', status: 429 } });
  });

  it('keeps the subscriber count and marks the run partial when the broadcast walk is rate limited', async () => {
    installKitFake(fake);
    fake.route('GET', '/v4/broadcasts/stats', [{ body: kitBroadcastStatsPage([{ id: 3 }], 'cursor-0') }, KIT_RATE_LIMIT]);

    const result = await kit().collect(aCollectContext({ slot: SLOT }));

    expect(result).toMatchObject({ partial: true, pause: { reason: 'rate_limited', until: '2026-03-05T00:01:02.000Z' } });
    expect(result.observations.map((o) => o.metric)).toEqual(['newsletter.subscribers', 'newsletter.send']);
  });

  it('skips sends with a warning when broadcast stats need a Pro plan (403), keeping the subscriber count', async () => {
    installKitFake(fake);
    fake.route('GET', '/v4/broadcasts/stats', { status: 403, body: { errors: ['This feature requires the Creator Pro plan'] } });
    const ctx = aCollectContext({ slot: SLOT });

    const result = await kit().collect(ctx);

    expect(result.observations.map((o) => o.metric)).toEqual(['newsletter.subscribers']);
    expect(result.partial).toBeUndefined();
    expect(ctx.warnings.map((w) => w.message).join()).toContain('Pro plan');
  });

  it('reports an invalid key (401 with Kit errors) as unauthorized', async () => {
    installKitFake(fake);
    fake.route('GET', '/v4/subscribers', { status: 401, body: KIT_UNAUTHORIZED_BODY });

    const err = await failureOf(kit().collect(aCollectContext({ slot: SLOT })));

    expect(err.code).toBe('unauthorized');
    expect(err.message).toContain('The access token is invalid');
  });

  it('names the missing field when the total count is absent', async () => {
    installKitFake(fake, { subscribers: { subscribers: [], pagination: { has_next_page: false, per_page: 1 } } });

    const err = await failureOf(kit().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'pagination.total_count' } });
  });

  it('names the missing field when a broadcast lacks emails_opened', async () => {
    const page = kitBroadcastStatsPage([{ id: 3 }]) as { broadcasts: { stats: Record<string, unknown> }[] };
    delete page.broadcasts[0].stats.emails_opened;
    installKitFake(fake, { pages: [page] });

    const err = await failureOf(kit().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'broadcasts.0.stats.emails_opened' } });
  });
});

describeTransportContract('Kit', {
  fake: () => fake,
  install: (f) => installKitFake(f),
  firstRequest: ['GET', '/v4/subscribers', kitSubscribersBody()],
  build: (o) => createKitSource({ apiKey: API_KEY }, { baseUrl: fake.url, ...o }),
  secrets: [API_KEY],
});
