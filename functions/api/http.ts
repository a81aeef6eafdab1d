/**
 * The API's view of HTTP: API Gateway HTTP API payload 2.0 events in, structured results out.
 * The local runtime builds the same events, so one handler serves both.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ValidationError } from '../shared/errors';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface ApiRequest {
  method: string;
  path: string;
  /** Path parameters from the matched route template. */
  params: Record<string, string>;
  query: Record<string, string>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Raw body text ('' when none). */
  rawBody: string;
  requestId: string;
  /** The POST's Idempotency-Key, once the router validated it: creates derive their id from it. */
  idempotencyKey?: string;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  /** Defaults to application/json; text bodies (TSV, markdown, HTML) set their own. */
  contentType?: string;
  headers?: Record<string, string>;
}

export function toApiRequest(event: HttpEvent): Omit<ApiRequest, 'params'> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) query[k] = v;
  const rawBody = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath || event.requestContext.http.path,
    query,
    headers,
    rawBody,
    requestId: event.requestContext.requestId,
  };
}

/** The JSON body, or a 400 naming the problem (an empty body is `{}`-less: undefined). */
export function jsonBody(req: Pick<ApiRequest, 'rawBody' | 'headers'>): unknown {
  if (req.rawBody.trim() === '') return undefined;
  try {
    return JSON.parse(req.rawBody) as unknown;
  } catch {
    throw new ValidationError('Request body is not valid JSON', [{ path: '(body)', message: 'not valid JSON' }]);
  }
}

export function toHttpResult(res: ApiResponse): HttpResult {
  const contentType = res.contentType ?? 'application/json; charset=utf-8';
  const body = res.body === undefined ? '' : typeof res.body === 'string' && !contentType.startsWith('application/json') ? res.body : JSON.stringify(res.body);
  return {
    statusCode: res.status,
    headers: { 'content-type': contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...res.headers },
    body,
  };
}
