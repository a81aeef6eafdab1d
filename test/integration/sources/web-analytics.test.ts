/** Contract tests for the Plausible (Stats API v2) and Umami adapters against fakes speaking their documented bodies. */
import { createPlausibleSource, createUmamiSource, DEFAULT_AI_REFERRERS } from '../../../functions/sources/web-analytics';
import { aCollectContext, failureOf } from '../../fakes/collect-context';
import { FakeServer } from '../../fakes/fake-http-server';
import { describeTransportContract } from '../../fakes/transport-contract';
import { aSiteTraffic, installPlausibleFake, installUmamiFake, PLAUSIBLE_PAYMENT_REQUIRED, PLAUSIBLE_RATE_LIMIT } from '../../fakes/web-analytics-fakes';

const SLOT = '2026-03-03T00:00:00.000Z';
const WEBSITE_ID = '4fb7fa4c-5b46-438d-94b3-3a8fb9bc2e8b';

let fake: FakeServer;
beforeAll(async () => { fake = await FakeServer.start(); });
afterAll(async () => { await fake.close(); });

const series = (observations: { metric: string }[], metric: string) =>
  observations.filter((o) => o.metric === metric).map((o) => {
    const x = o as unknown as { at: string; value: number; site: string };
    return [x.at.slice(0, 10), x.site, x.value];
  });

const plausible = (options: Partial<Parameters<typeof createPlausibleSource>[1]> = {}) =>
  createPlausibleSource({ apiKey: 'plausible-key' }, { baseUrl: fake.url, sites: ['verdict.dev'], backfillDays: 3, backoffMs: 5, ...options });
const umami = (credentials: Record<string, string> = { apiKey: 'umami-key' }) =>
  createUmamiSource(credentials, { baseUrl: fake.url, websites: [{ id: WEBSITE_ID, site: 'verdict.dev' }], backfillDays: 3, backoffMs: 5 });

describe('Plausible adapter', () => {
  it('writes visitors and AI-referred visitors for every day of the range, zeros where Plausible omits a day', async () => {
    installPlausibleFake(fake, aSiteTraffic());

    const result = await plausible().collect(aCollectContext({ slot: SLOT }));

    expect(series(result.observations, 'traffic.visitors')).toEqual([['2026-02-28', 'verdict.dev', 0], ['2026-03-01', 'verdict.dev', 120], ['2026-03-02', 'verdict.dev', 95]]);
    expect(series(result.observations, 'traffic.ai_referred_visitors')).toEqual([['2026-02-28', 'verdict.dev', 0], ['2026-03-01', 'verdict.dev', 8], ['2026-03-02', 'verdict.dev', 1]]);
  });

  it('queries by time:day over inclusive dates with the Stats API key, filtering on the configured AI referrers', async () => {
    installPlausibleFake(fake, aSiteTraffic());

    await plausible().collect(aCollectContext({ slot: SLOT }));

    const [all, ai] = fake.requestsTo('POST', '/api/v2/query');
    expect(all.headers.authorization).toBe('Bearer plausible-key');
    expect(all.json).toEqual({ site_id: 'verdict.dev', date_range: ['2026-02-28', '2026-03-02'], metrics: ['visitors'], dimensions: ['time:day'] });
    expect(ai.json).toMatchObject({ filters: [['or', [['contains', 'visit:referrer', [...DEFAULT_AI_REFERRERS]], ['contains', 'visit:utm_source', [...DEFAULT_AI_REFERRERS]]]]] });
  });

  it('re-reads only the recent days after a successful run, and the same days give the same observations', async () => {
    installPlausibleFake(fake, aSiteTraffic());

    const first = await plausible({ backfillDays: 30, revisitDays: 2 }).collect(aCollectContext({ slot: SLOT }));
    const later = await plausible({ backfillDays: 30, revisitDays: 2 }).collect(aCollectContext({ slot: SLOT, lastSuccessfulSlot: '2026-03-02T00:00:00.000Z' }));

    expect(first.observations).toHaveLength(60);
    expect(series(later.observations, 'traffic.visitors')).toEqual(series(first.observations, 'traffic.visitors').slice(-2));
  });

  it('records the documented 429 as rate_limited and a plan without the Stats API (402) as bad_request', async () => {
    installPlausibleFake(fake, aSiteTraffic());
    fake.route('POST', '/api/v2/query', PLAUSIBLE_RATE_LIMIT);
    expect((await failureOf(plausible().collect(aCollectContext({ slot: SLOT })))).code).toBe('rate_limited');

    fake.route('POST', '/api/v2/query', PLAUSIBLE_PAYMENT_REQUIRED);
    expect(await failureOf(plausible().collect(aCollectContext({ slot: SLOT })))).toMatchObject({ code: 'bad_request', extra: { status: 402 } });
  });

  it('reports a renamed results field as schema_mismatch', async () => {
    installPlausibleFake(fake, aSiteTraffic());
    fake.route('POST', '/api/v2/query', { body: { rows: [] } });

    expect((await failureOf(plausible().collect(aCollectContext({ slot: SLOT })))).code).toBe('schema_mismatch');
  });
});

