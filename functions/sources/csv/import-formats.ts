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
 * - beehiiv-subscribers beehiiv subscriber export (email, status, created…): daily
 *                      newsletter.subscribers snapshots of subscribers active at each UTC midnight
 *                      (exact when the export has an unsubscribe date; otherwise today's actives by
 *                      signup date, which understates older counts).
 * - beehiiv-posts      beehiiv post export with email stats (id, publish date, delivered, unique
 *                      opens, unique clicks): newsletter.send snapshots as of `at`. Column names are
 *                      UNSURE and matched by aliases.
 *
 * Timestamps are canonical ISO-8601 so a re-import writes the same keys (idempotent).
 */
import { ObservationSchema, type Observation } from '../../domain/observation';
import { columnKey, readCsv, type CsvRecord } from './csv-reader';
import { addDays, parseBoolean, parseCount, parseDay, parseInstant, parseNumber, startOfDay } from './values';

export const IMPORT_FORMATS = ['generic', 'x-account-overview', 'x-post-content', 'beehiiv-subscribers', 'beehiiv-posts'] as const;
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
}

type Columns = Map<string, number>;

const ALIASES = {
  xPostId: ['post_id', 'tweet_id', 'id'],
  xReposts: ['reposts', 'retweets'],
  beehiivCreated: ['created_at', 'created', 'subscribe_date', 'subscribed_at', 'date_subscribed', 'signup_date', 'subscription_date'],
  beehiivUnsubscribed: ['unsubscribed_at', 'unsubscribe_date', 'date_unsubscribed', 'unsubscribed_date'],
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
  if (any(['post_id', 'tweet_id']) && has('date', 'impressions', 'likes', 'replies') && any(ALIASES.xReposts)) return 'x-post-content';
  if (has('email', 'status') && any(ALIASES.beehiivCreated)) return 'beehiiv-subscribers';
  if (any(ALIASES.beehiivPostId) && any(ALIASES.beehiivDelivered) && any(ALIASES.beehiivOpens) && any(ALIASES.beehiivClicks)) return 'beehiiv-posts';
  return undefined;
}

/** Parses and validates a whole file. Nothing is partially trusted: invalid rows are listed, not repaired. */
export function parseImport(text: string, options: ImportOptions = {}): ImportResult {
  const table = readCsv(text);
  const format = options.format ?? detectFormat(table.header);
  const empty = (fileErrors: string[]): ImportResult => ({ format: format ?? 'generic', rows: table.records.length, observations: [], rowErrors: [], fileErrors });
  if (table.header.length === 0) return empty(['the file is empty']);
  if (!format) {
    return empty([`unknown format: header "${table.header.join(',')}" is not metric,at,value[,…], an X analytics export, or a beehiiv subscriber/post export`]);
  }
  if (table.errors.length > 0) return { ...empty([]), rowErrors: table.errors };
  if (options.at !== undefined && !parseInstant(options.at)) return empty([`--at ${options.at} is not a date or ISO-8601 time`]);

  const cols: Columns = new Map();
  table.header.forEach((h, i) => { if (!cols.has(columnKey(h))) cols.set(columnKey(h), i); });
  const ctx = { cols, options, source: options.source ?? 'csv' };
  // A row of the wrong width is misaligned: none of its cells can be trusted.
  const records = table.records.filter((r) => r.cells.length === table.header.length);
  const widthErrors = table.records
    .filter((r) => r.cells.length !== table.header.length)
    .map((r) => ({ line: r.line, message: `expected ${table.header.length} fields, found ${r.cells.length}` }));

  let result: Omit<ImportResult, 'format' | 'rows'>;
  switch (format) {
    case 'generic': result = parseGeneric(records, ctx, table.header); break;
    case 'x-account-overview': result = parseXOverview(records, ctx); break;
    case 'x-post-content': result = parseXContent(records, ctx); break;
    case 'beehiiv-subscribers': result = parseBeehiivSubscribers(records, ctx); break;
    case 'beehiiv-posts': result = parseBeehiivPosts(records, ctx); break;
  }
  const rowErrors = [...widthErrors, ...result.rowErrors].sort((a, b) => a.line - b.line);
  return { format, rows: table.records.length, observations: result.observations, rowErrors, fileErrors: result.fileErrors };
}

interface Ctx { cols: Columns; options: ImportOptions; source: string }

function cell(record: CsvRecord, ctx: Ctx, names: readonly string[]): string | undefined {
  for (const n of names) {
    const i = ctx.cols.get(n);
    if (i !== undefined) return record.cells[i]?.trim();
  }
  return undefined;
}

