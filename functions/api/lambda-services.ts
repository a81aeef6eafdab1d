/**
 * The API's services as a Lambda composition root builds them (API and MCP functions): stores,
 * idempotency records and the calendar feed token on one DocumentClient, events on the EventBridge bus, the bundled config.
 */
import { bundledAppConfig } from '../shared/app-config';
import { createDocumentClient, lazySdkClient } from '../shared/clients';
import { eventBridgePublisher } from '../shared/events';
import { log } from '../shared/logger';
import { FeedTokenStore } from '../store/feed-token-store';
import { IdempotencyStore } from '../store/idempotency-store';
import { createStores } from '../store/stores';
import { newExperimentId, type ResolvedApiServices } from './services';

export function lambdaApiServices(env: { TABLE_NAME: string; EVENT_BUS_NAME: string }, collect: ResolvedApiServices['collect']): ResolvedApiServices {
  const db = createDocumentClient();
  return {
    ...createStores(db, env.TABLE_NAME),
    config: bundledAppConfig(),
    now: () => new Date(),
    newId: newExperimentId,
    log,
    idempotency: new IdempotencyStore(db, env.TABLE_NAME),
    feedTokens: new FeedTokenStore(db, env.TABLE_NAME),
    // Most requests publish nothing: the EventBridge client is made (and its package loaded) on the first event.
    events: eventBridgePublisher(env.EVENT_BUS_NAME, lazySdkClient(() => new (require('@aws-sdk/client-eventbridge') as typeof import('@aws-sdk/client-eventbridge')).EventBridgeClient({})), log),
    collect,
  };
}
