/**
 * The API router in-process on dynalite, with every DynamoDB command counted (and Scans refused) —
 * the same `dispatch` the Lambda handler and the local server call, with stores on a counted client.
 * POST /collect gets a stub so fuzzing never reaches a real provider.
 */
import type { HttpEvent, HttpResult } from '../../functions/api/http';
import { dispatch } from '../../functions/api/router';
import { COMPILED_ROUTES } from '../../functions/api/routes';
import { newExperimentId, type ApiServices } from '../../functions/api/services';
import { ensureTable, startDynalite, type LocalDynamo } from '../../functions/local/dynalite';
import { parseAppConfig, type SourceName } from '../../functions/shared/app-config';
import type { CollectionRun } from '../../functions/store/run-store';
import { countedStores } from '../support/dynamo-counter';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

export const TABLE = 'verdict-reliability';

/** A payload 2.0 event as API Gateway (and the local server) builds it. */
export function httpEvent(method: string, path: string, options: { body?: string; query?: Record<string, string>; headers?: Record<string, string>; rawQueryString?: string } = {}): HttpEvent {
  const query = options.query ?? {};
  return {
    version: '2.0', routeKey: '$default', rawPath: path,
    rawQueryString: options.rawQueryString ?? new URLSearchParams(query).toString(),
    headers: { ...options.headers },
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(options.body !== undefined && { body: options.body }),
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local', apiId: 'local', domainName: 'localhost', domainPrefix: 'local',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'reliability' },
      requestId: `req-${Math.random().toString(36).slice(2)}`, routeKey: '$default', stage: '$default', time: '', timeEpoch: 0,
    },
  };
}

export interface CountedApi {
  dynamo: LocalDynamo;
  stores: ReturnType<typeof countedStores>;
  services: ApiServices;
  /** Sources POST /collect was asked to run. */
  collectCalls: SourceName[];
  /** Errors the router logged (500s). */
  loggedErrors: { message: string; extra?: Record<string, unknown> }[];
  send(event: HttpEvent): Promise<HttpResult>;
  close(): Promise<void>;
}

export async function startCountedApi(rawConfig: unknown = {}): Promise<CountedApi> {
  const dynamo = await startDynalite();
  await ensureTable(dynamo.endpoint, TABLE);
  const stores = countedStores(dynamo.endpoint, TABLE);
  const collectCalls: SourceName[] = [];
  const loggedErrors: CountedApi['loggedErrors'] = [];
  const services: ApiServices = {
    experiments: stores.experiments, observations: stores.observations, runs: stores.runs,
    config: parseAppConfig(rawConfig), now: () => new Date(), newId: newExperimentId,
    log: { info: () => {}, warn: () => {}, error: (message, extra) => { loggedErrors.push({ message, extra }); } },
    collect: async (source, scheduledTime): Promise<CollectionRun> => {
      collectCalls.push(source);
      return { source, slot: scheduledTime, outcome: 'not_configured', observations: 0, durationMs: 0, startedAt: scheduledTime };
    },
  };
  return {
    dynamo, stores, services, collectCalls, loggedErrors,
    send: (event) => dispatch(event, COMPILED_ROUTES, services),
    close: async () => { stores.db.destroy(); await dynamo.close(); },
  };
}
