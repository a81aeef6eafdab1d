/**
 * Fake X API v2 (the paths twitter-api-v2 calls): GET /2/users/me and GET /2/users/:id/tweets, with
 * the documented bodies (api-contracts.md), rate-limit headers, and X's two 429 flavours.
 */
import type { FakeResponse, FakeServer } from './fake-http-server';

export const X_USER_ID = '2244994945';

export function xMeBody(metrics: Partial<Record<'followers_count' | 'tweet_count' | 'post_count', number>> = {}): unknown {
  const { post_count, ...rest } = metrics;
  const publicMetrics: Record<string, number> = { followers_count: 583423, following_count: 2048, tweet_count: 14052, listed_count: 1672, like_count: 3000, media_count: 120, ...rest };
  if (post_count !== undefined) { delete publicMetrics.tweet_count; publicMetrics.post_count = post_count; }
  return { data: { id: X_USER_ID, name: 'Dev', username: 'dev', public_metrics: publicMetrics } };
}

export interface XPostFixture { id: string; text?: string; created_at?: string; impressions?: number; likes?: number; replies?: number; reposts?: number; quotes?: number }

export function xPost(p: XPostFixture): unknown {
  return {
    id: p.id,
    text: p.text ?? `post ${p.id}`,
    edit_history_tweet_ids: [p.id],
    created_at: p.created_at ?? '2026-03-01T10:00:00.000Z',
    public_metrics: {
      retweet_count: p.reposts ?? 50, reply_count: p.replies ?? 12, like_count: p.likes ?? 234,
      quote_count: p.quotes ?? 5, bookmark_count: 8, impression_count: p.impressions ?? 5432,
    },
  };
}

/** One page of GET /2/users/:id/tweets; an empty page carries no `data` (as X answers). */
export function xTimelinePage(posts: readonly XPostFixture[], nextToken?: string): unknown {
  const data = posts.map(xPost) as { id: string }[];
  return {
    ...(data.length > 0 && { data }),
    meta: {
      result_count: data.length,
      ...(data.length > 0 && { newest_id: data[0].id, oldest_id: data[data.length - 1].id }),
      ...(nextToken && { next_token: nextToken }),
    },
  };
}

export function xRateLimitHeaders(resetEpochSeconds: number, remaining = 0, limit = 900): Record<string, string> {
  return { 'x-rate-limit-limit': String(limit), 'x-rate-limit-remaining': String(remaining), 'x-rate-limit-reset': String(resetEpochSeconds) };
}

export const X_RATE_LIMIT_BODY = { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 };
export const X_RATE_LIMIT_V1_BODY = { errors: [{ code: 88, message: 'Rate limit exceeded' }] };
export const X_USAGE_CAP_BODY = {
  title: 'UsageCapExceeded', detail: 'Usage cap exceeded: Monthly product cap', type: 'https://api.twitter.com/2/problems/usage-capped', period: 'Monthly', scope: 'Product',
};
export const X_UNAUTHORIZED_BODY = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
export const X_FORBIDDEN_BODY = {
  title: 'Unsupported Authentication', detail: 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
  type: 'https://api.twitter.com/2/problems/unsupported-authentication', status: 403,
};

/**
 * Installs the happy path: `me`, and a timeline served from `pages` (keyed by pagination_token; the
 * first page has none). Returns the server for chaining overrides.
 */
export function installXFake(server: FakeServer, options: { me?: unknown; pages?: unknown[] } = {}): FakeServer {
  const pages = options.pages ?? [xTimelinePage([{ id: '1460323737035677698' }])];
  server.clear();
  server.route('GET', '/2/users/me', { body: options.me ?? xMeBody(), headers: xRateLimitHeaders(Math.floor(Date.now() / 1000) + 900, 74, 75) });
  server.route('GET', `/2/users/:id/tweets`, (req): FakeResponse => {
    const token = req.query.get('pagination_token');
    const index = token ? Number(/^page-(\d+)$/.exec(token)?.[1] ?? -1) : 0;
    if (index < 0 || index >= pages.length) return { status: 400, body: { title: 'Invalid Request', detail: `unknown pagination_token ${token}`, type: 'about:blank', status: 400 } };
    return { body: pages[index], headers: xRateLimitHeaders(Math.floor(Date.now() / 1000) + 900, 899) };
  });
  return server;
}
