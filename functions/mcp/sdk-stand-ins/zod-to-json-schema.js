/**
 * Stands in for `zod-to-json-schema` in the Lambda bundles; the MCP SDK converts Zod 3 schemas with it and
 * Zod 4 schemas with zod's own toJSONSchema. No Zod 3 schema reaches the SDK here (see ./zod-v3.js).
 */
export function zodToJsonSchema() {
  throw new Error('zod-to-json-schema is not bundled: the MCP server here takes no Zod 3 schemas');
}
