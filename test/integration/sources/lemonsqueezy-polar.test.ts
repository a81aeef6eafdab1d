/**
 * Contract tests: the Lemon Squeezy and Polar adapters (axios through the shared HTTP client) against
 * local fakes speaking the documented shapes (test/fakes/lemonsqueezy-polar-fakes.ts): daily gross and
 * net revenue per currency like Stripe's, active subscriptions (and Polar's MRR), backfill then revisit,
 * pagination, and the failures that must not become data.
 */
import { createLemonSqueezySource, createPolarSource } from '../../../functions/sources/lemonsqueezy-polar';
import type { CollectContext } from '../../../functions/sources/source';
import { installLemonSqueezyFake, installPolarFake, LEMON_RATE_LIMIT, type LemonOrderFixture } from '../../fakes/lemonsqueezy-polar-fakes';
import { useFakeServer } from '../../fakes/fake-http-server';

const lemon = useFakeServer();
const polar = useFakeServer();

const SLOT = '2026-06-04T00:00:00.000Z';
const ctx = (over: Partial<CollectContext> = {}): CollectContext => ({ slot: SLOT, deadline: Date.now() + 20_000, log: { info: () => {}, warn: () => {} }, ...over });
const fast = { retries: 1, backoffMs: 1 };
const byMetric = (observations: { metric: string; at: string; value: number; currency?: string }[], metric: string) =>
  observations.filter((o) => o.metric === metric).map((o) => `${o.at.slice(0, 10)} ${o.currency ?? ''} ${o.value}`.replace('  ', ' '));

describe('Lemon Squeezy', () => {
  // 130 paid orders of $10 on 2026-06-01 (two pages), one refunded in part on 06-02, one in EUR, one failed, one before the range.
  const orders: LemonOrderFixture[] = [
    ...Array.from({ length: 130 }, (_, i) => ({ id: String(1000 + i), createdAt: `2026-06-01T10:${String(i % 60).padStart(2, '0')}:00.000000Z`, total: 1000 })),
    { id: '2000', createdAt: '2026-06-02T09:00:00.000000Z', total: 5000, refunded: 2000, status: 'partial_refund' },
    { id: '2001', createdAt: '2026-06-03T09:00:00.000000Z', total: 4500, currency: 'EUR' },
    { id: '2002', createdAt: '2026-06-03T10:00:00.000000Z', total: 9999, status: 'failed' },
    { id: '0999', createdAt: '2026-05-01T09:00:00.000000Z', total: 7777 },
  ];

  it('sums paid orders per UTC day and currency, subtracting refunds, across pages', async () => {
    installLemonSqueezyFake(lemon.server, { orders, activeSubscriptions: 42 });
    const source = createLemonSqueezySource({ apiKey: 'lemon-key' }, { storeId: '1', baseUrl: lemon.server.url, backfillDays: 3, ...fast });

    const result = await source.collect(ctx());

    expect(byMetric(result.observations as never, 'revenue.gross').sort()).toEqual([
      '2026-06-01 eur 0', '2026-06-01 usd 1300', '2026-06-02 eur 0', '2026-06-02 usd 50', '2026-06-03 eur 45', '2026-06-03 usd 0',
    ]);
    expect(byMetric(result.observations as never, 'revenue.net').sort()).toEqual([
      '2026-06-01 eur 0', '2026-06-01 usd 1300', '2026-06-02 eur 0', '2026-06-02 usd 30', '2026-06-03 eur 45', '2026-06-03 usd 0',
    ]);
    expect(result.observations.find((o) => o.metric === 'revenue.active_subscriptions')).toEqual({ metric: 'revenue.active_subscriptions', at: SLOT, value: 42, source: 'lemonsqueezy' });
    const pages = lemon.server.requests.filter((r) => r.path === '/v1/orders').map((r) => r.query.get('page[number]'));
    expect(pages).toEqual(['1', '2']);
    expect(result.requests).toBe(3);
  });

  it('reads the backfill on a first run and only the revisit days afterwards', async () => {
    installLemonSqueezyFake(lemon.server, { orders, activeSubscriptions: 1 });
    const source = createLemonSqueezySource({ apiKey: 'lemon-key' }, { storeId: '1', baseUrl: lemon.server.url, backfillDays: 90, revisitDays: 2, ...fast });

    const first = await source.collect(ctx());
    const later = await source.collect(ctx({ lastSuccessfulSlot: '2026-06-03T00:00:00.000Z' }));

    const days = (r: typeof first) => new Set(r.observations.filter((o) => o.metric === 'revenue.gross').map((o) => o.at.slice(0, 10)));
    expect(days(first).size).toBe(90);
    expect(days(first).has('2026-05-01')).toBe(true);
    expect([...days(later)].sort()).toEqual(['2026-06-02', '2026-06-03']);
  });

  it('fails clearly, writing nothing, on a wrong key, a rate limit, schema drift and a missing store id', async () => {
    installLemonSqueezyFake(lemon.server, { orders, activeSubscriptions: 1 });
    const source = (over: Record<string, unknown> = {}, key = 'lemon-key') => createLemonSqueezySource({ apiKey: key }, { storeId: '1', baseUrl: lemon.server.url, ...fast, ...over });

    await expect(source({}, 'wrong').collect(ctx())).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(source({ storeId: undefined }).collect(ctx())).rejects.toMatchObject({ code: 'bad_request' });
    lemon.server.route('GET', '/v1/orders', LEMON_RATE_LIMIT);
    await expect(source().collect(ctx())).rejects.toMatchObject({ code: 'rate_limited' });
    lemon.server.route('GET', '/v1/orders', { body: { data: [{ id: '1', attributes: { grand_total: 5 } }] } });
    await expect(source().collect(ctx())).rejects.toMatchObject({ code: 'schema_mismatch' });
  });
});

