/**
 * Buttondown API v1: regular subscriber count (newsletter.subscribers) and the analytics of recent
 * sent emails (newsletter.send), read from the email list itself (no request per email). Emails whose
 * analytics are still null are skipped until the next run.
 */
import * as z from '../domain/zod-mini';
import type { Observation } from '../domain/observation';
import { createHttpClient } from './http-client';
import { walkPages, walkResultFields, windowStart } from './page-walk';
import { SourceError, type Credentials, type Source } from './source';
import { DEFAULT_SEND_WINDOW_DAYS } from './beehiiv';

export const BUTTONDOWN_BASE_URL = 'https://api.buttondown.com';
const MAX_PAGES = 5;

const count = z.number().check(z.int(), z.nonnegative());

const SubscriberCountSchema = z.object({ count });

const EmailsPageSchema = z.object({
  count,
  next: z.nullable(z.string()),
  results: z.array(z.object({
    id: z.string().check(z.minLength(1)),
    publish_date: z.optional(z.nullable(z.string())),
    analytics: z.optional(z.nullable(z.object({ recipients: count, deliveries: count, opens: count, clicks: count }))),
  })),
});

export interface ButtondownSourceOptions {
  baseUrl?: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  sendWindowDays?: number;
}

export function createButtondownSource(credentials: Credentials, options: ButtondownSourceOptions = {}, now: () => Date = () => new Date()): Source {
  return {
    name: 'buttondown',
    async collect(ctx) {
      if (!credentials.apiKey) throw new SourceError('unauthorized', 'Buttondown credentials need apiKey');
      const http = createHttpClient({
        provider: 'Buttondown', baseUrl: options.baseUrl ?? BUTTONDOWN_BASE_URL, deadline: ctx.deadline,
        headers: { authorization: `Token ${credentials.apiKey}` },
        timeoutMs: options.timeoutMs, retries: options.retries, backoffMs: options.backoffMs, now: () => now().getTime(),
      });

      const subscribers = await http.getJson('/v1/subscribers', SubscriberCountSchema, { query: { type: 'regular' }, what: 'subscriber count' });
      const observations: Observation[] = [{ metric: 'newsletter.subscribers', at: ctx.slot, value: subscribers.count, source: 'buttondown' }];

      const since = windowStart(ctx.slot, options.sendWindowDays ?? DEFAULT_SEND_WINDOW_DAYS);
      const walk = await walkPages<Observation>(async (push) => {
        for (let page = 1; page <= MAX_PAGES; page++) {
          const body = await http.getJson('/v1/emails', EmailsPageSchema, {
            query: { status: 'sent', ordering: '-publish_date', ...(page > 1 && { page }) }, what: `emails page ${page}`,
          });
          let reachedOlder = false;
          const sends: Observation[] = [];
          for (const email of body.results) {
            const sentAt = email.publish_date ? Date.parse(email.publish_date) : Number.NaN;
            if (!Number.isNaN(sentAt) && sentAt < since) { reachedOlder = true; continue; }
            if (!email.analytics) continue;
            sends.push({
              metric: 'newsletter.send', id: email.id, ...(!Number.isNaN(sentAt) && { sentAt: new Date(sentAt).toISOString() }),
              delivered: email.analytics.deliveries, opens: email.analytics.opens, clicks: email.analytics.clicks, at: ctx.slot, source: 'buttondown',
            });
          }
          push(sends);
          if (reachedOlder || !body.next) return;
        }
      }, now);
      observations.push(...walk.items);
      return { observations, requests: http.requests, ...walkResultFields('buttondown', walk, ctx.log) };
    },
  };
}
