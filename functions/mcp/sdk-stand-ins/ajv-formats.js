/** Stands in for `ajv-formats` in the Lambda bundles; see ./ajv.js. */
export default function addFormats() {
  throw new Error('ajv-formats is not bundled: pass the MCP server a jsonSchemaValidator (functions/mcp/server.ts)');
}
