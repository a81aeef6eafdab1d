/**
 * Contract tests for the Stripe adapter: the shared HTTP client makes real requests to a fake Stripe API
 * (test/fakes/stripe-fake.ts) speaking the documented list envelope and object shapes.
 */
import { createStripeSource, STRIPE_API_VERSION, type StripeSourceOptions } from '../../../functions/sources/stripe';
import { aCollectContext, failureOf } from '../../fakes/collect-context';
import { FakeServer } from '../../fakes/fake-http-server';
import { aStripeAccount, installStripeFake, STRIPE_PERMISSION, STRIPE_RATE_LIMIT, STRIPE_UNAUTHORIZED, type StripeData } from '../../fakes/stripe-fake';
import { describeTransportContract } from '../../fakes/transport-contract';

const API_KEY = 'rk_test_51Verdict0restricted0key';
/** 2026-03-01T00:00:00Z: the account's first day of sales. */
const DAY0 = Date.UTC(2026, 2, 1) / 1000;
const SLOT = '2026-03-03T00:00:00.000Z';

let fake: FakeServer;
beforeAll(async () => { fake = await FakeServer.start(); });
afterAll(async () => { await fake.close(); });

const stripe = (options: StripeSourceOptions = {}) =>
  createStripeSource({ apiKey: API_KEY }, { baseUrl: fake.url, backfillDays: 3, revisitDays: 2, requestsPerSecond: 90, backoffMs: 5, ...options });
const values = (observations: { metric: string }[], metric: string) =>
  observations.filter((o) => o.metric === metric).map((o) => {
    const x = o as unknown as { at: string; value: number; currency?: string };
    return [x.at.slice(0, 10), x.currency, x.value];
  });

