/**
 * beehiiv API v2: the publication's active subscriptions (newsletter.subscribers) and per-post email
 * stats of recent sends (newsletter.send). Rates are derived downstream from counts (unique opens and
 * unique clicks over delivered) — beehiiv's own rate fields mix 0–1 and 0–100 scales.
 */
import * as z from '../domain/zod-mini';
import type { Observation } from '../domain/observation';
import { createHttpClient } from './http-client';
import { walkPages, walkResultFields, windowStart } from './page-walk';
import { SourceError, type Credentials, type Source } from './source';

export const BEEHIIV_BASE_URL = 'https://api.beehiiv.com';
const PAGE_SIZE = 50;
const MAX_PAGES = 5;
export const DEFAULT_SEND_WINDOW_DAYS = 30;

const count = z.number().check(z.int(), z.nonnegative());

const PublicationSchema = z.object({
  data: z.object({
    id: z.string(),
    stats: z.object({ active_subscriptions: count }),
  }),
});

const PostsPageSchema = z.object({
  data: z.array(z.object({
    id: z.string().check(z.minLength(1)),
    /** Unix seconds; absent or null for unscheduled posts. */
    publish_date: z.optional(z.nullable(z.number().check(z.int()))),
    stats: z.object({ email: z.object({ delivered: count, unique_opens: count, unique_clicks: count }) }),
  })),
  page: count,
  total_pages: count,
});

export interface BeehiivSourceOptions {
  publicationId?: string;
  baseUrl?: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  sendWindowDays?: number;
}

export function createBeehiivSource(credentials: Credentials, options: BeehiivSourceOptions, now: () => Date = () => new Date()): Source {
  return {
    name: 'beehiiv',
    async collect(ctx) {
      const publicationId = options.publicationId ?? credentials.publicationId;
      if (!publicationId) throw new SourceError('bad_request', 'sources.beehiiv.publicationId is not configured');
      if (!credentials.apiKey) throw new SourceError('unauthorized', 'beehiiv credentials need apiKey');
      const http = createHttpClient({
        provider: 'beehiiv', baseUrl: options.baseUrl ?? BEEHIIV_BASE_URL, deadline: ctx.deadline,
        headers: { authorization: `Bearer ${credentials.apiKey}` },
        timeoutMs: options.timeoutMs, retries: options.retries, backoffMs: options.backoffMs, now: () => now().getTime(),
      });
      const base = `/v2/publications/${encodeURIComponent(publicationId)}`;

      const publication = await http.getJson(base, PublicationSchema, { query: { 'expand[]': 'stats' }, what: 'publication stats' });
      const observations: Observation[] = [
        { metric: 'newsletter.subscribers', at: ctx.slot, value: publication.data.stats.active_subscriptions, source: 'beehiiv', account: publicationId },
      ];

      const since = windowStart(ctx.slot, options.sendWindowDays ?? DEFAULT_SEND_WINDOW_DAYS);
      const walk = await walkPages<Observation>(async (push) => {
        for (let page = 1; page <= MAX_PAGES; page++) {
          const body = await http.getJson(`${base}/posts`, PostsPageSchema, {
            query: { 'expand[]': 'stats', status: 'confirmed', platform: 'email', order_by: 'publish_date', direction: 'desc', limit: PAGE_SIZE, page },
            what: `posts page ${page}`,
          });
          const recent = body.data.filter((p) => !p.publish_date || p.publish_date * 1000 >= since);
          push(recent.map((p) => ({
            metric: 'newsletter.send' as const, id: p.id,
            ...(p.publish_date && { sentAt: new Date(p.publish_date * 1000).toISOString() }),
            delivered: p.stats.email.delivered, opens: p.stats.email.unique_opens, clicks: p.stats.email.unique_clicks,
            at: ctx.slot, source: 'beehiiv', account: publicationId,
          })));
          const reachedOlder = recent.length < body.data.length;
          if (reachedOlder || body.page >= body.total_pages || body.data.length === 0) return;
        }
      }, now);
      observations.push(...walk.items);
      return { observations, requests: http.requests, ...walkResultFields('beehiiv', walk, ctx.log) };
    },
  };
}
