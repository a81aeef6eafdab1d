/** Lambda entry for the HTTP API (payload 2.0), every route but /mcp. Thin: route, call, map — see functions/api/. */
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../api/http';
import { dispatch } from '../api/router';
import { COMPILED_API_ROUTES } from '../api/routes/api-routes';
import { logger } from '../shared/logger';
import { defaultApiServices } from './wiring';

export async function handler(event: HttpEvent, context?: Context): Promise<HttpResult> {
  if (context) logger.addContext(context);
  return dispatch(event, COMPILED_API_ROUTES, defaultApiServices());
}
