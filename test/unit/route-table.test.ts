/**
 * The route table (functions/api/route-table.ts) is what the stack deploys; the route modules are what
 * answers. Every table entry has a route and every route an entry, with the table's access attached.
 */
import { ROUTE_DEFINITIONS, ROUTE_TABLE } from '../../functions/api/route-table';
import { ROUTES } from '../../functions/api/routes';
import { apiFunctionRoutes } from '../../functions/api/api-function';
import { API_FUNCTIONS, routeKeysServedBy } from '../../functions/api/route-table';
import { experimentRoutes } from '../../functions/api/routes/experiments';
import * as apiExperiments from '../../functions/handlers/api-experiments';
import * as apiImports from '../../functions/handlers/api-imports';
import * as apiPlans from '../../functions/handlers/api-plans';
import * as apiReadouts from '../../functions/handlers/api-readouts';
import * as apiReads from '../../functions/handlers/api-reads';

const keyOf = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

describe('route table', () => {
  it('lists exactly the routes the modules serve, each once', () => {
    expect(ROUTES.map(keyOf).sort()).toEqual(ROUTE_DEFINITIONS.map(keyOf).sort());
    expect(new Set(ROUTES.map(keyOf)).size).toBe(ROUTES.length);
  });

  it('gives each served route the table\'s access: public, its reason and its function', () => {
    const access = (r: { public?: true; publicReason?: string; servedBy?: string }) => ({ public: r.public, publicReason: r.publicReason, servedBy: r.servedBy });
    for (const route of ROUTES) expect([keyOf(route), access(route)]).toEqual([keyOf(route), access(ROUTE_TABLE[keyOf(route) as keyof typeof ROUTE_TABLE])]);
    expect(ROUTES.filter((r) => r.public).map(keyOf)).toContain('GET /calendar.ics');
    expect(ROUTES.filter((r) => r.servedBy === 'mcp').map(keyOf).sort()).toEqual(['DELETE /mcp', 'GET /mcp', 'GET /openapi.json', 'POST /mcp']);
    expect(ROUTES.filter((r) => r.servedBy === 'dashboard').map(keyOf).sort()).toEqual(['GET /', 'GET /assets/{file}']);
  });

  it('each API function serves exactly the routes the table sends it, and together they serve every API route once', () => {
    const handlers = { 'api-experiments': apiExperiments, 'api-plans': apiPlans, 'api-readouts': apiReadouts, 'api-reads': apiReads, 'api-imports': apiImports };

    for (const name of API_FUNCTIONS) {
      expect([name, handlers[name].ROUTES.map(keyOf).sort()]).toEqual([name, [...routeKeysServedBy(name)].sort()]);
      expect(handlers[name].ROUTES.every((r) => r.servedBy === name)).toBe(true);
    }
    const served = API_FUNCTIONS.flatMap((name) => handlers[name].ROUTES.map(keyOf));
    expect(served.sort()).toEqual(ROUTE_DEFINITIONS.filter((r) => r.servedBy !== 'mcp' && r.servedBy !== 'dashboard').map(keyOf).sort());
  });

  it('refuses to compile a function\'s routes that the table sends elsewhere or leaves out', () => {
    expect(() => apiFunctionRoutes('api-reads', experimentRoutes)).toThrow(/^api-reads serves .*GET \/experiments, .*but the route table gives it .*GET \/log, /);
    expect(() => apiFunctionRoutes('api-experiments', experimentRoutes.slice(1))).toThrow(/the route table gives it/);
  });
});