describe('Polar', () => {
  const days = {
    '2026-06-01': { revenue: 12_000, netRevenue: 11_000, mrr: 100_000, activeSubscriptions: 30 },
    '2026-06-03': { revenue: 2_500, netRevenue: 2_300, mrr: 102_500, activeSubscriptions: 31 },
  };

  it('writes revenue and net revenue per day from the metrics endpoint, and the latest MRR and subscriptions at the slot', async () => {
    installPolarFake(polar.server, days);
    const source = createPolarSource({ accessToken: 'polar_oat_test' }, { organizationId: 'org_1', currency: 'eur', baseUrl: polar.server.url, backfillDays: 3, ...fast });

    const result = await source.collect(ctx());

    expect(byMetric(result.observations as never, 'revenue.gross')).toEqual(['2026-06-01 eur 120', '2026-06-02 eur 0', '2026-06-03 eur 25']);
    expect(byMetric(result.observations as never, 'revenue.net')).toEqual(['2026-06-01 eur 110', '2026-06-02 eur 0', '2026-06-03 eur 23']);
    expect(result.observations.filter((o) => o.at === SLOT)).toEqual([
      { metric: 'revenue.mrr', at: SLOT, value: 1025, currency: 'eur', source: 'polar' },
      { metric: 'revenue.active_subscriptions', at: SLOT, value: 31, source: 'polar' },
    ]);
    const [request] = polar.server.requests;
    expect(Object.fromEntries([...request.query.entries()].filter(([k]) => k !== 'metrics'))).toEqual({ start_date: '2026-06-01', end_date: '2026-06-03', interval: 'day', timezone: 'UTC', organization_id: 'org_1' });
    expect(request.query.getAll('metrics')).toEqual(['revenue', 'net_revenue', 'monthly_recurring_revenue', 'active_subscriptions']);
    expect(result.requests).toBe(1);
  });

  it('fails clearly on a wrong token and on drift, writing nothing', async () => {
    installPolarFake(polar.server, days);
    const source = (token: string) => createPolarSource({ accessToken: token }, { baseUrl: polar.server.url, ...fast });

    await expect(source('polar_oat_wrong').collect(ctx())).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(createPolarSource({}, { baseUrl: polar.server.url }).collect(ctx())).rejects.toMatchObject({ code: 'unauthorized' });
    polar.server.route('GET', '/v1/metrics/', { body: { periods: [{ timestamp: 'yesterday', revenue: 5 }] } });
    await expect(source('polar_oat_test').collect(ctx())).rejects.toMatchObject({ code: 'schema_mismatch' });
  });
});
