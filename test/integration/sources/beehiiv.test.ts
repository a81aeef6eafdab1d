/**
 * Contract tests for the beehiiv adapter: publication stats and per-post email stats against a fake
 * beehiiv API v2 speaking the documented bodies.
 */
import { createBeehiivSource } from '../../../functions/sources/beehiiv';
import {
  BEEHIIV_PUBLICATION_ID, beehiivErrorBody, beehiivPostsPage, beehiivPublicationBody, beehiivRateLimitHeaders, installBeehiivFake,
} from '../../fakes/beehiiv-fake';
import { aCollectContext, failureOf, idsOf } from '../../fakes/collect-context';
import { FakeServer } from '../../fakes/fake-http-server';
import { describeTransportContract } from '../../fakes/transport-contract';

const API_KEY = 'bh-secret-key-123';
const SLOT = '2026-03-05T00:00:00.000Z';
const DAY = 86_400;
const slotSeconds = Date.parse(SLOT) / 1000;

let fake: FakeServer;
beforeAll(async () => { fake = await FakeServer.start(); });
afterAll(async () => { await fake.close(); });

const NOW = new Date('2026-03-05T00:00:02Z');
const beehiiv = () => createBeehiivSource({ apiKey: API_KEY }, { publicationId: BEEHIIV_PUBLICATION_ID, baseUrl: fake.url, backoffMs: 5 }, () => NOW);

describe('beehiiv adapter', () => {
  it('maps active subscriptions and per-post unique email counts, sending the bearer key', async () => {
    installBeehiivFake(fake, {
      publication: beehiivPublicationBody(4200),
      pages: [beehiivPostsPage([{ id: 'post_a', publishDate: slotSeconds - 2 * DAY, delivered: 4000, uniqueOpens: 1800, uniqueClicks: 240 }], 1, 1)],
    });

    const result = await beehiiv().collect(aCollectContext({ slot: SLOT }));

    expect(result.observations).toEqual([
      { metric: 'newsletter.subscribers', at: SLOT, value: 4200, source: 'beehiiv', account: BEEHIIV_PUBLICATION_ID },
      {
        metric: 'newsletter.send', id: 'post_a', sentAt: new Date((slotSeconds - 2 * DAY) * 1000).toISOString(),
        delivered: 4000, opens: 1800, clicks: 240, at: SLOT, source: 'beehiiv', account: BEEHIIV_PUBLICATION_ID,
      },
    ]);
    const [pub] = fake.requestsTo('GET', '/v2/publications/:id');
    expect(pub.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(pub.query.getAll('expand[]')).toEqual(['stats']);
    const [posts] = fake.requestsTo('GET', '/v2/publications/:id/posts');
    expect(Object.fromEntries(posts.query)).toMatchObject({ 'expand[]': 'stats', status: 'confirmed', platform: 'email', order_by: 'publish_date', direction: 'desc', page: '1' });
  });

  it('walks pages until it reaches posts older than the 30-day window', async () => {
    installBeehiivFake(fake, {
      pages: [
        beehiivPostsPage([{ id: 'post_3', publishDate: slotSeconds - DAY }, { id: 'post_2', publishDate: slotSeconds - 10 * DAY }], 1, 3),
        beehiivPostsPage([{ id: 'post_1', publishDate: slotSeconds - 20 * DAY }, { id: 'post_0', publishDate: slotSeconds - 40 * DAY }], 2, 3),
        beehiivPostsPage([{ id: 'post_old', publishDate: slotSeconds - 60 * DAY }], 3, 3),
      ],
    });

    const result = await beehiiv().collect(aCollectContext({ slot: SLOT }));

    expect(idsOf(result.observations, 'newsletter.send')).toEqual(['post_3', 'post_2', 'post_1']);
    expect(fake.requestsTo('GET', '/v2/publications/:id/posts').map((r) => r.query.get('page'))).toEqual(['1', '2']);
    expect(result.partial).toBeUndefined();
  });

  it('reports a 429 on the first request as rate_limited until RateLimit-Reset', async () => {
    installBeehiivFake(fake);
    fake.route('GET', '/v2/publications/:id', { status: 429, body: beehiivErrorBody(429, 'Too Many Requests', 'Rate limit exceeded'), headers: beehiivRateLimitHeaders(slotSeconds + 60) });

    const err = await failureOf(beehiiv().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'rate_limited', extra: { resetAt: new Date((slotSeconds + 60) * 1000).toISOString(), status: 429 } });
  });

  it('keeps the pages read when a later page is rate limited: partial, paused until the reset', async () => {
    installBeehiivFake(fake, { pages: [beehiivPostsPage([{ id: 'post_3', publishDate: slotSeconds - DAY }], 1, 2)] });
    fake.route('GET', '/v2/publications/:id/posts', [
      { body: beehiivPostsPage([{ id: 'post_3', publishDate: slotSeconds - DAY }], 1, 2) },
      { status: 429, body: beehiivErrorBody(429, 'Too Many Requests', 'Rate limit exceeded'), headers: beehiivRateLimitHeaders(slotSeconds + 60) },
    ]);

    const result = await beehiiv().collect(aCollectContext({ slot: SLOT }));

    expect(result.partial).toBe(true);
    expect(result.pause).toEqual({ reason: 'rate_limited', until: new Date((slotSeconds + 60) * 1000).toISOString() });
    expect(result.observations.map((o) => o.metric)).toEqual(['newsletter.subscribers', 'newsletter.send']);
  });

  it('names the missing field when a post lacks email stats (schema drift), storing nothing', async () => {
    const page = beehiivPostsPage([{ id: 'post_a', publishDate: slotSeconds - DAY }], 1, 1) as { data: { stats: { email: Record<string, number> } }[] };
    delete page.data[0].stats.email.unique_opens;
    installBeehiivFake(fake, { pages: [page] });

    const err = await failureOf(beehiiv().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'data.0.stats.email.unique_opens' } });
  });

  it('names the missing field when publication stats lack active_subscriptions', async () => {
    installBeehiivFake(fake, { publication: { data: { id: BEEHIIV_PUBLICATION_ID, stats: { total_sent: 1 } } } });

    const err = await failureOf(beehiiv().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'data.stats.active_subscriptions' } });
  });

  it('fails clearly when no publication is configured', async () => {
    const err = await failureOf(createBeehiivSource({ apiKey: API_KEY }, { baseUrl: fake.url }).collect(aCollectContext()));

    expect(err.message).toContain('sources.beehiiv.publicationId');
  });
});

describeTransportContract('beehiiv', {
  fake: () => fake,
  install: (f) => installBeehiivFake(f),
  firstRequest: ['GET', '/v2/publications/:id', beehiivPublicationBody()],
  build: (o) => createBeehiivSource({ apiKey: API_KEY }, { publicationId: BEEHIIV_PUBLICATION_ID, baseUrl: fake.url, ...o }),
  secrets: [API_KEY],
});
