/**
 * One collector invocation, whichever entry runs it (functions/handlers/collector.ts, or a source's own
 * entry such as collector-stripe.ts): parse the schedule's event, collect the slot, emit the metric —
 * and the one composition root those entries share (composeCollector). Free of adapters, so an entry
 * carries only the sources it builds.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import * as z from '../domain/zod-mini';
import { AccountNameSchema } from '../domain/accounts';
import { bundledAppConfig, configForTarget, SOURCE_NAMES, targetName, type AppConfig, type SourceName } from '../shared/app-config';
import { createDocumentClient } from '../shared/clients';
import { parseOrThrow } from '../shared/errors';
import { log, logger } from '../shared/logger';
import { SecretsManagerCredentials } from '../sources/credentials';
import type { Credentials, CredentialsProvider, Source } from '../sources/source';
import { ObservationStore } from '../store/observation-store';
import { RunStore, type CollectionRun } from '../store/run-store';
import { collectSlot, type CollectDeps } from './collect';

const CollectorEventSchema = z.object({
  scheduledTime: z.iso.datetime({ offset: true }),
  source: z.optional(z.enum(SOURCE_NAMES)),
  /** A configured account of the source (its schedule names it); absent: the default account. */
  account: z.optional(AccountNameSchema),
  /** A caller waiting synchronously (the API's collect-now) may grant less time than the function has. */
  budgetMs: z.optional(z.number().check(z.int(), z.gte(1_000), z.lte(900_000))),
});

export interface CollectorDeps extends CollectDeps {
  /** The source when the event names none (a collector function's own). */
  defaultSource?: SourceName;
  /** Where the collection metric goes (Lambda: collectionMetrics(), EMF on stdout); absent locally. */
  metrics?: CollectionMetrics;
}

export function createCollector(deps: CollectorDeps) {
  return async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<CollectionRun> => {
    const input = parseOrThrow(CollectorEventSchema, event, 'collector event');
    const source = parseOrThrow(z.enum(SOURCE_NAMES), input.source ?? deps.defaultSource, 'source name');
    logger.appendKeys({ source, ...(input.account !== undefined && { account: input.account }) });
    const budgetMs = Math.min(context?.getRemainingTimeInMillis() ?? 60_000, input.budgetMs ?? Infinity);
    const run = await collectSlot(source, input.scheduledTime, budgetMs, deps, input.account);
    if (deps.metrics) recordCollection(deps.metrics, run);
    return run;
  };
}

/** A collector function's validated environment (every collector entry declares the same variables). */
export interface CollectorEnv {
  SOURCE_NAME: SourceName;
  TABLE_NAME: string;
  /** Absent only for a function that collects public sources. */
  SOURCE_SECRET_ARN?: string;
}

/**
 * A collector Lambda's composition root, built once per cold start: the bundled config, the table's
 * stores, credentials from the secret (or `withoutSecret` when the function has none), the logger and the
 * collection metric. Entries differ only in the adapters `buildSource` can build; it gets the config of
 * the account being collected (configForTarget).
 */
export function composeCollector(
  env: CollectorEnv,
  buildSource: (name: SourceName, credentials: Credentials, config: AppConfig) => Source,
  withoutSecret?: CredentialsProvider,
) {
  const config = bundledAppConfig();
  const credentials = env.SOURCE_SECRET_ARN ? new SecretsManagerCredentials(new SecretsManagerClient({}), env.SOURCE_SECRET_ARN) : withoutSecret;
  if (!credentials) throw new Error(`the ${env.SOURCE_NAME} collector has no SOURCE_SECRET_ARN to read its credentials from`);
  return createCollector({
    config,
    // Only the two stores a collection writes: the experiments' store (and the experiment model behind it) stays out of the bundle.
    ...collectorStores(env.TABLE_NAME),
    credentials,
    buildSource: (name, creds, account) => buildSource(name, creds, configForTarget(config, { source: name, account })),
    log,
    defaultSource: env.SOURCE_NAME,
    metrics: collectionMetrics(),
  });
}

/** The part of Powertools' Metrics a collector uses. */
export type CollectionMetrics = Pick<Metrics, 'addDimension' | 'addMetric' | 'publishStoredMetrics'>;

/**
 * The collectors' metrics: Powertools' Metrics in namespace Verdict, written as CloudWatch Embedded
 * Metric Format lines on stdout (Lambda's log pipeline turns them into metrics — no SDK call, no
 * PutMetricData cost). Its default `service` dimension is cleared: the stack's "no successful collection
 * in 2 slots" alarm watches Verdict/CollectionSucceeded by Source alone (lib/constructs/operations-alerts.ts).
 */
export function collectionMetrics(): Metrics {
  const metrics = new Metrics({ namespace: 'Verdict' });
  metrics.clearDefaultDimensions();
  return metrics;
}

/** Verdict/CollectionSucceeded{Source} = 1 when the slot yielded data (ok/partial), else 0; published at once. */
export function recordCollection(metrics: CollectionMetrics, run: Pick<CollectionRun, 'source' | 'account' | 'outcome'>): void {
  // A configured account is its own dimension value (`x@acme`), so each account's alarm watches it alone.
  metrics.addDimension('Source', targetName({ source: run.source as SourceName, account: run.account }));
  metrics.addMetric('CollectionSucceeded', MetricUnit.Count, run.outcome === 'ok' || run.outcome === 'partial' ? 1 : 0);
  metrics.publishStoredMetrics();
}

function collectorStores(tableName: string): Pick<CollectorDeps, 'runs' | 'observations'> {
  const db = createDocumentClient();
  return { runs: new RunStore(db, tableName), observations: new ObservationStore(db, tableName) };
}
