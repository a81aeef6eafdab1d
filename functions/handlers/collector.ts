/**
 * Lambda entry for one source's scheduled collection. The schedule passes the scheduled time in the
 * payload (`{ "scheduledTime": "<aws.scheduler.scheduled-time>" }`), so a retried or late delivery
 * lands in its own slot. The function's source comes from SOURCE_NAME; its credentials from the secret.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { collectSlot, type CollectDeps } from '../jobs/collect';
import { bundledAppConfig, SOURCE_NAMES, type SourceName } from '../shared/app-config';
import { createDocumentClient } from '../shared/clients';
import { SecretsManagerCredentials } from '../shared/credentials';
import { parseOrThrow } from '../shared/errors';
import { arn, functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';
import { log, logger } from '../shared/logger';
import { PUBLIC_SOURCES } from '../sources/credential-fields';
import { createSource } from '../sources/registry';
import type { CredentialsProvider } from '../sources/source';
import type { CollectionRun } from '../store/run-store';
import { createStores } from '../store/stores';

/** A collector function's environment: its source, the table, and the credentials secret (absent for a public source). */
export const HANDLER_ENV = functionEnv({
  SOURCE_NAME: z.enum(SOURCE_NAMES),
  TABLE_NAME: resourceName(),
  SOURCE_SECRET_ARN: arn().optional(),
});

const CollectorEventSchema = z.object({
  scheduledTime: z.iso.datetime({ offset: true }),
  source: z.enum(SOURCE_NAMES).optional(),
  /** A caller waiting synchronously (the API's collect-now) may grant less time than the function has. */
  budgetMs: z.number().int().min(1_000).max(900_000).optional(),
});

export interface CollectorDeps extends CollectDeps {
  /** The source when the event names none (a collector function's own). */
  defaultSource?: SourceName;
  /** Where the collection metric line goes (Lambda: stdout, as EMF); absent locally. */
  writeMetric?: (line: string) => void;
}

export function createCollector(deps: CollectorDeps) {
  return async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<CollectionRun> => {
    const input = parseOrThrow(CollectorEventSchema, event, 'collector event');
    const source = parseOrThrow(z.enum(SOURCE_NAMES), input.source ?? deps.defaultSource, 'source name');
    logger.appendKeys({ source });
    const budgetMs = Math.min(context?.getRemainingTimeInMillis() ?? 60_000, input.budgetMs ?? Infinity);
    const run = await collectSlot(source, input.scheduledTime, budgetMs, deps);
    deps.writeMetric?.(collectionMetricLine(run));
    return run;
  };
}

/** Without a secret, only a public source has what it needs (nothing); every other one is not configured. */
const publicSourceCredentials: CredentialsProvider = {
  credentialsFor: async (source) => (PUBLIC_SOURCES.includes(source) ? {} : undefined),
};

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => {
  const env = readFunctionEnv(HANDLER_ENV);
  const config = bundledAppConfig();
  return createCollector({
    config,
    ...createStores(createDocumentClient(), env.TABLE_NAME),
    credentials: env.SOURCE_SECRET_ARN ? new SecretsManagerCredentials(new SecretsManagerClient({}), env.SOURCE_SECRET_ARN) : publicSourceCredentials,
    buildSource: (name, credentials) => createSource(name, credentials, { config }),
    log,
    defaultSource: env.SOURCE_NAME,
    // Written to stdout directly so the runtime does not prefix it (a prefixed line is not parsed as EMF).
    writeMetric: (line) => { process.stdout.write(`${line}\n`); },
  });
});

/**
 * One CloudWatch Embedded Metric Format line: Verdict/CollectionSucceeded{Source} = 1 when the slot
 * yielded data (ok/partial), else 0. Lambda's log pipeline turns it into the metric the stack's
 * "no successful collection in 2 slots" alarm watches — no SDK call, no PutMetricData cost.
 */
export function collectionMetricLine(run: Pick<CollectionRun, 'source' | 'outcome'>, at: number = Date.now()): string {
  return JSON.stringify({
    _aws: { Timestamp: at, CloudWatchMetrics: [{ Namespace: 'Verdict', Dimensions: [['Source']], Metrics: [{ Name: 'CollectionSucceeded', Unit: 'Count' }] }] },
    Source: run.source,
    CollectionSucceeded: run.outcome === 'ok' || run.outcome === 'partial' ? 1 : 0,
  });
}
