/**
 * How the MCP tools reach the API behind the local runtime's `POST /mcp`: the API's own router in-process (same
 * validation, codes and messages, no second network hop). The deployed MCP function (handlers/mcp.ts) and
 * `verdict mcp` (stdio) call the API over HTTP with the CLI's client instead (httpApiCall in cli/api-client.ts).
 */
import type { HttpEvent } from '../api/http';
import { dispatch } from '../api/router';
import type { ApiServices } from '../api/services';
import { replyBody, type ApiCall, type ApiCallRequest } from './api-reply';

/** The API's compiled routes (COMPILED_ROUTES). */
export type CompiledRoutes = Parameters<typeof dispatch>[1];

/** Calls the router in this process with a payload 2.0 event, as API Gateway would (the caller is already authorized). */
export function inProcessApiCall(
  routes: CompiledRoutes,
  services: ApiServices,
  parentRequestId: string,
): ApiCall {
  let n = 0;
  return async (request) => {
    const result = await dispatch(toEvent(request, `${parentRequestId}:${++n}`), routes, services);
    const headers = (result.headers ?? {}) as Record<string, string>;
    const contentType = String(headers['content-type'] ?? 'application/json');
    return { status: result.statusCode ?? 200, contentType, body: replyBody(result.body ?? '', contentType) };
  };
}

function toEvent(request: ApiCallRequest, requestId: string): HttpEvent {
  const query = new URLSearchParams(request.query ?? {}).toString();
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString: query,
    headers: { 'content-type': 'application/json', 'user-agent': 'verdict-mcp' },
    ...(request.query && Object.keys(request.query).length > 0 && { queryStringParameters: { ...request.query } }),
    ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
    isBase64Encoded: false,
    requestContext: {
      accountId: 'mcp', apiId: 'mcp', domainName: 'mcp', domainPrefix: 'mcp',
      http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'verdict-mcp' },
      requestId, routeKey: '$default', stage: '$default', time: now.toUTCString(), timeEpoch: now.getTime(),
    },
  };
}
