/**
 * POST /mcp: the Model Context Protocol over Streamable HTTP, stateless with JSON responses (a Lambda
 * cannot hold an SSE stream open). Each request gets a fresh server and transport; the tools call this
 * API's own router in-process, behind the same token the authorizer already checked for this request.
 * GET and DELETE (server-initiated streams, sessions) are not offered: the router answers 405, which
 * MCP clients take as "no standalone stream".
 */
import { DEFAULT_MAX_REQUEST_BODY_SIZE } from '@modelcontextprotocol/sdk/server/requestBody.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { inProcessApiCall } from '../../mcp/api-call';
import { createVerdictMcpServer } from '../../mcp/server';
import { verdictTools, type VerdictTool } from '../../mcp/tools';
import { MCP_ROUTE, MCP_SESSION_ROUTE, MCP_STREAM_ROUTE } from './mcp-doc';
import { AppError, ValidationError } from '../../shared/errors';
import { errorResponse } from '../error-response';
import type { ApiResponse } from '../http';
import { compileRoutes, type Route } from '../router';

/** Request headers the transport looks at; the token and hop-by-hop headers stay out of it. */
const FORWARDED_HEADERS = ['accept', 'content-type', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id'];

/** The /mcp route over every API route (`routes` is read on first use, so it may include this one). */
export function mcpRoutes(routes: () => readonly Route[]): Route[] {
  let compiled: ReturnType<typeof compileRoutes> | undefined;
  // The tools and their JSON Schemas depend on the routes only: built on the first request, kept for the next.
  let tools: readonly VerdictTool[] | undefined;
  return [{
    ...MCP_ROUTE,
    async handle(req, s) {
      compiled ??= compileRoutes(routes());
      tools ??= verdictTools(routes());
      const server = createVerdictMcpServer({
        routes: routes(),
        tools,
        api: inProcessApiCall(compiled, s, req.requestId),
        requestId: req.requestId,
        log: s.log,
      });
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      await server.connect(transport);
      try {
        const headers = new Headers();
        for (const name of FORWARDED_HEADERS) {
          const value = req.headers[name];
          if (value === undefined) continue;
          // Fetch headers are ByteStrings: a value outside Latin-1 is the client's malformed input, not our crash.
          if (/[^\u0000-\u00ff]/.test(value)) throw new ValidationError(`Header ${name} has characters outside Latin-1`, [{ path: `headers.${name}`, message: 'characters outside Latin-1' }]);
          headers.set(name, value);
        }
        // The body is in memory already: a JSON body within the transport's size limit is handed over parsed, so the
        // transport does not read it back through a web stream; anything else it reads and answers itself (413, -32700).
        const parsedBody = parsedJsonBody(req.rawBody);
        const request = new Request(`https://verdict.invalid${req.path}`, { method: 'POST', headers, ...(parsedBody === undefined && { body: req.rawBody }) });
        const response = await transport.handleRequest(request, parsedBody === undefined ? undefined : { parsedBody });
        return await toApiResponse(response);
      } finally {
        await server.close();
      }
    },
  }, ...[MCP_STREAM_ROUTE, MCP_SESSION_ROUTE].map((route): Route => ({
    ...route,
    async handle(req, s) {
      const answer = errorResponse(new AppError('method_not_allowed', `Method not allowed: ${route.method} /mcp; use POST (stateless server: no stream, no session)`), req.requestId, s.log);
      return { ...answer, headers: { allow: 'POST' } };
    },
  }))];
}

function parsedJsonBody(raw: string): unknown {
  if (Buffer.byteLength(raw, 'utf8') > DEFAULT_MAX_REQUEST_BODY_SIZE) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

async function toApiResponse(response: Response): Promise<ApiResponse> {
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? 'application/json';
  const headers: Record<string, string> = {};
  for (const name of ['mcp-session-id', 'mcp-protocol-version', 'allow']) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  if (text === '') return { status: response.status, headers };
  // JSON bodies are re-serialised by toHttpResult, so hand it the value rather than the text.
  const body: unknown = contentType.startsWith('application/json') ? JSON.parse(text) : text;
  return { status: response.status, body, contentType, headers };
}
