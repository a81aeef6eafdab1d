/**
 * Test factories for scoring: experiments in the scoring calendar, and observation series built from
 * explicit daily numbers so expected values can be computed independently.
 */
import type { Experiment } from '../../../functions/domain/experiment';
import { anExperiment } from '../../support/factories';
import type {
  CitationAnswerObservation, NewsletterSendObservation, Observation, SnapshotObservation, XPostObservation,
} from '../../../functions/domain/observation';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The scoring tests' calendar: a 14-day window from 2025-03-03 (a Monday) with an explicit 28-day
 * baseline before it, created 2025-02-01.
 */
export const SCORING_WINDOW = {
  start: '2025-03-03T00:00:00.000Z',
  end: '2025-03-17T00:00:00.000Z',
  durationDays: 14,
  baseline: { start: '2025-02-03T00:00:00.000Z', end: '2025-03-03T00:00:00.000Z' },
  createdAt: '2025-02-01T00:00:00.000Z',
  updatedAt: '2025-02-01T00:00:00.000Z',
} satisfies Partial<Experiment>;

/** The one experiment factory (test/support/factories.ts) placed in the scoring tests' calendar. */
export function aScoredExperiment(overrides: Partial<Experiment> = {}): Experiment {
  return anExperiment({ ...SCORING_WINDOW, ...overrides });
}

/** The day after the window ends: when the scorer runs. */
export const SCORED_AT = new Date('2025-03-19T00:00:00.000Z');

/**
 * A count snapshot at each UTC midnight from `from`, starting at `startCount` and growing by
 * `dailyGrowth[i]` on day i (so there are dailyGrowth.length + 1 snapshots).
 */
export function midnightSnapshots(
  dailyGrowth: readonly number[],
  options: { from?: string; metric?: SnapshotObservation['metric']; startCount?: number } = {},
): SnapshotObservation[] {
  const fromMs = Date.parse(options.from ?? '2025-02-03T00:00:00.000Z');
  let count = options.startCount ?? 1000;
  const out: SnapshotObservation[] = [{ metric: options.metric ?? 'x.followers', at: new Date(fromMs).toISOString(), value: count, source: 'x' }];
  dailyGrowth.forEach((g, i) => {
    count += g;
    out.push({ metric: options.metric ?? 'x.followers', at: new Date(fromMs + (i + 1) * DAY_MS).toISOString(), value: count, source: 'x' });
  });
  return out;
}

/** Hourly snapshots with `perDay(i)` followers gained evenly over day i (rounded per hour). */
export function hourlySnapshots(days: number, perDay: (day: number) => number, from = '2025-02-03T00:00:00.000Z'): SnapshotObservation[] {
  const fromMs = Date.parse(from);
  const out: SnapshotObservation[] = [];
  let count = 5000;
  let carried = 0;
  for (let h = 0; h <= days * 24; h++) {
    out.push({ metric: 'x.followers', at: new Date(fromMs + h * HOUR_MS).toISOString(), value: count, source: 'x' });
    carried += perDay(Math.floor(h / 24)) / 24;
    const whole = Math.floor(carried);
    count += whole;
    carried -= whole;
  }
  return out;
}

/** A newsletter send read 40 h after it went out. */
export function aSend(id: string, sentAt: string, delivered: number, opens: number, clicks = 0): NewsletterSendObservation {
  return {
    metric: 'newsletter.send', id, sentAt, delivered, opens, clicks,
    at: new Date(Date.parse(sentAt) + 40 * HOUR_MS).toISOString(), source: 'beehiiv',
  };
}

/** An X post read 40 h after publication. */
export function aPost(id: string, publishedAt: string, counts: Partial<Pick<XPostObservation, 'impressions' | 'likes' | 'replies' | 'reposts' | 'quotes'>>): XPostObservation {
  return {
    metric: 'x.post', id, publishedAt, impressions: 1000, likes: 0, replies: 0, reposts: 0, quotes: 0, ...counts,
    at: new Date(Date.parse(publishedAt) + 40 * HOUR_MS).toISOString(), source: 'x',
  };
}

/**
 * `total` answers to `prompt` spread over the days of [from, from + days), the first `cited` of them
 * citing the brand.
 */
export function answers(prompt: string, options: { from: string; days: number; total: number; cited: number; engine?: string }): CitationAnswerObservation[] {
  const fromMs = Date.parse(options.from);
  return Array.from({ length: options.total }, (_, i) => ({
    metric: 'citations.answer' as const,
    engine: options.engine ?? 'perplexity',
    prompt,
    repetition: Math.floor(i / options.days),
    cited: i < options.cited,
    mentioned: i < options.cited,
    at: new Date(fromMs + (i % options.days) * DAY_MS + 6 * HOUR_MS).toISOString(),
    source: 'perplexity',
  }));
}

export type { Observation };

/**
 * Three sends a week from 2025-02-03 (the scoring calendar): 2,000 delivered and ~610 opens per send in the
 * baseline; from the window on, `windowDelivered` per send and ~`windowOpens` opens — (1200, 600) is a
 * clean-up of 800 inactive readers with no tactic effect.
 */
export function listChangeSends(windowDelivered: number, windowOpens: number): NewsletterSendObservation[] {
  const out: NewsletterSendObservation[] = [];
  const start = Date.parse('2025-02-03T14:00:00Z');
  for (let d = 0; d < 42; d++) {
    if (![0, 2, 4].includes(d % 7)) continue;
    const inWindow = d >= 28;
    const sentAt = new Date(start + d * DAY_MS).toISOString();
    const delivered = inWindow ? windowDelivered : 2000;
    const opens = inWindow ? windowOpens + (d % 3) * 5 : 600 + (d % 3) * 10;
    out.push({ metric: 'newsletter.send', id: `s${d}`, sentAt, delivered, opens, clicks: 30, at: new Date(start + d * DAY_MS + 40 * HOUR_MS).toISOString(), source: 'beehiiv' });
  }
  return out;
}
