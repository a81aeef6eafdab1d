/** CSV backfill parsing: format detection by header, per-row validation with line numbers, observations. */
import fc from 'fast-check';
import { readCsv } from '../../../functions/sources/csv/csv-reader';
import { detectFormat, parseImport } from '../../../functions/sources/csv/import-formats';
import { parseCount, parseDay, parseInstant } from '../../../functions/sources/csv/values';

const X_OVERVIEW_HEADER = 'Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,Reposts,Profile visits,Create Post,Video views,Media views';
const X_CONTENT_HEADER = 'Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,Permalink Clicks';

describe('readCsv', () => {
  it('reads quoted commas, doubled quotes and line breaks, numbering records by the line they start on', () => {
    const table = readCsv('\uFEFFa,b,c\r\n1,"x, ""y""",3\r\n2,"multi\nline",4\n\n5,,6\n');

    expect(table.header).toEqual(['a', 'b', 'c']);
    expect(table.records).toEqual([
      { line: 2, cells: ['1', 'x, "y"', '3'] },
      { line: 3, cells: ['2', 'multi\nline', '4'] },
      { line: 6, cells: ['5', '', '6'] },
    ]);
    expect(table.errors).toEqual([]);
  });

  it('reports an unterminated quote with its line', () => {
    expect(readCsv('a,b\n1,2\n3,"oops\n').errors).toEqual([{ line: 3, message: 'unterminated quoted field' }]);
  });

  it('reads back any table it is given in quoted form', () => {
    const cellArb = fc.string({ maxLength: 12 });
    fc.assert(fc.property(fc.array(fc.array(cellArb, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }), (rows) => {
      const text = ['h1,h2', ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join('\r\n');
      expect(readCsv(text).records.map((r) => r.cells)).toEqual(rows);
    }));
  });
});

describe('values', () => {
  it.each([['1,234', 1234], ['1,234,567', 1234567], ['0', 0], ['12,34', undefined], ['-1', undefined], ['', undefined], ['3.5', undefined]])('parseCount(%j) → %j', (raw, n) => {
    expect(parseCount(raw)).toBe(n);
  });

  it.each([['Tue, Mar 10, 2026', '2026-03-10'], ['Mar 9, 2026', '2026-03-09'], ['Sept 1, 2026', '2026-09-01'], ['2026-02-30', undefined], ['10/03/2026', undefined]])('parseDay(%j) → %j', (raw, day) => {
    expect(parseDay(raw)).toBe(day);
  });

  it.each([
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T10:00:00+02:00', '2026-03-01T08:00:00.000Z'],
    ['2026-03-01 10:30', '2026-03-01T10:30:00.000Z'],
    ['1772355600', '2026-03-01T09:00:00.000Z'],
    ['yesterday', undefined],
  ])('parseInstant(%j) → %j (canonical, so re-imports hit the same keys)', (raw, iso) => {
    expect(parseInstant(raw)).toBe(iso);
  });
});

describe('detectFormat', () => {
  it.each([
    ['metric,at,value', 'generic'],
    ['metric,at,value,id,impressions,likes,replies,reposts,quotes', 'generic'],
    [X_OVERVIEW_HEADER, 'x-account-overview'],
    [X_CONTENT_HEADER, 'x-post-content'],
    ['email,status,created_at,subscription_tier,utm_source', 'beehiiv-subscribers'],
    ['Email,Status,Created At,Unsubscribed At', 'beehiiv-subscribers'],
    ['id,title,publish_date,recipients,delivered,unique_opens,unique_clicks', 'beehiiv-posts'],
    ['name,amount', undefined],
  ])('%s → %s', (header, format) => {
    expect(detectFormat(header.split(','))).toBe(format);
  });
});

describe('generic format', () => {
  it('reads snapshots and rich observations, defaulting source to csv and canonicalising times', () => {
    const csv = [
      'metric,at,value,source,id,publishedAt,impressions,likes,replies,reposts,quotes,sentAt,delivered,opens,clicks',
      'x.followers,2026-03-01,1500,,,,,,,,,,,,',
      'x.post,2026-03-02T06:00:00Z,,x,1460323737035677698,2026-03-01T10:00:00Z,5432,234,12,50,5,,,,',
      'newsletter.send,2026-03-02T06:00:00+01:00,,,post_1,,,,,,,2026-03-01,4000,1800,240',
    ].join('\n');

    const result = parseImport(csv);

    expect(result).toMatchObject({ format: 'generic', rows: 3, rowErrors: [], fileErrors: [] });
    expect(result.observations).toEqual([
      { metric: 'x.followers', at: '2026-03-01T00:00:00.000Z', value: 1500, source: 'csv' },
      { metric: 'x.post', at: '2026-03-02T06:00:00.000Z', source: 'x', id: '1460323737035677698', publishedAt: '2026-03-01T10:00:00.000Z', impressions: 5432, likes: 234, replies: 12, reposts: 50, quotes: 5 },
      { metric: 'newsletter.send', at: '2026-03-02T05:00:00.000Z', source: 'csv', id: 'post_1', sentAt: '2026-03-01T00:00:00.000Z', delivered: 4000, opens: 1800, clicks: 240 },
    ]);
  });

  it('reads citation answers with booleans and a ;-separated competitor list', () => {
    const csv = 'metric,at,value,engine,prompt,repetition,cited,mentioned,position,competitorMentions,costUsd\ncitations.answer,2026-03-01,,perplexity,best tools,0,true,yes,2,Acme;Plausible,0.004\n';

    expect(parseImport(csv).observations).toEqual([{
      metric: 'citations.answer', at: '2026-03-01T00:00:00.000Z', source: 'csv', engine: 'perplexity', prompt: 'best tools', repetition: 0,
      cited: true, mentioned: true, position: 2, competitorMentions: ['Acme', 'Plausible'], costUsd: 0.004,
    }]);
  });

  it('reports every bad row with its line number and what is wrong', () => {
    const csv = [
      'metric,at,value',
      'x.followers,2026-03-01,10',
      'x.folowers,2026-03-02,11',
      'x.followers,yesterday,12',
      'x.followers,2026-03-04,-5',
      'x.followers,2026-03-05,',
      'x.followers,2026-03-06,13,extra',
      '"x.followers","2026-03-07","1,400"',
    ].join('\n');

    const result = parseImport(csv);

    expect(result.rowErrors).toEqual([
      { line: 3, message: 'metric: unknown metric x.folowers' },
      { line: 4, message: 'at: expected a date or ISO-8601 time, got "yesterday"' },
      { line: 5, message: 'value: expected a number ≥ 0, got "-5"' },
      { line: 6, message: expect.stringContaining('value') },
      { line: 7, message: 'expected 3 fields, found 4' },
    ]);
    expect(result.observations.map((o) => (o as { value: number }).value)).toEqual([10, 1400]);
  });

  it('rejects unknown columns for the whole file', () => {
    expect(parseImport('metric,at,value,impresions\n').fileErrors[0]).toContain('unknown column(s) impresions');
  });

  it('rejects a rich observation missing a required field, naming it', () => {
    const result = parseImport('metric,at,value,id,delivered,opens\nnewsletter.send,2026-03-01,,s1,100,50\n');

    expect(result.rowErrors).toEqual([{ line: 2, message: expect.stringMatching(/^clicks: /) }]);
  });

  it('gives the same observations on every parse (re-imports are idempotent)', () => {
    const csv = 'metric,at,value\nx.followers,2026-03-01T00:00:00+00:00,10\n';
    expect(parseImport(csv)).toEqual(parseImport(csv));
  });
});

describe('X analytics account overview', () => {
  const overview = [
    X_OVERVIEW_HEADER,
    '"Tue, Mar 10, 2026",2871,24,43,0,1,5,2,1,1,2,2,0,0',
    '"Mon, Mar 9, 2026",2199,12,26,0,0,3,0,2,0,0,1,0,0',
    '"Sun, Mar 8, 2026",336,2,15,0,0,0,1,2,0,1,0,0,0',
  ].join('\n');

  it('rebuilds midnight follower and post counts backwards from the end-of-export anchors', () => {
    const result = parseImport(overview, { followersAtEnd: 1000, postsAtEnd: 300 });

    expect(result.format).toBe('x-account-overview');
    expect(result.observations.filter((o) => o.metric === 'x.followers').map((o) => [o.at.slice(0, 10), (o as { value: number }).value])).toEqual([
      ['2026-03-08', 995], ['2026-03-09', 994], ['2026-03-10', 997], ['2026-03-11', 1000],
    ]);
    expect(result.observations.filter((o) => o.metric === 'x.posts').map((o) => (o as { value: number }).value)).toEqual([297, 297, 298, 300]);
  });

  it('needs the follower anchor, saying for which day', () => {
    expect(parseImport(overview).fileErrors[0]).toContain('--followers N, your follower count at the end of 2026-03-10');
  });

  it('stops the chain at a bad or missing day (earlier counts would be wrong)', () => {
    const broken = overview.replace('"Mon, Mar 9, 2026",2199,12,26,0,0,3,', '"Mon, Mar 9, 2026",2199,12,26,0,0,x,');

    const result = parseImport(broken, { followersAtEnd: 1000 });

    expect(result.rowErrors).toEqual([{ line: 3, message: 'New follows: expected a whole number ≥ 0' }]);
    expect(result.observations.map((o) => o.at.slice(0, 10))).toEqual(['2026-03-10', '2026-03-11']);
  });
});

describe('X analytics content export', () => {
  const content = [
    X_CONTENT_HEADER,
    '2074000000000000001,"Tue, Jul 14, 2026","Hello, world",https://x.com/dev/status/2074000000000000001,"122,978",12,300,0,0,0,4,7,129,200,66,0,0',
    '2073000000000000002,"Sun, Jul 12, 2026",second,https://x.com/dev/status/2073000000000000002,57000,2500,4000,0,0,3,44,575,0,0,0,0,0',
  ].join('\n');

  it('maps each post to an x.post snapshot observed the midnight after the newest post', () => {
    const result = parseImport(content);

    expect(result.observations[0]).toEqual({
      metric: 'x.post', id: '2074000000000000001', publishedAt: '2026-07-14T00:00:00.000Z',
      impressions: 122978, likes: 12, replies: 4, reposts: 7, quotes: 0, at: '2026-07-15T00:00:00.000Z', source: 'csv',
    });
    expect(result.observations).toHaveLength(2);
  });

  it('uses --at when given', () => {
    expect(parseImport(content, { at: '2026-07-20' }).observations[0].at).toBe('2026-07-20T00:00:00.000Z');
  });

  it('rejects a row whose counts are not numbers, by line', () => {
    const result = parseImport(content.replace(',57000,', ',lots,'));

    expect(result.rowErrors).toEqual([{ line: 3, message: 'impressions: expected a whole number ≥ 0, got "lots"' }]);
  });
});

describe('beehiiv exports', () => {
  it('turns a subscriber export into midnight counts of active subscribers (pending never counted)', () => {
    const csv = [
      'email,status,created_at,subscription_tier',
      'a@example.com,active,2026-03-01T10:00:00Z,free',
      'b@example.com,active,2026-03-02T23:59:00Z,free',
      'c@example.com,unsubscribed,2026-03-02T01:00:00Z,free',
      'd@example.com,pending,2026-03-02T02:00:00Z,free',
    ].join('\n');

    const result = parseImport(csv);

    expect(result.format).toBe('beehiiv-subscribers');
    expect(result.observations.map((o) => [o.at, (o as { value: number }).value])).toEqual([
      ['2026-03-02T00:00:00.000Z', 1], ['2026-03-03T00:00:00.000Z', 2],
    ]);
  });

  it('counts exactly when the export has unsubscribe dates', () => {
    const csv = [
      'Email,Status,Created At,Unsubscribed At',
      'a@example.com,active,2026-03-01,',
      'c@example.com,unsubscribed,2026-03-01,2026-03-02T12:00:00Z',
    ].join('\n');

    expect(parseImport(csv).observations.map((o) => (o as { value: number }).value)).toEqual([2, 1]);
  });

  it('reports subscriber rows without a usable date or email, by line', () => {
    const result = parseImport('email,status,created_at\na@example.com,active,2026-03-01\nnot-an-email,active,2026-03-01\nb@example.com,active,someday\n');

    expect(result.rowErrors).toEqual([
      { line: 3, message: 'email: expected an email address' },
      { line: 4, message: 'created: expected a date or ISO-8601 time, got "someday"' },
    ]);
  });

  it('maps a post export to newsletter.send with unique opens and clicks', () => {
    const csv = 'id,title,publish_date,recipients,delivered,unique_opens,unique_clicks\npost_1,"Issue, one",2026-03-01T10:00:00Z,4020,4000,1800,240\n';

    expect(parseImport(csv).observations).toEqual([{
      metric: 'newsletter.send', id: 'post_1', sentAt: '2026-03-01T10:00:00.000Z', delivered: 4000, opens: 1800, clicks: 240, at: '2026-03-02T00:00:00.000Z', source: 'csv',
    }]);
  });
});

it('refuses a file whose header matches no format', () => {
  expect(parseImport('name,amount\nx,1\n').fileErrors[0]).toContain('unknown format');
});
