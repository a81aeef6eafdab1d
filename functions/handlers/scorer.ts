/**
 * Lambda entry for the scheduled scorer: records exactly one verdict per ended experiment, then fills
 * the loop (promotes planned experiments whose start passed, starts backlog items up to the target).
 */
import * as z from 'zod';
import { fillLoop, type FillLoopResult } from '../jobs/fill-loop';
import { scoreDueExperiments, type ScoreRunResult } from '../jobs/score-due';
import { appConfig } from '../shared/app-config';
import { parseOrThrow } from '../shared/errors';
import { eventPublisherFor, verdictReached } from '../shared/events';
import { log } from '../shared/logger';
import { runtimeEnv } from '../shared/runtime-env';
import { slotFor } from '../shared/schedules';
import { defaultStores } from './wiring';

const ScorerEventSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true }).optional() });

export interface ScorerRunResult extends ScoreRunResult { loop?: FillLoopResult }

export async function handler(event: unknown): Promise<ScorerRunResult> {
  const input = parseOrThrow(ScorerEventSchema, event ?? {}, 'scorer event');
  const started = Date.now();
  // Verdicts are judged against the actual time: a late delivery must not score a window that has not ended.
  const now = new Date();
  const stores = defaultStores();
  const config = appConfig();
  const events = eventPublisherFor(runtimeEnv().EVENT_BUS_NAME, log);
  const result: ScorerRunResult = await scoreDueExperiments(now, { ...stores, log, onVerdict: (e, v) => events.publish(verdictReached(e, v)) });
  let loopError: unknown;
  try {
    result.loop = await fillLoop(now, { experiments: stores.experiments, events, target: config.loop.targetActive, log });
  } catch (err) {
    loopError = err;
    log.error('loop fill failed', { error: (err as Error).message });
  }
  const slot = slotFor(input.scheduledTime ?? now, config.scorer).toISOString();
  await stores.runs.recordJobRun({
    job: 'scorer', slot, outcome: result.failed.length || loopError ? 'failed' : 'ok', durationMs: Date.now() - started, startedAt: new Date(started).toISOString(),
    details: {
      due: result.due, scored: result.scored.length, alreadyScored: result.alreadyScored.length, failed: result.failed.length,
      ...(result.loop && { promoted: result.loop.promoted.length, started: result.loop.started.length, loopState: result.loop.state }),
      ...(loopError !== undefined && { loopError: 'loop fill failed; see the logs' }),
    },
  });
  // Everything done is idempotent, so a retried invocation only finishes the fill.
  if (loopError !== undefined) throw loopError;
  return result;
}
