/**
 * `verdict import FILE` end to end on real files: validation before anything is sent, chunked POSTs
 * to /observations, progress on a terminal, exit codes 0 / 2 (invalid input) / 1 (API failure).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMPORT_CHUNK_SIZE, importCommand } from '../../../functions/cli/import-command';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'verdict-import-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function aFile(name: string, lines: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`, 'utf8');
  return path;
}

function followerRows(n: number): string[] {
  return ['metric,at,value', ...Array.from({ length: n }, (_, i) => `x.followers,${new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString()},${1000 + i}`)];
}

function harness(options: { isTTY?: boolean; failOnCall?: number } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const posts: { path: string; body: { observations: unknown[] } }[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, isTTY: options.isTTY ?? false };
  const api = {
    async post(path: string, body: unknown) {
      if (options.failOnCall !== undefined && posts.length + 1 === options.failOnCall) throw new Error('503 Service Unavailable');
      posts.push({ path, body: body as { observations: unknown[] } });
      return { written: (body as { observations: unknown[] }).observations.length };
    },
  };
  return { io, api, posts, stdout: () => out.join(''), stderr: () => err.join('') };
}

describe('verdict import', () => {
  it('posts a valid file to /observations and prints a summary', async () => {
    const file = await aFile('followers.csv', followerRows(3));
    const h = harness();

    const code = await importCommand([file], h.io, h.api);

    expect(code).toBe(0);
    expect(h.posts).toEqual([{ path: '/observations', body: { observations: expect.arrayContaining([expect.objectContaining({ metric: 'x.followers', value: 1000, source: 'csv' })]) } }]);
    expect(h.stdout()).toBe('format: generic\nrows: 3\nobservations: 3\nwritten: 3\nskipped rows: 0\n');
  });

  it('sends large files in chunks of at most 500, with a progress bar on a terminal', async () => {
    const file = await aFile('many.csv', followerRows(1201));
    const h = harness({ isTTY: true });

    const code = await importCommand([file], h.io, h.api);

    expect(code).toBe(0);
    expect(h.posts.map((p) => p.body.observations.length)).toEqual([IMPORT_CHUNK_SIZE, IMPORT_CHUNK_SIZE, 201]);
    expect(h.stderr()).toContain('\r[');
    expect(h.stderr()).toContain('100% 1201/1201 observations');
  });

  it('draws no progress bar when stderr is not a terminal', async () => {
    const file = await aFile('quiet.csv', followerRows(600));
    const h = harness({ isTTY: false });

    await importCommand([file], h.io, h.api);

    expect(h.stderr()).toBe('');
  });

  it('lists bad rows with line numbers and sends nothing (exit 2)', async () => {
    const file = await aFile('bad.csv', ['metric,at,value', 'x.followers,2026-03-01,10', 'x.followers,not-a-date,11', 'x.follows,2026-03-03,12']);
    const h = harness();

    const code = await importCommand([file], h.io, h.api);

    expect(code).toBe(2);
    expect(h.posts).toHaveLength(0);
    expect(h.stderr()).toContain('line 3: at: expected a date or ISO-8601 time, got "not-a-date"');
    expect(h.stderr()).toContain('line 4: metric: unknown metric x.follows');
    expect(h.stderr()).toContain('Nothing was imported');
  });

  it('imports the valid rows with --skip-invalid and reports the skipped ones', async () => {
    const file = await aFile('mixed.csv', ['metric,at,value', 'x.followers,2026-03-01,10', 'x.followers,not-a-date,11']);
    const h = harness();

    const code = await importCommand([file, '--skip-invalid'], h.io, h.api);

    expect(code).toBe(0);
    expect(h.posts[0].body.observations).toHaveLength(1);
    expect(h.stdout()).toContain('skipped rows: 1');
    expect(h.stderr()).toContain('line 3:');
  });

  it('only validates with --dry-run', async () => {
    const file = await aFile('dry.csv', followerRows(2));
    const h = harness();

    const code = await importCommand([file, '--dry-run'], h.io, h.api);

    expect(code).toBe(0);
    expect(h.posts).toHaveLength(0);
    expect(h.stdout()).toContain('written: 0 (dry run)');
  });

  it('exits 1 when the API fails, saying how much was written and that re-running is safe', async () => {
    const file = await aFile('apifail.csv', followerRows(1100));
    const h = harness({ failOnCall: 2 });

    const code = await importCommand([file], h.io, h.api);

    expect(code).toBe(1);
    expect(h.stderr()).toContain('after 500 of 1100 observations: 503 Service Unavailable');
    expect(h.stderr()).toContain('idempotent');
  });

  it('sends exactly the same observations when the same file is imported again', async () => {
    const file = await aFile('again.csv', followerRows(5));
    const first = harness();
    const second = harness();

    await importCommand([file], first.io, first.api);
    await importCommand([file], second.io, second.api);

    expect(second.posts).toEqual(first.posts);
  });

  it('takes the observation time of a per-post export from the date in its file name', async () => {
    const file = await aFile('account_analytics_content_2026-07-01_2026-07-27.csv', [
      'Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,Permalink Clicks',
      '2074000000000000001,"Tue, Jul 14, 2026",hi,https://x.com/dev/status/2074000000000000001,100,5,9,0,0,0,1,2,3,0,0,0,0',
    ]);
    const h = harness();

    await importCommand([file], h.io, h.api);

    expect(h.posts[0].body.observations[0]).toMatchObject({ metric: 'x.post', at: '2026-07-28T00:00:00.000Z', impressions: 100 });
    expect(h.stdout()).toContain('format: x-post-content');
  });

  it('needs --followers for an X account overview (exit 2), and uses it', async () => {
    const file = await aFile('account_overview_analytics.csv', [
      'Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,Reposts,Profile visits,Create Post,Video views,Media views',
      '"Tue, Mar 10, 2026",2871,24,43,0,1,5,2,1,1,2,2,0,0',
    ]);
    const without = harness();
    const withAnchor = harness();

    expect(await importCommand([file], without.io, without.api)).toBe(2);
    expect(without.stderr()).toContain('--followers');
    expect(await importCommand([file, '--followers', '1520'], withAnchor.io, withAnchor.api)).toBe(0);
    expect(withAnchor.posts[0].body.observations).toEqual([
      expect.objectContaining({ metric: 'x.followers', at: '2026-03-10T00:00:00.000Z', value: 1517 }),
      expect.objectContaining({ metric: 'x.followers', at: '2026-03-11T00:00:00.000Z', value: 1520 }),
    ]);
  });

  it.each([
    [['/nonexistent/file.csv'], 'Cannot read'],
    [[], 'FILE is required'],
    [['a.csv', '--frobnicate'], 'Unknown option --frobnicate'],
    [['a.csv', '--followers', 'many'], '--followers must be a whole number'],
    [['a.csv', '--format', 'xml'], '--format must be one of'],
  ])('exits 2 on bad input %j', async (argv, message) => {
    const h = harness();

    expect(await importCommand(argv, h.io, h.api)).toBe(2);
    expect(h.stderr()).toContain(message);
  });

  it('exits 2 for a file of an unknown format', async () => {
    const file = await aFile('unknown.csv', ['name,amount', 'x,1']);
    const h = harness();

    expect(await importCommand([file], h.io, h.api)).toBe(2);
    expect(h.stderr()).toContain('unknown format');
  });

  it('prints help', async () => {
    const h = harness();

    expect(await importCommand(['--help'], h.io, h.api)).toBe(0);
    expect(h.stdout()).toContain('Usage: verdict import FILE');
  });
});
