/**
 * POST /mcp as the stack and the OpenAPI document see it — without the MCP server's code, so the route
 * can be described without loading it.
 */
import * as z from '../../domain/zod-mini';
import { ErrorEnvelopeSchema } from '../error-response';
import { RESEARCH_LOG_URI, TOOL_SPECS } from '../../mcp/tools';
import type { RouteDeclaration } from '../router';

const JsonRpcId = z.union([z.string(), z.number(), z.null()]);
const JsonRpcErrorSchema = z.object({
  jsonrpc: z.literal('2.0'), id: JsonRpcId,
  error: z.object({ code: z.described(z.number().check(z.int()), '-32700 parse error, -32600 invalid request, -32601 no such method, -32602 invalid params, -32000 transport'), message: z.string(), data: z.optional(z.unknown()) }),
});
const JsonRpcResponseSchema = z.object({
  jsonrpc: z.literal('2.0'), id: JsonRpcId,
  result: z.described(z.optional(z.record(z.string(), z.unknown())), 'initialize, tools/list, tools/call (tool failures are results with isError: true), resources/read, prompts/get …'),
  error: z.optional(JsonRpcErrorSchema.shape.error),
});

export const MCP_ROUTE: RouteDeclaration = {
  method: 'POST',
  path: '/mcp',
  doc: {
    tag: 'Agents', summary: 'Model Context Protocol endpoint (Streamable HTTP)',
    description: `JSON-RPC 2.0 messages from an MCP client (stateless; JSON responses, no sessions, no server-initiated stream). Tools: ${TOOL_SPECS.map((t) => t.name).join(', ')}; resource ${RESEARCH_LOG_URI}; prompt run_the_loop. Same static bearer token as every route (no OAuth). Send \`Accept: application/json, text/event-stream\` and \`Content-Type: application/json\`.`,
    success: { status: 200, description: 'The JSON-RPC response', schema: JsonRpcResponseSchema },
    responses: {
      202: { description: 'A notification or response from the client was accepted (no body)' },
      400: { description: 'A JSON-RPC parse error or invalid request (JSON-RPC error body), or a header outside Latin-1 (error envelope)', schema: z.union([JsonRpcErrorSchema, ErrorEnvelopeSchema]) },
      406: { description: 'Accept does not include both application/json and text/event-stream', schema: JsonRpcErrorSchema },
      415: { description: 'Content-Type is not application/json', schema: JsonRpcErrorSchema },
    },
  },
};

/** GET /mcp: MCP clients probe it for a server-initiated stream; a Lambda cannot hold one, so it is 405. */
export const MCP_STREAM_ROUTE: RouteDeclaration = {
  method: 'GET',
  path: '/mcp',
  doc: {
    tag: 'Agents', summary: 'No server-initiated MCP stream',
    description: 'Always 405 `method_not_allowed` (Allow: POST): this server answers MCP over POST only (stateless, JSON responses), which MCP clients read as "no standalone stream".',
    success: { status: 405, description: 'method_not_allowed' },
  },
};

/** DELETE /mcp: clients end a session with it; a stateless server has none, so it is 405 like GET. */
export const MCP_SESSION_ROUTE: RouteDeclaration = {
  method: 'DELETE',
  path: '/mcp',
  doc: {
    tag: 'Agents', summary: 'No MCP session to end',
    description: 'Always 405 `method_not_allowed` (Allow: POST): the server is stateless and issues no Mcp-Session-Id, so there is no session to delete.',
    success: { status: 405, description: 'method_not_allowed' },
  },
};
