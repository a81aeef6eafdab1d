/**
 * Lambda authorizer for the HTTP API (payload 2.0, simple responses): `Authorization: Bearer <token>`
 * must match the token kept in Secrets Manager (generated at deploy). A token it does not know makes it
 * re-read the secret (rate-limited), so a freshly rotated token works at once — see shared/api-token.ts
 * (the copy is kept by Powertools Parameters).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { bearerToken, SecretsManagerApiToken, tokensMatch, type ApiTokenSource } from '../shared/api-token';
import { arn, functionEnv, onColdStart, readFunctionEnv } from '../shared/function-env';
import { log, type Log } from '../shared/logger';
import { isError } from '../shared/errors';

/** The authorizer's environment: only where the token is kept. */
export const HANDLER_ENV = functionEnv({ API_TOKEN_SECRET_ARN: arn() });

export type AuthorizerEvent = Pick<APIGatewayRequestAuthorizerEventV2, 'headers'>;

/**
 * How long the deployed authorizer waits before denying a presented token. With its reserved
 * concurrency this caps the denials a flood of random tokens gets per second (and so its cost); the
 * owner's requests are allowed at once, and mostly never get here (API Gateway caches allows).
 */
export const DENY_DELAY_MS = 1_000;

export interface AuthorizerOptions {
  log?: Pick<Log, 'warn'>;
  /** Wait before denying a presented token (the Lambda: DENY_DELAY_MS; locally none). */
  denyDelayMs?: number;
}

/** Allows a request whose bearer token is the current one; every other request is denied, never thrown on. */
export function createAuthorizer(tokens: ApiTokenSource, options: AuthorizerOptions = {}) {
  const logger = options.log ?? log;
  const deny = async (): Promise<APIGatewaySimpleAuthorizerResult> => {
    if (options.denyDelayMs) await new Promise((resolve) => setTimeout(resolve, options.denyDelayMs));
    return { isAuthorized: false };
  };
  return async (event: AuthorizerEvent): Promise<APIGatewaySimpleAuthorizerResult> => {
    const headers = event.headers ?? {};
    const presented = bearerToken(headers.authorization ?? headers.Authorization);
    if (!presented) return deny();
    if (tokensMatch(presented, await tokens.current())) return { isAuthorized: true };
    try {
      // Unknown token: perhaps the secret was rotated since this environment last read it.
      if (tokensMatch(presented, await tokens.current({ refresh: true }))) return { isAuthorized: true };
    } catch (err) {
      logger.warn('API token refresh failed; request denied', { error: isError(err) ? err.name : typeof err });
    }
    return deny();
  };
}

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => {
  const env = readFunctionEnv(HANDLER_ENV);
  return createAuthorizer(new SecretsManagerApiToken(new SecretsManagerClient({}), env.API_TOKEN_SECRET_ARN), { denyDelayMs: DENY_DELAY_MS });
});
