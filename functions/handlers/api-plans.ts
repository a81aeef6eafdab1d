/**
 * Lambda entry (HTTP API, payload 2.0) for the routes that run the planner: POST /experiments/plan,
 * POST /experiments, PATCH /experiments/{id}, POST /experiments/{id}/start and the backlog. Thin: route,
 * call, map — see functions/api/.
 */
import { apiFunctionRoutes, serveApiRoutes } from '../api/api-function';
import { lambdaApiServices } from '../api/lambda-services';
import { backlogRoutes } from '../api/routes/backlog';
import { experimentPlanRoutes } from '../api/routes/experiment-plans';
import type { ApiServices } from '../api/services';
import { functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';

/** The table and the event bus (a create or start whose window has begun publishes Experiment Started). */
export const HANDLER_ENV = functionEnv({ TABLE_NAME: resourceName(), EVENT_BUS_NAME: resourceName() });

export const ROUTES = apiFunctionRoutes('api-plans', [...experimentPlanRoutes, ...backlogRoutes]);

/** Serves this function's routes with `services` (tests and the local runtime pass their own). */
export function createPlansHandler(services: ApiServices) {
  return serveApiRoutes(ROUTES, services);
}

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => createPlansHandler(lambdaApiServices(readFunctionEnv(HANDLER_ENV))));
