/**
 * X (Twitter) via twitter-api-v2: own follower and post counts from `v2.me` (user context), and the
 * public metrics of recent own posts from `v2.userTimeline` → x.post observations.
 *
 * Frugal by design — X bills every read: one `me` read per slot, and at most `timelineMaxPosts` posts
 * from the last `timelineDays` days (own-account reads, $0.001 each; a repeat read of the same
 * resource is billed once per UTC day). The library's own page walkers stop silently at a rate limit,
 * so the timeline is walked page by page here and a walk cut short is reported as partial.
 */
import http from 'node:http';
import {
  ApiPartialResponseError, ApiRequestError, ApiResponseError, TwitterApi,
  type ITwitterApiClientPlugin, type TweetUserTimelineV2Paginator,
} from 'twitter-api-v2';
import * as z from '../domain/zod-mini';
import { markersIn } from '../domain/post-variants';
import type { Observation } from '../domain/observation';
import { parseShape, withRetries } from './http-client';
import { startOfNextMonth } from '../shared/schedules';
import type { SourceBuildOptions } from './registry';
import { SourceError, type CollectResult, type Credentials, type Source } from './source';

const REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_TIMELINE_MAX_POSTS = 20;
const DEFAULT_TIMELINE_DAYS = 7;
/** Without an x-rate-limit-reset header, X's windows are 15 minutes. */
const X_WINDOW_MS = 15 * 60_000;
/** Stop walking pages when less than this is left before the deadline. */
const PAGE_MARGIN_MS = 2_000;

const count = z.number().check(z.int(), z.nonnegative());

const MeResponseSchema = z.object({
  data: z.object({
    id: z.string(),
    username: z.string(),
    public_metrics: z
      .object({
        followers_count: count,
        tweet_count: z.optional(count),
        post_count: z.optional(count),
      }).check(z.refine((m) => m.tweet_count !== undefined || m.post_count !== undefined, { message: 'tweet_count (or post_count) is required', path: ['tweet_count'] })),
  }),
});

const TimelinePageSchema = z.object({
  data: z._default(z.array(z.object({
      id: z.string().check(z.minLength(1)),
      created_at: z.optional(z.iso.datetime({ offset: true })),
      /** Read only for variant markers (post-variant experiments); never stored. */
      text: z.optional(z.string()),
      public_metrics: z.object({
        retweet_count: count,
        reply_count: count,
        like_count: count,
        quote_count: count,
        impression_count: count,
      }),
    })), []),
  meta: z.object({ result_count: count, next_token: z.optional(z.string()) }),
});

export interface XSourceOptions {
  /** Base URL replacing https://api.x.com (tests point this at a local fake server). */
  apiBaseUrl?: string;
  timeoutMs?: number;
  /** Most own posts read per run (X bills each post read). */
  timelineMaxPosts?: number;
  /** Only posts published in the last N days before the slot are read. */
  timelineDays?: number;
  /** Prefixes of variant markers to look for in post text (e.g. #v- finds #v-raw). */
  markerPrefixes?: readonly string[];
  /** Retries after the first attempt for 5xx, network errors and timeouts. */
  retries?: number;
  backoffMs?: number;
}

const DEFAULT_MARKER_PREFIXES = ['#v-'];

/** Builds a twitter-api-v2 client from user-context credentials (OAuth 1.0a keys or an OAuth 2.0 user token). */
export function createXClient(credentials: Credentials, options: XSourceOptions & { deadline?: number } = {}): TwitterApi {
  const plugin: ITwitterApiClientPlugin = {
    onBeforeRequestConfig({ params }) {
      const left = (options.deadline ?? Number.POSITIVE_INFINITY) - Date.now();
      params.timeout = Math.max(1, Math.min(options.timeoutMs ?? REQUEST_TIMEOUT_MS, left));
      if (options.apiBaseUrl) params.url = params.url.replace(/^https:\/\/api\.(x|twitter)\.com/, options.apiBaseUrl);
    },
  };
  const settings = { plugins: [plugin], ...(options.apiBaseUrl?.startsWith('http:') && { httpAgent: new http.Agent() }) };
  if (credentials.oauth2UserToken) return new TwitterApi(credentials.oauth2UserToken, settings);
  const { appKey, appSecret, accessToken, accessSecret } = credentials;
  if (!appKey || !appSecret || !accessToken || !accessSecret) {
    throw new SourceError('unauthorized', 'X credentials need appKey, appSecret, accessToken and accessSecret (or oauth2UserToken)');
  }
  return new TwitterApi({ appKey, appSecret, accessToken, accessSecret }, settings);
}

