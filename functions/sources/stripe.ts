/**
 * Stripe, through its documented REST list endpoints (api.stripe.com/v1, `Stripe-Version` pinned) with a
 * restricted read-only key: daily gross and net
 * revenue per currency (revenue.gross, revenue.net), customers paying for the first time per day
 * (revenue.new_customers), and monthly recurring revenue / active subscriptions per currency as
 * snapshots (revenue.mrr, revenue.active_subscriptions).
 *
 * - Revenue comes from balance transactions, bucketed by `created` (UTC day), grouped by `currency` (the
 *   settlement currency): gross = Σ amount of `charge` rows; net = Σ net of every row except payouts,
 *   transfers and top-ups — so refunds, disputes and fees are subtracted. Amounts become major units.
 * - A new paying customer is a customer whose first succeeded charge falls on that day; a customer
 *   with an earlier charge than the range is looked up (one request each, at most MAX_LOOKUPS per run;
 *   a day with a customer left unresolved is not written). Charges without a customer are not counted.
 * - MRR: `active` subscriptions; Σ item unit_amount × quantity normalised to a month (day × 365/12,
 *   week × 52/12, year ÷ 12, ÷ interval_count), minus subscription-level percent/amount discounts.
 * - The range is the complete UTC days before the slot: `backfillDays` of them on a first run (the
 *   collector passes the last successful slot), `revisitDays` afterwards. Every day in the range is
 *   written for every currency seen (zeros included), keyed by the day: re-reading is idempotent.
 * - Requests are sequential and spaced to at most `requestsPerSecond`; 5xx answers and dropped connections
 *   are retried with backoff (the shared HTTP client, ./http-client.ts); a walk cut short by a rate
 *   limit, a transient failure or the deadline stores only the days it read completely (partial).
 */
import * as z from '../domain/zod-mini';
import type { Observation } from '../domain/observation';
import { DAY_MS, daysToRead } from './day-range';
import { createHttpClient, type Query } from './http-client';
import { walkPages, walkResultFields } from './page-walk';
import type { SourceBuildOptions } from './registry';
import { SourceError, type CollectContext, type Credentials, type Source, type SourceErrorCode } from './source';

export const STRIPE_BASE_URL = 'https://api.stripe.com';
/**
 * The API version every request is read at (`Stripe-Version`), as stripe-node 23.1 pinned it; the schemas
 * below also accept the older versions' discount shape.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive';

const PAGE_SIZE = 100;
/** Pages per list per run (10,000 objects); beyond, the run is partial. */
const MAX_PAGES = 100;
/** First-payment lookups for customers who paid before the range, per run. */
const MAX_LOOKUPS = 500;
/** Balance rows that move money out of or into the balance without being revenue. */
const NOT_REVENUE = new Set(['payout', 'payout_reversal', 'transfer', 'transfer_reversal', 'topup', 'topup_reversal']);
/** Currencies without minor units (Stripe's list). */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

const list = <T extends z.ZodMiniType>(item: T) => z.object({ object: z.literal('list'), has_more: z.boolean(), data: z.array(item) });

const BalanceTransactionSchema = z.object({
  id: z.string().check(z.minLength(1)),
  amount: z.number().check(z.int()),
  net: z.number().check(z.int()),
  currency: z.string().check(z.regex(/^[a-z]{3}$/)),
  created: z.number().check(z.int()),
  reporting_category: z.string().check(z.minLength(1)),
});

const ChargeSchema = z.object({
  id: z.string().check(z.minLength(1)),
  created: z.number().check(z.int()),
  paid: z.boolean(),
  status: z.string(),
  /** Id, or the expanded Customer (with `created`). */
  customer: z.optional(z.union([z.string(), z.looseObject({ id: z.string(), created: z.number().check(z.int()) }), z.null()])),
});

const CouponSchema = z.looseObject({ percent_off: z.optional(z.nullable(z.number())), amount_off: z.optional(z.nullable(z.number())), currency: z.optional(z.nullable(z.string())) });
/** Discount: `coupon` (API < 2025-09-30) or `source.coupon` (newer); an unexpanded id carries nothing. */
const DiscountSchema = z.union([
  z.string(),
  z.looseObject({ coupon: z.optional(z.nullable(CouponSchema)), source: z.optional(z.looseObject({ coupon: z.optional(z.nullable(z.union([z.string(), CouponSchema]))) })) }),
]);

