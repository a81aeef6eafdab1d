/**
 * Lambda entry (HTTP API, payload 2.0) for the routes that run the scorer: GET /experiments/{id} (a running
 * experiment's interim readout), POST /experiments/{id}/rescore and GET /digest. Thin: route, call, map —
 * see functions/api/.
 */
import { apiFunctionRoutes, serveApiRoutes } from '../api/api-function';
import { lambdaApiServices } from '../api/lambda-services';
import { digestRoutes } from '../api/routes/digest';
import { experimentReadoutRoutes } from '../api/routes/experiment-readouts';
import type { ApiServices } from '../api/services';
import { functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';

/** The table and the event bus (a rescore publishes Verdict Reached). */
export const HANDLER_ENV = functionEnv({ TABLE_NAME: resourceName(), EVENT_BUS_NAME: resourceName() });

export const ROUTES = apiFunctionRoutes('api-readouts', [...experimentReadoutRoutes, ...digestRoutes]);

/** Serves this function's routes with `services` (tests and the local runtime pass their own). */
export function createReadoutsHandler(services: ApiServices) {
  return serveApiRoutes(ROUTES, services);
}

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => createReadoutsHandler(lambdaApiServices(readFunctionEnv(HANDLER_ENV))));
