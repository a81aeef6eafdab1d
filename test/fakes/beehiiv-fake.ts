/**
 * Fake beehiiv API v2: publication stats (expand[]=stats) and posts with per-post email stats,
 * offset-paged (`page`, `total_pages`), RateLimit-* headers and beehiiv's error body.
 */
import type { FakeResponse, FakeServer } from './fake-http-server';

export const BEEHIIV_PUBLICATION_ID = 'pub_00000000-0000-0000-0000-000000000000';

export function beehiivPublicationBody(activeSubscriptions = 4200): unknown {
  return {
    data: {
      id: BEEHIIV_PUBLICATION_ID, name: 'Verdict Weekly', organization_name: 'Verdict', referral_program_enabled: true, created: 1700000000,
      stats: {
        active_subscriptions: activeSubscriptions, active_premium_subscriptions: 120, active_free_subscriptions: activeSubscriptions - 120,
        average_open_rate: 0.8, average_click_rate: 0.12, total_sent: 98000, total_unique_opened: 51000, total_clicked: 7000,
      },
    },
  };
}

export interface BeehiivPostFixture { id: string; publishDate?: number | null; delivered?: number; uniqueOpens?: number; uniqueClicks?: number }

export function beehiivPost(p: BeehiivPostFixture): unknown {
  const delivered = p.delivered ?? 4000;
  const opens = p.uniqueOpens ?? 1800;
  const clicks = p.uniqueClicks ?? 240;
  return {
    id: p.id, title: `Issue ${p.id}`, subtitle: '', authors: ['Dev'], created: (p.publishDate ?? 1772355600) - 3600, status: 'confirmed',
    publish_date: p.publishDate === undefined ? 1772355600 : p.publishDate, displayed_date: p.publishDate ?? 1772355600,
    split_tested: false, subject_line: `Issue ${p.id}`, preview_text: '', slug: p.id, thumbnail_url: '', web_url: `https://verdict.beehiiv.com/p/${p.id}`,
    audience: 'free', platform: 'email', content_tags: [],
    stats: {
      email: {
        recipients: delivered + 20, delivered, opens: opens + 400, unique_opens: opens, open_rate: Math.round((opens / delivered) * 10000) / 100,
        clicks: clicks + 60, unique_clicks: clicks, click_rate: Math.round((clicks / delivered) * 10000) / 100, unsubscribes: 3, spam_reports: 0,
      },
      web: { views: 300, clicks: 20 },
      clicks: [],
    },
  };
}

export function beehiivPostsPage(posts: readonly BeehiivPostFixture[], page: number, totalPages: number, limit = 50): unknown {
  return { data: posts.map(beehiivPost), limit, page, total_results: totalPages * limit, total_pages: totalPages };
}

export function beehiivErrorBody(status: number, statusText: string, message: string): unknown {
  return { status, statusText, errors: [{ message, code: statusText.toUpperCase().replace(/\s+/g, '_') }] };
}

export function beehiivRateLimitHeaders(resetEpochSeconds: number, remaining = 0): Record<string, string> {
  return { 'RateLimit-Limit': '180', 'RateLimit-Remaining': String(remaining), 'RateLimit-Reset': String(resetEpochSeconds) };
}

/** Installs the publication and posts served from `pages` (page N = pages[N-1]). */
export function installBeehiivFake(server: FakeServer, options: { publication?: unknown; pages?: unknown[] } = {}): FakeServer {
  const pages = options.pages ?? [beehiivPostsPage([{ id: 'post_1' }], 1, 1)];
  server.clear();
  server.route('GET', '/v2/publications/:publicationId', { body: options.publication ?? beehiivPublicationBody() });
  server.route('GET', '/v2/publications/:publicationId/posts', (req): FakeResponse => {
    const page = Number(req.query.get('page') ?? '1');
    return page >= 1 && page <= pages.length ? { body: pages[page - 1] } : { body: { data: [], limit: 50, page, total_results: 0, total_pages: pages.length } };
  });
  return server;
}