/** Maps twitter-api-v2 errors to SourceErrors: rate window vs monthly cap vs auth vs upstream. */
export function toXSourceError(err: unknown, now: Date): SourceError {
  if (err instanceof SourceError) return err;
  if (err instanceof ApiResponseError) {
    const data = (err.data ?? {}) as { title?: string; detail?: string; type?: string };
    const capped = data.title === 'UsageCapExceeded' || /usage[- ]cap/i.test(`${data.detail ?? ''} ${data.type ?? ''}`);
    if (err.code === 429 && capped) {
      return new SourceError('usage_capped', 'X monthly usage cap exceeded', { resetAt: startOfNextMonth(now), status: 429 });
    }
    if (err.code === 429) {
      const resetSeconds = err.rateLimit?.reset ?? Number(err.headers?.['x-rate-limit-reset']);
      const reset = Number.isFinite(resetSeconds) && resetSeconds > 0 ? new Date(Math.max(resetSeconds * 1000, now.getTime())) : new Date(now.getTime() + X_WINDOW_MS);
      return new SourceError('rate_limited', 'X rate limit reached', { resetAt: reset.toISOString(), status: 429 });
    }
    if (err.code === 401 || err.code === 403) return new SourceError('unauthorized', `X rejected the credentials (${err.code})`, { status: err.code });
    if (err.code >= 500) return new SourceError('upstream_error', `X answered ${err.code}`, { status: err.code });
    return new SourceError('bad_request', `X answered ${err.code}`, { status: err.code });
  }
  if (err instanceof ApiPartialResponseError) {
    return err.responseError instanceof SyntaxError
      ? new SourceError('malformed_response', 'X answered with a body that is not JSON')
      : new SourceError('network_error', 'X closed the connection before the response was complete');
  }
  if (err instanceof ApiRequestError) {
    // The library stores the cause as `_options.error` while its `requestError` getter reads `requestError`.
    const cause = err.requestError ?? (err as unknown as { _options?: { error?: Error } })._options?.error;
    const timedOut = /timeout/i.test(cause?.message ?? err.message);
    return new SourceError(timedOut ? 'timeout' : 'network_error', timedOut ? 'X request timed out' : 'X request failed (network)');
  }
  if (err instanceof SyntaxError) return new SourceError('malformed_response', 'X answered with a body that is not JSON');
  return new SourceError('network_error', 'X request failed');
}


/** Own-account counts (x.followers, x.posts) and recent own posts (x.post) at the slot. */
/** The X adapter as the deployment's config sets it up (the X collector entry, and createAnySource). */
export function createXSourceFromConfig(credentials: Credentials, options: SourceBuildOptions): Source {
  const { timelineMaxPosts, timelineDays, markerPrefixes } = options.config.sources.x;
  return createXSource(credentials, { apiBaseUrl: options.endpoints?.x, timelineMaxPosts, timelineDays, markerPrefixes }, options.now);
}

