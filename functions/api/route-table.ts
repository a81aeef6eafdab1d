/**
 * Every route of the HTTP API as the stack deploys it: its method and path, the function that serves it
 * and whether it is public (and why that is safe). Plain data with no imports, so lib/ reads it at synth
 * without loading handlers, stores, SDKs or the MCP SDK.
 *
 * The route modules (./routes) give each entry its handler and documentation: a route's method and path
 * must be a key of ROUTE_TABLE (the Route type accepts no other), and a test holds the two lists equal.
 * Adding a route is one line here plus its module.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/** How a route is reached: by whom, through which function. */
export interface RouteAccess {
  /** Served without the API token (e.g. the dashboard page); every other route is behind the authorizer. */
  readonly public?: true;
  /** Why a public route is safe without the API token (the stack's cdk-nag acknowledgement quotes it). */
  readonly publicReason?: string;
  /** The Lambda that serves the route in AWS (and locally): the API function unless said otherwise. */
  readonly servedBy?: 'api' | 'mcp' | 'dashboard';
}

export const ROUTE_TABLE = {
  'POST /experiments/plan': {},
  'POST /experiments': {},
  'GET /experiments': {},
  'GET /experiments/{id}': {},
  'PATCH /experiments/{id}': {},
  'DELETE /experiments/{id}': {},
  'POST /experiments/{id}/start': {},
  'POST /experiments/{id}/extend': {},
  'POST /experiments/{id}/abandon': {},
  'GET /experiments/{id}/verdict': {},
  'GET /experiments/{id}/verdicts': {},
  'POST /experiments/{id}/rescore': {},
  'POST /backlog': {},
  'GET /backlog': {},
  'GET /log': {},
  'POST /observations': {},
  'GET /metrics': {},
  'GET /metrics/{metric}': {},
  'POST /collect': {},
  'GET /health': {},
  'GET /openapi.json': {},
  // The dashboard function carries the packed page and assets; the API function does not.
  'GET /': { public: true, servedBy: 'dashboard' },
  'GET /assets/{file}': { public: true, servedBy: 'dashboard' },
  'GET /digest': {},
  'GET /today': {},
  'POST /calendar/token': {},
  'GET /calendar.ics': {
    public: true,
    publicReason: 'it needs the calendar feed\'s own read-only token (query parameter, checked by the route against its stored SHA-256, '
      + 'because calendar apps cannot send headers); it serves only switchback schedules and cannot change anything.',
  },
  'POST /experiments/{id}/skips': {},
  'POST /experiments/{id}/next-post': {},
  'POST /experiments/{id}/posts/{postId}/arm': {},
  'GET /.well-known/{document}': { public: true },
  'GET /.well-known/{document}/{resource}': { public: true },
  // The MCP function carries the MCP SDK; the API function does not.
  'POST /mcp': { servedBy: 'mcp' },
  'GET /mcp': { servedBy: 'mcp' },
  'DELETE /mcp': { servedBy: 'mcp' },
} as const satisfies Record<`${HttpMethod} /${string}`, RouteAccess>;

export type RouteKey = keyof typeof ROUTE_TABLE;

/** `{ method, path }` of one table entry; a route whose pair is not in the table does not type-check. */
export type RouteTarget = { [K in RouteKey]: K extends `${infer M extends HttpMethod} ${infer P}` ? { method: M; path: P } : never }[RouteKey];

/** A route as the stack sees it: method, path and access, no handler. */
export type RouteDefinition = RouteTarget & RouteAccess;

/** The table as a list, in its order. */
export const ROUTE_DEFINITIONS: readonly RouteDefinition[] = Object.entries(ROUTE_TABLE).map(([key, access]) => {
  const space = key.indexOf(' ');
  return { method: key.slice(0, space), path: key.slice(space + 1), ...access } as RouteDefinition;
});

/** The table's access entry for a route (method and path as the route declares them). */
export function routeAccess(route: { method: string; path: string }): RouteAccess {
  return (ROUTE_TABLE as Record<string, RouteAccess>)[`${route.method} ${route.path}`] ?? {};
}

/** The routes with the table's access fields attached (public, publicReason, servedBy). */
export function withAccess<T extends { method: string; path: string }>(routes: readonly T[]): (T & RouteAccess)[] {
  return routes.map((r) => ({ ...r, ...routeAccess(r) }));
}
