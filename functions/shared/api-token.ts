/** API token checks: constant-time comparison of SHA-256 digests (no length leak), Bearer parsing. */
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
