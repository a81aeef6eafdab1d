/**
 * Routes requests to route functions by method and path template (`/experiments/{id}`), and maps every
 * outcome — result or typed error — to an HTTP result in one place. POST requests carrying an
 * `Idempotency-Key` header are answered once: a retry with the same key and body gets the first
 * response again (header `idempotent-replayed: true`).
 */
import { createHash } from 'node:crypto';
import type * as z from '../domain/zod-mini';
import { AppError, ConflictError, errorMessage, NotFoundError, ValidationError } from '../shared/errors';
import { withCollaborators } from './collaborators';
import { withAccess, type RouteAccess, type RouteTarget } from './route-table';
import { errorResponse } from './error-response';
import { toApiRequest, toHttpResult, type ApiRequest, type ApiResponse, type HttpEvent, type HttpResult } from './http';
import type { ApiServices, ResolvedApiServices } from './services';

export type RouteHandler = (req: ApiRequest, services: ResolvedApiServices) => Promise<ApiResponse>;

/** What GET /openapi.json says about a route; request schemas are the same zod schemas the route parses with. */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** OpenAPI tag (groups routes in viewers). */
  tag: string;
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** Descriptions of the path template's parameters. */
  params?: Record<string, string>;
  /**
   * The success response. `schema` (the zod schema of the JSON body) is required for JSON responses:
   * GET /openapi.json and the MCP output schemas are generated from it, and a test holds every route to it.
   */
  success: { status: number; description: string; schema?: z.ZodMiniType; contentTypes?: readonly string[] };
  /**
   * Error statuses the route answers besides those every route documents (400, 401/403, 500; 413 and the
   * Idempotency-Key 409/422 where they apply), with when. Bodies are the error envelope.
   */
  errors?: Partial<Record<401 | 404 | 405 | 406 | 409 | 413 | 415 | 422, string>>;
  /** Other responses with a body of their own (e.g. /mcp's JSON-RPC errors), by status. */
  responses?: Record<number, { description: string; schema?: z.ZodMiniType }>;
}

/** What a route module says about a route besides its handler. */
interface RouteFields {
  /**
   * The route's effect is keyed by the request's Idempotency-Key (a create derives its id from it), so
   * running it again is safe: a retry whose first attempt is in doubt (its record still pending) runs it
   * instead of answering 409, and gets the first attempt's result.
   */
  keyedByIdempotency?: boolean;
  doc?: RouteDoc;
}

/**
 * A route as its module declares it: a method and path from ROUTE_TABLE (./route-table, which also says
 * who may call it and which function serves it), its handler and its documentation.
 */
export type Route = RouteTarget & RouteFields & { handle: RouteHandler };

/** A route with the table's access (public, publicReason, servedBy) attached: what the router, the local server and the tests read. */
export type ServedRoute = Route & RouteAccess;

/** A route without its handler (the /mcp descriptions, kept free of the MCP server's code). */
export type RouteDeclaration = RouteTarget & RouteFields;

/** A route as the OpenAPI document sees it: everything but its handler, with its access. */
export type RouteDescription = RouteDeclaration & RouteAccess;

export type CompiledRoute = ServedRoute & { pattern: RegExp; names: string[] };

export function compileRoutes(routes: readonly Route[]): CompiledRoute[] {
  return withAccess(routes).map((r) => {
    const names: string[] = [];
    const source = r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { ...r, names, pattern: new RegExp(`^${source}/?$`) };
  });
}

class MethodNotAllowedError extends AppError {
  constructor(allowed: string[]) { super('method_not_allowed', `Method not allowed; use ${allowed.join(', ')}`); }
}

/** The Idempotency-Key was used before for a different request (method, path or body). */
export class IdempotencyKeyReusedError extends AppError {
  constructor() { super('idempotency_key_reused', 'This Idempotency-Key was already used for a different request; use a new key for a new request'); }
}

