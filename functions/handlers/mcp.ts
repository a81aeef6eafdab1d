/**
 * Lambda entry for POST /mcp (payload 2.0): the Model Context Protocol over the API's own routes. A
 * function of its own: it carries every route (its tools call them in-process), which no API function does.
 */
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../api/http';
import { lambdaApiServices } from '../api/lambda-services';
import { dispatch } from '../api/router';
import { COMPILED_ROUTES } from '../api/routes';
import type { ApiServices, CollectNow } from '../api/services';
import { ConfigurationError } from '../shared/errors';
import { functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';
import { logger } from '../shared/logger';

/** The MCP function's environment: the table and the event bus (no MCP tool collects). */
export const HANDLER_ENV = functionEnv({ TABLE_NAME: resourceName(), EVENT_BUS_NAME: resourceName() });

const noCollectNow: CollectNow = async () => {
  throw new ConfigurationError('POST /collect is not served by the MCP function');
};

/** Serves every route (the MCP tools call them in-process) with `services`. */
export function createMcpHandler(services: ApiServices) {
  return async (event: HttpEvent, context?: Context): Promise<HttpResult> => {
    if (context) logger.addContext(context);
    return dispatch(event, COMPILED_ROUTES, services);
  };
}

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => createMcpHandler(lambdaApiServices(readFunctionEnv(HANDLER_ENV), noCollectNow)));
