/**
 * The API's services as a Lambda composition root builds them (API and MCP functions): stores,
 * idempotency records and the calendar feed token on one DocumentClient, events on the EventBridge bus, the bundled config.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { bundledAppConfig } from '../shared/app-config';
import { createDocumentClient } from '../shared/clients';
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
    events: eventBridgePublisher(env.EVENT_BUS_NAME, new EventBridgeClient({}), log),
    collect,
  };
}
