/**
 * Builds the deployed MCP function's pack (see pack.ts) from the API's routes: the tools exactly as
 * verdictTools makes them for the local runtime, and the OpenAPI document exactly as GET /openapi.json
 * serves it there. Run at synth in a process of its own (`tsx functions/mcp/pack-build.ts` prints the
 * pack as JSON), so synth itself never loads the routes (test/unit/import-rules).
 */
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { openApiDocument } from '../api/openapi';
import { ROUTES } from '../api/routes';
import { API_VERSION } from '../api/routes/openapi';
import type { PackedMcp } from './pack';
import type { ToolDefinition } from './tool-call';
import { verdictTools } from './tools';

const packed = (value: unknown) => brotliCompressSync(Buffer.from(JSON.stringify(value), 'utf8'), { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).toString('base64');

export function buildMcpPack(): PackedMcp {
  const tools: ToolDefinition[] = verdictTools(ROUTES).map(({ call, ...definition }) => { void call; return definition; });
  // `servers` is filled in per request (the URL the client used), as the local route does.
  return { tools: packed(tools), openApi: packed(openApiDocument(ROUTES, '', API_VERSION)) };
}

if (require.main === module) process.stdout.write(JSON.stringify(buildMcpPack()));
