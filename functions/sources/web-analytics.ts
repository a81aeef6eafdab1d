/**
 * Web analytics: Plausible (Stats API v2) and Umami (REST API) → per site and UTC day,
 * traffic.visitors and traffic.ai_referred_visitors (visitors whose referrer — or utm_source — is an AI
 * assistant in `traffic.aiReferrers`). Both accept a self-hosted base URL.
 *
 * - Days: complete days before the slot; `backfillDays` on a first run (the collector passes the last
 *   successful slot), then the last `revisitDays` again (late events, imports). Every day of the range
 *   is written (0 when the API returns no bucket), keyed by day and site, so re-reads overwrite.
 * - Plausible buckets days in the site's reporting time zone; use UTC there for UTC days.
 * - Plausible: one `POST /api/v2/query` per site for visitors by `time:day`, one more with the filter
 *   `["or", [["contains", "visit:referrer", D], ["contains", "visit:utm_source", D]]]`.
 * - Umami: `GET /websites/{id}/pageviews?unit=day&timezone=UTC` — `sessions` per day are its unique
 *   visitors — once per site, and once per AI referrer domain with `referrer=<domain>` (summed; a
 *   visit from two AI domains on one day would count twice). Cloud: `x-umami-api-key`; self-hosted:
 *   `POST /auth/login` with username and password, then a bearer token.
 */
import * as z from '../domain/zod-mini';
import type { Observation } from '../domain/observation';
import { DAY_MS, daysToRead } from './day-range';
import { createHttpClient, type HttpClient } from './http-client';
import { SourceError, type CollectContext, type Credentials, type Source } from './source';

export const PLAUSIBLE_BASE_URL = 'https://plausible.io';
export const UMAMI_CLOUD_BASE_URL = 'https://api.umami.is/v1';
/** AI assistants whose visits count as AI-referred, by referrer domain (the issue's defaults). */
export const DEFAULT_AI_REFERRERS = ['chatgpt.com', 'chat.openai.com', 'perplexity.ai', 'gemini.google.com', 'copilot.microsoft.com', 'claude.ai'] as const;

export interface WebAnalyticsOptions {
  baseUrl?: string;
  aiReferrers?: readonly string[];
  backfillDays?: number;
  revisitDays?: number;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
}