describe('Umami adapter', () => {
  it('reads sessions per day (unique visitors) and sums the AI referrers, on Umami Cloud with an API key', async () => {
    installUmamiFake(fake, aSiteTraffic(), { [WEBSITE_ID]: 'verdict.dev' });

    const result = await umami().collect(aCollectContext({ slot: SLOT }));

    expect(series(result.observations, 'traffic.visitors')).toEqual([['2026-02-28', 'verdict.dev', 0], ['2026-03-01', 'verdict.dev', 120], ['2026-03-02', 'verdict.dev', 95]]);
    expect(series(result.observations, 'traffic.ai_referred_visitors')).toEqual([['2026-02-28', 'verdict.dev', 0], ['2026-03-01', 'verdict.dev', 8], ['2026-03-02', 'verdict.dev', 1]]);
    const [first, ...perReferrer] = fake.requestsTo('GET', '/websites/:id/pageviews');
    expect(Object.fromEntries(first.query)).toEqual({ startAt: String(Date.UTC(2026, 1, 28)), endAt: String(Date.UTC(2026, 2, 3) - 1), unit: 'day', timezone: 'UTC' });
    expect(perReferrer.map((r) => r.query.get('referrer'))).toEqual([...DEFAULT_AI_REFERRERS]);
  });

  it('logs in to a self-hosted Umami with username and password, then uses the bearer token', async () => {
    installUmamiFake(fake, aSiteTraffic(), { [WEBSITE_ID]: 'verdict.dev' }, { username: 'admin', password: 'umami-pass' });

    const result = await umami({ username: 'admin', password: 'umami-pass' }).collect(aCollectContext({ slot: SLOT }));

    expect(result.observations).toHaveLength(6);
    expect(fake.requestsTo('GET', '/websites/:id/pageviews')[0].headers.authorization).toBe('Bearer umami-session-token');
  });

  it('reports a wrong password as unauthorized, without the password', async () => {
    installUmamiFake(fake, aSiteTraffic(), { [WEBSITE_ID]: 'verdict.dev' }, { username: 'admin', password: 'right' });

    const err = await failureOf(umami({ username: 'admin', password: 'wrong-password' }).collect(aCollectContext({ slot: SLOT })));

    expect(err.code).toBe('unauthorized');
    expect(err.message).not.toContain('wrong-password');
  });

  it('needs an API key or a login', async () => {
    expect((await failureOf(umami({}).collect(aCollectContext({ slot: SLOT })))).code).toBe('unauthorized');
  });
});

describeTransportContract('Plausible', {
  fake: () => fake,
  install: (f) => installPlausibleFake(f, aSiteTraffic()),
  firstRequest: ['POST', '/api/v2/query', { results: [{ dimensions: ['2026-03-01'], metrics: [3] }], meta: {}, query: {} }],
  build: ({ timeoutMs, retries, backoffMs }) => createPlausibleSource({ apiKey: 'plausible-key' }, { baseUrl: fake.url, sites: ['verdict.dev'], backfillDays: 3, timeoutMs, retries, backoffMs }),
  secrets: ['plausible-key'],
  laterRequestsToFirstRoute: 1,
});

describeTransportContract('Umami', {
  fake: () => fake,
  install: (f) => installUmamiFake(f, aSiteTraffic(), { [WEBSITE_ID]: 'verdict.dev' }),
  firstRequest: ['GET', '/websites/:id/pageviews', { pageviews: [{ x: '2026-03-01 00:00:00', y: 9 }], sessions: [{ x: '2026-03-01 00:00:00', y: 3 }] }],
  build: ({ timeoutMs, retries, backoffMs }) => createUmamiSource({ apiKey: 'umami-key' }, { baseUrl: fake.url, websites: [{ id: WEBSITE_ID, site: 'verdict.dev' }], backfillDays: 3, timeoutMs, retries, backoffMs }),
  secrets: ['umami-key'],
  laterRequestsToFirstRoute: DEFAULT_AI_REFERRERS.length,
});
