/**
 * Fills the API's optional collaborators when the caller did not inject them: idempotency records and the
 * calendar feed token on the experiments' table, events only logged, and no collect-now. The Lambda composition roots
 * (functions/api/lambda-services.ts, for the API functions and MCP) inject all four; tests may leave them out.
 */
import { ConfigurationError } from '../shared/errors';
import { loggingPublisher } from '../shared/events';
import { FeedTokenStore } from '../store/feed-token-store';
import { IdempotencyStore } from '../store/idempotency-store';
import type { ApiServices, CollectNow, ResolvedApiServices } from './services';

const noCollector: CollectNow = async () => {
  throw new ConfigurationError('POST /collect has no collector: inject one (the API function invokes the collector functions)');
};

export function withCollaborators(s: ApiServices): ResolvedApiServices {
  if (s.idempotency && s.events && s.collect && s.feedTokens) return s as ResolvedApiServices;
  return {
    ...s,
    idempotency: s.idempotency ?? new IdempotencyStore(s.experiments.db, s.experiments.tableName),
    events: s.events ?? loggingPublisher(s.log),
    collect: s.collect ?? noCollector,
    feedTokens: s.feedTokens ?? new FeedTokenStore(s.experiments.db, s.experiments.tableName),
  };
}
