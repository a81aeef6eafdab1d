/**
 * Lambda entry (HTTP API, payload 2.0) for the experiment routes that need neither the planner nor the
 * scorer: the list, extend, abandon, delete, the recorded verdicts, and the switchback schedule routes
 * (today, calendar feed and its token, skips, next post, post arms). Thin: route, call, map — see functions/api/.
 */
import { apiFunctionRoutes, serveApiRoutes } from '../api/api-function';
import { lambdaApiServices } from '../api/lambda-services';
import { experimentRoutes } from '../api/routes/experiments';
import { randomizedRoutes } from '../api/routes/randomized';
import type { ApiServices } from '../api/services';
import { functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';

/** The table only: none of these routes starts an experiment or reaches a verdict, so no event bus. */
export const HANDLER_ENV = functionEnv({ TABLE_NAME: resourceName() });

export const ROUTES = apiFunctionRoutes('api-experiments', [...experimentRoutes, ...randomizedRoutes]);

/** Serves this function's routes with `services` (tests and the local runtime pass their own). */
export function createExperimentsHandler(services: ApiServices) {
  return serveApiRoutes(ROUTES, services);
}

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => createExperimentsHandler(lambdaApiServices(readFunctionEnv(HANDLER_ENV))));