const SubscriptionSchema = z.object({
  id: z.string().check(z.minLength(1)),
  status: z.string(),
  currency: z.string().check(z.regex(/^[a-z]{3}$/)),
  discounts: z.optional(z.array(DiscountSchema)),
  items: z.object({
    data: z.array(z.object({
      quantity: z.optional(z.nullable(z.number())),
      price: z.object({
        unit_amount: z.nullable(z.number()),
        /** A decimal string on the wire; the client hands it over as its own Decimal type. */
        unit_amount_decimal: z.optional(z.unknown()),
        currency: z.string(),
        recurring: z.nullable(z.object({ interval: z.enum(['day', 'week', 'month', 'year']), interval_count: z.number().check(z.int(), z.positive()) })),
      }),
    })),
  }),
});

export interface StripeSourceOptions {
  /** Origin override for tests, e.g. http://127.0.0.1:4010 (the client keeps its /v1/ paths). */
  baseUrl?: string;
  backfillDays?: number;
  revisitDays?: number;
  requestsPerSecond?: number;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
}

/** The Stripe adapter with the deployment's settings (sources.stripe) and test endpoint overrides. */
export function createStripeSourceFromConfig(credentials: Credentials, options: SourceBuildOptions): Source {
  const { backfillDays, revisitDays, requestsPerSecond } = options.config.sources.stripe;
  return createStripeSource(credentials, { baseUrl: options.endpoints?.stripe, backfillDays, revisitDays, requestsPerSecond }, options.now);
}

export function createStripeSource(credentials: Credentials, options: StripeSourceOptions = {}, now: () => Date = () => new Date()): Source {
  return {
    name: 'stripe',
    async collect(ctx) {
      if (!credentials.apiKey) throw new SourceError('unauthorized', 'stripe credentials need apiKey (a restricted read-only key, rk_…)');
      if (credentials.apiKey.startsWith('sk_')) ctx.log.warn('stripe: a secret key (sk_…) is configured; a restricted read-only key (rk_…) is enough and safer', { source: 'stripe' });
      const api = stripeApi(credentials.apiKey, options, ctx);
      const { from, to: today } = daysToRead(ctx, options.backfillDays ?? 90, options.revisitDays ?? 7);

      const created = { 'created[gte]': from / 1000, 'created[lt]': today / 1000 };

      const balance = await walkPages<z.infer<typeof BalanceTransactionSchema>>((push) =>
        api.walk('balance transactions', '/balance_transactions', { ...created, limit: PAGE_SIZE }, BalanceTransactionSchema, push), now);
      const charges = await walkPages<z.infer<typeof ChargeSchema>>((push) =>
        api.walk('charges', '/charges', { ...created, limit: PAGE_SIZE, 'expand[]': ['data.customer'] }, ChargeSchema, push), now);
      const subscriptions = await walkPages<z.infer<typeof SubscriptionSchema>>((push) =>
        api.walk('subscriptions', '/subscriptions', { status: 'active', limit: PAGE_SIZE, 'expand[]': ['data.discounts'] }, SubscriptionSchema, push), now);

      // Nothing read at all: fail the run (a first page that never answers is a failure, not an empty account).
      if (balance.cutShort && balance.items.length === 0) {
        throw api.lastError ?? new SourceError(balance.cutShort as SourceErrorCode, `stripe balance transactions: ${balance.cutShort} on the first page`, balance.pause ? { resetAt: balance.pause.until } : {});
      }
      const currencies = new Set([...balance.items.map((t) => t.currency), ...subscriptions.items.map((s) => s.currency)]);
      // Newest first: a cut-short walk has read every day after the oldest row it reached, and that day only in part.
      const completeFrom = (walk: { cutShort?: string; items: { created: number }[] }) =>
        walk.cutShort ? Math.floor(((walk.items.at(-1)?.created ?? today / 1000) * 1000) / DAY_MS) * DAY_MS + DAY_MS : from;

      const observations: Observation[] = [
        ...revenueByDay(balance.items, currencies, completeFrom(balance), today),
        ...(await newCustomersByDay(charges.items, completeFrom(charges), today, from, api, ctx)),
      ];
      if (!subscriptions.cutShort) observations.push(...mrrSnapshots(subscriptions.items, currencies, ctx.slot));

      const walks = [balance, charges, subscriptions];
      const cut = walks.find((w) => w.cutShort) ?? (api.lookupsCutShort ? { cutShort: 'lookup_limit', items: [] } : undefined);
      return { observations, requests: api.requests, ...(cut ? walkResultFields('stripe', { ...cut, pause: walks.find((w) => w.pause)?.pause }, ctx.log) : {}) };
    },
  };
}