describe('Stripe adapter', () => {
  it('turns balance transactions, charges and active subscriptions into daily revenue, new customers and MRR per currency', async () => {
    installStripeFake(fake, aStripeAccount(DAY0));

    const result = await stripe().collect(aCollectContext({ slot: SLOT }));

    expect(result.partial).toBeUndefined();
    // Net subtracts fees and the refund; the payout is not revenue. Days without sales are zeros, not gaps.
    expect(values(result.observations, 'revenue.gross')).toEqual([
      ['2026-02-28', 'eur', 0], ['2026-02-28', 'usd', 0], ['2026-03-01', 'eur', 0], ['2026-03-01', 'usd', 78], ['2026-03-02', 'eur', 10], ['2026-03-02', 'usd', 0],
    ]);
    expect(values(result.observations, 'revenue.net')).toEqual([
      ['2026-02-28', 'eur', 0], ['2026-02-28', 'usd', 0], ['2026-03-01', 'eur', 0], ['2026-03-01', 'usd', 75.14], ['2026-03-02', 'eur', 9.41], ['2026-03-02', 'usd', -29],
    ]);
    // cus_new joined in the range; cus_trial paid first on day 1 (looked up: no earlier charge); cus_old had paid before.
    expect(values(result.observations, 'revenue.new_customers')).toEqual([['2026-02-28', undefined, 0], ['2026-03-01', undefined, 1], ['2026-03-02', undefined, 1]]);
    // usd: 29/month + 2 × 240/year less 25 % = 59; eur: 10 every two weeks = 21.67/month.
    expect(values(result.observations, 'revenue.mrr')).toEqual([[SLOT.slice(0, 10), 'eur', 21.67], [SLOT.slice(0, 10), 'usd', 59]]);
    expect(values(result.observations, 'revenue.active_subscriptions')).toEqual([[SLOT.slice(0, 10), 'eur', 1], [SLOT.slice(0, 10), 'usd', 2]]);
    expect(result.observations.every((o) => o.source === 'stripe')).toBe(true);
  });

  it('asks with the restricted key for complete UTC days by created, 100 per page, expanding what it reads', async () => {
    installStripeFake(fake, aStripeAccount(DAY0));

    await stripe().collect(aCollectContext({ slot: SLOT }));

    const [balance] = fake.requestsTo('GET', '/v1/balance_transactions');
    expect(balance.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(balance.headers['stripe-version']).toBe(STRIPE_API_VERSION);
    expect(Object.fromEntries(balance.query)).toEqual({ 'created[gte]': String(DAY0 - 86_400), 'created[lt]': String(DAY0 + 2 * 86_400), limit: '100' });
    expect([...fake.requestsTo('GET', '/v1/charges')[0].query.values()]).toContain('data.customer');
    expect(Object.fromEntries(fake.requestsTo('GET', '/v1/subscriptions')[0].query)).toMatchObject({ status: 'active', limit: '100' });
    // One first-payment lookup per customer who existed before the range (cus_old, cus_trial).
    expect(fake.requestsTo('GET', '/v1/charges').map((r) => r.query.get('customer')).filter(Boolean).sort()).toEqual(['cus_old', 'cus_trial']);
  });

  it('backfills the whole window on a first run, and re-reads only the recent days after a successful one', async () => {
    installStripeFake(fake, aStripeAccount(DAY0));

    await stripe({ backfillDays: 30 }).collect(aCollectContext({ slot: SLOT }));
    await stripe({ backfillDays: 30, revisitDays: 2 }).collect(aCollectContext({ slot: SLOT, lastSuccessfulSlot: '2026-03-02T00:00:00.000Z' }));

    expect(fake.requestsTo('GET', '/v1/balance_transactions').map((r) => (Date.parse(SLOT) / 1000 - Number(r.query.get('created[gte]'))) / 86_400)).toEqual([30, 2]);
  });

  it('follows starting_after while has_more', async () => {
    const data: StripeData = { ...aStripeAccount(DAY0), balance: Array.from({ length: 230 }, (_, i) => ({ id: `txn_${String(i).padStart(3, '0')}`, created: DAY0 + i * 60, amount: 100, fee: 0 })) };
    installStripeFake(fake, data);

    const result = await stripe().collect(aCollectContext({ slot: SLOT }));

    expect(fake.requestsTo('GET', '/v1/balance_transactions').map((r) => r.query.get('starting_after'))).toEqual([null, 'txn_130', 'txn_030']);
    expect(values(result.observations, 'revenue.gross').find(([day, currency]) => day === '2026-03-01' && currency === 'usd')).toEqual(['2026-03-01', 'usd', 230]);
  });

  it('writes the same observations when the same days are read again (keyed by day and currency)', async () => {
    installStripeFake(fake, aStripeAccount(DAY0));

    const first = await stripe().collect(aCollectContext({ slot: SLOT }));
    const again = await stripe().collect(aCollectContext({ slot: SLOT }));

    expect(again.observations).toEqual(first.observations);
  });

  it('keeps only the days it read completely when a 429 cuts the walk short, and pauses', async () => {
    const data: StripeData = { ...aStripeAccount(DAY0), balance: Array.from({ length: 150 }, (_, i) => ({ id: `txn_${String(i).padStart(3, '0')}`, created: DAY0 + i * 1_200, amount: 100, fee: 0 })) };
    installStripeFake(fake, data);
    fake.route('GET', '/v1/balance_transactions', [{ body: pageOf(data, 100) }, STRIPE_RATE_LIMIT]);

    const result = await stripe().collect(aCollectContext({ slot: SLOT }));

    expect(result).toMatchObject({ partial: true, pause: { reason: 'rate_limited' } });
    // The first page reached back to 2026-03-01 ~09:00: that day is incomplete, so only 2026-03-02 is written.
    expect(values(result.observations, 'revenue.gross').map(([day, currency]) => `${day} ${currency}`)).toEqual(['2026-03-02 eur', '2026-03-02 usd']);
  });

  it('fails as rate_limited when the first page is refused', async () => {
    installStripeFake(fake, aStripeAccount(DAY0));
    fake.route('GET', '/v1/balance_transactions', STRIPE_RATE_LIMIT);

    const err = await failureOf(stripe().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'rate_limited', extra: { status: 429 } });
  });

  it('reports a key without the permission as unauthorized, naming no key', async () => {
    installStripeFake(fake, aStripeAccount(DAY0));
    fake.route('GET', '/v1/balance_transactions', STRIPE_PERMISSION);

    const err = await failureOf(stripe().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'unauthorized', extra: { status: 403 } });
    expect(err.message).not.toContain(API_KEY);
  });

  it('reports drift in a documented field as schema_mismatch, naming it', async () => {
    installStripeFake(fake, aStripeAccount(DAY0));
    fake.route('GET', '/v1/balance_transactions', { body: { object: 'list', url: '/v1/balance_transactions', has_more: false, data: [{ id: 'txn_1', amount: '29.00', net: 2786, currency: 'usd', created: DAY0, reporting_category: 'charge' }] } });

    const err = await failureOf(stripe().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'data.0.amount' } });
  });

  it('leaves out a day whose new customers it could not resolve, and marks the run partial', async () => {
    installStripeFake(fake, aStripeAccount(DAY0));
    fake.route('GET', '/v1/charges', (req) => (req.query.get('customer') === 'cus_trial' ? STRIPE_RATE_LIMIT : { body: listOf(aStripeAccount(DAY0), req.query) }));

    const result = await stripe().collect(aCollectContext({ slot: SLOT }));

    expect(result.partial).toBe(true);
    expect(values(result.observations, 'revenue.new_customers').map(([day]) => day)).toEqual(['2026-02-28', '2026-03-01']);
  });

  it('needs an API key', async () => {
    const err = await failureOf(createStripeSource({}, { baseUrl: fake.url }).collect(aCollectContext({ slot: SLOT })));

    expect(err.code).toBe('unauthorized');
  });
});

