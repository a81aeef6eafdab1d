/**
 * What every API route-group function (functions/handlers/api-*.ts) shares: its routes, checked against
 * the route table (functions/api/route-table.ts says which function serves each route; a function given
 * a route the table sends elsewhere, or missing one it sends here, fails at cold start and in the route-table
 * test), and the handler that dispatches them. Each group imports only its own route modules, so its
 * bundle carries only the code those routes need.
 */
import type { Context } from 'aws-lambda';
import { ConfigurationError } from '../shared/errors';
import { logger } from '../shared/logger';
import { withCollaborators } from './collaborators';
import type { HttpEvent, HttpResult } from './http';
import { routeKeysServedBy, type ApiFunction } from './route-table';
import { compileRoutes, dispatch, type CompiledRoute, type Route } from './router';
import type { ApiServices } from './services';

export type CompiledRoutes = readonly CompiledRoute[];

/** `routes` compiled for `fn`; throws unless they are exactly the table's routes for `fn`. */
export function apiFunctionRoutes(fn: ApiFunction, routes: readonly Route[]): CompiledRoutes {
  const served = routes.map((r) => `${r.method} ${r.path}`).sort();
  const expected = [...routeKeysServedBy(fn)].sort();
  if (served.join('\n') !== expected.join('\n')) {
    throw new ConfigurationError(`${fn} serves ${served.join(', ')}, but the route table gives it ${expected.join(', ')}`);
  }
  return compileRoutes(routes);
}

/**
 * Serves `routes` with `services` (tests and the local runtime pass their own). The optional collaborators
 * are filled in once here, when the handler is composed, not on every request.
 */
export function serveApiRoutes(routes: CompiledRoutes, services: ApiServices) {
  const resolved = withCollaborators(services);
  return async (event: HttpEvent, context?: Context): Promise<HttpResult> => {
    if (context) logger.addContext(context);
    return dispatch(event, routes, resolved);
  };
}
