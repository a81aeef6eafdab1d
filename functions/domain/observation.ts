/**
 * Stored observations: the raw facts collectors write and the metric catalog derives primary metrics from.
 * One shape per observed metric; every observation carries `metric`, `at` (ISO-8601) and `source`.
 */
import * as z from './zod-mini';
import { AccountNameSchema, withAccount } from './accounts';

/**
 * An ISO-8601 instant, canonicalised to `Date.toISOString()` (UTC, milliseconds): `…Z`, `….000Z`,
 * `+05:00` and microsecond spellings of one instant are one time, so they key one observation.
 */
const isoDateTime = z.pipe(z.iso.datetime({ offset: true }), z.transform(canonicalInstant));
const count = z.number().check(z.int(), z.nonnegative());
/** Ids are bounded (post and send ids are short); longer text is not an id but a mistake. */
const observationId = z.string().check(z.minLength(1), z.maxLength(256));

const base = {
  at: isoDateTime,
  source: z.string().check(z.minLength(1)),
  /** The provider's own name for what was read (X username, publication or list id): informational. */
  account: z.optional(z.string().check(z.minLength(1))),
  /**
   * The configured account this fact belongs to (sources.<name>.accounts; the `@name` of its metric keys);
   * absent for the default account, as on everything stored before accounts existed. It picks the stored series.
   */
  accountName: z.optional(AccountNameSchema),
};

/** ISO 4217 code, lower case as Stripe writes it (usd, eur). */
const currency = z.string().check(z.regex(/^[a-z]{3}$/, 'must be a lower-case ISO 4217 code like usd'));

/**
 * A point-in-time count snapshot (followers, posts, subscribers, monthly recurring revenue, active
 * subscriptions). `value` is the count at `at`; revenue.mrr is in major currency units per month,
 * one series per `currency`.
 */
export const SnapshotObservationSchema = z.strictObject({
  metric: z.enum(['x.followers', 'x.posts', 'newsletter.subscribers', 'bluesky.followers', 'bluesky.posts', 'revenue.mrr', 'revenue.active_subscriptions']),
  value: z.number().check(z.nonnegative()),
  currency: z.optional(currency),
  ...base,
});

/**
 * A total over one UTC day (revenue, new paying customers, site visitors). `at` is the start of that
 * day (midnight UTC), so re-collecting the day overwrites it: the latest reading of a day wins.
 * Revenue is in major currency units (12.34 = $12.34), one series per `currency`; traffic has one
 * series per `site`. Net revenue may be negative (a day of refunds).
 */
export const DailyTotalObservationSchema = z.strictObject({
  metric: z.enum(['revenue.gross', 'revenue.net', 'revenue.new_customers', 'traffic.visitors', 'traffic.ai_referred_visitors']),
  value: z.number(),
  currency: z.optional(currency),
  site: z.optional(z.string().check(z.minLength(1), z.maxLength(253))),
  ...base,
  at: isoDateTime.check(z.refine((at) => Date.parse(at) % 86_400_000 === 0, 'must be a UTC midnight (the start of the day the total covers)')),
}).check(z.refine((o) => o.metric === 'revenue.net' || o.value >= 0, { path: ['value'], message: 'must be ≥ 0' }));

/** One X post's public metrics as seen at `at`; `publishedAt` is when the post went out. */
export const XPostObservationSchema = z.strictObject({
  metric: z.literal('x.post'),
  id: observationId,
  publishedAt: z.optional(isoDateTime),
  impressions: count,
  likes: count,
  replies: count,
  reposts: count,
  quotes: count,
  /** Variant markers found in the post's text (e.g. `#v-raw`, lowercased; see sources.x.markerPrefixes). The text itself is not stored. */
  markers: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(40))).check(z.maxLength(10))),
  ...base,
});

/** One newsletter send; counts are unique opens/clicks out of delivered emails. */
export const NewsletterSendObservationSchema = z.strictObject({
  metric: z.literal('newsletter.send'),
  id: observationId,
  sentAt: z.optional(isoDateTime),
  delivered: count,
  opens: count,
  clicks: count,
  ...base,
});

