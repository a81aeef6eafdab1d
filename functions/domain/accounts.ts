/**
 * Several accounts per source (two X accounts, a newsletter per brand): an account's name is the
 * `@name` of its metric keys (`x.follower_growth_rate@acme`) and of its stored series
 * (`x.followers@acme`). A key without `@` is the default account — every key and item written before
 * accounts existed — so old data and old keys keep their meaning.
 */
import * as z from './zod-mini';

/** Lower-case letters, digits, `-` and `_`, starting with a letter or digit, at most 32 characters. */
export const ACCOUNT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export const AccountNameSchema = z.described(z.string().check(z.regex(ACCOUNT_NAME_PATTERN, 'an account name is 1–32 lower-case letters, digits, - or _ (e.g. acme)')), 'A configured account of the source (the @name of metric keys); absent: the default account');

/** `key@account`, or `key` itself for the default account (undefined). */
export function withAccount(key: string, account: string | undefined): string {
  return account === undefined ? key : `${key}@${account}`;
}

/**
 * Splits `base@account` into its parts; a key without `@` is the default account. Undefined when the
 * part after `@` is not a valid account name (or there are two `@`).
 */
export function splitAccount(key: string): { base: string; account?: string } | undefined {
  const at = key.indexOf('@');
  if (at < 0) return { base: key };
  const account = key.slice(at + 1);
  return ACCOUNT_NAME_PATTERN.test(account) ? { base: key.slice(0, at), account } : undefined;
}

/** The suffix of an account's credential variables: `shop-eu` → `SHOP_EU` (X_APP_KEY__SHOP_EU). */
export function accountEnvSuffix(account: string): string {
  return account.toUpperCase().replace(/-/g, '_');
}