interface StripeApi {
  readonly requests: number;
  lookupsCutShort: boolean;
  lookups: number;
  /** The last failure, to report when a run read nothing at all. */
  lastError?: SourceError;
  /** One page of a list endpoint (`/v1/charges`), spaced to at most `requestsPerSecond`. */
  page<T extends z.ZodMiniType>(what: string, path: string, query: Query, item: T): Promise<z.output<ReturnType<typeof list<T>>>>;
  walk<T extends z.ZodMiniType>(what: string, path: string, query: Query, item: T, push: (items: readonly z.output<T>[]) => void): Promise<void>;
}

/**
 * Stripe's documented REST list endpoints through the shared HTTP client (timeouts, retries of 5xx and
 * dropped connections within the deadline, 401/403 → unauthorized, 429 → rate_limited, redaction, a body
 * cap, HTTPS_PROXY) rather than the `stripe` package: its client constructs every one of Stripe's ~130
 * resource namespaces, ~240 KB minified that no bundler can drop, for the four list calls made here.
 */
function stripeApi(apiKey: string, options: StripeSourceOptions, ctx: CollectContext): StripeApi {
  const http = createHttpClient({
    provider: 'stripe',
    baseUrl: `${(options.baseUrl ?? STRIPE_BASE_URL).replace(/\/+$/, '')}/v1`,
    headers: { authorization: `Bearer ${apiKey}`, 'stripe-version': STRIPE_API_VERSION },
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 2,
    backoffMs: options.backoffMs ?? 500,
    deadline: ctx.deadline,
    // Stripe's 429 names no reset time (no quota headers): pause the source for a second, never wait in-process.
    rateLimitWindowMs: 1_000,
    maxRateLimitWaitMs: 0,
  });
  const interval = 1000 / (options.requestsPerSecond ?? 20);
  let nextAt = 0;
  const api: StripeApi = {
    get requests() {
      return http.requests;
    },
    lookups: 0,
    lookupsCutShort: false,
    async page(what, path, query, item) {
      const wait = Math.max(0, nextAt - Date.now());
      if (Date.now() + wait >= ctx.deadline) throw new SourceError('timeout', `stripe ${what}: the run's deadline was reached`);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      nextAt = Date.now() + interval;
      try {
        return await http.getJson(path, list(item), { query, what });
      } catch (err) {
        if (err instanceof SourceError) api.lastError = err;
        throw err;
      }
    },
    async walk(what, path, query, item, push) {
      let cursor: string | undefined;
      for (let n = 1; n <= MAX_PAGES; n++) {
        const page = await api.page(`${what} page ${n}`, path, { ...query, starting_after: cursor }, item);
        push(page.data);
        if (!page.has_more || page.data.length === 0) return;
        cursor = (page.data.at(-1) as { id: string }).id;
      }
      throw new SourceError('rate_limited', `stripe ${what}: more than ${MAX_PAGES} pages in one run`, { resetAt: new Date(Date.now() + 60_000).toISOString() });
    },
  };
  return api;
}

function majorUnits(minor: number, currency: string): number {
  const value = ZERO_DECIMAL.has(currency) ? minor : minor / 100;
  return Math.round(value * 100) / 100;
}

const midnight = (ms: number) => new Date(ms).toISOString();

/** Gross and net per currency for each complete day in [from, to), zeros included. */
function revenueByDay(rows: readonly z.infer<typeof BalanceTransactionSchema>[], currencies: ReadonlySet<string>, from: number, to: number): Observation[] {
  const sums = new Map<string, { gross: number; net: number }>();
  for (const t of rows) {
    const day = Math.floor((t.created * 1000) / DAY_MS) * DAY_MS;
    if (day < from || day >= to) continue;
    const key = `${day}#${t.currency}`;
    const s = sums.get(key) ?? { gross: 0, net: 0 };
    if (t.reporting_category === 'charge') s.gross += t.amount;
    if (!NOT_REVENUE.has(t.reporting_category)) s.net += t.net;
    sums.set(key, s);
  }
  const out: Observation[] = [];
  for (let day = from; day < to; day += DAY_MS) {
    for (const currency of [...currencies].sort()) {
      const s = sums.get(`${day}#${currency}`) ?? { gross: 0, net: 0 };
      out.push({ metric: 'revenue.gross', at: midnight(day), value: majorUnits(s.gross, currency), currency, source: 'stripe' } as Observation);
      out.push({ metric: 'revenue.net', at: midnight(day), value: majorUnits(s.net, currency), currency, source: 'stripe' } as Observation);
    }
  }
  return out;
}