/** Serves one HTTP API event with the compiled routes. Never throws. */
export async function dispatch(event: HttpEvent, routes: readonly CompiledRoute[], services: ApiServices): Promise<HttpResult> {
  const base = toApiRequest(event);
  try {
    const s = withCollaborators(services);
    const matching = routes
      .map((r) => ({ route: r, match: r.pattern.exec(base.path) }))
      .filter((m): m is { route: CompiledRoute; match: RegExpExecArray } => m.match !== null);
    if (matching.length === 0) throw new NotFoundError(`No route for ${base.path}`);
    const hit = matching.find((m) => m.route.method === base.method || (base.method === 'HEAD' && m.route.method === 'GET'));
    if (!hit) throw new MethodNotAllowedError([...new Set(matching.map((m) => m.route.method))]);
    const params: Record<string, string> = {};
    hit.route.names.forEach((name, i) => { params[name] = safeDecode(hit.match[i + 1]); });
    const key = hit.route.method === 'POST' ? idempotencyKey(base) : undefined;
    const req: ApiRequest = { ...base, params, ...(key !== undefined && { idempotencyKey: key }) };
    rejectUndocumentedQuery(hit.route, req.query);
    const response = key === undefined ? await hit.route.handle(req, s) : await once(key, req, hit.route, s);
    return toHttpResult(response);
  } catch (err) {
    return toHttpResult(errorResponse(err, base.requestId, services.log));
  }
}

/**
 * One rule for unknown parameters: an API route accepts only the query parameters it documents. Routes
 * with a query schema reject the rest as they parse (strict objects); a route without one takes none.
 * (Public routes — the dashboard page — ignore queries a browser or a link tracker may add.)
 */
function rejectUndocumentedQuery(route: ServedRoute, query: Record<string, string>): void {
  if (route.public || route.doc?.query) return;
  const unknown = Object.keys(query);
  if (unknown.length === 0) return;
  throw new ValidationError(
    `Invalid query: ${route.method} ${route.path} takes no query parameters (got ${unknown.join(', ')})`,
    unknown.map((name) => ({ path: name, message: 'Unrecognized key: this route takes no query parameters' })),
  );
}

function idempotencyKey(req: Pick<ApiRequest, 'headers'>): string | undefined {
  const key = req.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ValidationError('Invalid Idempotency-Key header', [{ path: 'Idempotency-Key', message: '1–255 visible ASCII characters, e.g. a UUID' }]);
  }
  return key;
}

/**
 * Runs a POST at most once per Idempotency-Key; only successful (2xx) responses are remembered. The
 * record is a replay cache: a route keyed by the idempotency key (keyedByIdempotency) stays exactly-once
 * even when the record could not be completed after its write.
 */
async function once(key: string, req: ApiRequest, route: Route, s: ResolvedApiServices): Promise<ApiResponse> {
  const fingerprint = createHash('sha256').update(`${req.method} ${req.path}\n${req.rawBody}`).digest('base64url');
  const claim = await s.idempotency.claim(key, fingerprint, s.now());
  if (claim.outcome === 'mismatch') throw new IdempotencyKeyReusedError();
  if (claim.outcome === 'in_progress' && route.keyedByIdempotency) return route.handle(req, s);
  if (claim.outcome === 'in_progress') {
    throw new ConflictError('A request with this Idempotency-Key is still being served; retry in a moment', { reason: 'idempotency_in_progress' });
  }
  if (claim.outcome === 'replay') {
    return { ...claim.response, headers: { ...claim.response.headers, 'idempotent-replayed': 'true' } };
  }
  let response: ApiResponse;
  try {
    response = await route.handle(req, s);
  } catch (err) {
    await s.idempotency.release(key);
    throw err;
  }
  if (response.status < 200 || response.status >= 300) {
    await s.idempotency.release(key);
    return response;
  }
  try {
    await s.idempotency.complete(key, fingerprint, response, s.now());
  } catch (err) {
    // The request did act: answer with its result. A retry finds the claim pending (see keyedByIdempotency).
    s.log.warn('idempotency record not completed', { requestId: req.requestId, error: errorMessage(err) });
  }
  return response;
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
