/**
 * Fake Stripe API v1 (the adapter's base URL points here): list
 * endpoints for balance transactions, charges (optionally `expand[]=data.customer`, filtered by
 * `customer`) and subscriptions (`status=active`, `expand[]=data.discounts`), filtered by `created[gte]` /
 * `created[lt]`, newest first, paged with `limit` + `starting_after` and `has_more` — the documented list
 * envelope `{ object: "list", url, has_more, data }`. Errors use Stripe's `{ error: { type, message } }`
 * body with a `Request-Id` header; a 429 carries no `code` (API versions after 2015-09-08).
 * Shapes follow ../../../shared/api-contracts.md §2 (BalanceTransaction, Charge, Subscription, Price, Discount).
 */
import type { FakeResponse, FakeServer, RecordedRequest } from './fake-http-server';

export interface StripeBalanceFixture { id: string; created: number; amount: number; fee?: number; currency?: string; reportingCategory?: string }
export interface StripeChargeFixture { id: string; created: number; customer: string | null; customerCreated?: number; paid?: boolean; status?: string; amount?: number; currency?: string }
export interface StripeSubscriptionFixture {
  id: string; currency?: string; status?: string;
  items: { unitAmount: number | null; quantity?: number; interval: 'day' | 'week' | 'month' | 'year'; intervalCount?: number }[];
  /** Coupon on the subscription, as an expanded Discount with `source.coupon` (API ≥ 2025-09-30). */
  coupon?: { percentOff?: number; amountOff?: number };
}

export interface StripeData {
  balance: StripeBalanceFixture[];
  charges: StripeChargeFixture[];
  subscriptions: StripeSubscriptionFixture[];
}

export function balanceTransaction(b: StripeBalanceFixture): Record<string, unknown> {
  const fee = b.fee ?? (b.reportingCategory === undefined || b.reportingCategory === 'charge' ? Math.round(b.amount * 0.029 + 30) : 0);
  const currency = b.currency ?? 'usd';
  return {
    id: b.id, object: 'balance_transaction', amount: b.amount, available_on: b.created + 7 * 86_400, balance_type: 'payments',
    created: b.created, currency, description: 'Subscription creation', exchange_rate: null, fee,
    fee_details: fee ? [{ amount: fee, application: null, currency, description: 'Stripe processing fees', type: 'stripe_fee' }] : [],
    net: b.amount - fee, reporting_category: b.reportingCategory ?? 'charge', source: `ch_${b.id}`, status: 'available', type: b.reportingCategory ?? 'charge',
  };
}

export function charge(c: StripeChargeFixture, expandCustomer: boolean): Record<string, unknown> {
  const customer = c.customer && expandCustomer
    ? { id: c.customer, object: 'customer', created: c.customerCreated ?? c.created - 60, email: `${c.customer}@example.com` }
    : c.customer;
  return {
    id: c.id, object: 'charge', amount: c.amount ?? 2900, amount_captured: c.amount ?? 2900, amount_refunded: 0, balance_transaction: `txn_${c.id}`,
    created: c.created, currency: c.currency ?? 'usd', customer, invoice: null, paid: c.paid ?? true, refunded: false, status: c.status ?? 'succeeded',
  };
}

export function subscription(s: StripeSubscriptionFixture): Record<string, unknown> {
  const currency = s.currency ?? 'usd';
  return {
    id: s.id, object: 'subscription', status: s.status ?? 'active', currency, created: 1_700_000_000, start_date: 1_700_000_000,
    cancel_at_period_end: false, canceled_at: null, ended_at: null, trial_end: null, customer: `cus_${s.id}`,
    discounts: s.coupon ? [{ id: `di_${s.id}`, object: 'discount', source: { type: 'coupon', coupon: { id: 'SAVE', object: 'coupon', percent_off: s.coupon.percentOff ?? null, amount_off: s.coupon.amountOff ?? null, currency: s.coupon.amountOff ? currency : null, duration: 'forever' } } }] : [],
    items: {
      object: 'list', has_more: false, url: `/v1/subscription_items?subscription=${s.id}`,
      data: s.items.map((i, n) => ({
        id: `si_${s.id}_${n}`, object: 'subscription_item', quantity: i.quantity ?? 1, current_period_start: 1_700_000_000, current_period_end: 1_702_592_000, discounts: [],
        price: {
          id: `price_${n}`, object: 'price', unit_amount: i.unitAmount, unit_amount_decimal: i.unitAmount === null ? null : String(i.unitAmount), currency, billing_scheme: 'per_unit', type: 'recurring',
          recurring: { interval: i.interval, interval_count: i.intervalCount ?? 1, usage_type: 'licensed' },
        },
      })),
    },
  };
}

