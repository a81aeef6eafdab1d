/**
 * Mailchimp Marketing API 3.0: the audience's member count (newsletter.subscribers) and campaign
 * reports of recent sends (newsletter.send). Delivered = emails_sent − hard − soft bounces; opens
 * and clicks are Mailchimp's unique counts. The data center comes from the API key's suffix
 * (`…-us21`) unless configured.
 */
import * as z from '../domain/zod-mini';
import type { Observation } from '../domain/observation';
import { createHttpClient } from './http-client';
import { walkPages, walkResultFields, windowStart } from './page-walk';
import { SourceError, type Credentials, type Source } from './source';
import { DEFAULT_SEND_WINDOW_DAYS } from './beehiiv';

const PAGE_SIZE = 50;
const MAX_PAGES = 5;

const count = z.number().check(z.int(), z.nonnegative());

const ListSchema = z.object({ id: z.string(), stats: z.object({ member_count: count }) });

const ReportsPageSchema = z.object({
  reports: z.array(z.object({
    id: z.string().check(z.minLength(1)),
    list_id: z.optional(z.string()),
    send_time: z.optional(z.string()),
    emails_sent: count,
    bounces: z.object({ hard_bounces: count, soft_bounces: count }),
    opens: z.object({ unique_opens: count }),
    clicks: z.object({ unique_clicks: count }),
  })),
  total_items: count,
});

export interface MailchimpSourceOptions {
  listId?: string;
  /** Data center (us21); by default the API key's suffix. */
  dc?: string;
  /** Replaces https://<dc>.api.mailchimp.com (tests). */
  baseUrl?: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  sendWindowDays?: number;
}

/** The data center of a Mailchimp API key ("abc123-us21" → "us21"). */
export function mailchimpDataCenter(apiKey: string): string | undefined {
  const m = /-([a-z]+\d+)$/i.exec(apiKey.trim());
  return m?.[1]?.toLowerCase();
}

export function createMailchimpSource(credentials: Credentials, options: MailchimpSourceOptions, now: () => Date = () => new Date()): Source {
  return {
    name: 'mailchimp',
    async collect(ctx) {
      const listId = options.listId ?? credentials.listId;
      if (!listId) throw new SourceError('bad_request', 'sources.mailchimp.listId is not configured');
      const apiKey = credentials.apiKey;
      if (!apiKey) throw new SourceError('unauthorized', 'Mailchimp credentials need apiKey');
      const dc = options.dc ?? mailchimpDataCenter(apiKey);
      if (!dc && !options.baseUrl) throw new SourceError('unauthorized', 'The Mailchimp API key has no data-center suffix (…-us21); set sources.mailchimp.dc');
      const http = createHttpClient({
        provider: 'Mailchimp', baseUrl: options.baseUrl ?? `https://${dc}.api.mailchimp.com`, deadline: ctx.deadline,
        auth: { username: 'verdict', password: apiKey },
        timeoutMs: options.timeoutMs, retries: options.retries, backoffMs: options.backoffMs, now: () => now().getTime(),
      });

      const list = await http.getJson(`/3.0/lists/${encodeURIComponent(listId)}`, ListSchema, { query: { fields: 'id,stats.member_count' }, what: 'audience stats' });
      const observations: Observation[] = [{ metric: 'newsletter.subscribers', at: ctx.slot, value: list.stats.member_count, source: 'mailchimp', account: listId }];

      const since = new Date(windowStart(ctx.slot, options.sendWindowDays ?? DEFAULT_SEND_WINDOW_DAYS)).toISOString();
      const walk = await walkPages<Observation>(async (push) => {
        for (let page = 0; page < MAX_PAGES; page++) {
          const body = await http.getJson('/3.0/reports', ReportsPageSchema, {
            query: { count: PAGE_SIZE, offset: page * PAGE_SIZE, since_send_time: since }, what: `reports page ${page + 1}`,
          });
          push(body.reports
            .filter((r) => !r.list_id || r.list_id === listId)
            .map((r) => ({
              metric: 'newsletter.send' as const, id: r.id,
              ...(r.send_time && !Number.isNaN(Date.parse(r.send_time)) && { sentAt: new Date(r.send_time).toISOString() }),
              delivered: Math.max(0, r.emails_sent - r.bounces.hard_bounces - r.bounces.soft_bounces),
              opens: r.opens.unique_opens, clicks: r.clicks.unique_clicks, at: ctx.slot, source: 'mailchimp', account: listId,
            })));
          if ((page + 1) * PAGE_SIZE >= body.total_items || body.reports.length === 0) return;
        }
      }, now);
      observations.push(...walk.items);
      return { observations, requests: http.requests, ...walkResultFields('mailchimp', walk, ctx.log) };
    },
  };
}
