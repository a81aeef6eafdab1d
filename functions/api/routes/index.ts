/**
 * Every route of the HTTP API, each served by the function its `servedBy` names (the API function by
 * default, /mcp by the MCP function). The CDK stack and the local server both serve exactly these.
 */
import { compileRoutes, type Route } from '../router';
import { API_ROUTES } from './api-routes';
import { mcpRoutes } from './mcp';

export const ROUTES: Route[] = [...API_ROUTES, ...mcpRoutes(() => ROUTES)];
export const COMPILED_ROUTES = compileRoutes(ROUTES);
