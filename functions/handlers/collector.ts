/**
 * Lambda entry for one source's scheduled collection. The schedule passes the scheduled time in the
 * payload (`{ "scheduledTime": "<aws.scheduler.scheduled-time>" }`), so a retried or late delivery
 * lands in its own slot. The source comes from SOURCE_NAME.
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
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
});

export async function handler(event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<CollectionRun> {
  const input = parseOrThrow(CollectorEventSchema, event, 'collector event');
  const source = parseOrThrow(z.enum(SOURCE_NAMES), input.source ?? runtimeEnv().SOURCE_NAME, 'source name');
  logger.appendKeys({ source });
  const config = appConfig();
  const budgetMs = context?.getRemainingTimeInMillis() ?? 60_000;
  return collectSlot(source, input.scheduledTime, budgetMs, {
    config,
    ...defaultStores(),
    credentials: defaultCredentials(),
    buildSource: (name, credentials) => createSource(name, credentials, { config }),
    log,
  });
}
