/**
 * The route table (functions/api/route-table.ts) is what the stack deploys; the route modules are what
 * answers. Every table entry has a route and every route an entry, with the table's access attached.
 */
import { ROUTE_DEFINITIONS, ROUTE_TABLE } from '../../functions/api/route-table';
import { ROUTES } from '../../functions/api/routes';

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
    expect(ROUTES.filter((r) => r.servedBy === 'mcp').map(keyOf).sort()).toEqual(['DELETE /mcp', 'GET /mcp', 'POST /mcp']);
    expect(ROUTES.filter((r) => r.servedBy === 'dashboard').map(keyOf).sort()).toEqual(['GET /', 'GET /assets/{file}']);
  });
});
