/**
 * The API's services as a Lambda composition root builds them (the API route-group functions and the MCP
 * function): stores, idempotency records and the calendar feed token on one DocumentClient, events on the
 * EventBridge bus when the function has one, the bundled config.
 */
import { bundledAppConfig } from '../shared/app-config';
import { createDocumentClient, lazySdkClient } from '../shared/clients';
import { ConfigurationError } from '../shared/errors';
import { eventBridgePublisher, type EventPublisher } from '../shared/events';
import { log } from '../shared/logger';
import { FeedTokenStore } from '../store/feed-token-store';
import { IdempotencyStore } from '../store/idempotency-store';
import { createStores } from '../store/stores';
import { newExperimentId, type CollectNow, type ResolvedApiServices } from './services';

/** A function whose routes publish nothing has no bus (nor the grant): a publish there is a wiring bug, said loudly. */
const noEvents: EventPublisher = {
  async publish(event) {
    throw new ConfigurationError(`This function publishes no events (no EVENT_BUS_NAME), yet a route published ${event.detailType}: serve the route from a function with the bus`);
  },
};

const noCollectNow: CollectNow = async () => {
  throw new ConfigurationError('POST /collect is served by the api-imports function, which invokes the collector functions');
};

/** `EVENT_BUS_NAME` only for functions whose routes publish; `collect` only for the one serving POST /collect. */
export function lambdaApiServices(env: { TABLE_NAME: string; EVENT_BUS_NAME?: string }, collect: CollectNow = noCollectNow): ResolvedApiServices {
  const db = createDocumentClient();
  const busName = env.EVENT_BUS_NAME;
  return {
    ...createStores(db, env.TABLE_NAME),
    config: bundledAppConfig(),
    now: () => new Date(),
    newId: newExperimentId,
    log,
    idempotency: new IdempotencyStore(db, env.TABLE_NAME),
    feedTokens: new FeedTokenStore(db, env.TABLE_NAME),
    // Most requests publish nothing: the EventBridge client is made (and its package loaded) on the first event.
    events: busName === undefined ? noEvents
      : eventBridgePublisher(busName, lazySdkClient(() => new (require('@aws-sdk/client-eventbridge') as typeof import('@aws-sdk/client-eventbridge')).EventBridgeClient({})), log),
    collect,
  };
}