/** The complete UTC days to read, [from, to) in epoch ms. */
function dayRange(ctx: CollectContext, options: WebAnalyticsOptions): { from: number; to: number } {
  return daysToRead(ctx, options.backfillDays ?? 30, options.revisitDays ?? 3);
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** One observation per day of [from, to) for `site`, 0 where `counts` has none. */
function dailyTotals(metric: 'traffic.visitors' | 'traffic.ai_referred_visitors', counts: ReadonlyMap<string, number>, range: { from: number; to: number }, site: string, source: string): Observation[] {
  const out: Observation[] = [];
  for (let day = range.from; day < range.to; day += DAY_MS) {
    out.push({ metric, at: new Date(day).toISOString(), value: counts.get(isoDay(day)) ?? 0, site, source });
  }
  return out;
}

// ------------------------------------------------------------------------------------------ Plausible

const PlausibleQuerySchema = z.object({
  results: z.array(z.object({ dimensions: z.array(z.string()).check(z.minLength(1)), metrics: z.array(z.number().check(z.nonnegative())).check(z.minLength(1)) })),
});

export interface PlausibleOptions extends WebAnalyticsOptions { sites: readonly string[] }

export function createPlausibleSource(credentials: Credentials, options: PlausibleOptions, now: () => Date = () => new Date()): Source {
  return {
    name: 'plausible',
    async collect(ctx) {
      if (!credentials.apiKey) throw new SourceError('unauthorized', 'Plausible credentials need apiKey (a Stats API key)');
      if (options.sites.length === 0) throw new SourceError('bad_request', 'sources.plausible.sites is empty: list the site domains as registered in Plausible');
      const http = createHttpClient({
        provider: 'Plausible', baseUrl: options.baseUrl ?? PLAUSIBLE_BASE_URL, deadline: ctx.deadline,
        headers: { authorization: `Bearer ${credentials.apiKey}` },
        timeoutMs: options.timeoutMs, retries: options.retries, backoffMs: options.backoffMs, now: () => now().getTime(),
      });
      const range = dayRange(ctx, options);
      const dateRange = [isoDay(range.from), isoDay(range.to - DAY_MS)];
      const ai = [...(options.aiReferrers ?? DEFAULT_AI_REFERRERS)];
      const observations: Observation[] = [];
      for (const site of options.sites) {
        const query = (filters?: unknown[]) => http.postJson('/api/v2/query', {
          site_id: site, date_range: dateRange, metrics: ['visitors'], dimensions: ['time:day'], ...(filters && { filters }),
        }, PlausibleQuerySchema, { what: `${site} visitors${filters ? ' from AI assistants' : ''}` });
        const byDay = (body: z.infer<typeof PlausibleQuerySchema>) => new Map(body.results.map((r) => [r.dimensions[0].slice(0, 10), r.metrics[0]]));
        const visitors = byDay(await query());
        const referred = byDay(await query([['or', [['contains', 'visit:referrer', ai], ['contains', 'visit:utm_source', ai]]]]));
        observations.push(...dailyTotals('traffic.visitors', visitors, range, site, 'plausible'), ...dailyTotals('traffic.ai_referred_visitors', referred, range, site, 'plausible'));
      }
      return { observations, requests: http.requests };
    },
  };
}

// --------------------------------------------------------------------------------------------- Umami

const UmamiSeriesSchema = z.object({
  pageviews: z.array(z.object({ x: z.string(), y: z.number().check(z.nonnegative()) })),
  sessions: z.array(z.object({ x: z.string().check(z.minLength(10)), y: z.number().check(z.nonnegative()) })),
});
const UmamiLoginSchema = z.object({ token: z.string().check(z.minLength(1)) });

export interface UmamiOptions extends WebAnalyticsOptions { websites: readonly { id: string; site: string }[] }

export function createUmamiSource(credentials: Credentials, options: UmamiOptions, now: () => Date = () => new Date()): Source {
  return {
    name: 'umami',
    async collect(ctx) {
      if (options.websites.length === 0) throw new SourceError('bad_request', 'sources.umami.websites is empty: list { id, site } for each website');
      const base = { provider: 'Umami', baseUrl: options.baseUrl ?? UMAMI_CLOUD_BASE_URL, deadline: ctx.deadline, timeoutMs: options.timeoutMs, retries: options.retries, backoffMs: options.backoffMs, now: () => now().getTime() };
      let http: HttpClient;
      let requests = 0;
      if (credentials.apiKey) {
        http = createHttpClient({ ...base, headers: { 'x-umami-api-key': credentials.apiKey } });
      } else if (credentials.username && credentials.password) {
        const login = createHttpClient(base);
        const { token } = await login.postJson('/auth/login', { username: credentials.username, password: credentials.password }, UmamiLoginSchema, { what: 'login' });
        requests += login.requests;
        http = createHttpClient({ ...base, headers: { authorization: `Bearer ${token}` } });
      } else {
        throw new SourceError('unauthorized', 'Umami credentials need apiKey (Umami Cloud) or username and password (self-hosted)');
      }
      const range = dayRange(ctx, options);
      const ai = options.aiReferrers ?? DEFAULT_AI_REFERRERS;
      const observations: Observation[] = [];
      for (const { id, site } of options.websites) {
        const series = async (referrer?: string) => {
          const body = await http.getJson(`/websites/${encodeURIComponent(id)}/pageviews`, UmamiSeriesSchema, {
            query: { startAt: range.from, endAt: range.to - 1, unit: 'day', timezone: 'UTC', ...(referrer && { referrer }) },
            what: `${site} visitors${referrer ? ` from ${referrer}` : ''}`,
          });
          return new Map(body.sessions.map((p) => [p.x.slice(0, 10), p.y]));
        };
        const visitors = await series();
        const referred = new Map<string, number>();
        for (const domain of ai) for (const [day, n] of await series(domain)) referred.set(day, (referred.get(day) ?? 0) + n);
        observations.push(...dailyTotals('traffic.visitors', visitors, range, site, 'umami'), ...dailyTotals('traffic.ai_referred_visitors', referred, range, site, 'umami'));
      }
      return { observations, requests: requests + http.requests };
    },
  };
}
