/**
 * Fake Mailchimp Marketing API 3.0: GET /3.0/lists/:id (stats.member_count) and campaign reports,
 * offset-paged (`count`, `offset`, `total_items`), problem+json errors.
 */
import type { FakeResponse, FakeServer } from './fake-http-server';

export const MAILCHIMP_LIST_ID = '57afe96172';
export const MAILCHIMP_API_KEY = '0123456789abcdef0123456789abcdef-us21';

export function mailchimpListBody(memberCount = 1500): unknown {
  return {
    id: MAILCHIMP_LIST_ID,
    stats: {
      member_count: memberCount, unsubscribe_count: 40, cleaned_count: 12, member_count_since_send: 20, open_rate: 42.5, click_rate: 4.1,
      campaign_count: 30, avg_sub_rate: 5, avg_unsub_rate: 1, target_sub_rate: 0,
    },
  };
}

export interface MailchimpReportFixture { id: string; listId?: string; sendTime?: string; emailsSent?: number; hard?: number; soft?: number; uniqueOpens?: number; uniqueClicks?: number }

export function mailchimpReport(r: MailchimpReportFixture): unknown {
  const sent = r.emailsSent ?? 1480;
  const opens = r.uniqueOpens ?? 620;
  const clicks = r.uniqueClicks ?? 75;
  return {
    id: r.id, campaign_title: `Campaign ${r.id}`, type: 'regular', list_id: r.listId ?? MAILCHIMP_LIST_ID, list_is_active: true, list_name: 'Verdict',
    subject_line: `Campaign ${r.id}`, preview_text: '', emails_sent: sent, abuse_reports: 0, unsubscribed: 2,
    send_time: r.sendTime ?? '2026-03-01T10:00:00+00:00',
    bounces: { hard_bounces: r.hard ?? 5, soft_bounces: r.soft ?? 3, syntax_errors: 0 },
    forwards: { forwards_count: 0, forwards_opens: 0 },
    opens: { opens_total: opens + 300, unique_opens: opens, open_rate: opens / (sent - 8), last_open: '2026-03-02T10:00:00+00:00' },
    clicks: { clicks_total: clicks + 20, unique_clicks: clicks, unique_subscriber_clicks: clicks, click_rate: clicks / (sent - 8), last_click: '2026-03-02T10:00:00+00:00' },
  };
}

export function mailchimpReportsPage(reports: readonly MailchimpReportFixture[], totalItems = reports.length): unknown {
  return { reports: reports.map(mailchimpReport), total_items: totalItems };
}

export function mailchimpProblem(status: number, title: string, detail: string): unknown {
  return { type: 'https://mailchimp.com/developer/marketing/docs/errors/', title, status, detail, instance: '995c5cb0-3280-4a6e-808b-3b096d0bb219' };
}

/** Installs the list and reports served from `pages` (by offset / count). */
export function installMailchimpFake(server: FakeServer, options: { list?: unknown; pages?: unknown[] } = {}): FakeServer {
  const pages = options.pages ?? [mailchimpReportsPage([{ id: '42694e9e57' }])];
  server.clear();
  server.route('GET', '/3.0/lists/:listId', { body: options.list ?? mailchimpListBody() });
  server.route('GET', '/3.0/reports', (req): FakeResponse => {
    const count = Number(req.query.get('count') ?? '10');
    const index = Math.floor(Number(req.query.get('offset') ?? '0') / count);
    return { body: pages[index] ?? mailchimpReportsPage([], 0) };
  });
  return server;
}
