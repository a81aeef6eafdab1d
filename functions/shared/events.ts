/**
 * Verdict's domain events on EventBridge (source `verdict`, bus EVENT_BUS_NAME): `Experiment Started`
 * when an experiment's window begins and `Verdict Reached` when a verdict is recorded (or re-scored).
 * The local runtime has no bus: its events are only logged (loggingPublisher).
 *
 * Publishing never fails the caller: the state change it reports is already stored, so a lost event is
 * logged as an error rather than undoing or repeating the work.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Experiment } from '../domain/experiment';
import type { Verdict } from '../domain/verdict';
import { errorMessage } from './errors';

import { EVENT_SOURCE } from './event-names';

export { EVENT_SOURCE };

export interface ExperimentStartedDetail {
  experimentId: string;
  name: string;
  primaryMetric: string;
  start: string;
  end: string;
  startedBy: 'user' | 'loop';
}

export interface VerdictReachedDetail {
  experimentId: string;
  name: string;
  primaryMetric: string;
  decision: Verdict['decision'];
  reason: Verdict['reason'];
  /** Relative lift as a fraction, when defined. */
  relativeEffect: number | null;
  summary: string;
  scoredAt: string;
  /** True when an explicit rescore replaced an earlier verdict. */
  rescore: boolean;
}

export type VerdictEvent =
  | { detailType: 'Experiment Started'; detail: ExperimentStartedDetail }
  | { detailType: 'Verdict Reached'; detail: VerdictReachedDetail };

export interface EventPublisher {
  publish(event: VerdictEvent): Promise<void>;
}

type EventLog = { info(message: string, extra?: Record<string, unknown>): void; error(message: string, extra?: Record<string, unknown>): void };

export function experimentStarted(e: Experiment): VerdictEvent {
  return {
    detailType: 'Experiment Started',
    detail: { experimentId: e.id, name: e.name, primaryMetric: e.primaryMetric, start: e.start ?? '', end: e.end ?? '', startedBy: e.startedBy ?? 'user' },
  };
}

export function verdictReached(e: Experiment, v: Verdict, options: { rescore?: boolean } = {}): VerdictEvent {
  return {
    detailType: 'Verdict Reached',
    detail: {
      experimentId: e.id, name: e.name, primaryMetric: e.primaryMetric, decision: v.decision, reason: v.reason,
      relativeEffect: v.effect.relative, summary: v.summary, scoredAt: v.scoredAt, rescore: options.rescore ?? false,
    },
  };
}

/** Publishes to `busName`; a rejected entry or failed call is logged, not thrown. */
export function eventBridgePublisher(busName: string, client: Pick<EventBridgeClient, 'send'>, log: EventLog): EventPublisher {
  return {
    async publish(event) {
      try {
        // Required on the first publish, not at cold start (see lazySdkClient).
        const { PutEventsCommand } = require('@aws-sdk/client-eventbridge') as typeof import('@aws-sdk/client-eventbridge');
        const out = await client.send(new PutEventsCommand({
          Entries: [{ EventBusName: busName, Source: EVENT_SOURCE, DetailType: event.detailType, Detail: JSON.stringify(event.detail) }],
        }));
        if ((out.FailedEntryCount ?? 0) > 0) {
          const entry = out.Entries?.[0];
          log.error('event not published', { detailType: event.detailType, experimentId: event.detail.experimentId, errorCode: entry?.ErrorCode, errorMessage: entry?.ErrorMessage });
        }
      } catch (err) {
        log.error('event not published', { detailType: event.detailType, experimentId: event.detail.experimentId, error: errorMessage(err) });
      }
    },
  };
}

/** Locally there is no bus: the event is logged so the loop's progress is still visible. */
export function loggingPublisher(log: Pick<EventLog, 'info'>): EventPublisher {
  return {
    async publish(event) {
      log.info(`event: ${event.detailType}`, { source: EVENT_SOURCE, detailType: event.detailType, detail: event.detail });
    },
  };
}
