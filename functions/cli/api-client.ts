/**
 * The one Node client of our own API (local or deployed): bearer token, JSON in and out, and every POST
 * sent with an Idempotency-Key so the one retry after a dropped connection cannot act twice. The CLI's
 * commands use createApiClient (the error envelope turned into ApiError); `verdict mcp` uses httpApiCall
 * (every status handed to the MCP tool as a reply).
 *
 * Every string the server sends passes through here, so this is the one place the CLI makes it safe
 * for a terminal: control characters (ESC of CSI/OSC 8/OSC 52 sequences, BEL, CR…) and bidi overrides
 * are removed from text bodies, every string inside JSON bodies and error messages alike.
 */
import { withoutControlChars } from '../domain/inert-text';
import { replyBody, type ApiCall } from '../mcp/api-reply';
import { httpFetch, type HttpFetch, type HttpResponse } from './http-transport';

/** The API answered with an error (its envelope, or API Gateway's 401). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown, readonly requestId?: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The API could not be reached at all. */
export class ApiUnreachableError extends Error {
  constructor(readonly url: string, cause: string) {
    super(`Cannot reach the Verdict API at ${url} (${cause})`);
    this.name = 'ApiUnreachableError';
  }
}

export interface ApiClient {
  readonly baseUrl: string;
  get<T = unknown>(path: string): Promise<T>;
  /** A text response (TSV, markdown). */
  getText(path: string): Promise<string>;
  post<T = unknown>(path: string, body?: unknown): Promise<T>;
  patch<T = unknown>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
}

export interface ApiClientOptions {
  baseUrl: string;
  token?: string;
  /** An Authorization header sent as it is (the deployed MCP function forwards its caller's); else `token` as a bearer. */
  authorization?: string;
  timeoutMs?: number;
  /** The transport (default: node:http, see http-transport.ts). */
  fetch?: HttpFetch;
}

/**
 * One request to the API, whatever it answers: only an API that cannot be reached throws
 * (ApiUnreachableError). A dropped connection is retried once — GETs are safe, POSTs carry their
 * Idempotency-Key; PATCH and DELETE are not retried.
 */
function apiRequest(options: ApiClientOptions): (method: string, path: string, body?: unknown) => Promise<HttpResponse> {
  const doFetch = options.fetch ?? httpFetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async (method, path, body) => {
    const headers: Record<string, string> = { accept: 'application/json, text/*' };
    if (options.authorization) headers.authorization = options.authorization;
    else if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    // node:crypto loads here, not at start-up: only a POST needs it (a millisecond or two of a `verdict list`).
    if (method === 'POST') headers['idempotency-key'] = (require('node:crypto') as typeof import('node:crypto')).randomUUID(); // eslint-disable-line @typescript-eslint/no-require-imports
    const url = `${options.baseUrl}${path}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await doFetch(url, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }), signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        const cause = describeFetchError(err);
        if (attempt === 0 && cause.retryable && method !== 'PATCH' && method !== 'DELETE') continue;
        throw new ApiUnreachableError(options.baseUrl, cause.text);
      }
    }
  };
}

/** The MCP tools' calls over HTTP (`verdict mcp`, the deployed MCP function): every status comes back as a reply for the tool to report. */
export function httpApiCall(options: ApiClientOptions): ApiCall {
  const send = apiRequest(options);
  return async (request) => {
    const query = new URLSearchParams(request.query ?? {}).toString();
    const res = await send(request.method, `${request.path}${query ? `?${query}` : ''}`, request.body);
    return { status: res.status, contentType: res.contentType, body: replyBody(await res.text(), res.contentType) };
  };
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const send = apiRequest(options);

  async function request(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    const res = await send(method, path, body);
    if (!res.ok) throw await toApiError(res);
    return res;
  }

  return {
    baseUrl: options.baseUrl,
    async get<T>(path: string) { return terminalSafe(await (await request('GET', path)).json()) as T; },
    async getText(path: string) { return withoutControlChars(await (await request('GET', path)).text()); },
    async post<T>(path: string, body?: unknown) { return terminalSafe(await (await request('POST', path, body ?? {})).json()) as T; },
    async patch<T>(path: string, body: unknown) { return terminalSafe(await (await request('PATCH', path, body)).json()) as T; },
    async delete(path: string) { await request('DELETE', path); },
  };
}

async function toApiError(res: HttpResponse): Promise<ApiError> {
  const text = await res.text();
  let body: unknown;
  try { body = JSON.parse(text); } catch { body = undefined; }
  const envelope = (terminalSafe(body) as { error?: { code?: string; message?: string; details?: unknown; requestId?: string } } | undefined)?.error;
  if (envelope?.code) return new ApiError(res.status, envelope.code, envelope.message ?? withoutControlChars(res.statusText), envelope.details, envelope.requestId);
  // API Gateway answers authorizer denials itself: 401 {message:'Unauthorized'} (no token), 403 {message:'Forbidden'} (wrong token).
  if (res.status === 401 || res.status === 403) return new ApiError(401, 'unauthorized', 'Missing or wrong API token');
  return new ApiError(res.status, `http_${res.status}`, `The API answered ${res.status} ${withoutControlChars(res.statusText)}`);
}

/** `value` with every string (keys included) stripped of terminal control characters. */
export function terminalSafe(value: unknown): unknown {
  if (typeof value === 'string') return withoutControlChars(value);
  if (Array.isArray(value)) return value.map(terminalSafe);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutControlChars(k), terminalSafe(v)]));
  }
  return value;
}

function describeFetchError(err: unknown): { text: string; retryable: boolean } {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { text: 'timed out', retryable: false };
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return { text: 'connection refused', retryable: false };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { text: 'host not found', retryable: false };
  return { text: code ?? e?.cause?.message ?? e?.message ?? 'network error', retryable: code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' };
}
