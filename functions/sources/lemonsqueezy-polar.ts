/**
 * Lemon Squeezy and Polar (REST via axios): revenue sources of the same kind as Stripe, writing the same
 * observations so revenue.net_per_day / revenue.mrr_growth_per_day read whichever is configured. Both
 * are merchants of record: their fees are not in the data read here, so net = gross − refunds.
 *
 * - Days: the complete UTC days before the slot; `backfillDays` on a first run (the collector passes the
 *   last successful slot), then `revisitDays` again (refunds change past days). Every day of the range is
 *   written per currency seen (zeros included), keyed by day: re-reading is idempotent.
 * - Lemon Squeezy: `GET /v1/orders?filter[store_id]=S&page[size]=100&page[number]=N` (JSON:API), newest
 *   first (UNSURE: the docs do not promise an order, so the walk continues until `links.next` is absent or
 *   a whole page is older than the range). revenue.gross = Σ `total` of orders with status `paid`,
 *   `refunded` or `partial_refund` by `created_at` day, per `currency`; revenue.net = gross − Σ
 *   `refunded_amount`. revenue.active_subscriptions: `meta.page.total` of
 *   `GET /v1/subscriptions?filter[store_id]=S&filter[status]=active&page[size]=1`. No MRR (it would need a
 *   price lookup per subscription) and no new customers (orders do not say whether a customer paid before).
 * - Polar: one `GET /v1/metrics/?start_date&end_date&interval=day&timezone=UTC&organization_id&metrics=…`:
 *   revenue.gross = `revenue`, revenue.net = `net_revenue` per period (cents, in the configured
 *   `currency`: UNSURE which currency Polar reports in; it is the organisation's), and the latest
 *   period's `monthly_recurring_revenue` and `active_subscriptions` as snapshots at the slot.
 */
import * as z from '../domain/zod-mini';
import type { Observation } from '../domain/observation';
import { DAY_MS, daysToRead } from './day-range';
import { createHttpClient } from './http-client';
import { SourceError, type CollectContext, type Credentials, type Source } from './source';

export const LEMON_SQUEEZY_BASE_URL = 'https://api.lemonsqueezy.com';
export const POLAR_BASE_URL = 'https://api.polar.sh';
/** Pages of orders per run (10,000 orders); beyond, the run is partial. */
const MAX_ORDER_PAGES = 100;

export interface RevenueRestOptions {
  baseUrl?: string;
  backfillDays?: number;
  revisitDays?: number;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
}

/** The complete UTC days to read, [from, to) in epoch ms. */
function dayRange(ctx: CollectContext, options: RevenueRestOptions): { from: number; to: number } {
  return daysToRead(ctx, options.backfillDays ?? 90, options.revisitDays ?? 7);
}

