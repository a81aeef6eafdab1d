/**
 * `verdict import --dry-run` on one fixture per real export format (test/fixtures/exports, each written
 * from the provider's documented header — see ../shared/api-contracts.md §7): the detected format, what
 * the import says about the columns it used, and the first snapshots it would write.
 */
import { join } from 'node:path';
import { importCommand } from '../../../functions/cli/import-command';

const FIXTURES = join(__dirname, '../../fixtures/exports');
const fixture = (name: string) => join(FIXTURES, name);

async function dryRun(...files: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const posts: unknown[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, isTTY: false };
  const code = await importCommand([...files.map(fixture), '--dry-run'], io, { post: async (_p, body) => { posts.push(body); return {}; } });
  return { code, stdout: out.join(''), stderr: err.join(''), posts };
}

/** The lines --dry-run prints under "first N of M:". */
const preview = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('  '));

describe('verdict import --dry-run on real export formats', () => {
  it('X tweet activity (analytics.twitter.com): float counts, +0000 times, observed the day after the file name\'s end date', async () => {
    const r = await dryRun('tweet_activity_metrics_verdictdev_20190101_20190201_en.csv');

    expect(r.code).toBe(0);
    expect(r.posts).toEqual([]);
    expect(r.stdout).toContain('format: x-tweet-activity\nrows: 3\nobservations: 3\n');
    expect(preview(r.stdout)[0]).toBe('  2019-02-02T00:00:00.000Z x.post id=1091101434532007936 published=2019-01-31T23:32:00.000Z impressions=2633 likes=17 replies=2 reposts=3 quotes=0');
  });

  it('X tweet activity saved by Excel (BOM, CRLF, ";", E-notation ids): exact ids from the permalinks, reported', async () => {
    const plain = await dryRun('tweet_activity_metrics_verdictdev_20190101_20190201_en.csv');
    const excel = await dryRun('tweet_activity_metrics_verdictdev_20190101_20190201_en_excel.csv');

    expect(excel.code).toBe(0);
    expect(preview(excel.stdout)).toEqual(preview(plain.stdout));
    expect(excel.stderr).toContain('3 Tweet id(s) did not match their permalink');
    expect(excel.stderr).toContain('line 2: 1.09E+18 → 1091101434532007936');
  });

  it('beehiiv: "… UTC" times, inactive without unsubscribed_at not counted, Substack imports from their own date', async () => {
    const r = await dryRun('beehiiv_subscribers.csv');

    expect(r.code).toBe(0);
    expect(r.stdout).toContain('format: beehiiv-subscribers\nrows: 6\n');
    expect(preview(r.stdout)[0]).toBe('  2022-11-03T00:00:00.000Z newsletter.subscribers 1');
    expect(r.stderr).toContain('leaves from unsubscribed_at');
    expect(r.stderr).toContain('1 row(s) marked as no longer subscribed have no leave time');
  });

  it('Substack email_list: joins from subscription_created_at, no leave times (said), disabled addresses skipped', async () => {
    const r = await dryRun('email_list.verdictdev.csv');

    expect(r.stdout).toContain('format: substack-subscribers\nrows: 4\nobservations: 3\n');
    expect(preview(r.stdout)).toEqual([
      '  2024-05-02T00:00:00.000Z newsletter.subscribers 1',
      '  2024-05-03T00:00:00.000Z newsletter.subscribers 2',
      '  2024-05-04T00:00:00.000Z newsletter.subscribers 3',
    ]);
    expect(r.stderr).toContain('no leave times');
    expect(r.stderr).toContain('1 row(s) with email_disabled=true');
  });

  it('Mailchimp subscribed + unsubscribed + cleaned (quoted newline in an address) merged into one audience', async () => {
    const r = await dryRun('subscribed_members_export_3f9a.csv', 'unsubscribed_members_export_3f9a.csv', 'cleaned_members_export_3f9a.csv');

    expect(r.code).toBe(0);
    expect(r.stdout).toContain('format: mailchimp-subscribed\nrows: 4\nobservations: 3\n');
    expect(preview(r.stdout)).toEqual([
      '  2024-02-02T00:00:00.000Z newsletter.subscribers 3',
      '  2024-02-03T00:00:00.000Z newsletter.subscribers 3',
      '  2024-02-04T00:00:00.000Z newsletter.subscribers 2',
    ]);
    expect(r.stderr).toContain('read as UTC');
  });

  it('Mailchimp subscribed alone: imports, and says what the other two files would add', async () => {
    const r = await dryRun('subscribed_members_export_3f9a.csv');

    expect(r.code).toBe(0);
    expect(r.stderr).toContain('give the unsubscribed and cleaned exports too');
  });

  it('Mailchimp unsubscribed alone is refused (exit 2)', async () => {
    const r = await dryRun('unsubscribed_members_export_3f9a.csv');

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lists only people who left');
  });

  it('Buttondown: microsecond +00:00 times, unactivated skipped, unsubscription_date honoured', async () => {
    const r = await dryRun('buttondown-subscribers.csv');

    expect(r.stdout).toContain('format: buttondown-subscribers\nrows: 4\nobservations: 2\n');
    expect(preview(r.stdout)).toEqual(['  2024-03-14T00:00:00.000Z newsletter.subscribers 3', '  2024-03-15T00:00:00.000Z newsletter.subscribers 2']);
  });

  it('Kit (BOM, ";" separated): joins from created_at, cancelled rows without a leave time not counted', async () => {
    const r = await dryRun('kit-subscribers.csv');

    expect(r.stdout).toContain('format: kit-subscribers\nrows: 3\nobservations: 2\n');
    expect(preview(r.stdout)).toEqual(['  2024-01-06T00:00:00.000Z newsletter.subscribers 1', '  2024-01-07T00:00:00.000Z newsletter.subscribers 2']);
    expect(r.stderr).toContain('no leave times');
  });
  it('--account brand2 imports a real export into that account\'s series, and --dry-run shows it (issue 18)', async () => {
    const out: string[] = [];
    const posts: { observations: { metric: string; accountName?: string }[] }[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => {} }, isTTY: false };
    const api = { post: async (_p: string, body: unknown) => { posts.push(body as never); return {}; } };

    const dry = await importCommand([fixture('email_list.verdictdev.csv'), '--account', 'brand2', '--dry-run'], io, api);
    const preview = out.join('').split('\n').filter((l) => l.startsWith('  '));
    const sent = await importCommand([fixture('email_list.verdictdev.csv'), '--account', 'brand2'], io, api);
    const bad = await importCommand([fixture('email_list.verdictdev.csv'), '--account', 'Brand 2'], io, api);

    expect(dry).toBe(0);
    expect(preview.length).toBeGreaterThan(0);
    expect(preview.every((l) => / newsletter\.subscribers@brand2 \d+$/.test(l))).toBe(true);
    expect(sent).toBe(0);
    expect(posts.flatMap((p) => p.observations).every((o) => o.accountName === 'brand2')).toBe(true);
    expect(bad).toBe(2);
  });
});
