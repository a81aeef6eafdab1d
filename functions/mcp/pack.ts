/**
 * What the deployed MCP function is bundled with instead of the API's routes: its tools (descriptions,
 * JSON Schemas, the route each calls) and the API's OpenAPI document, both built at synth from the routes
 * themselves (functions/mcp/pack-build.ts, run by lib/constructs/lambda-bundling.ts) and written as JSON
 * files beside the bundle's index.js. Built from the same commit as the API functions deployed beside it,
 * so it cannot describe another API; nothing is checked in. Each part is read and parsed on first use and
 * kept — outside the bundle, Node neither compiles them nor scans them for its source map, and a
 * tools/list loads no decompressor.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolDefinition } from './tool-call';

/** The pack's parts, each a JSON file beside the bundle. */
export const PACK_FILES = { tools: 'mcp-tools.json', openApi: 'mcp-openapi.json' } as const;
export type PackPart = keyof typeof PACK_FILES;

/** A part's JSON text, or undefined when there is none. */
export type ReadPackPart = (part: PackPart) => string | undefined;

export interface McpPack {
  tools(): readonly ToolDefinition[];
  /** The OpenAPI document, its `servers` naming `serverUrl`. */
  openApi(serverUrl: string): Record<string, unknown>;
}

/** Reads the parts from `dir` (in the bundle: the folder of index.js). */
export function packFilesIn(dir: string): ReadPackPart {
  return (part) => {
    try {
      return readFileSync(join(dir, PACK_FILES[part]), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
}

/** The pack `read` gives (default: the files beside this bundle); throws on first use when a part is missing. */
export function mcpPack(read: ReadPackPart = packFilesIn(__dirname)): McpPack {
  let tools: readonly ToolDefinition[] | undefined;
  let doc: Record<string, unknown> | undefined;
  const part = (name: PackPart): unknown => {
    const text = read(name);
    if (text === undefined) throw new Error(`This MCP function was bundled without its tool pack (${PACK_FILES[name]} beside index.js)`);
    return JSON.parse(text) as unknown;
  };
  return {
    tools: () => (tools ??= part('tools') as ToolDefinition[]),
    openApi: (serverUrl) => ({ ...(doc ??= part('openApi') as Record<string, unknown>), servers: [{ url: serverUrl }] }),
  };
}
