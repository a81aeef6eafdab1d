/** Contract tests for the Buttondown adapter against a fake Buttondown API speaking the documented bodies. */
import { createButtondownSource } from '../../../functions/sources/buttondown';
import {
  buttondownEmailsPage, buttondownErrorBody, buttondownSubscribersBody, installButtondownFake,
} from '../../fakes/buttondown-fake';
import { aCollectContext, failureOf, idsOf } from '../../fakes/collect-context';
import { FakeServer } from '../../fakes/fake-http-server';
import { describeTransportContract } from '../../fakes/transport-contract';

const API_KEY = 'bd-secret-key-789';
const SLOT = '2026-03-05T00:00:00.000Z';
const NOW = new Date('2026-03-05T00:00:02Z');

let fake: FakeServer;
beforeAll(async () => { fake = await FakeServer.start(); });
afterAll(async () => { await fake.close(); });

const buttondown = () => createButtondownSource({ apiKey: API_KEY }, { baseUrl: fake.url, backoffMs: 5 }, () => NOW);
const sendIds = (observations: { metric: string }[]) => idsOf(observations, 'newsletter.send');

describe('Buttondown adapter', () => {
  it('maps the regular subscriber count and sent emails’ analytics (deliveries, opens, clicks)', async () => {
    installButtondownFake(fake, {
      subscribers: buttondownSubscribersBody(830),
      pages: [buttondownEmailsPage([
        { id: 'em_2', publishDate: '2026-03-04T10:00:00Z', analytics: null },
        { id: 'em_1', publishDate: '2026-03-01T10:00:00Z', analytics: { recipients: 820, deliveries: 815, opens: 400, clicks: 52 } },
      ], 1, 1)],
    });

    const result = await buttondown().collect(aCollectContext({ slot: SLOT }));

    expect(result.observations).toEqual([
      { metric: 'newsletter.subscribers', at: SLOT, value: 830, source: 'buttondown' },
      { metric: 'newsletter.send', id: 'em_1', sentAt: '2026-03-01T10:00:00.000Z', delivered: 815, opens: 400, clicks: 52, at: SLOT, source: 'buttondown' },
    ]);
    const [subs] = fake.requestsTo('GET', '/v1/subscribers');
    expect(subs.headers.authorization).toBe(`Token ${API_KEY}`);
    expect(subs.query.get('type')).toBe('regular');
    const [emails] = fake.requestsTo('GET', '/v1/emails');
    expect(Object.fromEntries(emails.query)).toEqual({ status: 'sent', ordering: '-publish_date' });
  });

  it('follows next pages until it reaches emails older than the window', async () => {
    installButtondownFake(fake, {
      pages: [
        buttondownEmailsPage([{ id: 'em_3', publishDate: '2026-03-03T10:00:00Z' }], 1, 3),
        buttondownEmailsPage([{ id: 'em_2', publishDate: '2026-02-10T10:00:00Z' }, { id: 'em_1', publishDate: '2026-01-10T10:00:00Z' }], 2, 3),
        buttondownEmailsPage([{ id: 'em_0', publishDate: '2025-12-10T10:00:00Z' }], 3, 3),
      ],
    });

    const result = await buttondown().collect(aCollectContext({ slot: SLOT }));

    expect(sendIds(result.observations)).toEqual(['em_3', 'em_2']);
    expect(fake.requestsTo('GET', '/v1/emails').map((r) => r.query.get('page'))).toEqual([null, '2']);
  });

  it('honours a short Retry-After once, then succeeds', async () => {
    installButtondownFake(fake);
    fake.route('GET', '/v1/subscribers', [{ status: 429, body: buttondownErrorBody('rate_limited', 'Request was throttled.'), headers: { 'retry-after': '1' } }, { body: buttondownSubscribersBody(5) }]);

    const result = await buttondown().collect(aCollectContext({ slot: SLOT }));

    expect(result.observations[0]).toMatchObject({ value: 5 });
    expect(fake.requestsTo('GET', '/v1/subscribers')).toHaveLength(2);
  });

  it('reports a long Retry-After as rate_limited until then, without waiting', async () => {
    installButtondownFake(fake);
    fake.route('GET', '/v1/subscribers', { status: 429, body: buttondownErrorBody('rate_limited', 'Request was throttled. Expected available in 60 seconds.'), headers: { 'retry-after': '60' } });

    const err = await failureOf(buttondown().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'rate_limited', extra: { resetAt: '2026-03-05T00:01:02.000Z' } });
    // Without waiting: the 429 is not retried after its 60 s (a wait would end in this test's time limit).
    expect(fake.requestsTo('GET', '/v1/subscribers')).toHaveLength(1);
  });

  it('keeps what was read when a later page is throttled (partial)', async () => {
    installButtondownFake(fake);
    fake.route('GET', '/v1/emails', [
      { body: buttondownEmailsPage([{ id: 'em_3', publishDate: '2026-03-03T10:00:00Z' }], 1, 2) },
      { status: 429, body: buttondownErrorBody('rate_limited', 'Request was throttled.'), headers: { 'retry-after': '60' } },
    ]);

    const result = await buttondown().collect(aCollectContext({ slot: SLOT }));

    expect(result).toMatchObject({ partial: true, pause: { reason: 'rate_limited' } });
    expect(sendIds(result.observations)).toEqual(['em_3']);
  });

  it('names the missing field when analytics lack deliveries', async () => {
    const page = buttondownEmailsPage([{ id: 'em_1' }], 1, 1) as { results: { analytics: Record<string, number> }[] };
    delete page.results[0].analytics.deliveries;
    installButtondownFake(fake, { pages: [page] });

    const err = await failureOf(buttondown().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'results.0.analytics.deliveries' } });
  });

  it('names the missing field when the subscriber count is absent', async () => {
    installButtondownFake(fake, { subscribers: { results: [] } });

    const err = await failureOf(buttondown().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'count' } });
  });
});

describeTransportContract('Buttondown', {
  fake: () => fake,
  install: (f) => installButtondownFake(f),
  firstRequest: ['GET', '/v1/subscribers', buttondownSubscribersBody()],
  build: (o) => createButtondownSource({ apiKey: API_KEY }, { baseUrl: fake.url, ...o }),
  secrets: [API_KEY],
});
