/** Contract tests for the Mailchimp adapter against a fake Marketing API speaking the documented bodies. */
import { createMailchimpSource, mailchimpDataCenter } from '../../../functions/sources/mailchimp';
import { aCollectContext, failureOf } from '../../fakes/collect-context';
import { FakeServer } from '../../fakes/fake-http-server';
import {
  installMailchimpFake, MAILCHIMP_API_KEY, MAILCHIMP_LIST_ID, mailchimpListBody, mailchimpProblem, mailchimpReportsPage,
} from '../../fakes/mailchimp-fake';
import { describeTransportContract } from '../../fakes/transport-contract';

const SLOT = '2026-03-05T00:00:00.000Z';
const NOW = new Date('2026-03-05T00:00:02Z');

let fake: FakeServer;
beforeAll(async () => { fake = await FakeServer.start(); });
afterAll(async () => { await fake.close(); });

const mailchimp = () => createMailchimpSource({ apiKey: MAILCHIMP_API_KEY }, { listId: MAILCHIMP_LIST_ID, baseUrl: fake.url, backoffMs: 5 }, () => NOW);
const sends = (observations: { metric: string }[]) => observations.filter((o) => o.metric === 'newsletter.send');

describe('Mailchimp adapter', () => {
  it('maps member_count and campaign reports: delivered = sent − bounces, unique opens and clicks', async () => {
    installMailchimpFake(fake, {
      list: mailchimpListBody(1500),
      pages: [mailchimpReportsPage([{ id: '42694e9e57', sendTime: '2026-03-01T10:00:00+00:00', emailsSent: 1480, hard: 5, soft: 3, uniqueOpens: 620, uniqueClicks: 75 }])],
    });

    const result = await mailchimp().collect(aCollectContext({ slot: SLOT }));

    expect(result.observations).toEqual([
      { metric: 'newsletter.subscribers', at: SLOT, value: 1500, source: 'mailchimp', account: MAILCHIMP_LIST_ID },
      { metric: 'newsletter.send', id: '42694e9e57', sentAt: '2026-03-01T10:00:00.000Z', delivered: 1472, opens: 620, clicks: 75, at: SLOT, source: 'mailchimp', account: MAILCHIMP_LIST_ID },
    ]);
    const [list] = fake.requestsTo('GET', '/3.0/lists/:id');
    expect(list.params.listId).toBe(MAILCHIMP_LIST_ID);
    expect(list.headers.authorization).toBe(`Basic ${Buffer.from(`verdict:${MAILCHIMP_API_KEY}`).toString('base64')}`);
    const [reports] = fake.requestsTo('GET', '/3.0/reports');
    expect(reports.query.get('since_send_time')).toBe('2026-02-03T00:00:00.000Z');
  });

  it('pages by offset until total_items, keeping only the configured audience', async () => {
    const page = (ids: string[], listId = MAILCHIMP_LIST_ID) => ids.map((id) => ({ id, listId }));
    installMailchimpFake(fake, {
      pages: [
        mailchimpReportsPage([...page(Array.from({ length: 49 }, (_, i) => `c${i}`)), { id: 'other', listId: 'otherlist' }], 60),
        mailchimpReportsPage(page(Array.from({ length: 10 }, (_, i) => `d${i}`)), 60),
      ],
    });

    const result = await mailchimp().collect(aCollectContext({ slot: SLOT }));

    expect(sends(result.observations)).toHaveLength(59);
    expect(fake.requestsTo('GET', '/3.0/reports').map((r) => r.query.get('offset'))).toEqual(['0', '50']);
  });

  it('reports a 429 (problem+json, no reset header) as rate_limited for a minute', async () => {
    installMailchimpFake(fake);
    fake.route('GET', '/3.0/lists/:id', { status: 429, body: mailchimpProblem(429, 'Too Many Requests', 'You have exceeded the limit of 10 simultaneous connections.'), headers: { 'content-type': 'application/problem+json' } });

    const err = await failureOf(mailchimp().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'rate_limited', extra: { resetAt: '2026-03-05T00:01:02.000Z' } });
  });

  it('reports an unknown audience (404 problem) as bad_request with Mailchimp’s detail', async () => {
    installMailchimpFake(fake);
    fake.route('GET', '/3.0/lists/:id', { status: 404, body: mailchimpProblem(404, 'Resource Not Found', 'The requested resource could not be found.') });

    const err = await failureOf(mailchimp().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'bad_request', extra: { status: 404 } });
    expect(err.message).toContain('could not be found');
  });

  it('names the missing field when a report lacks unique clicks', async () => {
    const page = mailchimpReportsPage([{ id: 'c1' }]) as { reports: { clicks: Record<string, unknown> }[] };
    delete page.reports[0].clicks.unique_clicks;
    installMailchimpFake(fake, { pages: [page] });

    const err = await failureOf(mailchimp().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'reports.0.clicks.unique_clicks' } });
  });

  it('takes the data center from the API key suffix', () => {
    expect(mailchimpDataCenter('0123abcd-us21')).toBe('us21');
    expect(mailchimpDataCenter('nodc')).toBeUndefined();
  });

  it('fails clearly when no audience is configured', async () => {
    const err = await failureOf(createMailchimpSource({ apiKey: MAILCHIMP_API_KEY }, { baseUrl: fake.url }).collect(aCollectContext()));

    expect(err.message).toContain('sources.mailchimp.listId');
  });
});

describeTransportContract('Mailchimp', {
  fake: () => fake,
  install: (f) => installMailchimpFake(f),
  firstRequest: ['GET', '/3.0/lists/:id', mailchimpListBody()],
  build: (o) => createMailchimpSource({ apiKey: MAILCHIMP_API_KEY }, { listId: MAILCHIMP_LIST_ID, baseUrl: fake.url, ...o }),
  secrets: [MAILCHIMP_API_KEY, Buffer.from(`verdict:${MAILCHIMP_API_KEY}`).toString('base64')],
});