/** One AI answer-engine answer to one tracked prompt. */
export const CitationAnswerObservationSchema = z.strictObject({
  metric: z.literal('citations.answer'),
  engine: z.string().check(z.minLength(1), z.maxLength(64)),
  prompt: z.string().check(z.minLength(1), z.maxLength(4000)),
  /** Which of k repetitions of the prompt in this run (0-based). */
  repetition: z.optional(z.number().check(z.int(), z.nonnegative())),
  cited: z.boolean(),
  mentioned: z.boolean(),
  /** 1-based position of the first brand citation among the answer's sources; absent when not cited. */
  position: z.optional(z.number().check(z.int(), z.positive())),
  competitorMentions: z.optional(z.array(z.string())),
  /** US dollars spent on this answer. */
  costUsd: z.optional(z.number().check(z.nonnegative())),
  ...base,
});

export const ObservationSchema = z.discriminatedUnion('metric', [
  SnapshotObservationSchema,
  DailyTotalObservationSchema,
  XPostObservationSchema,
  NewsletterSendObservationSchema,
  CitationAnswerObservationSchema,
]);

export type SnapshotObservation = z.infer<typeof SnapshotObservationSchema>;
export type DailyTotalObservation = z.infer<typeof DailyTotalObservationSchema>;
export type XPostObservation = z.infer<typeof XPostObservationSchema>;
export type NewsletterSendObservation = z.infer<typeof NewsletterSendObservationSchema>;
export type CitationAnswerObservation = z.infer<typeof CitationAnswerObservationSchema>;
export type Observation = z.infer<typeof ObservationSchema>;
export type ObservedMetric = Observation['metric'];

export const OBSERVED_METRICS: readonly ObservedMetric[] = [
  'x.followers', 'x.posts', 'x.post',
  'newsletter.subscribers', 'newsletter.send',
  'citations.answer',
  'bluesky.followers', 'bluesky.posts',
  'revenue.gross', 'revenue.net', 'revenue.new_customers', 'revenue.mrr', 'revenue.active_subscriptions',
  'traffic.visitors', 'traffic.ai_referred_visitors',
];

/** Snapshot metrics: a count at an instant, collected as often as the source is polled. */
export const SNAPSHOT_METRICS: readonly SnapshotObservation['metric'][] = SnapshotObservationSchema.shape.metric.options;

/** Daily-total metrics: one value per UTC day, keyed by the day's midnight. */
export const DAILY_TOTAL_METRICS: readonly ObservedMetric[] = DailyTotalObservationSchema.shape.metric.options;

/** The stored series an observation belongs to: its metric, and its account unless the default (`x.followers@acme`). */
export function observedSeriesKey(o: Pick<Observation, 'metric' | 'accountName'>): string {
  return withAccount(o.metric, o.accountName);
}

/** The canonical spelling of an ISO-8601 instant (UTC, milliseconds); unparseable text is returned as is. */
export function canonicalInstant(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString();
}

/** `o` with every instant in its canonical spelling (what is keyed and stored). */
export function withCanonicalInstants<T extends Observation>(o: T): T {
  const out = { ...o, at: canonicalInstant(o.at) };
  if ('publishedAt' in out && out.publishedAt !== undefined) out.publishedAt = canonicalInstant(out.publishedAt);
  if ('sentAt' in out && out.sentAt !== undefined) out.sentAt = canonicalInstant(out.sentAt);
  return out;
}

/** `#` separates the parts of a discriminator, so inside a part it (and `%`, `~`) is percent-encoded. */
function part(text: string): string {
  return text.replace(/[%#~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * What makes two observations "the same fact" within one metric and time slot: rich observations are
 * keyed by their own id (post, send, engine+prompt+repetition); snapshots have one value per slot (per
 * currency for revenue, per site for traffic — absent for every older metric, so their keys are unchanged).
 * Parts are escaped, so two different facts never share a discriminator (and text without `%#~` keeps
 * the spelling it always had).
 */
export function observationDiscriminator(o: Observation): string {
  switch (o.metric) {
    case 'x.post':
    case 'newsletter.send':
      return part(o.id);
    case 'citations.answer':
      return `${part(o.engine)}#${o.repetition ?? 0}#${part(o.prompt)}`;
    default:
      return [o.currency, 'site' in o ? o.site : undefined].filter((p): p is string => Boolean(p)).map(part).join('#');
  }
}

/** The series a snapshot or daily total belongs to within its metric: its currency or site ('' when none). */
export function seriesQualifier(o: Observation): string {
  return 'value' in o ? (o.currency ?? ('site' in o ? o.site : undefined) ?? '') : '';
}
