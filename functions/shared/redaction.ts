/**
 * Removes credentials from text we keep (run records, /health, the digest, logs). Providers quote a key
 * back in many forms, so each secret is looked for as written, URL-encoded, base64 (Basic auth,
 * `user:key` as Mailchimp takes it) and base64url — case-insensitively, and also when only a prefix of
 * at least {@link MIN_REDACTED_PREFIX} characters was quoted ("sk-proj-abcdefghij…").
 */

/** Secrets shorter than this are not looked for (they would match ordinary words). */
export const MIN_SECRET_LENGTH = 8;
/** A quoted prefix this long (or the whole secret, when shorter) is redacted. */
export const MIN_REDACTED_PREFIX = 12;
export const REDACTED = '[redacted]';

export interface SecretSources {
  /** Secret values (API keys, tokens, header values such as `Bearer …`). */
  values?: readonly (string | undefined)[];
  /** HTTP Basic credentials: their `user:password` base64 form is redacted too. */
  basic?: { username: string; password: string };
}

/** ASCII-only lower-casing keeps every index where it was (toLowerCase may not: 'İ' becomes two units). */
const lowerAscii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** The forms of `secret` a provider might echo. */
function variants(secret: string): string[] {
  const utf8 = Buffer.from(secret, 'utf8');
  return [secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret)), utf8.toString('base64'), utf8.toString('base64url')];
}

/** A function that redacts every form of every secret in `sources` from a text. */
export function secretRedactor(sources: SecretSources): (text: string) => string {
  const secrets = new Set<string>();
  for (const v of sources.values ?? []) {
    if (typeof v !== 'string') continue;
    // A header value like `Bearer KEY` or `Token KEY`: the key alone as well.
    for (const part of [v, ...v.split(/\s+/)]) if (part.length >= MIN_SECRET_LENGTH) secrets.add(part);
  }
  if (sources.basic && sources.basic.password.length >= MIN_SECRET_LENGTH) {
    secrets.add(sources.basic.password);
    secrets.add(Buffer.from(`${sources.basic.username}:${sources.basic.password}`, 'utf8').toString('base64'));
  }
  const needles = [...new Set([...secrets].flatMap(variants).map(lowerAscii))].filter((n) => n.length >= MIN_SECRET_LENGTH);
  if (needles.length === 0) return (text) => text;

  return (text) => {
    const haystack = lowerAscii(text);
    const ranges: [number, number][] = [];
    for (const needle of needles) {
      const prefix = needle.slice(0, Math.min(needle.length, MIN_REDACTED_PREFIX));
      for (let at = haystack.indexOf(prefix); at !== -1; at = haystack.indexOf(prefix, at + 1)) {
        let end = at + prefix.length;
        while (end - at < needle.length && haystack[end] === needle[end - at]) end++;
        ranges.push([at, end]);
      }
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    let out = '';
    let cursor = 0;
    for (const [start, end] of ranges) {
      if (end <= cursor) continue;
      if (start > cursor) out += text.slice(cursor, start);
      if (start >= cursor) out += REDACTED;
      cursor = Math.max(cursor, end);
    }
    return out + text.slice(cursor);
  };
}
