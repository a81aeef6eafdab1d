/**
 * The CSV import fuzzed: fast-check builds files in every import format (known headers shuffled and
 * mixed with unknown columns, cells from valid values to garbage, quotes, CRLF, a BOM, ragged rows)
 * plus arbitrary text. The parser never throws, never emits an observation the domain schema rejects,
 * and reports a file problem instead of data; what it accepts, POST /observations (the import's
 * target) stores — never a 5xx, and a rejected chunk leaves nothing written. A second property does
 * the same for the real export formats (old X tweet activity, Substack, Mailchimp, Buttondown, Kit),
 * `,` or `;` separated, with cells mostly drawn from what each column holds in real files.
 */
import fc from 'fast-check';
import { ObservationSchema } from '../../functions/domain/observation';
import { MAX_OBSERVATIONS_PER_REQUEST } from '../../functions/api/routes/observations';
import { parseImport, parseImportFiles } from '../../functions/sources/csv/import-formats';
import { parseInstant } from '../../functions/sources/csv/values';
import { httpEvent, startCountedApi, type CountedApi } from './api-harness';
import { FUZZ_SEED, fuzzRuns } from '../support/fuzz-runs';

const RUNS = fuzzRuns(2_000);
/** The imports' clock, fixed so the same seed always generates the same work (cells range 2000–2100: some are in the future). */
const NOW = '2026-12-01T00:00:00.000Z';

const HEADERS: Record<string, string[]> = {
  generic: ['metric', 'at', 'value', 'source', 'account', 'id', 'publishedAt', 'impressions', 'likes', 'replies', 'reposts', 'quotes', 'sentAt', 'delivered', 'opens', 'clicks', 'engine', 'prompt', 'repetition', 'cited', 'mentioned', 'position', 'competitorMentions', 'costUsd'],
  xAccountOverview: ['Date', 'Impressions', 'New follows', 'Unfollows', 'Likes', 'Engagements', 'Profile visits'],
  xPostContent: ['Post id', 'Date', 'Impressions', 'Likes', 'Replies', 'Reposts', 'Post text'],
  beehiivSubscribers: ['email', 'status', 'created_at', 'unsubscribed_at'],
  beehiivPosts: ['id', 'publish_date', 'delivered', 'unique_opens', 'unique_clicks', 'title'],
};

const cellValue = fc.oneof(
  fc.constantFrom('x.followers', 'x.posts', 'newsletter.subscribers', 'bluesky.followers', 'x.post', 'newsletter.send', 'citations.answer', 'x.vibes'),
  fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('Tue, Jan 07, 2025', '2025-02-30', '1/2/2025', '0', '-1', '1,234', '1.5e3', 'NaN', 'Infinity', '', ' ', 'true', 'no', 'active', 'unsubscribed', 'ada@example.com', 'perplexity', 'a;b;c'),
  fc.nat({ max: 10_000_000 }).map(String),
  fc.double().map(String),
  fc.string({ maxLength: 30 }),
);

/** One CSV field, quoted when it must be (or at random), doubling quotes as RFC 4180 says. */
const quoted = ([v, quote]: [string, boolean]) => (quote || /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Each format's columns without which its rows cannot be read (the header keeps them, in a shuffled order, in most files). */
const REQUIRED: Record<string, string[]> = {
  generic: ['metric', 'at', 'value'],
  xAccountOverview: ['Date', 'Impressions', 'New follows', 'Unfollows'],
  xPostContent: ['Post id', 'Date', 'Impressions', 'Likes', 'Replies', 'Reposts'],
  beehiivSubscribers: ['email', 'status', 'created_at'],
  beehiivPosts: ['id', 'delivered', 'unique_opens', 'unique_clicks'],
};

/**
 * Times near the imports' clock: from eight days before NOW to three after it, so that some lie past the
 * import's two days of grace, and a subscriber export's daily counts (one per day from its first join)
 * stay a few days long.
 */
const DAY_MS = 86_400_000;
const recentMs = fc.integer({ min: Date.parse(NOW) - 8 * DAY_MS, max: Date.parse(NOW) + 3 * DAY_MS });
const recentInstant = fc.tuple(recentMs, fc.constantFrom('iso', 'day', 'space')).map(([ms, style]) => {
  const iso = new Date(ms).toISOString();
  return style === 'iso' ? iso : style === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
});
/** A day as X's exports spell it ("Tue, Nov 24, 2026"). */
const X_DAY = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: '2-digit', year: 'numeric', timeZone: 'UTC' });
const recentXDay = recentMs.map((ms) => X_DAY.format(ms));
const count = fc.nat({ max: 5_000 }).map(String);
const time = fc.oneof({ weight: 3, arbitrary: recentInstant }, { weight: 1, arbitrary: fc.constant('') });

