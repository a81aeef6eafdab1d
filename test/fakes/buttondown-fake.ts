/**
 * Fake Buttondown API v1: regular subscriber count and sent emails with inline analytics, paged by
 * `page` with `next` links, Retry-After on 429, `{ code, detail, metadata }` errors.
 */
import type { FakeResponse, FakeServer } from './fake-http-server';

export function buttondownSubscribersBody(count = 830): unknown {
  return { count, next: null, previous: null, results: [{ id: 'sub_01', email_address: 'ada@example.com', type: 'regular', creation_date: '2026-01-01T00:00:00Z' }] };
}

export interface ButtondownEmailFixture { id: string; publishDate?: string | null; analytics?: { recipients: number; deliveries: number; opens: number; clicks: number } | null }

export function buttondownEmail(e: ButtondownEmailFixture): unknown {
  const analytics = e.analytics === undefined ? { recipients: 820, deliveries: 815, opens: 400, clicks: 52 } : e.analytics;
  return {
    id: e.id, creation_date: '2026-02-28T09:00:00Z', publish_date: e.publishDate === undefined ? '2026-03-01T10:00:00Z' : e.publishDate,
    subject: `Email ${e.id}`, body: 'Lorem ipsum', email_type: 'public', status: 'sent', metadata: {}, secondary_id: 3,
    absolute_url: `https://buttondown.com/verdict/archive/${e.id}`,
    analytics: analytics && {
      ...analytics, temporary_failures: 1, permanent_failures: 4, unsubscriptions: 1, complaints: 0, subscriptions: 2, page_views_lifetime: 120,
    },
  };
}

/** Page `page` of `totalPages` (next links point at the fake's own URL shape, as Buttondown's do). */
export function buttondownEmailsPage(emails: readonly ButtondownEmailFixture[], page: number, totalPages: number, count = emails.length * totalPages): unknown {
  const link = (p: number) => `https://api.buttondown.com/v1/emails?ordering=-publish_date&page=${p}&status=sent`;
  return { count, next: page < totalPages ? link(page + 1) : null, previous: page > 1 ? link(page - 1) : null, results: emails.map(buttondownEmail) };
}

export function buttondownErrorBody(code: string, detail: string): unknown {
  return { code, detail, metadata: {} };
}

export function installButtondownFake(server: FakeServer, options: { subscribers?: unknown; pages?: unknown[] } = {}): FakeServer {
  const pages = options.pages ?? [buttondownEmailsPage([{ id: 'em_1' }], 1, 1)];
  server.clear();
  server.route('GET', '/v1/subscribers', { body: options.subscribers ?? buttondownSubscribersBody() });
  server.route('GET', '/v1/emails', (req): FakeResponse => {
    const page = Number(req.query.get('page') ?? '1');
    return page >= 1 && page <= pages.length ? { body: pages[page - 1] } : { status: 404, body: buttondownErrorBody('not_found', 'Invalid page.') };
  });
  return server;
}