/** Customers whose first succeeded charge ever falls on each complete day in [from, to). */
async function newCustomersByDay(
  charges: readonly z.infer<typeof ChargeSchema>[], from: number, to: number, rangeStart: number, api: StripeApi, ctx: CollectContext,
): Promise<Observation[]> {
  const first = new Map<string, { created: number; customerCreated?: number }>();
  for (const c of charges) {
    if (!c.paid || c.status !== 'succeeded' || !c.customer) continue;
    const id = typeof c.customer === 'string' ? c.customer : c.customer.id;
    const prior = first.get(id);
    if (!prior || c.created < prior.created) first.set(id, { created: c.created, customerCreated: typeof c.customer === 'string' ? undefined : c.customer.created });
  }
  const counts = new Map<number, number>();
  const unresolvedDays = new Set<number>();
  for (let day = from; day < to; day += DAY_MS) counts.set(day, 0);
  for (const [customer, f] of first) {
    const day = Math.floor((f.created * 1000) / DAY_MS) * DAY_MS;
    if (!counts.has(day)) continue;
    // Created inside the range: every charge it ever had was read. Otherwise ask whether it paid before.
    let isNew = f.customerCreated !== undefined && f.customerCreated * 1000 >= rangeStart;
    if (!isNew) {
      if (api.lookups >= MAX_LOOKUPS || Date.now() >= ctx.deadline - 1_000) { api.lookupsCutShort = true; unresolvedDays.add(day); continue; }
      api.lookups++;
      try {
        const earlier = await api.page('first-payment lookup', '/charges', { customer, 'created[lt]': f.created, limit: PAGE_SIZE }, ChargeSchema);
        const paidBefore = earlier.data.some((c) => c.paid && c.status === 'succeeded');
        // A full page of failures and more: cannot tell; leave the day out rather than guess.
        if (!paidBefore && earlier.has_more) { unresolvedDays.add(day); continue; }
        isNew = !paidBefore;
      } catch (err) {
        if (err instanceof SourceError && ['rate_limited', 'upstream_error', 'timeout', 'network_error'].includes(err.code)) { api.lookupsCutShort = true; unresolvedDays.add(day); continue; }
        throw err;
      }
    }
    if (isNew) counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return [...counts].filter(([day]) => !unresolvedDays.has(day)).map(([day, value]) => ({ metric: 'revenue.new_customers', at: midnight(day), value, source: 'stripe' }) as Observation);
}

/** Monthly amount of one recurring price, in minor units. */
function monthlyMinor(unitAmount: number, interval: 'day' | 'week' | 'month' | 'year', count: number): number {
  const perInterval = { day: 365 / 12, week: 52 / 12, month: 1, year: 1 / 12 }[interval];
  return (unitAmount * perInterval) / count;
}

/** MRR and active subscriptions per currency, as snapshots at the slot (currencies without any: 0). */
function mrrSnapshots(subscriptions: readonly z.infer<typeof SubscriptionSchema>[], currencies: ReadonlySet<string>, slot: string): Observation[] {
  const mrr = new Map<string, number>();
  const active = new Map<string, number>();
  for (const c of currencies) { mrr.set(c, 0); active.set(c, 0); }
  for (const s of subscriptions) {
    if (s.status !== 'active') continue;
    let monthly = 0;
    for (const item of s.items.data) {
      const recurring = item.price.recurring;
      const unit = item.price.unit_amount ?? (item.price.unit_amount_decimal != null ? Number(String(item.price.unit_amount_decimal)) : undefined);
      if (!recurring || unit === undefined || !Number.isFinite(unit)) continue;
      monthly += monthlyMinor(unit * (item.quantity ?? 1), recurring.interval, recurring.interval_count);
    }
    const interval = s.items.data.find((i) => i.price.recurring)?.price.recurring;
    for (const d of s.discounts ?? []) {
      if (typeof d === 'string') continue;
      const coupon = d.coupon ?? (typeof d.source?.coupon === 'object' ? d.source.coupon : undefined);
      if (!coupon) continue;
      if (coupon.percent_off) monthly *= 1 - coupon.percent_off / 100;
      else if (coupon.amount_off && (!coupon.currency || coupon.currency === s.currency) && interval) monthly -= monthlyMinor(coupon.amount_off, interval.interval, interval.interval_count);
    }
    mrr.set(s.currency, (mrr.get(s.currency) ?? 0) + Math.max(0, monthly));
    active.set(s.currency, (active.get(s.currency) ?? 0) + 1);
  }
  return [...mrr.keys()].sort().flatMap((currency) => [
    { metric: 'revenue.mrr', at: slot, value: majorUnits(mrr.get(currency) ?? 0, currency), currency, source: 'stripe' } as Observation,
    { metric: 'revenue.active_subscriptions', at: slot, value: active.get(currency) ?? 0, currency, source: 'stripe' } as Observation,
  ]);
}