/** What each known column holds in a real file. */
const PLAUSIBLE: Record<string, fc.Arbitrary<string>> = {
  metric: fc.constantFrom('x.followers', 'x.posts', 'newsletter.subscribers', 'bluesky.followers', 'x.post', 'newsletter.send', 'citations.answer', 'x.vibes'),
  at: recentInstant, publishedAt: recentInstant, sentAt: recentInstant, created_at: recentInstant, publish_date: recentInstant, unsubscribed_at: time,
  value: count, impressions: count, likes: count, replies: count, reposts: count, quotes: count, delivered: count, opens: count, clicks: count,
  repetition: count, position: count, Impressions: count, 'New follows': count, Unfollows: count, Likes: count, Engagements: count,
  'Profile visits': count, Replies: count, Reposts: count, unique_opens: count, unique_clicks: count,
  Date: fc.oneof(recentXDay, recentInstant), 'Post id': fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String), id: fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String),
  email: fc.constantFrom('ada@example.com', 'grace@example.com', 'not-an-email'), status: fc.constantFrom('active', 'inactive', 'pending', 'validating'),
  source: fc.constantFrom('csv', 'sheet'), account: fc.constantFrom('main', 'side'), engine: fc.constantFrom('perplexity', 'openai', 'gemini'),
  cited: fc.constantFrom('true', 'false', 'yes'), mentioned: fc.constantFrom('true', 'false'), competitorMentions: fc.constantFrom('', 'Acme;Beta'), costUsd: fc.constantFrom('0.004', '0'),
};
/** A subscriber's join or leave far in the past would write a daily count for every day since: garbage there is never a valid past time. */
const SUBSCRIBER_TIMES = new Set(['created_at', 'unsubscribed_at']);
const garbageFor = (column: string) => (SUBSCRIBER_TIMES.has(column) ? cellValue.filter((v) => (parseInstant(v) ?? NOW) >= NOW) : cellValue);
/** One cell of `column`: mostly what the column holds, else anything. */
const cellOf = (column: string) => fc.tuple(fc.oneof({ weight: 9, arbitrary: PLAUSIBLE[column] ?? cellValue }, { weight: 1, arbitrary: garbageFor(column) }), fc.boolean()).map(quoted);

const structuredHeader = fc.constantFrom(...Object.keys(HEADERS)).chain((format) => {
  const all = HEADERS[format];
  const required = REQUIRED[format];
  const optional = all.filter((c) => !required.includes(c));
  // Its required columns, some optional ones, all shuffled, and now and then a column no format knows.
  const unknown = fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.constant(['notes']) });
  const readable = fc.tuple(fc.subarray(optional), unknown).chain(([extra, notes]) => fc.shuffledSubarray([...required, ...extra], { minLength: required.length + extra.length }).map((cols) => [...cols, ...notes]));
  const anySubset = fc.shuffledSubarray(all, { minLength: Math.min(3, all.length) });
  return fc.oneof({ weight: 4, arbitrary: readable }, { weight: 1, arbitrary: anySubset });
});

const structuredCsv = fc.tuple(structuredHeader, fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean()).chain(([header, newline, bom, ragged]) =>
  fc.array(fc.tuple(...header.map(cellOf)), { maxLength: 25 }).map((rows) => {
    // A ragged file drops the last cell of every third row: those rows are misaligned and reported.
    const body = rows.map((r, i) => (ragged && i % 3 === 0 ? r.slice(0, -1) : r).join(','));
    return `${bom ? '\uFEFF' : ''}${[header.join(','), ...body].join(newline)}${newline}`;
  }));

