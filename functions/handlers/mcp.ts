/**
 * Lambda entry for POST /mcp (payload 2.0) and GET /openapi.json: the Model Context Protocol over the API.
 * A thin adapter: each tool call is sent to the deployed API itself over HTTPS (API_URL) with the caller's own
 * Authorization header — the token the authorizer just accepted for this request (its answer is cached) — so a
 * tool sees exactly the REST API's validation, codes and messages, through the function that serves the route,
 * with that function's permissions. This function carries no route: its tools (descriptions, JSON Schemas)
 * and the OpenAPI document are built from the routes at synth (functions/mcp/pack.ts). Cost: one more API
 * Gateway hop per tool call. The local runtime serves the same protocol with the routes in-process
 * (functions/api/routes/mcp.ts).
 */
import type { Context } from 'aws-lambda';
import * as z from '../domain/zod-mini';
import { errorResponse } from '../api/error-response';
import { toApiRequest, toHttpResult, type HttpEvent, type HttpResult } from '../api/http';
import { httpApiCall } from '../cli/api-client';
import type { HttpFetch } from '../cli/http-transport';
import { answerMcpPost, mcpMethodNotAllowed } from '../mcp/http-post';
import { mcpPack, type McpPack } from '../mcp/pack';
import { handleMcpMessage } from '../mcp/protocol';
import { createVerdictMcpServer } from '../mcp/server';
import { callableTool, type VerdictTool } from '../mcp/tool-call';
import { NotFoundError } from '../shared/errors';
import { functionEnv, onColdStart, readFunctionEnv } from '../shared/function-env';
import { log, logger } from '../shared/logger';

/** The MCP function's environment: the API its tools call (the HTTP API's own endpoint, from the template). */
export const HANDLER_ENV = functionEnv({ API_URL: z.string().check(z.regex(/^https?:\/\/[^/]+$/, 'must be an http(s) origin without a path')) });

export interface McpHandlerOptions {
  /** The API's base URL (no trailing slash). */
  apiUrl: string;
  pack: McpPack;
  /** The transport of the tools' calls (default: node:http/https, see cli/http-transport.ts). */
  fetch?: HttpFetch;
  /** How long one tool call may wait for the API (default 12 s: under this function's 15 s timeout). */
  timeoutMs?: number;
}

/** Serves POST /mcp (tools over `apiUrl`), GET and DELETE /mcp (405) and GET /openapi.json from `pack`. */
export function createMcpHandler(options: McpHandlerOptions) {
  let tools: readonly VerdictTool[] | undefined;
  const toolList = () => (tools ??= options.pack.tools().map(callableTool));
  return async (event: HttpEvent, context?: Context): Promise<HttpResult> => {
    if (context) logger.addContext(context);
    const req = toApiRequest(event);
    try {
      if (req.path === '/mcp' && req.method === 'POST') {
        const api = httpApiCall({
          baseUrl: options.apiUrl, fetch: options.fetch, timeoutMs: options.timeoutMs ?? 12_000,
          ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }),
        });
        const server = createVerdictMcpServer({ tools: toolList, api, requestId: req.requestId, log });
        return toHttpResult(await answerMcpPost(req, (message) => handleMcpMessage(server, message)));
      }
      if (req.path === '/mcp' && (req.method === 'GET' || req.method === 'DELETE')) return toHttpResult(mcpMethodNotAllowed(req.method, req.requestId, log));
      if (req.path === '/openapi.json' && req.method === 'GET') {
        const proto = req.headers['x-forwarded-proto'] ?? 'https';
        return toHttpResult({ status: 200, body: options.pack.openApi(`${proto}://${req.headers.host ?? 'localhost'}`) });
      }
      throw new NotFoundError(`No route for ${req.method} ${req.path} in the MCP function`);
    } catch (err) {
      return toHttpResult(errorResponse(err, req.requestId, log));
    }
  };
}

/** Lambda entry: composed once per cold start from the validated environment and the bundled pack. */
export const handler = onColdStart(() => createMcpHandler({ apiUrl: readFunctionEnv(HANDLER_ENV).API_URL, pack: mcpPack() }));
