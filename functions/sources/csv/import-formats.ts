/**
 * CSV backfill formats — pure: text in, validated observations out, every bad row reported with its
 * line number. The format is detected from the header:
 *
 * - generic            `metric,at,value[,…]`: one observation per row; extra columns carry rich
 *                      observations (x.post: id, publishedAt, impressions, likes, replies, reposts,
 *                      quotes; newsletter.send: id, sentAt, delivered, opens, clicks; citations.answer:
 *                      engine, prompt, repetition, cited, mentioned, position, competitorMentions
 *                      (`;`-separated), costUsd), plus optional source and account.
 * - x-account-overview X analytics "account overview" export (Date, Impressions, …, New follows,
 *                      Unfollows, …, Create Post): daily net follows become x.followers snapshots at
 *                      each UTC midnight, anchored on the follower count at the end of the last day
 *                      (the export has no absolute counts); Create Post likewise becomes x.posts when
 *                      a post-count anchor is given.
 * - x-post-content     X analytics content export (Post id, Date, …, Impressions, Likes, Replies,
 *                      Reposts): x.post snapshots as of `at`. Quotes are not exported: 0.
 * - x-tweet-activity   the older analytics.twitter.com export (tweet_activity_metrics_<handle>_<from>_<to>_en.csv:
 *                      Tweet id, Tweet permalink, time, impressions, …, retweets, replies, likes or
 *                      favorites): x.post snapshots. Counts written as `2633.0` are read as whole numbers;
 *                      a Tweet id Excel turned into E-notation (`6.49E+17`) or rounded to 15 digits is
 *                      taken from the permalink and reported, never rounded into a wrong id.
 * - subscriber exports beehiiv, Substack, Mailchimp (subscribed / unsubscribed / cleaned), Buttondown,
 *                      Kit: daily newsletter.subscribers snapshots from each person's join and leave
 *                      times — which columns, and what an export without leave times can tell, in
 *                      ./subscriber-lists.ts. Several files of one audience (Mailchimp's three) are
 *                      imported together with parseImportFiles.
 * - beehiiv-posts      beehiiv post export with email stats (id, publish date, delivered, unique
 *                      opens, unique clicks): newsletter.send snapshots as of `at`. Column names are
 *                      UNSURE and matched by aliases.
 *
 * Timestamps are canonical ISO-8601 so a re-import writes the same keys (idempotent). Nothing dated in
 * the future is imported (a typo such as 2062 for 2026 is a row error, or a file error in --at): see
 * FUTURE_GRACE_MS.
 */
import { ObservationSchema, type Observation } from '../../domain/observation';
import { columnKey, readCsv, type CsvRecord } from './csv-reader';
import { detectSubscriberFormat, readMembers, SUBSCRIBER_FORMATS, subscriberSnapshots, type MemberList, type SubscriberFormat } from './subscriber-lists';
import { addDays, isENotation, parseBoolean, parseCount, parseDay, parseExportCount, parseInstant, parseNumber, startOfDay } from './values';

