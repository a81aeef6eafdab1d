/** Lambda entry for the scheduled scorer: records exactly one verdict per ended experiment. */
import { z } from 'zod';
import { scoreDueExperiments, type ScoreRunResult } from '../jobs/score-due';
import { parseOrThrow } from '../shared/errors';
import { log } from '../shared/logger';
import { slotFor } from '../shared/schedules';
import { appConfig } from '../shared/app-config';
import { defaultStores } from './wiring';

const ScorerEventSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true }).optional() });

export async function handler(event: unknown): Promise<ScoreRunResult> {
  const input = parseOrThrow(ScorerEventSchema, event ?? {}, 'scorer event');
  const started = Date.now();
  // Verdicts are judged against the actual time: a late delivery must not score a window that has not ended.
  const now = new Date();
  const stores = defaultStores();
  const result = await scoreDueExperiments(now, { ...stores, log });
  const slot = slotFor(input.scheduledTime ?? now, appConfig().scorer).toISOString();
  await stores.runs.recordJobRun({
    job: 'scorer', slot, outcome: result.failed.length ? 'failed' : 'ok', durationMs: Date.now() - started, startedAt: new Date(started).toISOString(),
    details: { due: result.due, scored: result.scored.length, alreadyScored: result.alreadyScored.length, failed: result.failed.length },
  });
  return result;
}
