/** CSV backfill parsing: format detection by header, per-row validation with line numbers, observations. */
import fc from 'fast-check';
import { readCsv } from '../../../functions/sources/csv/csv-reader';
import { detectFormat, parseImport, parseImportFiles } from '../../../functions/sources/csv/import-formats';
import { isENotation, parseCount, parseDay, parseExportCount, parseInstant } from '../../../functions/sources/csv/values';

/** An import's snapshots as [day, value] pairs. */
const counts = (r: { observations: unknown[] }) => r.observations.map((o) => [(o as { at: string }).at.slice(0, 10), (o as { value: number }).value]);
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

  it('reads ;-separated and tab-separated files, choosing the separator from the header line', () => {
    expect(readCsv('a;b;"c,d"\n1;"x;y";3\n')).toMatchObject({ delimiter: ';', header: ['a', 'b', 'c,d'], records: [{ line: 2, cells: ['1', 'x;y', '3'] }] });
    expect(readCsv('a\tb\n1\t2\n').records[0].cells).toEqual(['1', '2']);
    expect(readCsv('metric,at,value\nx;y,1,2\n').delimiter).toBe(',');
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
    ['2019-01-31 23:32 +0000', '2019-01-31T23:32:00.000Z'],
    ['2023-03-24 10:23:10 UTC', '2023-03-24T10:23:10.000Z'],
    ['2024-03-13 00:03:09.183465+00:00', '2024-03-13T00:03:09.183Z'],
    ['2026-03-01T10:00:00+0200', '2026-03-01T08:00:00.000Z'],
    ['2026-02-30 10:00', undefined],
    ['yesterday', undefined],
  ])('parseInstant(%j) → %j (canonical, so re-imports hit the same keys)', (raw, iso) => {
    expect(parseInstant(raw)).toBe(iso);
  });
});

describe('export counts', () => {
  it.each([['2633.0', 2633], ['17', 17], ['0.0', 0], ['2633.5', undefined], ['6.49E+17', undefined], ['-', undefined]])('parseExportCount(%j) → %j (never rounded)', (raw, n) => {
    expect(parseExportCount(raw)).toBe(n);
  });

  it('recognises Excel E-notation', () => {
    expect([isENotation('6.49E+17'), isENotation('1.09e18'), isENotation('649000000000000000')]).toEqual([true, true, false]);
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
    ['Tweet id,Tweet permalink,Tweet text,time,impressions,engagements,engagement rate,retweets,replies,likes,user profile clicks', 'x-tweet-activity'],
    ['Tweet id,Tweet permalink,Tweet text,time,impressions,engagements,engagement rate,retweets,replies,favorites', 'x-tweet-activity'],
    ['email,First Name,Last Name,status,tier,created_at,stripe_customer_id,unsubscribed_at,Subscription Date (Substack)', 'beehiiv-subscribers'],
    ['email,active_subscription,expiry,plan,email_disabled,subscription_created_at', 'substack-subscribers'],
    ['email,active_subscription,expiry,email_disabled,prefer_digests,created_at', 'substack-subscribers'],
    ['Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LAST_CHANGED,LEID,EUID,NOTES,TAGS', 'mailchimp-subscribed'],
    ['Email Address,First Name,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,REGION,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_REASON,LEID', 'mailchimp-unsubscribed'],
    ['Email Address,First Name,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,REGION,CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,LEID', 'mailchimp-cleaned'],
    ['id,secondary_id,email,notes,subscriber_type,referrer_url,creation_date,subscription_date,unsubscription_date,tags,metadata', 'buttondown-subscribers'],
    ['first_name,email_address,state,created_at,tags', 'kit-subscribers'],
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
      { line: 4, message: 'created_at: expected a date or ISO-8601 time, got "someday"' },
    ]);
  });

  it('maps a post export to newsletter.send with unique opens and clicks', () => {
    const csv = 'id,title,publish_date,recipients,delivered,unique_opens,unique_clicks\npost_1,"Issue, one",2026-03-01T10:00:00Z,4020,4000,1800,240\n';

    expect(parseImport(csv).observations).toEqual([{
      metric: 'newsletter.send', id: 'post_1', sentAt: '2026-03-01T10:00:00.000Z', delivered: 4000, opens: 1800, clicks: 240, at: '2026-03-02T00:00:00.000Z', source: 'csv',
    }]);
  });
});

