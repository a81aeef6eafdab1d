/**
 * Every route of the HTTP API, each served by the function its `servedBy` names (the API function by
 * default, /mcp by the MCP function). The CDK stack and the local server both serve exactly these.
 */
import { compileRoutes, type ServedRoute } from '../router';
import { withAccess } from '../route-table';
import { API_ROUTES } from './api-routes';
import { mcpRoutes } from './mcp';

export const ROUTES: ServedRoute[] = withAccess([...API_ROUTES, ...mcpRoutes(() => ROUTES)]);
export const COMPILED_ROUTES = compileRoutes(ROUTES);