const csvText = fc.oneof({ weight: 4, arbitrary: structuredCsv }, { weight: 1, arbitrary: fc.string({ maxLength: 400 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) });

const importOptions = fc.record({
  at: fc.option(fc.oneof({ weight: 3, arbitrary: recentInstant }, { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), { nil: undefined, freq: 2 }),
  followersAtEnd: fc.option(fc.integer({ min: -5, max: 1_000_000 }), { nil: undefined }),
  postsAtEnd: fc.option(fc.integer({ min: -5, max: 100_000 }), { nil: undefined }),
}, { requiredKeys: [] });

/** Real-export columns (as column keys) → plausible cells, so that many generated rows are valid. */
const TIMES = ['2024-01-31 23:32 +0000', '2024-01-24 10:23:10 UTC', '2024-02-13 00:03:09.183465+00:00', '2024-02-01 09:05:00', '2024-01-27T15:06:27.713Z', '2024-01-05T10:00:00Z', '2024-02-30 10:00', ''];
const EXPORT_COLUMNS: Record<string, readonly string[]> = {
  'Tweet id': ['1091101434532007936', '6.49E+17', '649123456789012000', ''],
  'Tweet permalink': ['https://twitter.com/dev/status/1091101434532007936', 'https://twitter.com/dev/status/649123456789012345', ''],
  time: TIMES, impressions: ['2633.0', '0', '12', '1.5', '-'], retweets: ['3.0', '0'], replies: ['2.0', '1'], likes: ['17.0', '4'], favorites: ['5'],
  email: ['ada@example.com', 'grace@example.com', 'not-an-email'], 'Email Address': ['ada@example.com', 'b@x.org'], email_address: ['ada@example.com'],
  active_subscription: ['true', 'false'], email_disabled: ['true', 'false', ''], subscription_created_at: TIMES, created_at: TIMES, OPTIN_TIME: TIMES,
  CONFIRM_TIME: TIMES, UNSUB_TIME: TIMES, CLEAN_TIME: TIMES, subscriber_type: ['regular', 'premium', 'unsubscribed', 'unactivated', 'churned'],
  subscription_date: TIMES, creation_date: TIMES, unsubscription_date: TIMES, state: ['active', 'cancelled', 'bounced', 'inactive'],
  status: ['active', 'inactive', 'pending'], unsubscribed_at: TIMES, 'Subscription Date (Substack)': TIMES,
};
const EXPORT_HEADERS: string[][] = [
  ['Tweet id', 'Tweet permalink', 'Tweet text', 'time', 'impressions', 'engagements', 'retweets', 'replies', 'likes'],
  ['Tweet id', 'Tweet permalink', 'time', 'impressions', 'retweets', 'replies', 'favorites'],
  ['email', 'status', 'created_at', 'unsubscribed_at', 'Subscription Date (Substack)'],
  ['email', 'active_subscription', 'expiry', 'plan', 'email_disabled', 'subscription_created_at'],
  ['Email Address', 'First Name', 'OPTIN_TIME', 'CONFIRM_TIME', 'LAST_CHANGED'],
  ['Email Address', 'OPTIN_TIME', 'CONFIRM_TIME', 'UNSUB_TIME', 'UNSUB_REASON'],
  ['Email Address', 'OPTIN_TIME', 'CONFIRM_TIME', 'CLEAN_TIME'],
  ['id', 'email', 'subscriber_type', 'creation_date', 'subscription_date', 'unsubscription_date', 'tags'],
  ['first_name', 'email_address', 'state', 'created_at', 'tags'],
];

const exportFile = fc.record({
  header: fc.constantFrom(...EXPORT_HEADERS).chain((h) => fc.shuffledSubarray(h, { minLength: h.length - 1 })),
  separator: fc.constantFrom(',', ';'),
  bom: fc.boolean(),
  newline: fc.constantFrom('\n', '\r\n'),
  seeds: fc.array(fc.array(fc.tuple(fc.nat(), fc.boolean(), cellValue), { minLength: 9, maxLength: 9 }), { maxLength: 12 }),
}).map(({ header, separator, bom, newline, seeds }) => {
  const quote = (v: string) => (/["\r\n,;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = seeds.map((row) => header.map((col, i) => {
    const [pick, plausible, garbage] = row[i % row.length];
    const pool = EXPORT_COLUMNS[col];
    return quote(pool && (plausible || pick % 4 !== 0) ? pool[pick % pool.length] : garbage);
  }).join(separator));
  return `${bom ? '\uFEFF' : ''}${[header.map(quote).join(separator), ...rows].join(newline)}${newline}`;
});

const exportOptions = fc.record({ at: fc.option(fc.constantFrom('2024-03-01', '2024-01-01', '2206-01-01', 'soon'), { nil: undefined }) }, { requiredKeys: [] });

let api: CountedApi;
beforeAll(async () => { api = await startCountedApi(); });
afterAll(async () => { await api.close(); });

describe('CSV import under fuzzing', () => {
  it(`parses ${RUNS} generated files without throwing and emits only valid observations, which the API stores`, async () => {
    const acceptedByFormat: Record<string, number> = {};

    await fc.assert(
      fc.asyncProperty(csvText, importOptions, async (text, options) => {
        const result = parseImport(text, { ...options, now: NOW });

        expect(Array.isArray(result.observations)).toBe(true);
        if (result.fileErrors.length > 0) expect(result.observations).toEqual([]);
        for (const o of result.observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
        for (const e of result.rowErrors) expect(e.line).toBeGreaterThanOrEqual(1);

        for (let i = 0; i < result.observations.length; i += MAX_OBSERVATIONS_PER_REQUEST) {
          const chunk = result.observations.slice(i, i + MAX_OBSERVATIONS_PER_REQUEST);
          const { result: res, itemsLeftWritten } = await api.stores.counter.during(() => api.send(httpEvent('POST', '/observations', {
            headers: { 'content-type': 'application/json' }, body: JSON.stringify({ observations: chunk }),
          })));
          expect(res.statusCode).toBeLessThan(500);
          if ((res.statusCode ?? 0) >= 400) expect(itemsLeftWritten).toEqual([]);
          // What the importer validated, the API accepts: the two share one schema.
          expect({ status: res.statusCode, body: res.statusCode === 200 ? '' : res.body }).toEqual({ status: 200, body: '' });
          acceptedByFormat[result.format] = (acceptedByFormat[result.format] ?? 0) + chunk.length;
        }
      }),
      { numRuns: RUNS, seed: FUZZ_SEED, endOnFailure: true },
    );

    // Most structured files have their format's columns and plausible cells, so the API path was really
    // exercised, by every format. fast-check biases its early runs toward tiny values, so a scaled-down
    // pass (FUZZ_SCALE < 1) can promise only some rows.
    const accepted = Object.values(acceptedByFormat).reduce((a, b) => a + b, 0);
    expect(accepted).toBeGreaterThan(RUNS >= 2_000 ? RUNS / 2 : 0);
    if (RUNS >= 2_000) expect(Object.keys(acceptedByFormat).sort()).toEqual(['beehiiv-posts', 'beehiiv-subscribers', 'generic', 'x-account-overview', 'x-post-content']);
    expect(api.loggedErrors).toEqual([]);
  });

  it('parses generated real-export files (alone and several at once) into valid observations the API stores', async () => {
    let filesWithObservations = 0;

    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: fc.tuple(exportFile) }, { weight: 1, arbitrary: fc.tuple(exportFile, exportFile) }), exportOptions, async (texts, options) => {
        const result = parseImportFiles(texts.map((text, i) => ({ name: `f${i}.csv`, text })), { ...options, now: NOW });

        if (result.fileErrors.length > 0) expect(result.observations).toEqual([]);
        for (const o of result.observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
        for (const e of result.rowErrors) expect(e.line).toBeGreaterThanOrEqual(1);
        if (result.observations.length > 0) filesWithObservations++;
        for (let i = 0; i < result.observations.length; i += MAX_OBSERVATIONS_PER_REQUEST) {
          const chunk = result.observations.slice(i, i + MAX_OBSERVATIONS_PER_REQUEST);
          const res = await api.send(httpEvent('POST', '/observations', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ observations: chunk }) }));
          expect({ status: res.statusCode, body: res.statusCode === 200 ? '' : res.body }).toEqual({ status: 200, body: '' });
        }
      }),
      { numRuns: 200, seed: Number(process.env.FUZZ_SEED ?? 20261201), endOnFailure: true },
    );

    expect(filesWithObservations).toBeGreaterThan(15); // the plausible cells make real imports: the API path was exercised
    expect(api.loggedErrors).toEqual([]);
  });
});
