/**
 * One collector invocation, whichever entry runs it (functions/handlers/collector.ts, or a source's own
 * entry such as collector-stripe.ts): parse the schedule's event, collect the slot, emit the metric line.
 * Free of adapters, so an entry carries only the sources it builds.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { SOURCE_NAMES, type SourceName } from '../shared/app-config';
import { parseOrThrow } from '../shared/errors';
import { logger } from '../shared/logger';
import type { CollectionRun } from '../store/run-store';
import { collectSlot, type CollectDeps } from './collect';

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
