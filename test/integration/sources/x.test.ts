/**
 * Contract tests for the X adapter: the real twitter-api-v2 client against a local fake X API
 * speaking the documented bodies — counts from /2/users/me, per-post metrics from the timeline,
 * rate windows vs the monthly cap, auth errors, retries, timeouts and schema drift.
 */
import { createXSource, type XSourceOptions } from '../../../functions/sources/x';
import { aCollectContext, failureOf, idsOf } from '../../fakes/collect-context';
import { FakeServer } from '../../fakes/fake-http-server';
import {
  installXFake, X_FORBIDDEN_BODY, X_RATE_LIMIT_BODY, X_RATE_LIMIT_V1_BODY, X_UNAUTHORIZED_BODY, X_USAGE_CAP_BODY, X_USER_ID,
  xMeBody, xRateLimitHeaders, xTimelinePage,
} from '../../fakes/x-fake';

const CREDS = { appKey: 'app-key', appSecret: 'app-secret', accessToken: 'access-token', accessSecret: 'access-secret' };
const NOW = new Date('2026-03-05T06:00:03Z');

let fake: FakeServer;
beforeAll(async () => { fake = await FakeServer.start(); });
afterAll(async () => { await fake.close(); });

function xSource(options: XSourceOptions = {}, now: Date = NOW) {
  return createXSource(CREDS, { apiBaseUrl: fake.url, backoffMs: 5, ...options }, () => now);
}

describe('X adapter: counts and recent posts', () => {
  it('maps v2.me counts and timeline public metrics to x.followers, x.posts and x.post at the slot', async () => {
    installXFake(fake, { pages: [xTimelinePage([{ id: '1460323737035677698', created_at: '2026-03-01T10:00:00.000Z', impressions: 5432, likes: 234, replies: 12, reposts: 50, quotes: 5 }])] });

    const result = await xSource().collect(aCollectContext());

    expect(result.partial).toBeUndefined();
    expect(result.observations).toEqual([
      { metric: 'x.followers', at: '2026-03-05T06:00:00.000Z', value: 583423, source: 'x', account: 'dev' },
      { metric: 'x.posts', at: '2026-03-05T06:00:00.000Z', value: 14052, source: 'x', account: 'dev' },
      {
        metric: 'x.post', id: '1460323737035677698', publishedAt: '2026-03-01T10:00:00.000Z',
        impressions: 5432, likes: 234, replies: 12, reposts: 50, quotes: 5, at: '2026-03-05T06:00:00.000Z', source: 'x', account: 'dev',
      },
    ]);
    expect(result.requests).toBe(2);
  });

  it('asks frugally: user context, public metrics only, own posts of the last 7 days, at most timelineMaxPosts', async () => {
    installXFake(fake);

    await xSource({ timelineMaxPosts: 20 }).collect(aCollectContext());

    const [me] = fake.requestsTo('GET', '/2/users/me');
    expect(me.headers.authorization).toMatch(/^OAuth /);
    expect(me.query.get('user.fields')).toBe('public_metrics');
    const [timeline] = fake.requestsTo('GET', '/2/users/:id/tweets');
    expect(timeline.params.id).toBe(X_USER_ID);
    expect(timeline.query.get('tweet.fields')).toBe('created_at,public_metrics,text');
    expect(timeline.query.get('max_results')).toBe('20');
    expect(timeline.query.get('exclude')).toBe('retweets,replies');
    expect(timeline.query.get('start_time')).toBe('2026-02-26T06:00:00.000Z');
  });

  it('records the variant markers in a post\'s text (configurable prefixes), never the text', async () => {
    installXFake(fake, { pages: [xTimelinePage([
      { id: '11', text: 'Shipping log day 12 #V-raw #buildinpublic' },
      { id: '12', text: 'How we cut cold starts !pv-polished and #v-polished' },
      { id: '13', text: 'no markers here, not even ab#v-raw' },
    ])] });

    const result = await xSource({ markerPrefixes: ['#v-', '!pv-'] }).collect(aCollectContext());
    const posts = result.observations.filter((o) => o.metric === 'x.post');

    expect(posts.map((o) => (o as { markers?: string[] }).markers)).toEqual([['#v-raw'], ['#v-polished', '!pv-polished'], undefined]);
    expect(JSON.stringify(posts)).not.toContain('Shipping log');
  });

  it('accepts post_count in place of tweet_count', async () => {
    installXFake(fake, { me: xMeBody({ post_count: 99 }) });

    const result = await xSource().collect(aCollectContext());

    expect(result.observations).toContainEqual(expect.objectContaining({ metric: 'x.posts', value: 99 }));
  });

  it('stores counts with no posts when the window holds none (X omits data)', async () => {
    installXFake(fake, { pages: [xTimelinePage([])] });

    const result = await xSource().collect(aCollectContext());

    expect(result.observations.map((o) => o.metric)).toEqual(['x.followers', 'x.posts']);
  });
});

