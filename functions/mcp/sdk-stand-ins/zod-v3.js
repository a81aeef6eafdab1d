/**
 * Stands in for `zod/v3` in the Lambda bundles (an esbuild alias, lib/constructs/lambda-bundling.ts). The MCP
 * SDK keeps Zod 3 only to build object schemas from Zod 3 shapes (registerTool/registerPrompt argument shapes);
 * Verdict's tools are served with plain JSON Schemas and its one prompt takes no arguments, so the SDK never
 * calls it. zod/v3 would add a second copy of zod (~55 KB minified) to the MCP function.
 */
export function object() {
  throw new Error('zod/v3 is not bundled: the MCP server here takes no Zod 3 schemas');
}
