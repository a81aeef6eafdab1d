/**
 * Lambda entry for the scheduled scorer: records exactly one verdict per ended experiment, then fills
 * the loop (promotes planned experiments whose start passed, starts backlog items up to the target).
 */
import * as z from '../domain/zod-mini';
import { fillLoop, type FillLoopResult } from '../jobs/fill-loop';
import { planFor, planRequestOfExperiment } from '../jobs/plan-experiment';
import { scoreDueExperiments, type ScoreRunResult } from '../jobs/score-due';
import { bundledAppConfig, type AppConfig } from '../shared/app-config';
import { createDocumentClient, lazySdkClient } from '../shared/clients';
import { errorMessage, parseOrThrow } from '../shared/errors';
import { eventBridgePublisher, verdictReached, type EventPublisher } from '../shared/events';
import { functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';
import { log, type Log } from '../shared/logger';
import { slotFor } from '../shared/schedules';
import { createStores, type Stores } from '../store/stores';

/** The scorer's environment: the table and the bus `Verdict Reached` goes to. */
export const HANDLER_ENV = functionEnv({ TABLE_NAME: resourceName(), EVENT_BUS_NAME: resourceName() });

const ScorerEventSchema = z.object({ scheduledTime: z.optional(z.iso.datetime({ offset: true })) });

export interface ScorerRunResult extends ScoreRunResult { loop?: FillLoopResult }

export interface ScorerDeps extends Stores {
  config: Pick<AppConfig, 'loop' | 'scorer' | 'sources'>;
  events: EventPublisher;
  log: Log;
}

export function createScorer(deps: ScorerDeps) {
  return async (event: unknown): Promise<ScorerRunResult> => {
    const input = parseOrThrow(ScorerEventSchema, event ?? {}, 'scorer event');
    const started = Date.now();
    // Verdicts are judged against the actual time: a late delivery must not score a window that has not ended.
    const now = new Date();
    const { experiments, observations, runs, events, config } = deps;
    try {
      await experiments.backfillResearchLog(); // once per table; then one GetItem
      await experiments.backfillBacklogOrder(); // likewise
      await observations.dailyRollups.backfillOnce(); // charts read roll-ups once every older snapshot is in one
    } catch (err) {
      deps.log.error('research log backfill failed; the next run retries it', { error: errorMessage(err) });
    }
    const result: ScorerRunResult = await scoreDueExperiments(now, {
      experiments, observations, log: deps.log, onVerdict: (e, v) => events.publish(verdictReached(e, v)),
      // An ended window is scored once its sources collected the slot at its end (or the grace period passed).
      windowClose: { runs, sources: config.sources },
    });
    let loopError: unknown;
    try {
      result.loop = await fillLoop(now, {
        experiments, events, target: config.loop.targetActive, log: deps.log,
        plan: (item, start) => planFor(planRequestOfExperiment(item, start.toISOString()), now, { experiments, observations, config, runs }),
      });
    } catch (err) {
      loopError = err;
      deps.log.error('loop fill failed', { error: errorMessage(err) });
    }
    const slot = slotFor(input.scheduledTime ?? now, config.scorer).toISOString();
    await runs.recordJobRun({
      job: 'scorer', slot, outcome: result.failed.length || loopError ? 'failed' : 'ok', durationMs: Date.now() - started, startedAt: new Date(started).toISOString(),
      details: {
        due: result.due, scored: result.scored.length, waiting: result.waiting?.length ?? 0, alreadyScored: result.alreadyScored.length, failed: result.failed.length,
        ...(result.loop && { promoted: result.loop.promoted.length, started: result.loop.started.length, loopState: result.loop.state }),
        ...(loopError !== undefined && { loopError: 'loop fill failed; see the logs' }),
      },
    });
    // Everything done is idempotent, so a retried invocation only finishes the fill.
    if (loopError !== undefined) throw loopError;
    return result;
  };
}

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => {
  const env = readFunctionEnv(HANDLER_ENV);
  return createScorer({
    ...createStores(createDocumentClient(), env.TABLE_NAME),
    config: bundledAppConfig(),
    // A run with no verdict publishes nothing: the EventBridge client is made on the first event.
    events: eventBridgePublisher(env.EVENT_BUS_NAME, lazySdkClient(() => new (require('@aws-sdk/client-eventbridge') as typeof import('@aws-sdk/client-eventbridge')).EventBridgeClient({})), log),
    log,
  });
});
