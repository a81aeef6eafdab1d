/**
 * API token checks: constant-time comparison of SHA-256 digests (no length leak), Bearer parsing, and
 * where the authorizer gets the expected token (Secrets Manager in AWS, a fixed one locally).
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createHash, timingSafeEqual } from 'node:crypto';

/** True when `presented` equals `expected`, in time independent of where they differ or their lengths. */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

/** The token from an `Authorization: Bearer <token>` header value, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/** Where the authorizer reads the expected token. `refresh` asks for a fresh read (after a rotation). */
export interface ApiTokenSource {
  current(options?: { refresh?: boolean }): Promise<string>;
}

/** A token that never changes (the local runtime's). */
export function fixedApiToken(token: string): ApiTokenSource {
  return { current: async () => token };
}

/** The longest a warm authorizer trusts its copy of the secret: a rotated-out token stops within this (plus API Gateway's decision cache). */
export const TOKEN_MAX_AGE_MS = 60_000;
/** Refetches an unknown token may trigger: a burst of this many, then one per TOKEN_REFRESH_INTERVAL_MS. */
export const TOKEN_REFRESH_BURST = 5;
export const TOKEN_REFRESH_INTERVAL_MS = 60_000;

/**
 * The API token kept in Secrets Manager, cached for TOKEN_MAX_AGE_MS. A `refresh` (an unknown token was
 * presented: perhaps the secret was just rotated) refetches at once while the token bucket allows —
 * so a new token works immediately, and a flood of random tokens costs at most one GetSecretValue per
 * TOKEN_REFRESH_INTERVAL_MS per execution environment. Concurrent callers share one fetch.
 */
export class SecretsManagerApiToken implements ApiTokenSource {
  private cache?: { token: string; at: number };
  private loading?: Promise<string>;
  private refreshes: { tokens: number; at: number };

  constructor(
    private readonly client: Pick<SecretsManagerClient, 'send'>,
    private readonly secretId: string,
    private readonly now: () => number = Date.now,
  ) {
    this.refreshes = { tokens: TOKEN_REFRESH_BURST, at: now() };
  }

  async current(options: { refresh?: boolean } = {}): Promise<string> {
    if (this.loading) return this.loading;
    const fresh = this.cache && this.now() - this.cache.at < TOKEN_MAX_AGE_MS;
    if (this.cache && fresh && !(options.refresh && this.takeRefresh())) return this.cache.token;
    this.loading = this.fetch().finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private takeRefresh(): boolean {
    const now = this.now();
    const earned = Math.floor((now - this.refreshes.at) / TOKEN_REFRESH_INTERVAL_MS);
    if (earned > 0) this.refreshes = { tokens: Math.min(TOKEN_REFRESH_BURST, this.refreshes.tokens + earned), at: this.refreshes.at + earned * TOKEN_REFRESH_INTERVAL_MS };
    if (this.refreshes.tokens === 0) return false;
    this.refreshes.tokens -= 1;
    return true;
  }

  private async fetch(): Promise<string> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    const token = out.SecretString ?? '';
    this.cache = { token, at: this.now() };
    return token;
  }
}
