/**
 * Lambda authorizer for the HTTP API (simple responses): `Authorization: Bearer <token>` must match the
 * token in Secrets Manager (generated at deploy; cached 5 minutes) — or VERDICT_API_TOKEN locally.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { bearerToken, tokensMatch } from '../shared/api-token';
import { runtimeEnv } from '../shared/runtime-env';

const CACHE_MS = 5 * 60_000;
let cached: { token: string; at: number } | undefined;
let secrets: SecretsManagerClient | undefined;

async function expectedToken(): Promise<string> {
  const env = runtimeEnv();
  if (env.VERDICT_API_TOKEN) return env.VERDICT_API_TOKEN;
  if (!env.API_TOKEN_SECRET_ARN) throw new Error('No API token configured (API_TOKEN_SECRET_ARN)');
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.token;
  secrets ??= new SecretsManagerClient({});
  const out = await secrets.send(new GetSecretValueCommand({ SecretId: env.API_TOKEN_SECRET_ARN }));
  const token = out.SecretString ?? '';
  cached = { token, at: Date.now() };
  return token;
}

export async function handler(event: Pick<APIGatewayRequestAuthorizerEventV2, 'headers'>): Promise<APIGatewaySimpleAuthorizerResult> {
  const headers = event.headers ?? {};
  const header = headers.authorization ?? headers.Authorization;
  const presented = bearerToken(header);
  if (!presented) return { isAuthorized: false };
  return { isAuthorized: tokensMatch(presented, await expectedToken()) };
}