export function createXSource(credentials: Credentials, options: XSourceOptions = {}, now: () => Date = () => new Date()): Source {
  const maxPosts = options.timelineMaxPosts ?? DEFAULT_TIMELINE_MAX_POSTS;
  const days = options.timelineDays ?? DEFAULT_TIMELINE_DAYS;
  return {
    name: 'x',
    async collect(ctx): Promise<CollectResult> {
      const client = createXClient(credentials, { ...options, deadline: ctx.deadline });
      let requests = 0;
      const call = <T>(work: () => Promise<T>): Promise<T> => withRetries(async () => {
        requests++;
        try {
          return await work();
        } catch (err) {
          throw toXSourceError(err, now());
        }
      }, { deadline: ctx.deadline, retries: options.retries, backoffMs: options.backoffMs });

      const me = parseShape(await call(() => client.v2.me({ 'user.fields': ['public_metrics'] })), MeResponseSchema, 'X', '/2/users/me');
      const { id: userId, username, public_metrics: m } = me.data;
      const observations: Observation[] = [
        { metric: 'x.followers', at: ctx.slot, value: m.followers_count, source: 'x', account: username },
        { metric: 'x.posts', at: ctx.slot, value: (m.tweet_count ?? m.post_count) as number, source: 'x', account: username },
      ];

      const walk = await walkTimeline(client, userId, { ctx, call, maxPosts, days, now });
      for (const post of walk.posts) {
        const pm = post.public_metrics;
        const markers = [...new Set((options.markerPrefixes ?? DEFAULT_MARKER_PREFIXES).flatMap((prefix) => markersIn(post.text ?? '', prefix)))].slice(0, 10);
        observations.push({
          metric: 'x.post', id: post.id, ...(post.created_at && { publishedAt: new Date(post.created_at).toISOString() }),
          impressions: pm.impression_count, likes: pm.like_count, replies: pm.reply_count, reposts: pm.retweet_count, quotes: pm.quote_count,
          ...(markers.length > 0 && { markers }),
          at: ctx.slot, source: 'x', account: username,
        });
      }
      if (walk.cutShort) ctx.log.warn('X timeline walk cut short', { source: 'x', reason: walk.cutShort, posts: walk.posts.length });
      return { observations, requests, ...(walk.cutShort && { partial: true }), ...(walk.pause && { pause: walk.pause }) };
    },
  };
}

type TimelinePost = z.output<typeof TimelinePageSchema>['data'][number];

/**
 * Reads own posts newest first until `maxPosts`, the end of the window, a rate limit, or the deadline.
 * A rate limit or transient failure after the first page keeps what was read (cutShort); schema drift,
 * auth errors and malformed bodies fail the run.
 */
async function walkTimeline(
  client: TwitterApi,
  userId: string,
  args: { ctx: { slot: string; deadline: number }; call: <T>(work: () => Promise<T>) => Promise<T>; maxPosts: number; days: number; now: () => Date },
): Promise<{ posts: TimelinePost[]; cutShort?: string; pause?: CollectResult['pause'] }> {
  const { ctx, call, maxPosts, days } = args;
  const posts: TimelinePost[] = [];
  const pageSize = (wanted: number) => Math.min(100, Math.max(5, wanted));
  const startTime = new Date(Date.parse(ctx.slot) - days * 86_400_000).toISOString();
  let page: TweetUserTimelineV2Paginator | undefined;
  try {
    page = await call(() => client.v2.userTimeline(userId, {
      'tweet.fields': ['created_at', 'public_metrics', 'text'],
      max_results: pageSize(maxPosts),
      exclude: ['retweets', 'replies'],
      start_time: startTime,
    }));
    for (;;) {
      const body = parseShape(page.data, TimelinePageSchema, 'X', '/2/users/:id/tweets');
      posts.push(...body.data.slice(0, maxPosts - posts.length));
      if (posts.length >= maxPosts || !body.meta.next_token) return { posts };
      if (Date.now() + PAGE_MARGIN_MS >= ctx.deadline) return { posts, cutShort: 'deadline' };
      const limit = page.rateLimit;
      if (limit.remaining === 0 && limit.reset * 1000 > args.now().getTime()) {
        return { posts, cutShort: 'rate_limited', pause: { reason: 'rate_limited', until: new Date(limit.reset * 1000).toISOString() } };
      }
      const current: TweetUserTimelineV2Paginator = page;
      page = await call(() => current.next(pageSize(maxPosts - posts.length)));
    }
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    if (err.code === 'rate_limited' || err.code === 'usage_capped') {
      return { posts, cutShort: err.code, pause: { reason: err.code, until: err.extra.resetAt ?? new Date(args.now().getTime() + X_WINDOW_MS).toISOString() } };
    }
    if (err.code === 'upstream_error' || err.code === 'timeout' || err.code === 'network_error') return { posts, cutShort: err.code };
    throw err;
  }
}
