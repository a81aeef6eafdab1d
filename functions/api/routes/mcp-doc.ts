/**
 * POST /mcp as the stack and the OpenAPI document see it — without the MCP SDK, so the API function can
 * describe the route that its own MCP function serves.
 */
import { RESEARCH_LOG_URI, TOOL_SPECS } from '../../mcp/tools';
import type { RouteDescription } from '../router';

export const MCP_ROUTE: RouteDescription = {
  method: 'POST',
  path: '/mcp',
  servedBy: 'mcp',
  doc: {
    tag: 'Agents', summary: 'Model Context Protocol endpoint (Streamable HTTP)',
    description: `JSON-RPC 2.0 messages from an MCP client (stateless; JSON responses). Tools: ${TOOL_SPECS.map((t) => t.name).join(', ')}; resource ${RESEARCH_LOG_URI}. Same bearer token as every route.`,
    success: { status: 200, description: 'The JSON-RPC response (202 with no body for notifications)', contentTypes: ['application/json'] },
  },
};

/** GET /mcp: MCP clients probe it for a server-initiated stream; a Lambda cannot hold one, so it is 405. */
export const MCP_STREAM_ROUTE: RouteDescription = {
  method: 'GET',
  path: '/mcp',
  servedBy: 'mcp',
  doc: {
    tag: 'Agents', summary: 'No server-initiated MCP stream',
    description: 'Always 405 `method_not_allowed`: this server answers MCP over POST only (stateless, JSON responses), which MCP clients read as "no standalone stream".',
    success: { status: 405, description: 'method_not_allowed' },
  },
};

