/**
 * The routes the API functions serve — every route but /mcp, which its own function serves. The OpenAPI
 * document still describes /mcp, from its description in mcp-doc.ts.
 */
import { compileRoutes, type Route, type RouteDescription } from '../router';
import { withAccess } from '../route-table';
import { backlogRoutes } from './backlog';
import { catalogRoutes } from './catalog';
import { collectRoutes } from './collect';
import { dashboardRoutes } from './dashboard';
import { digestRoutes } from './digest';
import { experimentPlanRoutes } from './experiment-plans';
import { experimentReadoutRoutes } from './experiment-readouts';
import { experimentRoutes } from './experiments';
import { healthRoutes } from './health';
import { logRoutes } from './log';
import { MCP_ROUTE, MCP_SESSION_ROUTE, MCP_STREAM_ROUTE } from './mcp-doc';
import { observationRoutes } from './observations';
import { openApiRoutes } from './openapi';
import { randomizedRoutes } from './randomized';
import { wellKnownRoutes } from './well-known';

export const API_ROUTES: Route[] = [
  ...experimentPlanRoutes, ...experimentRoutes, ...experimentReadoutRoutes, ...backlogRoutes, ...logRoutes, ...observationRoutes, ...catalogRoutes, ...collectRoutes, ...healthRoutes,
  ...openApiRoutes((): RouteDescription[] => withAccess([...API_ROUTES, MCP_ROUTE, MCP_STREAM_ROUTE, MCP_SESSION_ROUTE])), ...dashboardRoutes, ...digestRoutes, ...randomizedRoutes,
  ...wellKnownRoutes,
];
export const COMPILED_API_ROUTES = compileRoutes(API_ROUTES);
