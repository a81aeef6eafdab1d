/**
 * API token checks: constant-time comparison of SHA-256 digests (no length leak), Bearer parsing, and
 * where the authorizer gets the expected token (Secrets Manager in AWS, a fixed one locally).
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
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
 * The API token kept in Secrets Manager. Powertools Parameters keeps the copy for TOKEN_MAX_AGE_MS
 * (`maxAge`; a failed fetch is not kept) and refetches on `forceFetch`. What Powertools cannot express is
 * the limit on forced refetches: a `refresh` (an unknown token was presented — perhaps the secret was just
 * rotated) forces one only while the small bucket below allows, so a new token works at once and a flood
 * of random tokens costs at most one GetSecretValue per TOKEN_REFRESH_INTERVAL_MS per execution
 * environment. (A Lambda environment runs one request at a time, so there are no concurrent callers.)
 * Time is the wall clock, as Powertools' own expiry reads it.
 */
export class SecretsManagerApiToken implements ApiTokenSource {
  private readonly secrets: Pick<SecretsProvider, 'get'>;
  private refreshes: { tokens: number; at: number } = { tokens: TOKEN_REFRESH_BURST, at: Date.now() };

  constructor(client: SecretsManagerClient, private readonly secretId: string) {
    this.secrets = new SecretsProvider({ awsSdkV3Client: client });
  }

  async current(options: { refresh?: boolean } = {}): Promise<string> {
    const forceFetch = options.refresh === true && this.takeRefresh();
    const value = await this.secrets.get(this.secretId, { maxAge: TOKEN_MAX_AGE_MS / 1000, forceFetch });
    return typeof value === 'string' ? value : '';
  }

  /** One token from the bucket (refilled one per TOKEN_REFRESH_INTERVAL_MS, up to the burst), or false. */
  private takeRefresh(): boolean {
    const now = Date.now();
    const earned = Math.floor((now - this.refreshes.at) / TOKEN_REFRESH_INTERVAL_MS);
    if (earned > 0) this.refreshes = { tokens: Math.min(TOKEN_REFRESH_BURST, this.refreshes.tokens + earned), at: this.refreshes.at + earned * TOKEN_REFRESH_INTERVAL_MS };
    if (this.refreshes.tokens === 0) return false;
    this.refreshes.tokens -= 1;
    return true;
  }
}
