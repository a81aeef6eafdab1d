/**
 * POST /mcp as the local runtime serves it: the Model Context Protocol over Streamable HTTP, stateless with
 * JSON responses (functions/mcp/http-post.ts, protocol.ts); the tools call this API's own router in-process,
 * behind the same token the local authorizer already checked for this request. (In AWS the MCP function
 * sends each call to the API over HTTPS instead: functions/handlers/mcp.ts.)
 * GET and DELETE (server-initiated streams, sessions) are not offered: the router answers 405, which
 * MCP clients take as "no standalone stream".
 */
import { inProcessApiCall } from '../../mcp/api-call';
import { answerMcpPost, mcpMethodNotAllowed } from '../../mcp/http-post';
import { handleMcpMessage } from '../../mcp/protocol';
import { createVerdictMcpServer } from '../../mcp/server';
import { verdictTools, type VerdictTool } from '../../mcp/tools';
import { MCP_ROUTE, MCP_SESSION_ROUTE, MCP_STREAM_ROUTE } from './mcp-doc';
import { compileRoutes, type Route } from '../router';

/** The /mcp route over every API route (`routes` is read on first use, so it may include this one). */
export function mcpRoutes(routes: () => readonly Route[]): Route[] {
  let compiled: ReturnType<typeof compileRoutes> | undefined;
  // The tools and their JSON Schemas depend on the routes only: built on the first request that needs them
  // (tools/list, tools/call; not initialize or ping), kept for the next.
  let tools: readonly VerdictTool[] | undefined;
  const toolList = () => (tools ??= verdictTools(routes()));
  return [{
    ...MCP_ROUTE,
    async handle(req, s) {
      compiled ??= compileRoutes(routes());
      const server = createVerdictMcpServer({ tools: toolList, api: inProcessApiCall(compiled, s, req.requestId), requestId: req.requestId, log: s.log });
      return answerMcpPost(req, (message) => handleMcpMessage(server, message));
    },
  }, ...[MCP_STREAM_ROUTE, MCP_SESSION_ROUTE].map((route): Route => ({
    ...route,
    handle: async (req, s) => mcpMethodNotAllowed(route.method, req.requestId, s.log),
  }))];
}

