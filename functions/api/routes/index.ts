/** Every API route, compiled once. The CDK stack and the local server both serve exactly these. */
import { compileRoutes, type Route } from '../router';
import { backlogRoutes } from './backlog';
import { catalogRoutes } from './catalog';
import { dashboardRoutes } from './dashboard';
import { digestRoutes } from './digest';
import { collectRoutes } from './collect';
import { experimentRoutes } from './experiments';
import { healthRoutes } from './health';
import { logRoutes } from './log';
import { mcpRoutes } from './mcp';
import { observationRoutes } from './observations';
import { openApiRoutes } from './openapi';

export const ROUTES: Route[] = [
  ...experimentRoutes, ...backlogRoutes, ...logRoutes, ...observationRoutes, ...catalogRoutes, ...collectRoutes, ...healthRoutes,
  ...openApiRoutes(() => ROUTES), ...dashboardRoutes,
  ...digestRoutes, ...mcpRoutes(() => ROUTES),
];
export const COMPILED_ROUTES = compileRoutes(ROUTES);
