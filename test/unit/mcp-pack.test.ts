/**
 * The deployed MCP function's tools and OpenAPI document come from a pack built at synth
 * (functions/mcp/pack-build.ts) instead of the routes: they must be exactly what the local runtime builds
 * from the routes on the fly, and a packed tool must make exactly the request the live tool makes.
 */
import { openApiDocument } from '../../functions/api/openapi';
import { ROUTES } from '../../functions/api/routes';
import { API_VERSION } from '../../functions/api/routes/openapi';
import type { ApiCallRequest } from '../../functions/mcp/api-reply';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mcpPack, packFilesIn, PACK_FILES } from '../../functions/mcp/pack';
import { buildMcpPack } from '../../functions/mcp/pack-build';
import { callableTool } from '../../functions/mcp/tool-call';
import { verdictTools } from '../../functions/mcp/tools';

const live = verdictTools(ROUTES);
const built = buildMcpPack();
const pack = mcpPack((part) => built[PACK_FILES[part]]);

describe('the MCP pack built at synth', () => {
  it('holds every tool the routes give, with the same descriptions, schemas and annotations', () => {
    const strip = <T extends { call: unknown }>({ call, ...rest }: T) => { void call; return rest; };
    expect(pack.tools()).toEqual(live.map(strip));
    expect(pack.tools().map((t) => t.name)).toEqual(expect.arrayContaining(['create_experiment', 'get_experiment', 'health', 'research_log']));
  });

  it('makes the same API request as the live tool, path parameters, query and body alike', async () => {
    const seen: ApiCallRequest[][] = [[], []];
    const args: Record<string, Record<string, unknown>> = {
      get_experiment: { id: 'exp_abc' },
      list_experiments: { status: 'running' },
      abandon_experiment: { id: 'exp abc/1', reason: 'gone' },
      metric_series: { metric: 'x.follower_growth_rate', from: '2026-01-01T00:00:00.000Z' },
    };
    for (const [i, tools] of [live, pack.tools().map(callableTool)].entries()) {
      for (const [name, a] of Object.entries(args)) {
        const tool = tools.find((t) => t.name === name)!;
        await tool.call(a, async (request) => { seen[i].push(request); return { status: 200, contentType: 'application/json', body: {} }; });
      }
    }
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[1][2]).toEqual({ method: 'POST', path: '/experiments/exp%20abc%2F1/abandon', body: { reason: 'gone' } });
  });

  it('holds the OpenAPI document GET /openapi.json serves locally, naming the server it is asked through', () => {
    expect(pack.openApi('https://api.example.com')).toEqual(openApiDocument(ROUTES, 'https://api.example.com', API_VERSION));
  });

  it('reads its parts from the files beside the bundle, and a missing file as no part', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-mcp-pack-'));
    try {
      writeFileSync(join(dir, PACK_FILES.tools), built[PACK_FILES.tools]);
      const fromFiles = mcpPack(packFilesIn(dir));
      expect(fromFiles.tools()).toEqual(pack.tools());
      expect(() => fromFiles.openApi('https://api.example.com')).toThrow(/bundled without its tool pack \(mcp-openapi\.json beside index\.js\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says so on first use when a bundle was built without it', () => {
    expect(() => mcpPack(() => undefined).tools()).toThrow(/bundled without its tool pack \(mcp-tools\.json beside index\.js\)/);
  });
});
