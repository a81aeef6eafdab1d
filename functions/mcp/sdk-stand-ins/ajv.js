/**
 * Stands in for `ajv` in the Lambda bundles (an esbuild alias, lib/constructs/lambda-bundling.ts). The MCP
 * SDK's Server builds an Ajv instance only when no `jsonSchemaValidator` is passed; functions/mcp/server.ts
 * always passes one (the server validates JSON Schema only for elicitation, which Verdict never sends), so
 * this class is never constructed. Ajv, ajv-formats and fast-uri would add ~130 KB minified to the MCP function.
 */
export default class Ajv {
  constructor() {
    throw new Error('ajv is not bundled: pass the MCP server a jsonSchemaValidator (functions/mcp/server.ts)');
  }
}
