/**
 * Lambda entry (HTTP API, payload 2.0) for the read-only routes: the research log, the metric catalog and
 * series, health, and the public /.well-known documents. Its role may only read the table. Thin: route,
 * call, map — see functions/api/.
 */
import { apiFunctionRoutes, serveApiRoutes } from '../api/api-function';
import { lambdaApiServices } from '../api/lambda-services';
import { catalogRoutes } from '../api/routes/catalog';
import { healthRoutes } from '../api/routes/health';
import { logRoutes } from '../api/routes/log';
import { wellKnownRoutes } from '../api/routes/well-known';
import type { ApiServices } from '../api/services';
import { functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';

/** The table only (read). */
export const HANDLER_ENV = functionEnv({ TABLE_NAME: resourceName() });

export const ROUTES = apiFunctionRoutes('api-reads', [...logRoutes, ...catalogRoutes, ...healthRoutes, ...wellKnownRoutes]);

/** Serves this function's routes with `services` (tests and the local runtime pass their own). */
export function createReadsHandler(services: ApiServices) {
  return serveApiRoutes(ROUTES, services);
}

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => createReadsHandler(lambdaApiServices(readFunctionEnv(HANDLER_ENV))));
