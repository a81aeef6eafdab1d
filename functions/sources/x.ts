/**
 * X (Twitter) via twitter-api-v2: own follower and post counts from `v2.me` (user context).
 * Frugal by design: one own-account read per slot ($0.001 each at X's pay-per-use prices).
 */
import http from 'node:http';
import { ApiRequestError, ApiResponseError, TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import { z } from 'zod';
import type { Observation } from '../domain/observation';
import { zodIssues } from '../shared/errors';
import { SourceError, type Credentials, type Source } from './source';

const REQUEST_TIMEOUT_MS = 10_000;

const MeResponseSchema = z.object({
  data: z.object({
    id: z.string(),
    username: z.string(),
    public_metrics: z
      .object({
        followers_count: z.number().int().nonnegative(),
        tweet_count: z.number().int().nonnegative().optional(),
        post_count: z.number().int().nonnegative().optional(),
      })
      .refine((m) => m.tweet_count !== undefined || m.post_count !== undefined, { message: 'tweet_count (or post_count) is required', path: ['tweet_count'] }),
  }),
});

export interface XSourceOptions {
  /** Base URL replacing https://api.x.com (tests point this at a local fake server). */
  apiBaseUrl?: string;
  timeoutMs?: number;
}

/** Builds a twitter-api-v2 client from user-context credentials (OAuth 1.0a keys or an OAuth 2.0 user token). */
export function createXClient(credentials: Credentials, options: XSourceOptions = {}): TwitterApi {
  const plugin: ITwitterApiClientPlugin = {
    onBeforeRequestConfig({ params }) {
      params.timeout ??= options.timeoutMs ?? REQUEST_TIMEOUT_MS;
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
    const data = (err.data ?? {}) as { title?: string; detail?: string };
    if (err.code === 429 && (data.title === 'UsageCapExceeded' || /usage cap/i.test(data.detail ?? ''))) {
      return new SourceError('usage_capped', 'X monthly usage cap exceeded', { resetAt: startOfNextMonth(now), status: 429 });
    }
    if (err.code === 429) {
      const reset = err.rateLimit?.reset ? new Date(err.rateLimit.reset * 1000) : new Date(now.getTime() + 15 * 60_000);
      return new SourceError('rate_limited', 'X rate limit reached', { resetAt: reset.toISOString(), status: 429 });
    }
    if (err.code === 401 || err.code === 403) return new SourceError('unauthorized', `X rejected the credentials (${err.code})`, { status: err.code });
    if (err.code >= 500) return new SourceError('upstream_error', `X answered ${err.code}`, { status: err.code });
    return new SourceError('bad_request', `X answered ${err.code}`, { status: err.code });
  }
  if (err instanceof ApiRequestError) {
    const timedOut = /timeout/i.test(err.requestError?.message ?? err.message);
    return new SourceError(timedOut ? 'timeout' : 'network_error', timedOut ? 'X request timed out' : 'X request failed (network)');
  }
  if (err instanceof SyntaxError) return new SourceError('malformed_response', 'X answered with a body that is not JSON');
  const message = err instanceof Error ? err.message : String(err);
  if (/JSON/i.test(message)) return new SourceError('malformed_response', 'X answered with a body that is not JSON');
  return new SourceError('network_error', 'X request failed');
}

export function startOfNextMonth(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
}

/** Own-account counts: one x.followers and one x.posts observation at the slot. */
export function createXSource(credentials: Credentials, options: XSourceOptions = {}, now: () => Date = () => new Date()): Source {
  return {
    name: 'x',
    async collect(ctx) {
      const client = createXClient(credentials, options);
      let body: unknown;
      try {
        body = await client.v2.me({ 'user.fields': ['public_metrics'] });
      } catch (err) {
        throw toXSourceError(err, now());
      }
      const parsed = MeResponseSchema.safeParse(body);
      if (!parsed.success) {
        const issue = zodIssues(parsed.error)[0];
        throw new SourceError('schema_mismatch', `X /2/users/me response: ${issue.path}: ${issue.message}`, { field: issue.path });
      }
      const { username, public_metrics: m } = parsed.data.data;
      const observations: Observation[] = [
        { metric: 'x.followers', at: ctx.slot, value: m.followers_count, source: 'x', account: username },
        { metric: 'x.posts', at: ctx.slot, value: (m.tweet_count ?? m.post_count) as number, source: 'x', account: username },
      ];
      return { observations, requests: 1 };
    },
  };
}
