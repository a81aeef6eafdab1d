/**
 * Lambda entry for one source's scheduled collection. The schedule passes the scheduled time in the
 * payload (`{ "scheduledTime": "<aws.scheduler.scheduled-time>" }`), so a retried or late delivery
 * lands in its own slot. The source comes from SOURCE_NAME.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { collectSlot } from '../jobs/collect';
import { appConfig, SOURCE_NAMES } from '../shared/app-config';
import { parseOrThrow } from '../shared/errors';
import { log, logger } from '../shared/logger';
import { runtimeEnv } from '../shared/runtime-env';
import { createSource } from '../sources/registry';
import type { CollectionRun } from '../store/run-store';
import { defaultCredentials, defaultStores } from './wiring';

const CollectorEventSchema = z.object({
  scheduledTime: z.iso.datetime({ offset: true }),
  source: z.enum(SOURCE_NAMES).optional(),
  /** A caller waiting synchronously (the API's collect-now) may grant less time than the function has. */
  budgetMs: z.number().int().min(1_000).max(900_000).optional(),
});

export async function handler(event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<CollectionRun> {
  const input = parseOrThrow(CollectorEventSchema, event, 'collector event');
  const source = parseOrThrow(z.enum(SOURCE_NAMES), input.source ?? runtimeEnv().SOURCE_NAME, 'source name');
  logger.appendKeys({ source });
  const config = appConfig();
  const budgetMs = Math.min(context?.getRemainingTimeInMillis() ?? 60_000, input.budgetMs ?? Infinity);
  const run = await collectSlot(source, input.scheduledTime, budgetMs, {
    config,
    ...defaultStores(),
    credentials: defaultCredentials(),
    buildSource: (name, credentials) => createSource(name, credentials, { config }),
    log,
  });
  // In Lambda only: the local runtime calls this handler too, and its terminal has no use for EMF.
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) process.stdout.write(`${collectionMetricLine(run)}\n`);
  return run;
}

/**
 * One CloudWatch Embedded Metric Format line: Verdict/CollectionSucceeded{Source} = 1 when the slot
 * yielded data (ok/partial), else 0. Lambda's log pipeline turns it into the metric the stack's
 * "no successful collection in 2 slots" alarm watches — no SDK call, no PutMetricData cost.
 * Written to stdout directly so the runtime does not prefix it (a prefixed line is not parsed as EMF).
 */
export function collectionMetricLine(run: Pick<CollectionRun, 'source' | 'outcome'>, at: number = Date.now()): string {
  return JSON.stringify({
    _aws: { Timestamp: at, CloudWatchMetrics: [{ Namespace: 'Verdict', Dimensions: [['Source']], Metrics: [{ Name: 'CollectionSucceeded', Unit: 'Count' }] }] },
    Source: run.source,
    CollectionSucceeded: run.outcome === 'ok' || run.outcome === 'partial' ? 1 : 0,
  });
}
