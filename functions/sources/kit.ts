/**
 * Kit (ConvertKit) API v4: active subscriber total (newsletter.subscribers) and per-broadcast stats
 * of recent sends (newsletter.send). Broadcast stats need a Pro plan: a 403 there skips the sends
 * (with a warning) and keeps the subscriber count.
 *
 * Kit reports unique opens as a count (emails_opened) but unique clicks only as a rate. The rate's
 * scale (0–1 or 0–100) is not guessed: it is calibrated against the open rate, whose count is known
 * (open_rate ÷ emails_opened/recipients). When that is impossible (no opens), a rate above 1 can only
 * be a percentage; otherwise total_clicks (an upper bound of unique clicks) is used and a warning logged.
 */
import * as z from '../domain/zod-mini';
import type { Observation } from '../domain/observation';
import { createHttpClient } from './http-client';
import { walkPages, walkResultFields, windowStart } from './page-walk';
import { SourceError, type Credentials, type Source } from './source';
import { DEFAULT_SEND_WINDOW_DAYS } from './beehiiv';

export const KIT_BASE_URL = 'https://api.kit.com';
const PAGE_SIZE = 100;
const MAX_PAGES = 3;

const count = z.number().check(z.int(), z.nonnegative());
/** Kit's rates are UNSURE in scale (and may be null for unsent broadcasts): read defensively, never as the count. */
const rate = z.pipe(z.nullable(z.number().check(z.nonnegative())), z.transform((r) => r ?? 0));

const SubscriberTotalSchema = z.object({ pagination: z.object({ total_count: count }) });

const BroadcastStatsSchema = z.object({
  recipients: count,
  open_rate: rate,
  emails_opened: count,
  click_rate: rate,
  total_clicks: count,
  status: z.string(),
});

const BroadcastStatsPageSchema = z.object({
  broadcasts: z.array(z.object({
    id: z.union([z.number().check(z.int()), z.string().check(z.minLength(1))]),
    send_at: z.optional(z.nullable(z.string())),
    stats: BroadcastStatsSchema,
  })),
  pagination: z.object({ has_next_page: z.boolean(), end_cursor: z.optional(z.nullable(z.string())) }),
});

export interface KitSourceOptions {
  baseUrl?: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  sendWindowDays?: number;
}

/** Statuses of a broadcast that has gone out (fully or in progress). */
const SENT_STATUSES = new Set(['completed', 'sending', 'sent']);

/**
 * Unique clicks of one broadcast from Kit's rate, with the rate's scale calibrated on the open pair.
 * Returns undefined when the scale cannot be known.
 */
export function kitUniqueClicks(stats: { recipients: number; open_rate: number; emails_opened: number; click_rate: number; total_clicks: number }): number | undefined {
  const { recipients, open_rate, emails_opened, click_rate, total_clicks } = stats;
  if (recipients === 0 || click_rate === 0) return 0;
  let scale: 1 | 100 | undefined;
  if (emails_opened > 0 && open_rate > 0) {
    const ratio = open_rate / (emails_opened / recipients);
    if (Math.abs(ratio - 100) / 100 < 0.05) scale = 100;
    else if (Math.abs(ratio - 1) < 0.05) scale = 1;
  }
  if (!scale && click_rate > 1) scale = 100;
  if (!scale) return undefined;
  const unique = Math.round((click_rate / scale) * recipients);
  return Math.min(unique, total_clicks > 0 ? total_clicks : unique, recipients);
}

export function createKitSource(credentials: Credentials, options: KitSourceOptions = {}, now: () => Date = () => new Date()): Source {
  return {
    name: 'kit',
    async collect(ctx) {
      if (!credentials.apiKey) throw new SourceError('unauthorized', 'Kit credentials need apiKey');
      const http = createHttpClient({
        provider: 'Kit', baseUrl: options.baseUrl ?? KIT_BASE_URL, deadline: ctx.deadline,
        headers: { 'x-kit-api-key': credentials.apiKey },
        timeoutMs: options.timeoutMs, retries: options.retries, backoffMs: options.backoffMs, now: () => now().getTime(),
        // Kit's 429 is plain text with no reset header; its window is 60 seconds.
        rateLimitWindowMs: 60_000,
      });

      const total = await http.getJson('/v4/subscribers', SubscriberTotalSchema, {
        query: { status: 'active', per_page: 1, include_total_count: true }, what: 'subscriber total',
      });
      const observations: Observation[] = [{ metric: 'newsletter.subscribers', at: ctx.slot, value: total.pagination.total_count, source: 'kit' }];

      const since = windowStart(ctx.slot, options.sendWindowDays ?? DEFAULT_SEND_WINDOW_DAYS);
      let plan403 = false;
      const walk = await walkPages<Observation>(async (push) => {
        let after: string | undefined;
        for (let page = 1; page <= MAX_PAGES; page++) {
          let body: z.output<typeof BroadcastStatsPageSchema>;
          try {
            body = await http.getJson('/v4/broadcasts/stats', BroadcastStatsPageSchema, { query: { per_page: PAGE_SIZE, after }, what: `broadcast stats page ${page}` });
          } catch (err) {
            if (err instanceof SourceError && err.code === 'unauthorized' && err.extra.status === 403) { plan403 = true; return; }
            throw err;
          }
          let reachedOlder = false;
          const sends: Observation[] = [];
          for (const b of body.broadcasts) {
            const sentAt = b.send_at ? Date.parse(b.send_at) : Number.NaN;
            if (!Number.isNaN(sentAt) && sentAt < since) { reachedOlder = true; continue; }
            if (!SENT_STATUSES.has(b.stats.status) || b.stats.recipients === 0) continue;
            let clicks = kitUniqueClicks(b.stats);
            if (clicks === undefined) {
              ctx.log.warn('Kit click rate scale unknown: using total clicks as unique clicks', { source: 'kit', broadcast: String(b.id) });
              clicks = Math.min(b.stats.total_clicks, b.stats.recipients);
            }
            sends.push({
              metric: 'newsletter.send', id: String(b.id), ...(!Number.isNaN(sentAt) && { sentAt: new Date(sentAt).toISOString() }),
              delivered: b.stats.recipients, opens: b.stats.emails_opened, clicks, at: ctx.slot, source: 'kit',
            });
          }
          push(sends);
          if (reachedOlder || !body.pagination.has_next_page || !body.pagination.end_cursor) return;
          after = body.pagination.end_cursor;
        }
      }, now, 60_000);
      if (plan403) ctx.log.warn('Kit broadcast stats answered 403 (needs a Pro plan): sends skipped', { source: 'kit' });
      observations.push(...walk.items);
      return { observations, requests: http.requests, ...walkResultFields('kit', walk, ctx.log) };
    },
  };
}
