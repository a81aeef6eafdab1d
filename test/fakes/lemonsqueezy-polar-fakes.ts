/**
 * Fake Lemon Squeezy API (JSON:API) and fake Polar API, speaking the documented shapes below
 * (../../../shared/api-contracts.md §2a and §2b, state of late 2026).
 *
 * ## Lemon Squeezy — base https://api.lemonsqueezy.com/v1/
 * | Item | Value |
 * |---|---|
 * | Headers | `Accept: application/vnd.api+json`, `Content-Type: application/vnd.api+json`, `Authorization: Bearer {api_key}` |
 * | Orders | `GET /v1/orders?filter[store_id]=S&page[number]=N&page[size]=100` → `data[]` of `{type:"orders", id, attributes}` |
 * | Order attributes | `store_id, customer_id, order_number, user_email, currency, subtotal, discount_total, tax, total, total_usd, refunded_amount` (cents), `status` (`pending|failed|paid|refunded|partial_refund|fraudulent`), `refunded`, `created_at` (ISO 8601, microseconds), `test_mode` |
 * | Subscriptions | `GET /v1/subscriptions?filter[store_id]=S&filter[status]=active&page[size]=1` → `meta.page.total` |
 * | Pagination | `meta.page.{currentPage,from,lastPage,perPage,to,total}`, `links.{first,last,next?,prev?}` — stop when `links.next` is absent |
 * | Rate limit | 300 calls/min; `X-Ratelimit-Limit`, `X-Ratelimit-Remaining`; 429 (body UNSURE) |
 * | Errors | `{"errors":[{"status","title","detail"}]}` |
 * Order (newest first here; UNSURE whether the API promises an order):
 * `{"type":"orders","id":"1542","attributes":{"store_id":1,"currency":"USD","total":999,"total_usd":999,"refunded_amount":0,"status":"paid","created_at":"2024-05-02T10:11:12.000000Z"}}`
 *
 * ## Polar — base https://api.polar.sh/v1 (sandbox https://sandbox-api.polar.sh/v1)
 * | Item | Value |
 * |---|---|
 * | Auth | `Authorization: Bearer polar_oat_…` (scope `metrics:read`) |
 * | Metrics | `GET /v1/metrics/?start_date=YYYY-MM-DD&end_date=YYYY-MM-DD&interval=day&timezone=UTC&organization_id=…&metrics=…` |
 * | Response | `{periods:[{timestamp, orders, revenue, net_revenue, active_subscriptions, new_subscriptions, monthly_recurring_revenue, …}], totals:{…}, metrics:{<slug>:{slug,display_name,type}}}`; currency metrics in cents, each optional/nullable |
 * | Rate limit | 500 req/min per organisation; 429 with `Retry-After` (body UNSURE) |
 * | Errors | `{"error":"ResourceNotFound","detail":"…"}`; 401 `{"error":"Unauthorized","detail":"…"}`; 422 `{"detail":[…]}` |
 */
import type { FakeResponse, FakeServer, RecordedRequest } from './fake-http-server';

const DAY_MS = 86_400_000;

export interface LemonOrderFixture { id: string; createdAt: string; total: number; refunded?: number; status?: string; currency?: string }

export const LEMON_UNAUTHORIZED: FakeResponse = { status: 401, body: { jsonapi: { version: '1.0' }, errors: [{ detail: 'Unauthenticated.', status: '401', title: 'Unauthorized' }] } };
export const LEMON_RATE_LIMIT: FakeResponse = { status: 429, body: { errors: [{ status: '429', title: 'Too Many Requests' }] }, headers: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'retry-after': '60' } };

function lemonOrder(o: LemonOrderFixture, storeId: number) {
  return {
    type: 'orders', id: o.id,
    attributes: {
      store_id: storeId, customer_id: 88, identifier: `id-${o.id}`, order_number: Number(o.id), user_name: 'A', user_email: 'a@example.com',
      currency: o.currency ?? 'USD', currency_rate: '1.0000', subtotal: o.total, setup_fee: 0, discount_total: 0, tax: 0, total: o.total, total_usd: o.total,
      refunded_amount: o.refunded ?? 0, refunded_amount_usd: o.refunded ?? 0, status: o.status ?? 'paid', refunded: (o.refunded ?? 0) > 0,
      refunded_at: null, created_at: o.createdAt, updated_at: o.createdAt, test_mode: false,
    },
    relationships: {}, links: { self: `https://api.lemonsqueezy.com/v1/orders/${o.id}` },
  };
}

