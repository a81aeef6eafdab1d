/**
 * Every route of the HTTP API as the stack deploys it: its method and path, the function that serves it
 * and whether it is public (and why that is safe). Plain data with no imports, so lib/ reads it at synth
 * without loading handlers, stores or SDKs.
 *
 * The route modules (./routes) give each entry its handler and documentation: a route's method and path
 * must be a key of ROUTE_TABLE (the Route type accepts no other), and a test holds the two lists equal.
 * Adding a route is one line here plus its module.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/**
 * The functions that serve the API's routes, one per group of routes that need the same code (so the
 * planner, the scorer and the importers are each bundled only where a route uses them):
 * - api-experiments: the experiment list, lifecycle changes that need no plan (extend, abandon, delete),
 *   recorded verdicts, and the switchback schedule routes (today, calendar feed, skips, posts);
 * - api-plans: everything that runs the planner (plan, create, change, start, the backlog);
 * - api-readouts: everything that runs the scorer (an experiment with its interim readout, rescore, the digest);
 * - api-reads: read-only routes over the log, metrics and health (no write permission at all);
 * - api-imports: observation imports and collect-now (the only writes of observations, the only collector invokes).
 */
export const API_FUNCTIONS = ['api-experiments', 'api-plans', 'api-readouts', 'api-reads', 'api-imports'] as const;
export type ApiFunction = (typeof API_FUNCTIONS)[number];

/** Every function behind the HTTP API: the route groups, the MCP endpoint and the dashboard. */
export type ServingFunction = ApiFunction | 'mcp' | 'dashboard';

/** How a route is reached: by whom, through which function. */
export interface RouteAccess {
  /** Served without the API token (e.g. the dashboard page); every other route is behind the authorizer. */
  readonly public?: true;
  /** Why a public route is safe without the API token (the stack's cdk-nag acknowledgement quotes it). */
  readonly publicReason?: string;
  /** The Lambda that serves the route in AWS, and the handler the local runtime passes it to. */
  readonly servedBy: ServingFunction;
}

export const ROUTE_TABLE = {
  'POST /experiments/plan': { servedBy: 'api-plans' },
  'POST /experiments': { servedBy: 'api-plans' },
  'GET /experiments': { servedBy: 'api-experiments' },
  'GET /experiments/{id}': { servedBy: 'api-readouts' },
  'PATCH /experiments/{id}': { servedBy: 'api-plans' },
  'DELETE /experiments/{id}': { servedBy: 'api-experiments' },
  'POST /experiments/{id}/start': { servedBy: 'api-plans' },
  'POST /experiments/{id}/extend': { servedBy: 'api-experiments' },
  'POST /experiments/{id}/abandon': { servedBy: 'api-experiments' },
  'GET /experiments/{id}/verdict': { servedBy: 'api-experiments' },
  'GET /experiments/{id}/verdicts': { servedBy: 'api-experiments' },
  'POST /experiments/{id}/rescore': { servedBy: 'api-readouts' },
  'POST /backlog': { servedBy: 'api-plans' },
  'GET /backlog': { servedBy: 'api-plans' },
  'GET /log': { servedBy: 'api-reads' },
  'POST /observations': { servedBy: 'api-imports' },
  'GET /metrics': { servedBy: 'api-reads' },
  'GET /metrics/{metric}': { servedBy: 'api-reads' },
  'POST /collect': { servedBy: 'api-imports' },
  'GET /health': { servedBy: 'api-reads' },
  // The document describes every route: built from them at synth into the MCP function's pack, with its tools (functions/mcp/pack.ts).
  'GET /openapi.json': { servedBy: 'mcp' },
  // The dashboard function carries the packed page and assets; no API function does.
  'GET /': { public: true, servedBy: 'dashboard' },
  'GET /assets/{file}': { public: true, servedBy: 'dashboard' },
  'GET /digest': { servedBy: 'api-readouts' },
  'GET /today': { servedBy: 'api-experiments' },
  'POST /calendar/token': { servedBy: 'api-experiments' },
  'GET /calendar.ics': {
    public: true,
    servedBy: 'api-experiments',
    publicReason: 'it needs the calendar feed\'s own read-only token (query parameter, checked by the route against its stored SHA-256, '
      + 'because calendar apps cannot send headers); it serves only switchback schedules and cannot change anything.',
  },
  'POST /experiments/{id}/skips': { servedBy: 'api-experiments' },
  'POST /experiments/{id}/next-post': { servedBy: 'api-experiments' },
  'POST /experiments/{id}/posts/{postId}/arm': { servedBy: 'api-experiments' },
  'GET /.well-known/{document}': { public: true, servedBy: 'api-reads' },
  'GET /.well-known/{document}/{resource}': { public: true, servedBy: 'api-reads' },
  // The MCP function: its tools call the API's routes over HTTPS (locally in-process).
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
export function routeAccess(route: RouteTarget): RouteAccess {
  return (ROUTE_TABLE as Record<string, RouteAccess>)[`${route.method} ${route.path}`];
}

/** The table's routes a function serves, in table order (`GET /experiments`, …). */
export function routeKeysServedBy(fn: ServingFunction): RouteKey[] {
  return (Object.keys(ROUTE_TABLE) as RouteKey[]).filter((key) => ROUTE_TABLE[key].servedBy === fn);
}

/** The routes with the table's access fields attached (public, publicReason, servedBy). */
export function withAccess<T extends RouteTarget>(routes: readonly T[]): (T & RouteAccess)[] {
  return routes.map((r) => ({ ...r, ...routeAccess(r) }));
}
