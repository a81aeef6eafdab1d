/**
 * What the deployed MCP function is bundled with instead of the API's routes: its tools (descriptions,
 * JSON Schemas, the route each calls) and the API's OpenAPI document, both built at synth from the routes
 * themselves (functions/mcp/pack-build.ts, run by lib/constructs/lambda-bundling.ts) and injected as
 * `__VERDICT_MCP_PACK__` — brotli-compressed JSON, base64, like the dashboard's assets. Built from the
 * same commit as the API functions deployed beside it, so it cannot describe another API; nothing is
 * checked in. Each part is unpacked on first use and kept.
 */
import { brotliDecompressSync } from 'node:zlib';
import type { ToolDefinition } from './tool-call';

/** The pack as injected: each part brotli-compressed JSON text, base64. */
export interface PackedMcp { tools: string; openApi: string }

declare const __VERDICT_MCP_PACK__: PackedMcp | undefined;

export interface McpPack {
  tools(): readonly ToolDefinition[];
  /** The OpenAPI document, its `servers` naming `serverUrl`. */
  openApi(serverUrl: string): Record<string, unknown>;
}

/** Reads `packed`; throws on first use when there is none (a bundle built without the pack). */
export function mcpPack(packed: PackedMcp | undefined = typeof __VERDICT_MCP_PACK__ === 'object' ? __VERDICT_MCP_PACK__ : undefined): McpPack {
  let tools: readonly ToolDefinition[] | undefined;
  let doc: Record<string, unknown> | undefined;
  const part = (name: keyof PackedMcp): unknown => {
    if (!packed) throw new Error('This MCP function was bundled without its tool pack (__VERDICT_MCP_PACK__)');
    return JSON.parse(brotliDecompressSync(Buffer.from(packed[name], 'base64')).toString('utf8')) as unknown;
  };
  return {
    tools: () => (tools ??= part('tools') as ToolDefinition[]),
    openApi: (serverUrl) => ({ ...(doc ??= part('openApi') as Record<string, unknown>), servers: [{ url: serverUrl }] }),
  };
}