/** Serves `orders` newest first in pages of `page[size]`, and `activeSubscriptions` as the subscriptions total. */
export function installLemonSqueezyFake(server: FakeServer, fixture: { storeId?: string; orders: LemonOrderFixture[]; activeSubscriptions: number }, apiKey = 'lemon-key'): FakeServer {
  server.clear();
  const storeId = fixture.storeId ?? '1';
  const authorized = (req: RecordedRequest) => req.headers.authorization === `Bearer ${apiKey}` && req.headers.accept === 'application/vnd.api+json';
  server.route('GET', '/v1/orders', (req): FakeResponse => {
    if (!authorized(req)) return LEMON_UNAUTHORIZED;
    const size = Number(req.query.get('page[size]') ?? 10);
    const page = Number(req.query.get('page[number]') ?? 1);
    const orders = req.query.get('filter[store_id]') === storeId ? [...fixture.orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) : [];
    const lastPage = Math.max(1, Math.ceil(orders.length / size));
    const link = (n: number) => `https://api.lemonsqueezy.com/v1/orders?page%5Bnumber%5D=${n}&page%5Bsize%5D=${size}`;
    return {
      headers: { 'content-type': 'application/vnd.api+json', 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '299' },
      body: {
        meta: { page: { currentPage: page, from: (page - 1) * size + 1, lastPage, perPage: size, to: Math.min(orders.length, page * size), total: orders.length } },
        jsonapi: { version: '1.0' },
        links: { first: link(1), last: link(lastPage), ...(page < lastPage && { next: link(page + 1) }), ...(page > 1 && { prev: link(page - 1) }) },
        data: orders.slice((page - 1) * size, page * size).map((o) => lemonOrder(o, Number(storeId))),
      },
    };
  });
  server.route('GET', '/v1/subscriptions', (req): FakeResponse => {
    if (!authorized(req)) return LEMON_UNAUTHORIZED;
    const total = req.query.get('filter[status]') === 'active' && req.query.get('filter[store_id]') === storeId ? fixture.activeSubscriptions : 0;
    return { headers: { 'content-type': 'application/vnd.api+json' }, body: { meta: { page: { currentPage: 1, from: 1, lastPage: total, perPage: 1, to: 1, total } }, links: {}, data: [] } };
  });
  return server;
}

export interface PolarDayFixture { revenue: number; netRevenue: number; mrr: number; activeSubscriptions: number }

export const POLAR_UNAUTHORIZED: FakeResponse = { status: 401, body: { error: 'Unauthorized', detail: 'Invalid or expired token' } };

/** Serves GET /v1/metrics/ for [start_date, end_date] by day from `days` (YYYY-MM-DD → values; absent days are zeros). */
export function installPolarFake(server: FakeServer, days: Record<string, PolarDayFixture>, token = 'polar_oat_test'): FakeServer {
  server.clear();
  server.route('GET', '/v1/metrics/', (req): FakeResponse => {
    if (req.headers.authorization !== `Bearer ${token}`) return POLAR_UNAUTHORIZED;
    const start = Date.parse(`${req.query.get('start_date')}T00:00:00Z`);
    const end = Date.parse(`${req.query.get('end_date')}T00:00:00Z`);
    if (Number.isNaN(start) || Number.isNaN(end) || req.query.get('interval') !== 'day') return { status: 422, body: { detail: [{ loc: ['query', 'start_date'], msg: 'invalid', type: 'value_error' }] } };
    const wanted = req.query.getAll('metrics');
    const periods = [];
    for (let t = start; t <= end; t += DAY_MS) {
      const d = days[new Date(t).toISOString().slice(0, 10)] ?? { revenue: 0, netRevenue: 0, mrr: 0, activeSubscriptions: 0 };
      const all: Record<string, number> = { orders: d.revenue > 0 ? 1 : 0, revenue: d.revenue, net_revenue: d.netRevenue, monthly_recurring_revenue: d.mrr, active_subscriptions: d.activeSubscriptions, new_subscriptions: 0 };
      periods.push({ timestamp: new Date(t).toISOString().replace('.000Z', 'Z'), ...Object.fromEntries(Object.entries(all).filter(([k]) => wanted.length === 0 || wanted.includes(k))) });
    }
    return { body: { periods, totals: {}, metrics: Object.fromEntries(wanted.map((slug) => [slug, { slug, display_name: slug, type: slug === 'active_subscriptions' ? 'scalar' : 'currency' }])) } };
  });
  return server;
}
