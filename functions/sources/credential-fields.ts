/**
 * Which credential fields each source needs, and the env vars that hold them locally. Kept apart from
 * the adapters so that reading credentials does not bundle every adapter into every function.
 */
import { accountEnvSuffix, withAccount } from '../domain/accounts';
import type { SourceName } from '../shared/app-config';

/** An entry of the secret: one per source, plus the digest's chat webhook. */
export type SecretEntry = SourceName | 'digest';
export const SECRET_ENTRIES: readonly SecretEntry[] = ['x', 'bluesky', 'beehiiv', 'kit', 'buttondown', 'mailchimp', 'perplexity', 'openai', 'stripe', 'plausible', 'umami', 'gemini', 'claude', 'lemonsqueezy', 'polar', 'digest'];

/**
 * Fields per secret entry → the env var that holds each locally (.env or the shell). In AWS the same
 * fields live in one Secrets Manager secret: `{ "<source>": { "<field>": "…" }, "digest": { "webhookUrl": "…" } }`.
 */
export const CREDENTIAL_ENV: Record<SecretEntry, Record<string, string>> = {
  x: { appKey: 'X_APP_KEY', appSecret: 'X_APP_SECRET', accessToken: 'X_ACCESS_TOKEN', accessSecret: 'X_ACCESS_SECRET', oauth2UserToken: 'X_OAUTH2_USER_TOKEN' },
  bluesky: {},
  beehiiv: { apiKey: 'BEEHIIV_API_KEY' },
  kit: { apiKey: 'KIT_API_KEY' },
  buttondown: { apiKey: 'BUTTONDOWN_API_KEY' },
  mailchimp: { apiKey: 'MAILCHIMP_API_KEY' },
  perplexity: { apiKey: 'PERPLEXITY_API_KEY' },
  openai: { apiKey: 'OPENAI_API_KEY' },
  /** A restricted key (rk_live_…) with Read on Balance, Charges, Customers and Subscriptions. */
  stripe: { apiKey: 'STRIPE_API_KEY' },
  plausible: { apiKey: 'PLAUSIBLE_API_KEY' },
  gemini: { apiKey: 'GEMINI_API_KEY' },
  claude: { apiKey: 'ANTHROPIC_API_KEY' },
  /** Umami Cloud: apiKey; self-hosted: username and password (a login per run). */
  umami: { apiKey: 'UMAMI_API_KEY', username: 'UMAMI_USERNAME', password: 'UMAMI_PASSWORD' },
  /** A Lemon Squeezy API key (live- or test-mode). */
  lemonsqueezy: { apiKey: 'LEMONSQUEEZY_API_KEY' },
  /** A Polar organization access token (polar_oat_…) with metrics:read. */
  polar: { accessToken: 'POLAR_ACCESS_TOKEN' },
  digest: { webhookUrl: 'VERDICT_DIGEST_WEBHOOK_URL' },
};

/** Sources that need no credentials (public APIs). */
export const PUBLIC_SOURCES: readonly SecretEntry[] = ['bluesky'];

/**
 * The env vars that hold an entry's fields for one account: the default account's names, or with
 * `__<ACCOUNT>` appended for a configured account (X_APP_KEY__ACME) — each account's secret apart.
 */
export function credentialEnvFor(entry: SecretEntry, account?: string): Record<string, string> {
  const names = CREDENTIAL_ENV[entry];
  if (account === undefined) return names;
  const suffix = `__${accountEnvSuffix(account)}`;
  return Object.fromEntries(Object.entries(names).map(([field, name]) => [field, `${name}${suffix}`]));
}

/** The key of an account's entry in the credentials secret: `x`, or `x@acme` for a configured account. */
export function secretEntryKey(entry: SecretEntry, account?: string): string {
  return withAccount(entry, account);
}
