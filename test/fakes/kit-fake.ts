/**
 * Fake Kit API v4: active subscriber total (include_total_count) and broadcast stats, cursor-paged
 * (`after` = end_cursor), Kit's plain-text 429 and `{ errors: [...] }` error bodies.
 */
import type { FakeResponse, FakeServer } from './fake-http-server';

export function kitSubscribersBody(totalCount = 2500): unknown {
  return {
    subscribers: [{ id: 142, first_name: 'Ada', email_address: 'ada@example.com', state: 'active', created_at: '2026-01-01T00:00:00Z', fields: {} }],
    pagination: { has_previous_page: false, has_next_page: true, start_cursor: 'WzE0Ml0=', end_cursor: 'WzE0Ml0=', per_page: 1, total_count: totalCount },
  };
}

export interface KitBroadcastFixture {
  id: number; sendAt?: string | null; recipients?: number; openRate?: number; emailsOpened?: number; clickRate?: number; totalClicks?: number; status?: string;
}

export function kitBroadcast(b: KitBroadcastFixture): unknown {
  const recipients = b.recipients ?? 1000;
  const opened = b.emailsOpened ?? 610;
  return {
    id: b.id, subject: `Broadcast ${b.id}`, send_at: b.sendAt === undefined ? '2026-03-01T10:00:00Z' : b.sendAt,
    stats: {
      recipients, open_rate: b.openRate ?? (recipients > 0 ? Math.round((opened / recipients) * 10000) / 100 : 0), emails_opened: opened,
      click_rate: b.clickRate ?? 8.5, unsubscribe_rate: 0.2, unsubscribes: 2, total_clicks: b.totalClicks ?? 130, show_total_clicks: true,
      status: b.status ?? 'completed', progress: 100, open_tracking_disabled: false, click_tracking_disabled: false,
    },
  };
}

export function kitBroadcastStatsPage(broadcasts: readonly KitBroadcastFixture[], endCursor?: string): unknown {
  return {
    broadcasts: broadcasts.map(kitBroadcast),
    pagination: { has_previous_page: false, has_next_page: endCursor !== undefined, start_cursor: 'WzE4Nl0=', end_cursor: endCursor ?? 'WzE4NV0=', per_page: 100 },
  };
}

export const KIT_RATE_LIMIT: FakeResponse = { status: 429, body: 'Retry later', headers: { 'content-type': 'text/plain' } };
export const KIT_UNAUTHORIZED_BODY = { errors: ['The access token is invalid'] };

/** Installs the subscriber total and broadcast stats pages (page i+1 is served for after=cursor-i). */
export function installKitFake(server: FakeServer, options: { subscribers?: unknown; pages?: unknown[] } = {}): FakeServer {
  const pages = options.pages ?? [kitBroadcastStatsPage([{ id: 186 }])];
  server.clear();
  server.route('GET', '/v4/subscribers', { body: options.subscribers ?? kitSubscribersBody() });
  server.route('GET', '/v4/broadcasts/stats', (req): FakeResponse => {
    const after = req.query.get('after');
    const index = after ? Number(/^cursor-(\d+)$/.exec(after)?.[1] ?? -1) + 1 : 0;
    return index >= 0 && index < pages.length ? { body: pages[index] } : { status: 422, body: { errors: ['Invalid cursor'] } };
  });
  return server;
}