describe('X tweet activity export (analytics.twitter.com)', () => {
  const header = 'Tweet id,Tweet permalink,Tweet text,time,impressions,engagements,engagement rate,retweets,replies,likes,promoted impressions';

  it('reads float counts and offset times, and takes an Excel-mangled id from the permalink, saying so', () => {
    const csv = [header, '6.49E+17,https://twitter.com/dev/status/649123456789012345,hi,2015-09-30 12:00 +0000,2633.0,41.0,0.0155,3.0,2.0,17.0,-'].join('\n');

    const result = parseImport(csv, { at: '2015-10-05' });

    expect(result.observations).toEqual([{
      metric: 'x.post', id: '649123456789012345', publishedAt: '2015-09-30T12:00:00.000Z', impressions: 2633, likes: 17, replies: 2, reposts: 3, quotes: 0,
      at: '2015-10-05T00:00:00.000Z', source: 'csv',
    }]);
    expect(result.notices.join(' ')).toContain('line 2: 6.49E+17 → 649123456789012345');
  });

  it('reports an E-notation id it cannot recover instead of rounding it, and a fractional count', () => {
    const csv = [header, '6.49E+17,,hi,2015-09-30 12:00 +0000,10.0,1.0,0.1,0.0,0.0,1.0,-', '649123456789012345,,hi,2015-09-30 12:00 +0000,10.5,1.0,0.1,0.0,0.0,1.0,-'].join('\n');

    expect(parseImport(csv).rowErrors).toEqual([
      { line: 2, message: expect.stringContaining('6.49E+17 is in E-notation') },
      { line: 3, message: 'impressions: expected a whole number ≥ 0, got "10.5"' },
    ]);
  });

  it('reads favorites from the oldest exports as likes', () => {
    const csv = 'Tweet id,Tweet permalink,time,impressions,retweets,replies,favorites\n1,https://twitter.com/dev/status/1,2014-01-01 10:00 +0000,100,1,2,3\n';

    expect(parseImport(csv).observations[0]).toMatchObject({ id: '1', likes: 3, replies: 2, reposts: 1 });
  });
});

describe('subscriber exports', () => {

  it('beehiiv: an inactive subscriber without unsubscribed_at is never counted, and the import says so', () => {
    const csv = [
      'email,status,created_at,unsubscribed_at',
      'a@example.com,active,2023-03-24 10:23:10 UTC,',
      'b@example.com,inactive,2023-03-24 11:00:00 UTC,',
      'c@example.com,inactive,2023-03-24 12:00:00 UTC,2023-03-25 12:00:00 UTC',
    ].join('\n');

    const result = parseImport(csv);

    expect(counts(result)).toEqual([['2023-03-25', 2], ['2023-03-26', 1]]);
    expect(result.notices).toContainEqual(expect.stringContaining('1 row(s) marked as no longer subscribed have no leave time'));
  });

  it('beehiiv: a subscriber imported from Substack joined at Subscription Date (Substack)', () => {
    const csv = 'email,status,created_at,Subscription Date (Substack)\na@example.com,active,2023-03-24 10:23:10 UTC,2023-03-20 08:00:00 UTC\n';

    expect(counts(parseImport(csv, { at: '2023-03-22' }))).toEqual([['2023-03-21', 1], ['2023-03-22', 1], ['2023-03-23', 1]]);
  });

  it('Substack: counts the list by signup, skipping disabled addresses, and says earlier counts are lower bounds', () => {
    const csv = 'email,active_subscription,expiry,email_disabled,prefer_digests,created_at\na@x.com,false,,false,false,2018-08-27T15:06:27.713Z\nb@x.com,true,,true,false,2018-08-27T16:00:00Z\n';

    const result = parseImport(csv);

    expect(counts(result)).toEqual([['2018-08-28', 1]]);
    expect(result.notices[0]).toContain('earlier counts are lower bounds');
  });

  it('Mailchimp: unsubscribed and cleaned exports alone are refused; with the subscribed one they give exact counts', () => {
    const prefix = 'Email Address,OPTIN_TIME,CONFIRM_TIME';
    const subscribed = { name: 's.csv', text: `${prefix},LAST_CHANGED\na@x.com,2024-02-01 09:00:00,2024-02-01 09:05:00,\n` };
    const unsubscribed = { name: 'u.csv', text: `${prefix},UNSUB_TIME,UNSUB_REASON\nb@x.com,2024-02-01 10:00:00,,2024-02-02 10:00:00,NORMAL\n` };
    const cleaned = { name: 'c.csv', text: `${prefix},CLEAN_TIME\nc@x.com,2024-02-01 11:00:00,2024-02-01 11:01:00,2024-02-02 23:00:00\n` };

    expect(parseImport(unsubscribed.text).fileErrors[0]).toContain('import it together with the subscribed export');
    const all = parseImportFiles([subscribed, unsubscribed, cleaned]);

    expect(all.rows).toBe(3);
    expect(counts(all)).toEqual([['2024-02-02', 3], ['2024-02-03', 1]]);
    expect(all.notices.join(' ')).not.toContain('lower bounds');
  });

  it('several files must all be subscriber exports', () => {
    const result = parseImportFiles([{ name: 'a.csv', text: 'metric,at,value\n' }, { name: 'b.csv', text: 'email,status,created_at\n' }]);

    expect(result.fileErrors[0]).toContain('only when all are subscriber exports');
  });

  it('Buttondown: unactivated never counts; an unsubscribed row leaves at unsubscription_date', () => {
    const csv = [
      'id,email,subscriber_type,creation_date,subscription_date,unsubscription_date,tags',
      '1,a@x.com,regular,2024-03-12 20:00:00+00:00,2024-03-13 00:03:09.183465+00:00,,a;b',
      '2,b@x.com,unsubscribed,2024-03-13 01:00:00+00:00,2024-03-13 01:00:00+00:00,2024-03-14 01:00:00+00:00,',
      '3,c@x.com,unactivated,2024-03-13 02:00:00+00:00,,,',
    ].join('\n');

    expect(counts(parseImport(csv))).toEqual([['2024-03-14', 2], ['2024-03-15', 1]]);
  });

  it('Kit: a cancelled subscriber without a leave time is not counted', () => {
    const csv = 'first_name,email_address,state,created_at,tags\nA,a@x.com,active,2024-01-05T10:00:00Z,\nB,b@x.com,cancelled,2024-01-05T11:00:00Z,\n';

    expect(counts(parseImport(csv))).toEqual([['2024-01-06', 1]]);
  });

  it('refuses a leave time before the join time, by line', () => {
    const csv = 'email,status,created_at,unsubscribed_at\na@x.com,inactive,2024-01-05,2024-01-01\n';

    expect(parseImport(csv).rowErrors).toEqual([{ line: 2, message: 'unsubscribed_at 2024-01-01T00:00:00.000Z is before the join time 2024-01-05T00:00:00.000Z' }]);
  });

  it('refuses to write more than 100 years of daily counts', () => {
    expect(parseImport('email,status,created_at\na@x.com,active,1920-01-05\n', { at: '2024-01-05' }).fileErrors[0]).toContain('more than 100 years');
  });
});

