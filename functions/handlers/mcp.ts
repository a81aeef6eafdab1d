/**
 * Lambda entry for POST /mcp (payload 2.0): the Model Context Protocol over the API's own routes. A
 * function of its own so the MCP SDK stays out of the API function's bundle and cold start.
 */
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
