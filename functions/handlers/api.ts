/**
 * Lambda entry for the HTTP API (payload 2.0), every route but /mcp and the dashboard's (GET /, /assets/*),
 * which the stack routes to functions of their own (the route list here still has the dashboard's, which the
 * local runtime serves through this handler). Thin: route, call, map — see
 * functions/api/. The composition root builds the stores and clients once per cold start.
 */
import type { Context } from 'aws-lambda';
import * as z from '../domain/zod-mini';
import type { HttpEvent, HttpResult } from '../api/http';
import { lambdaApiServices } from '../api/lambda-services';
import { dispatch } from '../api/router';
import { COMPILED_API_ROUTES } from '../api/routes/api-routes';
import type { ApiServices } from '../api/services';
import { SOURCE_NAMES } from '../shared/app-config';
import { lazySdkClient } from '../shared/clients';
import { collectorInvoker } from '../shared/collector-invoker';
import { functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';
import { logger } from '../shared/logger';

/** The API function's environment: the table, the event bus, and the collector functions collect-now invokes. */
export const HANDLER_ENV = functionEnv({
  TABLE_NAME: resourceName(),
  EVENT_BUS_NAME: resourceName(),
  /** JSON `{ "<source>": "<collector function name>" }` (`{}` when no source is enabled). */
  COLLECTOR_FUNCTIONS: z.pipe(z.pipe(z.string(), z.transform((s, ctx) => {
    try { return JSON.parse(s) as unknown; } catch { ctx.issues.push({ code: 'custom', message: 'must be JSON', input: s }); return z.NEVER; }
  })), z.partialRecord(z.enum(SOURCE_NAMES), z.string().check(z.minLength(1)))),
});

/** Serves the API routes with `services` (tests and the local runtime pass their own). */
export function createApiHandler(services: ApiServices) {
  return async (event: HttpEvent, context?: Context): Promise<HttpResult> => {
    if (context) logger.addContext(context);
    return dispatch(event, COMPILED_API_ROUTES, services);
  };
}

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => {
  const env = readFunctionEnv(HANDLER_ENV);
  // Collect-now is rare: the Lambda client is made (and its package loaded) on its first use.
  const lambda = lazySdkClient(() => new (require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda')).LambdaClient({}));
  return createApiHandler(lambdaApiServices(env, collectorInvoker(lambda, env.COLLECTOR_FUNCTIONS)));
});
