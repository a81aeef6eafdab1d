/**
 * Lambda entry (HTTP API, payload 2.0) for the routes that bring observations in: POST /observations (an
 * import) and POST /collect (collect now, by invoking the collector functions). Thin: route, call, map —
 * see functions/api/.
 */
import { apiFunctionRoutes, serveApiRoutes } from '../api/api-function';
import { lambdaApiServices } from '../api/lambda-services';
import { collectRoutes } from '../api/routes/collect';
import { observationRoutes } from '../api/routes/observations';
import * as z from '../domain/zod-mini';
import { SOURCE_NAMES } from '../shared/app-config';
import { lazySdkClient } from '../shared/clients';
import { collectorInvoker } from '../shared/collector-invoker';
import type { ApiServices } from '../api/services';
import { functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';

/** The table, and the collector functions collect-now invokes. */
export const HANDLER_ENV = functionEnv({
  TABLE_NAME: resourceName(),
  /** JSON `{ "<source>": "<collector function name>" }` (`{}` when no source is enabled). */
  COLLECTOR_FUNCTIONS: z.pipe(z.pipe(z.string(), z.transform((s, ctx) => {
    try { return JSON.parse(s) as unknown; } catch { ctx.issues.push({ code: 'custom', message: 'must be JSON', input: s }); return z.NEVER; }
  })), z.partialRecord(z.enum(SOURCE_NAMES), z.string().check(z.minLength(1)))),
});

export const ROUTES = apiFunctionRoutes('api-imports', [...observationRoutes, ...collectRoutes]);

/** Serves this function's routes with `services` (tests and the local runtime pass their own). */
export function createImportsHandler(services: ApiServices) {
  return serveApiRoutes(ROUTES, services);
}

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => {
  const env = readFunctionEnv(HANDLER_ENV);
  // Collect-now is rare: the Lambda client is made (and its package loaded) on its first use.
  const lambda = lazySdkClient(() => new (require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda')).LambdaClient({}));
  return createImportsHandler(lambdaApiServices(env, collectorInvoker(lambda, env.COLLECTOR_FUNCTIONS)));
});