describe('X adapter: timeline pagination', () => {
  it('follows next_token until no more pages', async () => {
    installXFake(fake, { pages: [xTimelinePage([{ id: '3' }, { id: '2' }], 'page-1'), xTimelinePage([{ id: '1' }])] });

    const result = await xSource().collect(aCollectContext());

    expect(idsOf(result.observations, 'x.post')).toEqual(['3', '2', '1']);
    const pages = fake.requestsTo('GET', '/2/users/:id/tweets');
    expect(pages).toHaveLength(2);
    expect(pages[1].query.get('pagination_token')).toBe('page-1');
    expect(result.partial).toBeUndefined();
  });

  it('stops at timelineMaxPosts without reading further pages (each post read is billed)', async () => {
    installXFake(fake, { pages: [xTimelinePage([{ id: '9' }, { id: '8' }, { id: '7' }, { id: '6' }, { id: '5' }], 'page-1'), xTimelinePage([{ id: '4' }])] });

    const result = await xSource({ timelineMaxPosts: 5 }).collect(aCollectContext());

    expect(result.observations.filter((o) => o.metric === 'x.post')).toHaveLength(5);
    expect(fake.requestsTo('GET', '/2/users/:id/tweets')).toHaveLength(1);
    expect(fake.requestsTo('GET', '/2/users/:id/tweets')[0].query.get('max_results')).toBe('5');
  });

  it('keeps the posts read so far, marks the run partial and pauses when a later page is rate limited', async () => {
    const reset = Math.floor(Date.parse('2026-03-05T06:15:00Z') / 1000);
    installXFake(fake);
    fake.route('GET', '/2/users/:id/tweets', [
      { body: xTimelinePage([{ id: '3' }, { id: '2' }], 'page-1'), headers: xRateLimitHeaders(reset, 5) },
      { status: 429, body: X_RATE_LIMIT_BODY, headers: xRateLimitHeaders(reset, 0) },
    ]);

    const ctx = aCollectContext();
    const result = await xSource().collect(ctx);

    expect(result.partial).toBe(true);
    expect(result.pause).toEqual({ reason: 'rate_limited', until: '2026-03-05T06:15:00.000Z' });
    expect(result.observations.filter((o) => o.metric === 'x.post')).toHaveLength(2);
    expect(ctx.warnings[0].message).toContain('cut short');
  });

  it('does not ask for the next page when the last one said no requests remain', async () => {
    const reset = Math.floor(Date.parse('2026-03-05T06:15:00Z') / 1000);
    installXFake(fake);
    fake.route('GET', '/2/users/:id/tweets', { body: xTimelinePage([{ id: '3' }], 'page-1'), headers: xRateLimitHeaders(reset, 0) });

    const result = await xSource().collect(aCollectContext());

    expect(fake.requestsTo('GET', '/2/users/:id/tweets')).toHaveLength(1);
    expect(result).toMatchObject({ partial: true, pause: { reason: 'rate_limited', until: '2026-03-05T06:15:00.000Z' } });
  });

  it('keeps counts and posts but pauses until next month when the timeline hits the monthly cap', async () => {
    installXFake(fake);
    fake.route('GET', '/2/users/:id/tweets', { status: 429, body: X_USAGE_CAP_BODY });

    const result = await xSource().collect(aCollectContext());

    expect(result).toMatchObject({ partial: true, pause: { reason: 'usage_capped', until: '2026-04-01T00:00:00.000Z' } });
    expect(result.observations.map((o) => o.metric)).toEqual(['x.followers', 'x.posts']);
  });
});

