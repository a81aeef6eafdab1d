/**
 * Fills the API's optional collaborators (idempotency records, the event publisher, collect-now) from
 * the runtime env when the caller did not inject them — built once per set of stores, so the Lambda and
 * the local runtime share one client each while tests may pass their own.
 *
 * POST /collect invokes the source's collector function in AWS (COLLECTOR_FUNCTIONS); the local runtime
 * injects an in-process collector instead (functions/local/in-process-collector.ts).
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { collectorInvoker } from '../shared/collector-invoker';
import { ConfigurationError } from '../shared/errors';
import { eventPublisherFor } from '../shared/events';
import { runtimeEnv } from '../shared/runtime-env';
import type { ExperimentStore } from '../store/experiment-store';
import { IdempotencyStore } from '../store/idempotency-store';
import type { ApiServices, CollectNow, ResolvedApiServices } from './services';

const resolved = new WeakMap<ExperimentStore, Required<Pick<ApiServices, 'idempotency' | 'events' | 'collect'>>>();

export function withCollaborators(s: ApiServices): ResolvedApiServices {
  if (s.idempotency && s.events && s.collect) return s as ResolvedApiServices;
  let defaults = resolved.get(s.experiments);
  if (!defaults) {
    const env = runtimeEnv();
    const collect: CollectNow = env.COLLECTOR_FUNCTIONS
      ? collectorInvoker(new LambdaClient({}), JSON.parse(env.COLLECTOR_FUNCTIONS) as Record<string, string>)
      : async () => { throw new ConfigurationError('POST /collect has no collector: set COLLECTOR_FUNCTIONS (AWS) or inject one (local runtime)'); };
    defaults = {
      idempotency: new IdempotencyStore(s.experiments.db, s.experiments.tableName),
      events: eventPublisherFor(env.EVENT_BUS_NAME, s.log),
      collect,
    };
    resolved.set(s.experiments, defaults);
  }
  return { ...s, idempotency: s.idempotency ?? defaults.idempotency, events: s.events ?? defaults.events, collect: s.collect ?? defaults.collect };
}
