/** Lambda entry for the HTTP API (payload 2.0). Thin: route, call, map — see functions/api/. */
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../api/http';
import { dispatch } from '../api/router';
import { COMPILED_ROUTES } from '../api/routes';
import { logger } from '../shared/logger';
import { defaultApiServices } from './wiring';

export async function handler(event: HttpEvent, context?: Context): Promise<HttpResult> {
  if (context) logger.addContext(context);
  return dispatch(event, COMPILED_ROUTES, defaultApiServices());
}
