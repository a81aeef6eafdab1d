/**
 * Builds the deployed MCP function's pack (see pack.ts) from the API's routes: the tools exactly as
 * verdictTools makes them for the local runtime, and the OpenAPI document exactly as GET /openapi.json
 * serves it there. Run at synth in a process of its own (`tsx functions/mcp/pack-build.ts` prints the
 * pack's files — name → JSON text — as one JSON object, which synth writes beside the bundle), so synth
 * itself never loads the routes (test/unit/import-rules).
 */
import { openApiDocument } from '../api/openapi';
import { ROUTES } from '../api/routes';
import { API_VERSION } from '../api/routes/openapi';
import { PACK_FILES } from './pack';
import type { ToolDefinition } from './tool-call';
import { verdictTools } from './tools';

/** The pack's files: name → JSON text. */
export function buildMcpPack(): Record<string, string> {
  const tools: ToolDefinition[] = verdictTools(ROUTES).map(({ call, ...definition }) => { void call; return definition; });
  // `servers` is filled in per request (the URL the client used), as the local route does.
  return { [PACK_FILES.tools]: JSON.stringify(tools), [PACK_FILES.openApi]: JSON.stringify(openApiDocument(ROUTES, '', API_VERSION)) };
}

if (require.main === module) process.stdout.write(JSON.stringify(buildMcpPack()));
