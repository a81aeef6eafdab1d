/**
 * How the MCP tools reach the API: one abstract call, two ways to make it. Behind `POST /mcp` the tools
 * run the API's own router in-process (same validation, codes and messages, no second network hop);
 * behind `verdict mcp` (stdio) they call a deployed or local API over HTTP with the token.
 */
import type { HttpEvent } from '../api/http';
import { dispatch } from '../api/router';
import type { ApiServices } from '../api/services';

export interface ApiCallRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** Path without the query string, segments already encoded (`/experiments/exp_abc`). */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export interface ApiReply {
  status: number;
  /** Parsed JSON when the response is JSON, else the text (markdown, TSV). */
  body: unknown;
  contentType: string;
}

/** The API's compiled routes (COMPILED_ROUTES). */
export type CompiledRoutes = Parameters<typeof dispatch>[1];

export type ApiCall = (request: ApiCallRequest) => Promise<ApiReply>;

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
    return { status: result.statusCode ?? 200, contentType, body: parseBody(result.body ?? '', contentType) };
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

/** Calls the API at `baseUrl` over HTTP with the bearer token (stdio server, CLI). */
export function httpApiCall(options: { baseUrl: string; token: string; fetch?: typeof fetch; timeoutMs?: number }): ApiCall {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  return async (request) => {
    const query = new URLSearchParams(request.query ?? {}).toString();
    const res = await doFetch(`${base}${request.path}${query ? `?${query}` : ''}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${options.token}`,
        accept: 'application/json, text/markdown;q=0.9, */*;q=0.5',
        ...(request.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const contentType = res.headers.get('content-type') ?? '';
    return { status: res.status, contentType, body: parseBody(await res.text(), contentType) };
  };
}

function parseBody(text: string, contentType: string): unknown {
  if (!contentType.includes('json') || text === '') return text;
  try { return JSON.parse(text) as unknown; } catch { return text; }
}