describe('times in the future', () => {
  const now = '2026-12-01T09:00:00.000Z';

  it('a subscriber who joins or leaves after the import is a row error and stretches no daily counts into the future', () => {
    const csv = 'email,status,created_at,unsubscribed_at\na@x.com,active,2026-11-28,\nb@x.com,active,2062-11-28,\nc@x.com,inactive,2026-11-28,2062-01-01\n';

    const result = parseImport(csv, { now });

    expect(result.rowErrors).toEqual([
      { line: 3, message: 'created_at 2062-11-28T00:00:00.000Z is in the future' },
      { line: 4, message: 'unsubscribed_at 2062-01-01T00:00:00.000Z is in the future' },
    ]);
    expect(counts(result)).toEqual([['2026-11-29', 1]]);
  });

  it('a row dated after the import is a row error naming the field; today and the midnight after it are not', () => {
    const csv = 'metric,at,value\nx.followers,2026-12-01T08:00:00Z,10\nx.followers,2026-12-02,11\nx.followers,2062-12-01,12\n';

    const result = parseImport(csv, { now });

    expect(result.observations.map((o) => o.at)).toEqual(['2026-12-01T08:00:00.000Z', '2026-12-02T00:00:00.000Z']);
    expect(result.rowErrors).toEqual([{ line: 4, message: 'at: 2062-12-01T00:00:00.000Z is in the future' }]);
  });

  it('an X overview day after the import is a row error on its line', () => {
    const csv = `${X_OVERVIEW_HEADER}\n"Mon, Nov 30, 2026",100,1,1,0,0,2,0,0,0,0,0,0,0\n"Sat, Dec 5, 2026",100,1,1,0,0,2,0,0,0,0,0,0,0\n`;

    const result = parseImport(csv, { now, followersAtEnd: 50 });

    expect(result.rowErrors).toEqual([{ line: 3, message: 'Date: 2026-12-05 is in the future' }]);
    expect(result.observations.map((o) => [o.at.slice(0, 10), (o as { value: number }).value])).toEqual([['2026-11-30', 48], ['2026-12-01', 50]]);
  });

  it('a post published after the import is a row error, and --at in the future refuses the file', () => {
    const csv = `${X_CONTENT_HEADER}\n1,"Mon, Nov 30, 2026",t,l,100,5,7,0,0,0,1,2,0,0,0,0,0\n2,"Tue, Nov 30, 2027",t,l,100,5,7,0,0,0,1,2,0,0,0,0,0\n`;

    expect(parseImport(csv, { now, at: '2026-12-01' }).rowErrors).toEqual([{ line: 3, message: 'publishedAt: 2027-11-30T00:00:00.000Z is in the future' }]);
    expect(parseImport(csv, { now, at: '2062-12-01' }).fileErrors).toEqual(['--at 2062-12-01 is in the future: nothing can have been observed then yet']);
  });
});

it('refuses a file whose header matches no format', () => {
  expect(parseImport('name,amount\nx,1\n').fileErrors[0]).toContain('unknown format');
});