export const IMPORT_FORMATS = ['generic', 'x-account-overview', 'x-post-content', 'x-tweet-activity', ...SUBSCRIBER_FORMATS, 'beehiiv-posts'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface RowError { line: number; message: string }

export interface ImportOptions {
  /** Force a format instead of detecting it from the header. */
  format?: ImportFormat;
  /** When per-post/per-send exports were observed (ISO-8601); default: midnight after the newest post/send. */
  at?: string;
  /** x-account-overview: followers at the end of the export's last day. */
  followersAtEnd?: number;
  /** x-account-overview: total posts at the end of the export's last day (optional). */
  postsAtEnd?: number;
  /** `source` of imported observations where the file does not say; default "csv". */
  source?: string;
  /** `account` of imported observations where the file does not say. */
  account?: string;
  /** The import's clock (ISO-8601), default the time of the call: nothing dated later (beyond FUTURE_GRACE_MS) is imported. */
  now?: string;
}

export interface ImportResult {
  format: ImportFormat;
  /** Data rows read (header excluded). */
  rows: number;
  observations: Observation[];
  /** Rows that failed validation (they produced nothing). */
  rowErrors: RowError[];
  /** Problems with the file as a whole (unknown format, missing anchor): nothing can be imported. */
  fileErrors: string[];
  /** What the user should know about how the numbers were derived (columns used, what the export cannot tell). */
  notices: string[];
}

type Columns = Map<string, number>;
/** What a format's parser returns. */
type Parsed = Omit<ImportResult, 'format' | 'rows' | 'notices'> & { notices?: string[] };

const ALIASES = {
  xPostId: ['post_id', 'tweet_id', 'id'],
  xReposts: ['reposts', 'retweets'],
  tweetLikes: ['likes', 'favorites'],
  beehiivPostId: ['id', 'post_id'],
  beehiivSent: ['publish_date', 'published_at', 'sent_at', 'send_date', 'displayed_date', 'date'],
  beehiivDelivered: ['delivered', 'email_delivered', 'total_delivered', 'stats_email_delivered'],
  beehiivOpens: ['unique_opens', 'email_unique_opens', 'total_unique_opens', 'unique_opened', 'stats_email_unique_opens'],
  beehiivClicks: ['unique_clicks', 'email_unique_clicks', 'total_unique_clicks', 'unique_clicked', 'verified_unique_clicks', 'stats_email_unique_clicks'],
} as const;

/** Which format a header is, or undefined. */
export function detectFormat(header: readonly string[]): ImportFormat | undefined {
  const cols = new Set(header.map(columnKey));
  const has = (...names: string[]) => names.every((n) => cols.has(n));
  const any = (names: readonly string[]) => names.some((n) => cols.has(n));
  if (has('metric', 'at', 'value')) return 'generic';
  if (has('date', 'impressions', 'new_follows', 'unfollows') && !any(ALIASES.xPostId)) return 'x-account-overview';
  if (has('tweet_id', 'time', 'impressions', 'retweets', 'replies') && any(ALIASES.tweetLikes)) return 'x-tweet-activity';
  if (any(['post_id', 'tweet_id']) && has('date', 'impressions', 'likes', 'replies') && any(ALIASES.xReposts)) return 'x-post-content';
  const subscribers = detectSubscriberFormat(cols);
  if (subscribers) return subscribers;
  if (any(ALIASES.beehiivPostId) && any(ALIASES.beehiivDelivered) && any(ALIASES.beehiivOpens) && any(ALIASES.beehiivClicks)) return 'beehiiv-posts';
  return undefined;
}

/** Parses and validates a whole file. Nothing is partially trusted: invalid rows are listed, not repaired. */
export function parseImport(text: string, options: ImportOptions = {}): ImportResult {
  const read = readFile(text, options);
  if ('result' in read) return read.result;
  const { format, records, ctx, widthErrors, rows } = read;
  let result: Parsed;
  if (isSubscriberFormat(format)) {
    result = subscriberResult([readMembers(format, records, ctx.cols, ctx.notAfter)], ctx);
  } else {
    switch (format) {
      case 'generic': result = parseGeneric(records, ctx, read.header); break;
      case 'x-account-overview': result = parseXOverview(records, ctx); break;
      case 'x-post-content': result = parseXContent(records, ctx); break;
      case 'x-tweet-activity': result = parseTweetActivity(records, ctx); break;
      case 'beehiiv-posts': result = parseBeehiivPosts(records, ctx); break;
    }
  }
  const rowErrors = [...widthErrors, ...result.rowErrors].sort((a, b) => a.line - b.line);
  return { format, rows, observations: result.observations, rowErrors, fileErrors: result.fileErrors, notices: result.notices ?? [] };
}

/** One of several files imported together, named for its row errors. */
export interface ImportFile { name: string; text: string }

/**
 * Several files at once: each alone as parseImport does, except that subscriber exports of one audience
 * (Mailchimp's subscribed + unsubscribed + cleaned files) are merged into one list before the daily
 * counts are taken. Row errors of the n-th file carry `file`.
 */
export function parseImportFiles(files: readonly ImportFile[], options: ImportOptions = {}): ImportResult & { rowErrors: (RowError & { file?: string })[] } {
  if (files.length === 1) return parseImport(files[0].text, options);
  const reads = files.map((f) => ({ name: f.name, read: readFile(f.text, options) }));
  const failed = reads.find((r) => 'result' in r.read && r.read.result.fileErrors.length > 0);
  if (failed && 'result' in failed.read) return { ...failed.read.result, fileErrors: failed.read.result.fileErrors.map((e) => `${failed.name}: ${e}`) };
  const formats = reads.map((r) => ('result' in r.read ? r.read.result.format : r.read.format));
  if (!formats.every(isSubscriberFormat)) {
    return emptyResult(formats[0], 0, [`several files can be imported together only when all are subscriber exports (got ${formats.join(', ')}); import the others one at a time`]);
  }
  const lists: MemberList[] = [];
  const rowErrors: (RowError & { file: string })[] = [];
  let rows = 0;
  let ctx: Ctx | undefined;
  for (const { name, read } of reads) {
    if ('result' in read) { rowErrors.push(...read.result.rowErrors.map((e) => ({ ...e, file: name }))); rows += read.result.rows; continue; }
    ctx ??= read.ctx;
    rows += read.rows;
    const list = readMembers(read.format as SubscriberFormat, read.records, read.ctx.cols, read.ctx.notAfter);
    rowErrors.push(...[...read.widthErrors, ...list.rowErrors].map((e) => ({ ...e, file: name })));
    lists.push(list);
  }
  const result = subscriberResult(lists, ctx ?? { cols: new Map(), options, source: options.source ?? 'csv', notAfter: latestAllowed(options.now) });
  return { format: formats[0], rows, observations: result.observations, rowErrors: [...rowErrors, ...result.rowErrors.map((e) => ({ ...e, file: files[0].name }))], fileErrors: result.fileErrors, notices: result.notices ?? [] };
}

function isSubscriberFormat(format: ImportFormat): format is SubscriberFormat {
  return (SUBSCRIBER_FORMATS as readonly string[]).includes(format);
}

function emptyResult(format: ImportFormat | undefined, rows: number, fileErrors: string[]): ImportResult {
  return { format: format ?? 'generic', rows, observations: [], rowErrors: [], fileErrors, notices: [] };
}

type FileRead =
  | { result: ImportResult }
  | { format: ImportFormat; header: string[]; records: CsvRecord[]; ctx: Ctx; widthErrors: RowError[]; rows: number };

/** Reads and checks one file up to the point where its format's parser takes over. */
function readFile(text: string, options: ImportOptions): FileRead {
  const table = readCsv(text);
  const format = options.format ?? detectFormat(table.header);
  const empty = (fileErrors: string[]) => ({ result: emptyResult(format, table.records.length, fileErrors) });
  if (table.header.length === 0) return empty(['the file is empty']);
  if (!format) {
    return empty([`unknown format: header "${table.header.join(table.delimiter)}" is not metric,at,value[,…], an X analytics export, a beehiiv post export, or a beehiiv, Substack, Mailchimp, Buttondown or Kit subscriber export`]);
  }
  if (table.errors.length > 0) return { result: { ...emptyResult(format, table.records.length, []), rowErrors: table.errors } };
  const at = options.at === undefined ? undefined : parseInstant(options.at);
  if (options.at !== undefined && !at) return empty([`--at ${options.at} is not a date or ISO-8601 time`]);
  const notAfter = latestAllowed(options.now);
  if (at && at > notAfter) return empty([`--at ${options.at} is in the future: nothing can have been observed then yet`]);

  const cols: Columns = new Map();
  table.header.forEach((h, i) => { if (!cols.has(columnKey(h))) cols.set(columnKey(h), i); });
  const ctx = { cols, options, source: options.source ?? 'csv', notAfter };
  // A row of the wrong width is misaligned: none of its cells can be trusted.
  const records = table.records.filter((r) => r.cells.length === table.header.length);
  const widthErrors = table.records
    .filter((r) => r.cells.length !== table.header.length)
    .map((r) => ({ line: r.line, message: `expected ${table.header.length} fields, found ${r.cells.length}` }));
  return { format, header: table.header, records, ctx, widthErrors, rows: table.records.length };
}

/** Longest span of daily snapshots one import writes: a join typed 1926 for 2026 must not write a century of days. */
const MAX_SNAPSHOT_DAYS = 100 * 366;

/**
 * How far after the import's clock a time may lie and still be real: an export's last day is stamped at
 * the midnight after it (up to a day ahead), and times without a zone are read as UTC (up to 14 h off).
 */
const FUTURE_GRACE_MS = 2 * 86_400_000;

/** The latest instant an imported time may have (canonical ISO-8601). */
function latestAllowed(now: string | undefined): string {
  const clock = now === undefined ? Date.now() : Date.parse(now);
  if (Number.isNaN(clock)) throw new Error(`ImportOptions.now must be an ISO-8601 time, got ${JSON.stringify(now)}`);
  return new Date(clock + FUTURE_GRACE_MS).toISOString();
}

function subscriberResult(lists: readonly MemberList[], ctx: Ctx): Parsed {
  const rowErrors = lists.flatMap((l) => l.rowErrors);
  const notices = [...new Set(lists.flatMap((l) => l.notices))];
  const formats = new Set(lists.map((l) => l.format));
  const leaversOnly = [...formats].filter((f) => f === 'mailchimp-unsubscribed' || f === 'mailchimp-cleaned');
  if (leaversOnly.length > 0 && !formats.has('mailchimp-subscribed')) {
    return { observations: [], rowErrors, notices, fileErrors: [`a Mailchimp ${leaversOnly.join(' / ').replace(/mailchimp-/g, '')} export lists only people who left: import it together with the subscribed export (verdict import subscribed.csv unsubscribed.csv cleaned.csv)`] };
  }
  if (formats.has('mailchimp-subscribed') && leaversOnly.length > 0) {
    // Together the three files are the whole audience with leave times: the subscribed file's caveat no longer holds.
    const subscribedNotice = lists.find((l) => l.format === 'mailchimp-subscribed')?.notices[0];
    const at = subscribedNotice === undefined ? -1 : notices.indexOf(subscribedNotice);
    if (at >= 0) notices.splice(at, 1);
    if (leaversOnly.length < 2) notices.push(`Mailchimp: no ${formats.has('mailchimp-cleaned') ? 'unsubscribed' : 'cleaned'} export given: people who left that way are missing, so earlier counts are lower bounds.`);
  } else if (formats.has('mailchimp-subscribed')) {
    notices.push('Mailchimp: give the unsubscribed and cleaned exports too (verdict import subscribed.csv unsubscribed.csv cleaned.csv) for exact earlier counts.');
  }
  const members = lists.flatMap((l) => l.members);
  if (members.length === 0) return { observations: [], rowErrors, notices, fileErrors: [] };
  const explicit = ctx.options.at ? parseInstant(ctx.options.at) : undefined;
  const first = members.reduce((min, m) => (m.join < min ? m.join : min), members[0].join);
  const last = members.reduce((max, m) => [m.join, m.leave ?? ''].reduce((a, b) => (b > a ? b : a), max), first);
  const end = explicit ?? last;
  if ((Date.parse(end) - Date.parse(first)) / 86_400_000 > MAX_SNAPSHOT_DAYS) {
    return { observations: [], rowErrors, notices, fileErrors: [`the export spans ${first.slice(0, 10)} to ${end.slice(0, 10)}: more than 100 years of daily counts${explicit ? ' (check --at)' : ''}`] };
  }
  const observations = subscriberSnapshots(members, { endAt: end, source: ctx.source, account: ctx.options.account })
    .flatMap((o) => validated(o, 1, rowErrors) ?? []);
  return { observations, rowErrors, notices, fileErrors: [] };
}

interface Ctx { cols: Columns; options: ImportOptions; source: string; /** The latest time a row may carry (latestAllowed). */ notAfter: string }

function cell(record: CsvRecord, ctx: Ctx, names: readonly string[]): string | undefined {
  for (const n of names) {
    const i = ctx.cols.get(n);
    if (i !== undefined) return record.cells[i]?.trim();
  }
  return undefined;
}

/** The times an observation carries that a file gave (or stamped from the file's dates). */
const DATED_FIELDS = ['at', 'publishedAt', 'sentAt'] as const;

/**
 * Validates a built observation with the domain schema, and (given `notAfter`) that none of its times is
 * in the future; the first issue becomes the row's message.
 */
function validated(o: Record<string, unknown>, line: number, errors: RowError[], notAfter?: string): Observation | undefined {
  const parsed = ObservationSchema.safeParse(o);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    errors.push({ line, message: `${issue.path.join('.') || 'row'}: ${issue.message}` });
    return undefined;
  }
  const dated = parsed.data as Partial<Record<(typeof DATED_FIELDS)[number], string>>;
  const future = notAfter === undefined ? undefined : DATED_FIELDS.find((f) => (dated[f] ?? '') > notAfter);
  if (future) {
    errors.push({ line, message: `${future}: ${dated[future]} is in the future` });
    return undefined;
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------- generic

const GENERIC_COLUMNS: Record<string, 'string' | 'instant' | 'count' | 'number' | 'boolean' | 'list'> = {
  metric: 'string', at: 'instant', value: 'number', source: 'string', account: 'string',
  id: 'string', publishedAt: 'instant', impressions: 'count', likes: 'count', replies: 'count', reposts: 'count', quotes: 'count',
  sentAt: 'instant', delivered: 'count', opens: 'count', clicks: 'count',
  engine: 'string', prompt: 'string', repetition: 'count', cited: 'boolean', mentioned: 'boolean', position: 'count', competitorMentions: 'list', costUsd: 'number',
};
const SNAPSHOT_METRICS = new Set(['x.followers', 'x.posts', 'newsletter.subscribers', 'bluesky.followers', 'bluesky.posts']);
const FIELDS_BY_METRIC: Record<string, string[]> = {
  'x.post': ['id', 'publishedAt', 'impressions', 'likes', 'replies', 'reposts', 'quotes'],
  'newsletter.send': ['id', 'sentAt', 'delivered', 'opens', 'clicks'],
  'citations.answer': ['engine', 'prompt', 'repetition', 'cited', 'mentioned', 'position', 'competitorMentions', 'costUsd'],
};

function parseGeneric(records: CsvRecord[], ctx: Ctx, header: string[]): Parsed {
  const byLower = new Map(Object.keys(GENERIC_COLUMNS).map((k) => [k.toLowerCase(), k]));
  const fields = header.map((h) => byLower.get(h.trim().toLowerCase()));
  const unknown = header.filter((_, i) => !fields[i]);
  if (unknown.length > 0) {
    return { observations: [], rowErrors: [], fileErrors: [`unknown column(s) ${unknown.join(', ')}; allowed: ${Object.keys(GENERIC_COLUMNS).join(', ')}`] };
  }
  const observations: Observation[] = [];
  const rowErrors: RowError[] = [];
  for (const r of records) {
    const raw: Record<string, string> = {};
    fields.forEach((f, i) => { const v = r.cells[i]?.trim(); if (f && v) raw[f] = v; });
    const metric = raw.metric;
    const allowed = metric && SNAPSHOT_METRICS.has(metric) ? ['value'] : FIELDS_BY_METRIC[metric ?? ''];
    if (!metric || !allowed) { rowErrors.push({ line: r.line, message: `metric: ${metric ? `unknown metric ${metric}` : 'required'}` }); continue; }
    const o: Record<string, unknown> = { metric, source: raw.source ?? ctx.source, ...((raw.account ?? ctx.options.account) && { account: raw.account ?? ctx.options.account }) };
    let bad: string | undefined;
    for (const f of ['at', ...allowed]) {
      const v = raw[f];
      if (v === undefined) continue;
      const parsed = parseTyped(GENERIC_COLUMNS[f], v);
      if (parsed === undefined) { bad = `${f}: ${describeType(GENERIC_COLUMNS[f])}, got "${v}"`; break; }
      o[f] = parsed;
    }
    if (!raw.at && !bad) bad = 'at: required';
    if (bad) { rowErrors.push({ line: r.line, message: bad }); continue; }
    const ok = validated(o, r.line, rowErrors, ctx.notAfter);
    if (ok) observations.push(ok);
  }
  return { observations, rowErrors, fileErrors: [] };
}

function parseTyped(type: (typeof GENERIC_COLUMNS)[string], v: string): unknown {
  switch (type) {
    case 'string': return v;
    case 'instant': return parseInstant(v);
    case 'count': return parseCount(v);
    case 'number': return parseNumber(v);
    case 'boolean': return parseBoolean(v);
    case 'list': return v.split(/[;|]/).map((s) => s.trim()).filter(Boolean);
  }
}

function describeType(type: (typeof GENERIC_COLUMNS)[string]): string {
  switch (type) {
    case 'instant': return 'expected a date or ISO-8601 time';
    case 'count': return 'expected a whole number ≥ 0';
    case 'number': return 'expected a number ≥ 0';
    case 'boolean': return 'expected true or false';
    default: return 'invalid';
  }
}

// ------------------------------------------------------------------------------------------- X exports

function parseXOverview(records: CsvRecord[], ctx: Ctx): Parsed {
  const rowErrors: RowError[] = [];
  const days = new Map<string, { line: number; net: number; posts?: number }>();
  for (const r of records) {
    const day = parseDay(cell(r, ctx, ['date']));
    const follows = parseCount(cell(r, ctx, ['new_follows']));
    const unfollows = parseCount(cell(r, ctx, ['unfollows']));
    const posts = ctx.cols.has('create_post') ? parseCount(cell(r, ctx, ['create_post'])) : 0;
    const problem = !day ? `Date: expected a day like "Tue, Mar 10, 2026", got "${cell(r, ctx, ['date']) ?? ''}"`
      : follows === undefined ? 'New follows: expected a whole number ≥ 0'
      : unfollows === undefined ? 'Unfollows: expected a whole number ≥ 0'
      : posts === undefined ? 'Create Post: expected a whole number ≥ 0'
      : days.has(day) ? `Date: ${day} appears twice (first on line ${days.get(day)?.line})`
      : startOfDay(day) > ctx.notAfter ? `Date: ${day} is in the future` : undefined;
    if (problem || !day) { rowErrors.push({ line: r.line, message: problem ?? 'invalid' }); continue; }
    days.set(day, { line: r.line, net: (follows ?? 0) - (unfollows ?? 0), posts });
  }
  const { followersAtEnd, postsAtEnd } = ctx.options;
  if (followersAtEnd === undefined) {
    const last = [...days.keys()].sort().at(-1);
    return { observations: [], rowErrors, fileErrors: [`the X account overview has no absolute counts: pass --followers N, your follower count at the end of ${last ?? 'the last day'} (and --posts N for x.posts)`] };
  }
  const sorted = [...days.keys()].sort();
  const observations: Observation[] = [];
  const account = ctx.options.account;
  const snapshot = (metric: 'x.followers' | 'x.posts', at: string, value: number, line: number) =>
    validated({ metric, at, value, source: ctx.source, ...(account && { account }) }, line, rowErrors, ctx.notAfter);
  // Walk back from the anchor; a gap or an invalid day breaks the chain, so stop there.
  let followers = followersAtEnd;
  let posts = postsAtEnd;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const day = sorted[i];
    if (i < sorted.length - 1 && addDays(day, 1) !== sorted[i + 1]) break;
    const entry = days.get(day)!;
    const end = startOfDay(addDays(day, 1));
    if (followers < 0) { rowErrors.push({ line: entry.line, message: `--followers ${followersAtEnd} is too small: the count would be negative on ${day}` }); break; }
    const f = snapshot('x.followers', end, followers, entry.line);
    if (f) observations.push(f);
    if (posts !== undefined && posts >= 0) {
      const p = snapshot('x.posts', end, posts, entry.line);
      if (p) observations.push(p);
      posts -= entry.posts ?? 0;
    }
    followers -= entry.net;
    const startOfRange = i === 0 || addDays(sorted[i - 1], 1) !== day;
    if (startOfRange && followers >= 0) {
      const s = snapshot('x.followers', startOfDay(day), followers, entry.line);
      if (s) observations.push(s);
      if (posts !== undefined && posts >= 0) { const p = snapshot('x.posts', startOfDay(day), posts, entry.line); if (p) observations.push(p); }
    }
  }
  return { observations: observations.sort((a, b) => a.at.localeCompare(b.at) || a.metric.localeCompare(b.metric)), rowErrors, fileErrors: [] };
}

function parseXContent(records: CsvRecord[], ctx: Ctx): Parsed {
  const rowErrors: RowError[] = [];
  const rows: { line: number; o: Record<string, unknown> }[] = [];
  for (const r of records) {
    const id = cell(r, ctx, ALIASES.xPostId);
    const day = parseDay(cell(r, ctx, ['date'])) ?? parseInstant(cell(r, ctx, ['date']))?.slice(0, 10);
    const counts = {
      impressions: parseCount(cell(r, ctx, ['impressions'])),
      likes: parseCount(cell(r, ctx, ['likes'])),
      replies: parseCount(cell(r, ctx, ['replies'])),
      reposts: parseCount(cell(r, ctx, ALIASES.xReposts)),
      quotes: ctx.cols.has('quotes') ? parseCount(cell(r, ctx, ['quotes'])) : 0,
    };
    const badCount = Object.entries(counts).find(([, v]) => v === undefined);
    const problem = !id || !/^\d+$/.test(id) ? `Post id: expected a numeric post id, got "${id ?? ''}"`
      : !day ? `Date: expected a day like "Tue, Mar 10, 2026", got "${cell(r, ctx, ['date']) ?? ''}"`
      : badCount ? `${badCount[0]}: expected a whole number ≥ 0, got "${cell(r, ctx, badCount[0] === 'reposts' ? ALIASES.xReposts : [badCount[0]]) ?? ''}"`
      : undefined;
    if (problem || !day) { rowErrors.push({ line: r.line, message: problem ?? 'invalid' }); continue; }
    rows.push({ line: r.line, o: { metric: 'x.post', id, publishedAt: startOfDay(day), ...counts } });
  }
  return withSnapshotTime(rows, 'publishedAt', ctx, rowErrors);
}

/**
 * The older analytics.twitter.com export. Excel-saved copies mangle `Tweet id` (E-notation, or 15
 * significant digits and zeros): the permalink's id is exact, so it wins, and every replaced id is
 * reported. Without a permalink such a row is an error — a rounded id would name another post.
 */
function parseTweetActivity(records: CsvRecord[], ctx: Ctx): Parsed {
  const rowErrors: RowError[] = [];
  const rows: { line: number; o: Record<string, unknown> }[] = [];
  const replaced: string[] = [];
  for (const r of records) {
    const rawId = cell(r, ctx, ['tweet_id']) ?? '';
    const permalinkId = /\/status(?:es)?\/(\d+)/.exec(cell(r, ctx, ['tweet_permalink']) ?? '')?.[1];
    const exact = /^\d+$/.test(rawId) ? rawId : undefined;
    const id = permalinkId ?? exact;
    if (permalinkId && rawId !== permalinkId) replaced.push(`line ${r.line}: ${rawId || '(empty)'} → ${permalinkId}`);
    const timeRaw = cell(r, ctx, ['time']);
    const publishedAt = parseInstant(timeRaw);
    const counts = {
      impressions: parseExportCount(cell(r, ctx, ['impressions'])),
      likes: parseExportCount(cell(r, ctx, ALIASES.tweetLikes)),
      replies: parseExportCount(cell(r, ctx, ['replies'])),
      reposts: parseExportCount(cell(r, ctx, ['retweets'])),
    };
    const badCount = Object.entries(counts).find(([, v]) => v === undefined);
    const column = (k: string) => (k === 'reposts' ? ['retweets'] : k === 'likes' ? ALIASES.tweetLikes : [k]);
    const problem = !id
      ? (isENotation(rawId)
        ? `Tweet id: ${rawId} is in E-notation (saved by Excel, its last digits are lost) and the row has no permalink to take the exact id from`
        : `Tweet id: expected a numeric id, got "${rawId}"`)
      : !publishedAt ? `time: expected a time like "2019-01-31 23:32 +0000", got "${timeRaw ?? ''}"`
      : badCount ? `${column(badCount[0])[0]}: expected a whole number ≥ 0, got "${cell(r, ctx, column(badCount[0])) ?? ''}"`
      : undefined;
    if (problem) { rowErrors.push({ line: r.line, message: problem }); continue; }
    rows.push({ line: r.line, o: { metric: 'x.post', id, publishedAt, ...counts, quotes: 0 } });
  }
  const result = withSnapshotTime(rows, 'publishedAt', ctx, rowErrors);
  const notices = ['X tweet activity: likes from likes (favorites in older exports), reposts from retweets; quotes are not exported (0).'];
  if (replaced.length > 0) {
    notices.push(`${replaced.length} Tweet id(s) did not match their permalink (Excel writes long ids in E-notation or rounds them to 15 digits); the permalink's exact id was used: ${replaced.slice(0, 5).join('; ')}${replaced.length > 5 ? '; …' : ''}`);
  }
  return { ...result, notices };
}

// -------------------------------------------------------------------------------------- beehiiv exports

function parseBeehiivPosts(records: CsvRecord[], ctx: Ctx): Parsed {
  const rowErrors: RowError[] = [];
  const rows: { line: number; o: Record<string, unknown> }[] = [];
  for (const r of records) {
    const id = cell(r, ctx, ALIASES.beehiivPostId);
    const sentRaw = cell(r, ctx, ALIASES.beehiivSent);
    const sentAt = sentRaw ? parseInstant(sentRaw) : undefined;
    const delivered = parseCount(cell(r, ctx, ALIASES.beehiivDelivered));
    const opens = parseCount(cell(r, ctx, ALIASES.beehiivOpens));
    const clicks = parseCount(cell(r, ctx, ALIASES.beehiivClicks));
    const problem = !id ? 'id: required'
      : sentRaw && !sentAt ? `publish date: expected a date or ISO-8601 time, got "${sentRaw}"`
      : delivered === undefined ? 'delivered: expected a whole number ≥ 0'
      : opens === undefined ? 'unique opens: expected a whole number ≥ 0'
      : clicks === undefined ? 'unique clicks: expected a whole number ≥ 0'
      : undefined;
    if (problem) { rowErrors.push({ line: r.line, message: problem }); continue; }
    rows.push({ line: r.line, o: { metric: 'newsletter.send', id, ...(sentAt && { sentAt }), delivered, opens, clicks } });
  }
  return withSnapshotTime(rows, 'sentAt', ctx, rowErrors);
}

/**
 * Stamps per-post/per-send rows with the time they were observed: `options.at`, or the midnight after
 * the newest post/send in the file (deterministic, so re-importing the same file is idempotent).
 */
function withSnapshotTime(rows: { line: number; o: Record<string, unknown> }[], dateField: string, ctx: Ctx, rowErrors: RowError[]): Parsed {
  const explicit = ctx.options.at ? parseInstant(ctx.options.at) : undefined;
  const newest = rows.map((r) => r.o[dateField]).filter((v): v is string => typeof v === 'string').sort().at(-1);
  const at = explicit ?? (newest ? startOfDay(addDays(newest.slice(0, 10), 1)) : undefined);
  if (!at) return { observations: [], rowErrors, fileErrors: rows.length > 0 ? ['no dates in the file: pass --at to say when these numbers were observed'] : [] };
  const account = ctx.options.account;
  const observations = rows.flatMap((r) => {
    const o = validated({ ...r.o, at, source: ctx.source, ...(account && { account }) }, r.line, rowErrors, ctx.notAfter);
    return o ? [o] : [];
  });
  return { observations, rowErrors, fileErrors: [] };
}
