/**
 * Stored observations: the raw facts collectors write and the metric catalog derives primary metrics from.
 * One shape per observed metric; every observation carries `metric`, `at` (ISO-8601) and `source`.
 */
import * as z from 'zod';

const isoDateTime = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();

const base = {
  at: isoDateTime,
  source: z.string().min(1),
  account: z.string().min(1).optional(),
};

/** A point-in-time count snapshot (followers, posts, subscribers). `value` is the count at `at`. */
export const SnapshotObservationSchema = z.strictObject({
  metric: z.enum(['x.followers', 'x.posts', 'newsletter.subscribers', 'bluesky.followers', 'bluesky.posts']),
  value: z.number().nonnegative(),
  ...base,
});

/** One X post's public metrics as seen at `at`; `publishedAt` is when the post went out. */
export const XPostObservationSchema = z.strictObject({
  metric: z.literal('x.post'),
  id: z.string().min(1),
  publishedAt: isoDateTime.optional(),
  impressions: count,
  likes: count,
  replies: count,
  reposts: count,
  quotes: count,
  ...base,
});

/** One newsletter send; counts are unique opens/clicks out of delivered emails. */
export const NewsletterSendObservationSchema = z.strictObject({
  metric: z.literal('newsletter.send'),
  id: z.string().min(1),
  sentAt: isoDateTime.optional(),
  delivered: count,
  opens: count,
  clicks: count,
  ...base,
});

/** One AI answer-engine answer to one tracked prompt. */
export const CitationAnswerObservationSchema = z.strictObject({
  metric: z.literal('citations.answer'),
  engine: z.string().min(1),
  prompt: z.string().min(1),
  /** Which of k repetitions of the prompt in this run (0-based). */
  repetition: z.number().int().nonnegative().optional(),
  cited: z.boolean(),
  mentioned: z.boolean(),
  /** 1-based position of the first brand citation among the answer's sources; absent when not cited. */
  position: z.number().int().positive().optional(),
  competitorMentions: z.array(z.string()).optional(),
  /** US dollars spent on this answer. */
  costUsd: z.number().nonnegative().optional(),
  ...base,
});

export const ObservationSchema = z.discriminatedUnion('metric', [
  SnapshotObservationSchema,
  XPostObservationSchema,
  NewsletterSendObservationSchema,
  CitationAnswerObservationSchema,
]);

export type SnapshotObservation = z.infer<typeof SnapshotObservationSchema>;
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
];

/**
 * What makes two observations "the same fact" within one metric and time slot: rich observations are
 * keyed by their own id (post, send, engine+prompt+repetition); snapshots have one value per slot.
 */
export function observationDiscriminator(o: Observation): string {
  switch (o.metric) {
    case 'x.post':
    case 'newsletter.send':
      return o.id;
    case 'citations.answer':
      return `${o.engine}#${o.repetition ?? 0}#${o.prompt}`;
    default:
      return '';
  }
}
