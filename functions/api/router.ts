/**
 * Routes requests to route functions by method and path template (`/experiments/{id}`), and maps every
 * outcome — result or typed error — to an HTTP result in one place.
 */
import { AppError, NotFoundError } from '../shared/errors';
import { errorResponse } from './error-response';
import { toApiRequest, toHttpResult, type ApiRequest, type ApiResponse, type HttpEvent, type HttpResult } from './http';
import type { ApiServices } from './services';

export type RouteHandler = (req: ApiRequest, services: ApiServices) => Promise<ApiResponse>;

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** Path template, e.g. /experiments/{id}/verdict. */
  path: string;
  handle: RouteHandler;
  /** Served without the API token (e.g. the dashboard page); every other route is behind the authorizer. */
  public?: boolean;
}

interface CompiledRoute extends Route { pattern: RegExp; names: string[] }

export function compileRoutes(routes: readonly Route[]): CompiledRoute[] {
  return routes.map((r) => {
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

/** Serves one HTTP API event with the compiled routes. Never throws. */
export async function dispatch(event: HttpEvent, routes: readonly CompiledRoute[], services: ApiServices): Promise<HttpResult> {
  const base = toApiRequest(event);
  try {
    const matching = routes
      .map((r) => ({ route: r, match: r.pattern.exec(base.path) }))
      .filter((m): m is { route: CompiledRoute; match: RegExpExecArray } => m.match !== null);
    if (matching.length === 0) throw new NotFoundError(`No route for ${base.path}`);
    const hit = matching.find((m) => m.route.method === base.method || (base.method === 'HEAD' && m.route.method === 'GET'));
    if (!hit) throw new MethodNotAllowedError([...new Set(matching.map((m) => m.route.method))]);
    const params: Record<string, string> = {};
    hit.route.names.forEach((name, i) => { params[name] = safeDecode(hit.match[i + 1]); });
    const response = await hit.route.handle({ ...base, params }, services);
    return toHttpResult(response);
  } catch (err) {
    return toHttpResult(errorResponse(err, base.requestId, services.log));
  }
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