export const STRIPE_RATE_LIMIT: FakeResponse = {
  status: 429, headers: { 'request-id': 'req_rate' },
  body: { error: { type: 'invalid_request_error', message: 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.' } },
};
export const STRIPE_UNAUTHORIZED: FakeResponse = {
  status: 401, headers: { 'request-id': 'req_auth' }, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided: rk_test_***********************key' } },
};
export const STRIPE_PERMISSION: FakeResponse = {
  status: 403, headers: { 'request-id': 'req_perm' },
  body: { error: { type: 'invalid_request_error', message: 'The provided key \'rk_test_***key\' does not have the required permissions for this endpoint. Having the \'rak_balance_transaction_source_read\' permission would allow this request to continue.' } },
};

/** Filters by created[gte]/created[lt] (and customer), sorts newest first, pages by starting_after. */
function listPage<T extends { id: string; created?: number }>(req: RecordedRequest, path: string, all: readonly T[], render: (item: T) => Record<string, unknown>, extra?: (item: T) => boolean): FakeResponse {
  const q = req.query;
  const gte = q.get('created[gte]');
  const lt = q.get('created[lt]');
  const limit = Math.min(100, Number(q.get('limit') ?? 10));
  let items = all.filter((i) => (gte === null || (i.created ?? 0) >= Number(gte)) && (lt === null || (i.created ?? 0) < Number(lt)) && (extra?.(i) ?? true));
  items = [...items].sort((a, b) => (b.created ?? 0) - (a.created ?? 0) || b.id.localeCompare(a.id));
  const after = q.get('starting_after');
  if (after) {
    const at = items.findIndex((i) => i.id === after);
    if (at < 0) return { status: 400, body: { error: { type: 'invalid_request_error', message: `No such object: '${after}'`, param: 'starting_after' } } };
    items = items.slice(at + 1);
  }
  const page = items.slice(0, limit);
  return { headers: { 'request-id': `req_${path.replace(/\W/g, '')}` }, body: { object: 'list', url: path, has_more: items.length > limit, data: page.map(render) } };
}

/** Query keys of an `expand` array as the client sends them (`expand[0]=…` or `expand[]=…`). */
function expands(req: RecordedRequest): string[] {
  return [...req.query.entries()].filter(([k]) => /^expand\[\d*\]$/.test(k)).map(([, v]) => v);
}

export function installStripeFake(server: FakeServer, data: StripeData): FakeServer {
  server.clear();
  server.route('GET', '/v1/balance_transactions', (req) => listPage(req, '/v1/balance_transactions', data.balance, balanceTransaction));
  server.route('GET', '/v1/charges', (req) => {
    const customer = req.query.get('customer');
    return listPage(req, '/v1/charges', data.charges, (c) => charge(c, expands(req).includes('data.customer')), customer ? (c) => c.customer === customer : undefined);
  });
  server.route('GET', '/v1/subscriptions', (req) => {
    const status = req.query.get('status');
    const rows = data.subscriptions.map((s) => ({ ...s, created: 1_700_000_000 }));
    return listPage(req, '/v1/subscriptions', rows, (s) => subscription(s), status && status !== 'all' ? (s) => (s.status ?? 'active') === status : undefined);
  });
  return server;
}

/** A small account: two days of sales in USD (one refund), one EUR sale, two subscriptions. */
export function aStripeAccount(dayStart: number): StripeData {
  const d = (day: number, hour: number) => dayStart + day * 86_400 + hour * 3_600;
  return {
    balance: [
      { id: 'txn_1', created: d(0, 9), amount: 2900 },
      { id: 'txn_2', created: d(0, 15), amount: 4900 },
      { id: 'txn_3', created: d(1, 10), amount: -2900, fee: 0, reportingCategory: 'refund' },
      { id: 'txn_4', created: d(1, 11), amount: 1000, currency: 'eur' },
      { id: 'txn_5', created: d(1, 20), amount: -7000, fee: 0, reportingCategory: 'payout' },
    ],
    charges: [
      { id: 'ch_1', created: d(0, 9), customer: 'cus_new', customerCreated: d(0, 8) },
      { id: 'ch_2', created: d(0, 15), customer: 'cus_old', customerCreated: d(-400, 0) },
      { id: 'ch_3', created: d(1, 11), customer: 'cus_new', customerCreated: d(0, 8) },
      { id: 'ch_4', created: d(1, 12), customer: 'cus_trial', customerCreated: d(-14, 0) },
      { id: 'ch_5', created: d(1, 13), customer: 'cus_failed', paid: false, status: 'failed' },
      { id: 'ch_0', created: d(-200, 9), customer: 'cus_old' },
    ],
    subscriptions: [
      { id: 'sub_monthly', items: [{ unitAmount: 2900, interval: 'month' }] },
      { id: 'sub_yearly', items: [{ unitAmount: 24000, quantity: 2, interval: 'year' }], coupon: { percentOff: 25 } },
      { id: 'sub_eur', currency: 'eur', items: [{ unitAmount: 1000, interval: 'week', intervalCount: 2 }] },
    ],
  };
}