/** Validates a built observation with the domain schema; the first issue becomes the row's message. */
function validated(o: Record<string, unknown>, line: number, errors: RowError[]): Observation | undefined {
  const parsed = ObservationSchema.safeParse(o);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  errors.push({ line, message: `${issue.path.join('.') || 'row'}: ${issue.message}` });
  return undefined;
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

function parseGeneric(records: CsvRecord[], ctx: Ctx, header: string[]): Omit<ImportResult, 'format' | 'rows'> {
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
    const ok = validated(o, r.line, rowErrors);
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

function parseXOverview(records: CsvRecord[], ctx: Ctx): Omit<ImportResult, 'format' | 'rows'> {
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
      : days.has(day) ? `Date: ${day} appears twice (first on line ${days.get(day)?.line})` : undefined;
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
  const snapshot = (metric: 'x.followers' | 'x.posts', at: string, value: number) =>
    validated({ metric, at, value, source: ctx.source, ...(account && { account }) }, 0, rowErrors);
  // Walk back from the anchor; a gap or an invalid day breaks the chain, so stop there.
  let followers = followersAtEnd;
  let posts = postsAtEnd;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const day = sorted[i];
    if (i < sorted.length - 1 && addDays(day, 1) !== sorted[i + 1]) break;
    const entry = days.get(day)!;
    const end = startOfDay(addDays(day, 1));
    if (followers < 0) { rowErrors.push({ line: entry.line, message: `--followers ${followersAtEnd} is too small: the count would be negative on ${day}` }); break; }
    const f = snapshot('x.followers', end, followers);
    if (f) observations.push(f);
    if (posts !== undefined && posts >= 0) {
      const p = snapshot('x.posts', end, posts);
      if (p) observations.push(p);
      posts -= entry.posts ?? 0;
    }
    followers -= entry.net;
    const startOfRange = i === 0 || addDays(sorted[i - 1], 1) !== day;
    if (startOfRange && followers >= 0) {
      const s = snapshot('x.followers', startOfDay(day), followers);
      if (s) observations.push(s);
      if (posts !== undefined && posts >= 0) { const p = snapshot('x.posts', startOfDay(day), posts); if (p) observations.push(p); }
    }
  }
  return { observations: observations.sort((a, b) => a.at.localeCompare(b.at) || a.metric.localeCompare(b.metric)), rowErrors, fileErrors: [] };
}

function parseXContent(records: CsvRecord[], ctx: Ctx): Omit<ImportResult, 'format' | 'rows'> {
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

// -------------------------------------------------------------------------------------- beehiiv exports

function parseBeehiivSubscribers(records: CsvRecord[], ctx: Ctx): Omit<ImportResult, 'format' | 'rows'> {
  const rowErrors: RowError[] = [];
  const hasUnsubDate = ALIASES.beehiivUnsubscribed.some((n) => ctx.cols.has(n));
  const subs: { created: string; left?: string; active: boolean }[] = [];
  for (const r of records) {
    const email = cell(r, ctx, ['email']);
    const status = (cell(r, ctx, ['status']) ?? '').toLowerCase();
    const created = parseInstant(cell(r, ctx, ALIASES.beehiivCreated));
    const unsubRaw = cell(r, ctx, ALIASES.beehiivUnsubscribed);
    const left = unsubRaw ? parseInstant(unsubRaw) : undefined;
    const problem = !email || !email.includes('@') ? 'email: expected an email address'
      : !status ? 'status: required'
      : !created ? `created: expected a date or ISO-8601 time, got "${cell(r, ctx, ALIASES.beehiivCreated) ?? ''}"`
      : unsubRaw && !left ? `unsubscribed: expected a date or ISO-8601 time, got "${unsubRaw}"`
      : undefined;
    if (problem || !created) { rowErrors.push({ line: r.line, message: problem ?? 'invalid' }); continue; }
    if (status === 'pending' || status === 'validating') continue; // never confirmed: never counted
    subs.push({ created, left, active: status === 'active' });
  }
  if (subs.length === 0) return { observations: [], rowErrors, fileErrors: [] };
  const counted = hasUnsubDate ? subs : subs.filter((s) => s.active);
  const firstDay = subs.map((s) => s.created).sort()[0].slice(0, 10);
  const lastInstant = [...subs.map((s) => s.created), ...subs.flatMap((s) => (s.left ? [s.left] : []))].sort().at(-1) ?? subs[0].created;
  const lastDay = ctx.options.at ? (parseInstant(ctx.options.at) ?? lastInstant).slice(0, 10) : lastInstant.slice(0, 10);
  // Counts at each midnight: +1 at signup, −1 at unsubscribe (when known), swept in time order.
  const events = counted.flatMap((s) => [{ t: s.created, d: 1 }, ...(hasUnsubDate && s.left ? [{ t: s.left, d: -1 }] : [])]).sort((a, b) => a.t.localeCompare(b.t));
  const observations: Observation[] = [];
  let value = 0;
  let e = 0;
  const account = ctx.options.account;
  for (let day = addDays(firstDay, 1); day <= addDays(lastDay, 1); day = addDays(day, 1)) {
    const midnight = startOfDay(day);
    while (e < events.length && events[e].t < midnight) value += events[e++].d;
    const o = validated({ metric: 'newsletter.subscribers', at: midnight, value: Math.max(0, value), source: ctx.source, ...(account && { account }) }, 0, rowErrors);
    if (o) observations.push(o);
  }
  return { observations, rowErrors, fileErrors: [] };
}

function parseBeehiivPosts(records: CsvRecord[], ctx: Ctx): Omit<ImportResult, 'format' | 'rows'> {
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
function withSnapshotTime(rows: { line: number; o: Record<string, unknown> }[], dateField: string, ctx: Ctx, rowErrors: RowError[]): Omit<ImportResult, 'format' | 'rows'> {
  const explicit = ctx.options.at ? parseInstant(ctx.options.at) : undefined;
  const newest = rows.map((r) => r.o[dateField]).filter((v): v is string => typeof v === 'string').sort().at(-1);
  const at = explicit ?? (newest ? startOfDay(addDays(newest.slice(0, 10), 1)) : undefined);
  if (!at) return { observations: [], rowErrors, fileErrors: rows.length > 0 ? ['no dates in the file: pass --at to say when these numbers were observed'] : [] };
  const account = ctx.options.account;
  const observations = rows.flatMap((r) => {
    const o = validated({ ...r.o, at, source: ctx.source, ...(account && { account }) }, r.line, rowErrors);
    return o ? [o] : [];
  });
  return { observations, rowErrors, fileErrors: [] };
}