/** Gross and net per day of [from, to) for each currency in `byCurrency` (cents → major units), zeros included. */
function revenueDays(byCurrency: ReadonlyMap<string, Map<number, { gross: number; net: number }>>, range: { from: number; to: number }, source: string): Observation[] {
  const out: Observation[] = [];
  for (const [currency, days] of byCurrency) {
    for (let day = range.from; day < range.to; day += DAY_MS) {
      const at = new Date(day).toISOString();
      const d = days.get(day) ?? { gross: 0, net: 0 };
      out.push({ metric: 'revenue.gross', at, value: d.gross / 100, currency, source }, { metric: 'revenue.net', at, value: d.net / 100, currency, source });
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------- Lemon Squeezy

const LemonOrdersSchema = z.object({
  data: z.array(z.object({
    id: z.string().check(z.minLength(1)),
    attributes: z.object({
      currency: z.string().check(z.regex(/^[A-Za-z]{3}$/)),
      total: z.number().check(z.int(), z.nonnegative()),
      refunded_amount: z.optional(z.number().check(z.int(), z.nonnegative())),
      status: z.string().check(z.minLength(1)),
      /** ISO 8601 with microseconds (`2024-05-02T10:11:12.000000Z`). */
      created_at: z.string().check(z.refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 time')),
    }),
  })),
  links: z.optional(z.object({ next: z.optional(z.nullable(z.string())) })),
});
const LemonPageTotalSchema = z.object({ meta: z.object({ page: z.object({ total: z.number().check(z.int(), z.nonnegative()) }) }) });

/** Orders that took money (a refund leaves the order counted in gross and subtracted in net). */
const LEMON_PAID = new Set(['paid', 'refunded', 'partial_refund']);

export interface LemonSqueezyOptions extends RevenueRestOptions { storeId?: string }

export function createLemonSqueezySource(credentials: Credentials, options: LemonSqueezyOptions, now: () => Date = () => new Date()): Source {
  return {
    name: 'lemonsqueezy',
    async collect(ctx) {
      if (!credentials.apiKey) throw new SourceError('unauthorized', 'Lemon Squeezy credentials need apiKey (LEMONSQUEEZY_API_KEY)');
      if (!options.storeId) throw new SourceError('bad_request', 'sources.lemonsqueezy.storeId is not set: the store whose orders to read');
      const http = createHttpClient({
        provider: 'Lemon Squeezy', baseUrl: options.baseUrl ?? LEMON_SQUEEZY_BASE_URL, deadline: ctx.deadline,
        headers: { authorization: `Bearer ${credentials.apiKey}`, accept: 'application/vnd.api+json', 'content-type': 'application/vnd.api+json' },
        timeoutMs: options.timeoutMs, retries: options.retries, backoffMs: options.backoffMs, now: () => now().getTime(),
      });
      const range = dayRange(ctx, options);
      const byCurrency = new Map<string, Map<number, { gross: number; net: number }>>();
      let partial = false;
      for (let page = 1; ; page++) {
        if (page > MAX_ORDER_PAGES) { partial = true; break; }
        const body = await http.getJson('/v1/orders', LemonOrdersSchema, {
          query: { 'filter[store_id]': options.storeId, 'page[number]': page, 'page[size]': 100 }, what: `orders page ${page}`,
        });
        let older = 0;
        for (const order of body.data) {
          const at = Date.parse(order.attributes.created_at);
          if (at < range.from) { older++; continue; }
          if (at >= range.to || !LEMON_PAID.has(order.attributes.status)) continue;
          const currency = order.attributes.currency.toLowerCase();
          const days = byCurrency.get(currency) ?? new Map<number, { gross: number; net: number }>();
          byCurrency.set(currency, days);
          const day = Math.floor(at / DAY_MS) * DAY_MS;
          const d = days.get(day) ?? { gross: 0, net: 0 };
          d.gross += order.attributes.total;
          d.net += order.attributes.total - (order.attributes.refunded_amount ?? 0);
          days.set(day, d);
        }
        if (!body.links?.next || body.data.length === 0 || older === body.data.length) break;
      }
      const active = await http.getJson('/v1/subscriptions', LemonPageTotalSchema, {
        query: { 'filter[store_id]': options.storeId, 'filter[status]': 'active', 'page[size]': 1 }, what: 'active subscriptions',
      });
      const observations = [
        ...revenueDays(byCurrency, range, 'lemonsqueezy'),
        { metric: 'revenue.active_subscriptions', at: ctx.slot, value: active.meta.page.total, source: 'lemonsqueezy' } as Observation,
      ];
      return { observations, requests: http.requests, ...(partial && { partial }) };
    },
  };
}

// --------------------------------------------------------------------------------------------- Polar

const cents = z.optional(z.nullable(z.number()));
const PolarMetricsSchema = z.object({
  periods: z.array(z.object({
    timestamp: z.iso.datetime({ offset: true }),
    revenue: cents,
    net_revenue: cents,
    monthly_recurring_revenue: cents,
    active_subscriptions: z.optional(z.nullable(z.number().check(z.int(), z.nonnegative()))),
  })),
});
const POLAR_METRICS = ['revenue', 'net_revenue', 'monthly_recurring_revenue', 'active_subscriptions'];

export interface PolarOptions extends RevenueRestOptions { organizationId?: string; currency?: string }

export function createPolarSource(credentials: Credentials, options: PolarOptions, now: () => Date = () => new Date()): Source {
  return {
    name: 'polar',
    async collect(ctx) {
      if (!credentials.accessToken) throw new SourceError('unauthorized', 'Polar credentials need accessToken (an organization access token, polar_oat_…, with metrics:read)');
      const http = createHttpClient({
        provider: 'Polar', baseUrl: options.baseUrl ?? POLAR_BASE_URL, deadline: ctx.deadline,
        headers: { authorization: `Bearer ${credentials.accessToken}` },
        timeoutMs: options.timeoutMs, retries: options.retries, backoffMs: options.backoffMs, now: () => now().getTime(),
      });
      const range = dayRange(ctx, options);
      const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      const body = await http.getJson('/v1/metrics/', PolarMetricsSchema, {
        query: {
          start_date: isoDay(range.from), end_date: isoDay(range.to - DAY_MS), interval: 'day', timezone: 'UTC',
          ...(options.organizationId && { organization_id: options.organizationId }), metrics: POLAR_METRICS,
        },
        what: 'metrics',
      });
      const currency = options.currency ?? 'usd';
      const days = new Map<number, { gross: number; net: number }>();
      for (const p of body.periods) {
        const day = Math.floor(Date.parse(p.timestamp) / DAY_MS) * DAY_MS;
        if (day >= range.from && day < range.to) days.set(day, { gross: p.revenue ?? 0, net: p.net_revenue ?? p.revenue ?? 0 });
      }
      const observations = revenueDays(new Map([[currency, days]]), range, 'polar');
      const latest = body.periods.at(-1);
      if (latest?.monthly_recurring_revenue != null) observations.push({ metric: 'revenue.mrr', at: ctx.slot, value: latest.monthly_recurring_revenue / 100, currency, source: 'polar' });
      if (latest?.active_subscriptions != null) observations.push({ metric: 'revenue.active_subscriptions', at: ctx.slot, value: latest.active_subscriptions, source: 'polar' });
      return { observations, requests: http.requests };
    },
  };
}
