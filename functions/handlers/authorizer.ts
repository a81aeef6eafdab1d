/**
 * Lambda authorizer for the HTTP API (payload 2.0, simple responses): `Authorization: Bearer <token>`
 * must match the token kept in Secrets Manager (generated at deploy). A token it does not know makes it
 * re-read the secret (rate-limited), so a freshly rotated token works at once — see shared/api-token.ts.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { bearerToken, SecretsManagerApiToken, tokensMatch, type ApiTokenSource } from '../shared/api-token';
import { arn, functionEnv, onColdStart, readFunctionEnv } from '../shared/function-env';
import { log, type Log } from '../shared/logger';

/** The authorizer's environment: only where the token is kept. */
export const HANDLER_ENV = functionEnv({ API_TOKEN_SECRET_ARN: arn() });

export type AuthorizerEvent = Pick<APIGatewayRequestAuthorizerEventV2, 'headers'>;

/** Allows a request whose bearer token is the current one; every other request is denied, never thrown on. */
export function createAuthorizer(tokens: ApiTokenSource, logger: Pick<Log, 'warn'> = log) {
  return async (event: AuthorizerEvent): Promise<APIGatewaySimpleAuthorizerResult> => {
    const headers = event.headers ?? {};
    const presented = bearerToken(headers.authorization ?? headers.Authorization);
    if (!presented) return { isAuthorized: false };
    if (tokensMatch(presented, await tokens.current())) return { isAuthorized: true };
    try {
      // Unknown token: perhaps the secret was rotated since this environment last read it.
      return { isAuthorized: tokensMatch(presented, await tokens.current({ refresh: true })) };
    } catch (err) {
      logger.warn('API token refresh failed; request denied', { error: (err as Error).name });
      return { isAuthorized: false };
    }
  };
}

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => {
  const env = readFunctionEnv(HANDLER_ENV);
  return createAuthorizer(new SecretsManagerApiToken(new SecretsManagerClient({}), env.API_TOKEN_SECRET_ARN));
});