describe('X adapter: failures', () => {
  it('reports a rate window with the reset time from x-rate-limit-reset', async () => {
    const reset = Math.floor(Date.parse('2026-03-05T06:15:00Z') / 1000);
    installXFake(fake);
    fake.route('GET', '/2/users/me', { status: 429, body: X_RATE_LIMIT_BODY, headers: xRateLimitHeaders(reset, 0, 75) });

    const err = await failureOf(xSource().collect(aCollectContext()));

    expect(err).toMatchObject({ code: 'rate_limited', extra: { resetAt: '2026-03-05T06:15:00.000Z', status: 429 } });
    expect(fake.requestsTo('GET', '/2/users/me')).toHaveLength(1);
  });

  it('reads the older v1 rate-limit body (code 88) as a rate window too', async () => {
    installXFake(fake);
    fake.route('GET', '/2/users/me', { status: 429, body: X_RATE_LIMIT_V1_BODY });

    const err = await failureOf(xSource().collect(aCollectContext()));

    expect(err.code).toBe('rate_limited');
    expect(err.extra?.resetAt).toBe('2026-03-05T06:15:03.000Z'); // no header: X's 15-minute window
  });

  it('tells the monthly UsageCapExceeded apart from a rate window', async () => {
    installXFake(fake);
    fake.route('GET', '/2/users/me', { status: 429, body: X_USAGE_CAP_BODY, headers: xRateLimitHeaders(Math.floor(NOW.getTime() / 1000) + 60, 0) });

    const err = await failureOf(xSource().collect(aCollectContext()));

    expect(err).toMatchObject({ code: 'usage_capped', extra: { resetAt: '2026-04-01T00:00:00.000Z' } });
  });

  it.each([
    [401, X_UNAUTHORIZED_BODY],
    [403, X_FORBIDDEN_BODY],
  ])('reports %s as unauthorized without leaking credentials', async (status, body) => {
    installXFake(fake);
    fake.route('GET', '/2/users/me', { status, body });

    const err = await failureOf(xSource().collect(aCollectContext()));

    expect(err).toMatchObject({ code: 'unauthorized', extra: { status } });
    expect(JSON.stringify({ message: err.message, extra: err.extra })).not.toMatch(/access-token|access-secret|app-secret/);
  });

  it('retries a 500 with backoff and then succeeds', async () => {
    installXFake(fake);
    fake.route('GET', '/2/users/me', [{ status: 500, body: { title: 'Internal Server Error' } }, { body: xMeBody() }]);

    const result = await xSource().collect(aCollectContext());

    expect(fake.requestsTo('GET', '/2/users/me')).toHaveLength(2);
    expect(result.observations[0]).toMatchObject({ metric: 'x.followers', value: 583423 });
  });

  it('gives up after the retries with upstream_error', async () => {
    installXFake(fake);
    fake.route('GET', '/2/users/me', { status: 503, body: { title: 'Service Unavailable' } });

    const err = await failureOf(xSource({ retries: 2 }).collect(aCollectContext()));

    expect(err).toMatchObject({ code: 'upstream_error', extra: { status: 503 } });
    expect(fake.requestsTo('GET', '/2/users/me')).toHaveLength(3);
  });

  it('times out a request that does not answer', async () => {
    installXFake(fake);
    fake.route('GET', '/2/users/me', { body: xMeBody(), delayMs: 1_000 });

    const err = await failureOf(xSource({ timeoutMs: 100, retries: 1 }).collect(aCollectContext()));

    expect(err.code).toBe('timeout');
    expect(fake.requestsTo('GET', '/2/users/me')).toHaveLength(2);
  });

  it('reports a body that is not JSON as malformed_response', async () => {
    installXFake(fake);
    fake.route('GET', '/2/users/me', { body: '{"data": {"id": ', headers: { 'content-type': 'application/json' } });

    const err = await failureOf(xSource().collect(aCollectContext()));

    expect(err.code).toBe('malformed_response');
  });

  it('names the missing field on schema drift in /2/users/me', async () => {
    installXFake(fake, { me: { data: { id: X_USER_ID, username: 'dev', public_metrics: { following_count: 1, tweet_count: 3 } } } });

    const err = await failureOf(xSource().collect(aCollectContext()));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'data.public_metrics.followers_count' } });
  });

  it('fails the whole run (nothing stored) when a timeline post lacks a documented metric', async () => {
    const page = xTimelinePage([{ id: '1' }]) as { data: { public_metrics: Record<string, number> }[] };
    delete page.data[0].public_metrics.impression_count;
    installXFake(fake, { pages: [page] });

    const err = await failureOf(xSource().collect(aCollectContext()));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'data.0.public_metrics.impression_count' } });
  });

  it('reports a dropped connection as a network error after retrying', async () => {
    installXFake(fake);
    fake.route('GET', '/2/users/me', { destroy: true });

    const err = await failureOf(xSource({ retries: 1 }).collect(aCollectContext()));

    expect(err.code).toBe('network_error');
    expect(fake.requestsTo('GET', '/2/users/me')).toHaveLength(2);
  });
});
