/** A seeded week for the digest: two verdicts, two running experiments, a backlog of four, one sick source. */
import type { DigestInput } from '../../../functions/domain/digest';
import type { InterimReadout, Verdict } from '../../../functions/domain/verdict';
import { anExperiment } from '../../support/factories';

export function aVerdict(overrides: Partial<Verdict> = {}): Verdict {
  return {
    experimentId: 'exp_test0001',
    metric: 'x.follower_growth_rate',
    decision: 'keep',
    reason: 'improved',
    baselineValue: 10,
    windowValue: 13,
    expectedValue: 10.5,
    effect: { absolute: 2.5, relative: 0.238, absoluteInterval: { lower: 0.8, upper: 4.2 }, relativeInterval: { lower: 0.076, upper: 0.4 } },
    probabilityOfImprovement: 0.99,
    periods: { baseline: { start: '2026-10-12T00:00:00.000Z', end: '2026-10-26T00:00:00.000Z' }, window: { start: '2026-10-26T00:00:00.000Z', end: '2026-11-09T00:00:00.000Z' } },
    dataQuality: { windowCoverage: 1, baselineCoverage: 1, gaps: [], baselineDays: 14, windowDays: 14 },
    warnings: [],
    summary: 'Followers grew by 13.0 a day against 10.5 expected: about +24 %. Keep the daily thread.',
    method: 'count-rate',
    scoredAt: '2026-11-09T01:00:00.000Z',
    ...overrides,
  };
}

export function aReadout(overrides: Partial<InterimReadout> = {}): InterimReadout {
  const { decision, reason, scoredAt, ...rest } = aVerdict();
  void decision; void reason; void scoredAt;
  return { ...rest, notAVerdict: true, daysElapsed: 6, daysLeft: 8, leaning: 'keep', leaningReason: 'improved', computedAt: '2026-11-13T15:00:00.000Z', ...overrides };
}

/** Week 2026-W46 (Mon 9 – Sun 15 Nov 2026), digest Friday 16:00 Europe/Berlin = 15:00 UTC on 13 Nov. */
export function seededWeek(overrides: Partial<DigestInput> = {}): DigestInput {
  const thread = anExperiment({ id: 'exp_thread', name: 'Daily build-in-public thread', status: 'concluded', concludedAt: '2026-11-09T01:00:00.000Z' });
  const subject = anExperiment({ id: 'exp_subject', name: 'Question subject lines', primaryMetric: 'newsletter.open_rate', status: 'concluded', concludedAt: '2026-11-12T09:00:00.000Z' });
  const old = anExperiment({ id: 'exp_old', name: 'Last week’s test', status: 'concluded', concludedAt: '2026-11-05T09:00:00.000Z' });
  return {
    week: '2026-W46',
    schedule: { day: 'FRI', hour: 16, timeZone: 'Europe/Berlin' },
    now: new Date('2026-11-13T15:00:00.000Z'),
    concluded: [
      { experiment: subject, verdict: aVerdict({ experimentId: 'exp_subject', metric: 'newsletter.open_rate', decision: 'discard', reason: 'not_improved', effect: { absolute: 0.004, relative: 0.01, absoluteInterval: { lower: -0.01, upper: 0.018 }, relativeInterval: { lower: -0.025, upper: 0.045 } }, summary: 'Opens moved from 41.0 % to 41.4 %, well within the noise. Discard: questions did not beat statements.', scoredAt: '2026-11-12T09:00:00.000Z' }) },
      { experiment: thread, verdict: aVerdict({ experimentId: 'exp_thread' }) },
      { experiment: old, verdict: aVerdict({ experimentId: 'exp_old', scoredAt: '2026-11-05T09:00:00.000Z' }) },
    ],
    running: [
      {
        experiment: anExperiment({ id: 'exp_replies', name: 'Reply within the hour', primaryMetric: 'x.replies_per_post', start: '2026-11-07T00:00:00.000Z', end: '2026-11-21T00:00:00.000Z' }),
        readout: aReadout({ effect: { absolute: 0.6, relative: 0.15, absoluteInterval: { lower: -0.2, upper: 1.4 }, relativeInterval: { lower: -0.05, upper: 0.35 } }, probabilityOfImprovement: 0.87 }),
      },
      { experiment: anExperiment({ id: 'exp_bsky', name: 'Cross-post to Bluesky', primaryMetric: 'bluesky.follower_growth_rate', start: '2026-11-12T00:00:00.000Z', end: '2026-11-26T00:00:00.000Z' }) },
    ],
    planned: [],
    backlog: [
      anExperiment({ id: 'exp_b1', name: 'Weekly teardown post', status: 'backlog', start: undefined, end: undefined, iceScore: { impact: 6, confidence: 5, ease: 8 }, createdAt: '2026-11-01T00:00:00.000Z' }),
      anExperiment({ id: 'exp_b2', name: 'Pinned lead magnet', status: 'backlog', start: undefined, end: undefined, hypothesis: 'A pinned free checklist turns profile visits into subscribers', primaryMetric: 'newsletter.subscriber_growth_rate', iceScore: { impact: 8, confidence: 6, ease: 7 }, createdAt: '2026-11-02T00:00:00.000Z' }),
      anExperiment({ id: 'exp_b3', name: 'Unscored idea', status: 'backlog', start: undefined, end: undefined, createdAt: '2026-10-01T00:00:00.000Z' }),
      anExperiment({ id: 'exp_b4', name: 'Comparison page', status: 'backlog', start: undefined, end: undefined, primaryMetric: 'citations.citation_rate', iceScore: { impact: 5, confidence: 4, ease: 5 }, createdAt: '2026-11-03T00:00:00.000Z' }),
    ],
    sources: [
      { source: 'x', everyMinutes: 360, lastRun: { outcome: 'ok', startedAt: '2026-11-13T12:00:05.000Z' } },
      { source: 'beehiiv', everyMinutes: 1440, lastRun: { outcome: 'failed', startedAt: '2026-11-13T00:00:03.000Z', errorCode: 'auth', message: 'beehiiv rejected the API key (401): check BEEHIIV_API_KEY' } },
      { source: 'perplexity', everyMinutes: 1440, lastRun: { outcome: 'usage_capped', startedAt: '2026-11-12T00:00:00.000Z' }, pausedUntil: '2026-12-01T00:00:00.000Z', pauseReason: 'usage_capped' },
    ],
    target: 3,
    ...overrides,
  };
}