describeTransportContract('Stripe', {
  fake: () => fake,
  install: (f) => installStripeFake(f, aStripeAccount(DAY0)),
  firstRequest: ['GET', '/v1/balance_transactions', { object: 'list', url: '/v1/balance_transactions', has_more: false, data: [] }],
  build: ({ timeoutMs, retries, backoffMs }) => createStripeSource({ apiKey: API_KEY }, { baseUrl: fake.url, timeoutMs, retries, backoffMs, backfillDays: 3 }),
  secrets: [API_KEY],
});

it('the fake answers 401 like Stripe does for a wrong key', () => {
  expect(STRIPE_UNAUTHORIZED.status).toBe(401);
});

/** The first `limit` balance transactions, newest first, as the list endpoint pages them. */
function pageOf(data: StripeData, limit: number): unknown {
  const sorted = [...data.balance].sort((a, b) => b.created - a.created);
  return { object: 'list', url: '/v1/balance_transactions', has_more: sorted.length > limit, data: sorted.slice(0, limit).map((b) => ({ id: b.id, object: 'balance_transaction', amount: b.amount, net: b.amount - (b.fee ?? 0), fee: b.fee ?? 0, currency: b.currency ?? 'usd', created: b.created, reporting_category: b.reportingCategory ?? 'charge', status: 'available', type: 'charge' })) };
}

/** Charges in the query's range (or of its customer), as the fake's list would answer. */
function listOf(data: StripeData, q: URLSearchParams): unknown {
  const customer = q.get('customer');
  const gte = Number(q.get('created[gte]') ?? -Infinity);
  const lt = Number(q.get('created[lt]') ?? Infinity);
  const rows = data.charges.filter((c) => c.created >= gte && c.created < lt && (!customer || c.customer === customer)).sort((a, b) => b.created - a.created);
  return {
    object: 'list', url: '/v1/charges', has_more: false,
    data: rows.map((c) => ({ id: c.id, object: 'charge', created: c.created, paid: c.paid ?? true, status: c.status ?? 'succeeded', customer: c.customer && !customer ? { id: c.customer, created: c.customerCreated ?? c.created - 60 } : c.customer })),
  };
}
