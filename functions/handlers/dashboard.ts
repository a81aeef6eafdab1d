/**
 * Lambda entry for the dashboard (payload 2.0, public): GET / and GET /assets/{file}, the page and its
 * content-hashed script and stylesheet. They are built at synth and injected into this bundle only
 * (brotli, base64; lib/constructs/lambda-bundling.ts), so the API function neither carries nor loads them.
 * It reads no table, secret or bus: its environment is Lambda's own.
 */
import type { Context } from 'aws-lambda';
import { errorResponse } from '../api/error-response';
import { toApiRequest, toHttpResult, type HttpEvent, type HttpResult } from '../api/http';
import { dashboardAsset, dashboardPage } from '../api/routes/dashboard';
import { NotFoundError } from '../shared/errors';
import { functionEnv, onColdStart, readFunctionEnv } from '../shared/function-env';
import { log, logger, type Log } from '../shared/logger';

/** The dashboard function's environment: nothing beyond what Lambda sets. */
export const HANDLER_ENV = functionEnv({});

const ASSET_PATH = /^\/assets\/([^/]+)$/;

/** Serves the page and its assets (API Gateway routes nothing else here); anything else is the API's 404 envelope. */
export function createDashboardHandler(log: Pick<Log, 'error'>) {
  return async (event: HttpEvent): Promise<HttpResult> => {
    const req = toApiRequest(event);
    try {
      // One trailing slash is the same route, as the router reads paths (`//` is the page).
      const path = req.path.length > 1 ? req.path.replace(/\/$/, '') || '/' : req.path;
      const asset = ASSET_PATH.exec(path);
      if ((req.method === 'GET' || req.method === 'HEAD') && path === '/') return toHttpResult(await dashboardPage());
      if ((req.method === 'GET' || req.method === 'HEAD') && asset) return toHttpResult(await dashboardAsset(safeDecode(asset[1])));
      throw new NotFoundError(`No route for ${req.method} ${req.path}`);
    } catch (err) {
      return toHttpResult(errorResponse(err, req.requestId, log));
    }
  };
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => {
  readFunctionEnv(HANDLER_ENV);
  const serve = createDashboardHandler(log);
  return async (event: HttpEvent, context?: Context) => {
    if (context) logger.addContext(context);
    return serve(event);
  };
});
