/**
 * Where source credentials come from: one JSON secret in Secrets Manager in AWS (cached ≤ 5 minutes,
 * never logged), env vars (or .env) locally. Both implement CredentialsProvider.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Credentials, CredentialsProvider } from './source';
import { CREDENTIAL_ENV, PUBLIC_SOURCES, type SecretEntry } from './credential-fields';

export const CREDENTIALS_CACHE_MS = 5 * 60_000;

/**
 * Reads `{ "<source>": { field: value } }` from one secret; a missing or empty entry means not
 * configured. The secret is fetched at most once per CREDENTIALS_CACHE_MS (concurrent callers share
 * one fetch); its values never appear in errors or logs, and non-string fields are ignored.
 */
export class SecretsManagerCredentials implements CredentialsProvider {
  private cache?: { at: number; value: Record<string, Credentials> };
  private loading?: Promise<Record<string, Credentials>>;

  constructor(private readonly client: SecretsManagerClient, private readonly secretId: string, private readonly now: () => number = Date.now) {}

  async credentialsFor(source: SecretEntry): Promise<Credentials | undefined> {
    if (PUBLIC_SOURCES.includes(source)) return {};
    const all = await this.load();
    const entry = all[source];
    return entry && Object.keys(entry).length > 0 ? { ...entry } : undefined;
  }

  private async load(): Promise<Record<string, Credentials>> {
    if (this.cache && this.now() - this.cache.at < CREDENTIALS_CACHE_MS) return this.cache.value;
    this.loading ??= this.fetch().finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private async fetch(): Promise<Record<string, Credentials>> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    const value = parseCredentialsSecret(out.SecretString);
    this.cache = { at: this.now(), value };
    return value;
  }
}

/** Parses the secret's JSON, keeping string fields of object entries. Errors never quote the secret. */
export function parseCredentialsSecret(secretString: string | undefined): Record<string, Credentials> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString ?? '{}');
  } catch {
    // Never echo the secret: say only that it is not JSON.
    throw new Error('The source credentials secret is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The source credentials secret must be a JSON object keyed by source name');
  const value: Record<string, Credentials> = {};
  for (const [source, entry] of Object.entries(parsed as Record<string, unknown>)) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) continue;
    const fields = Object.entries(entry as Record<string, unknown>).filter((f): f is [string, string] => typeof f[1] === 'string' && f[1].length > 0);
    value[source] = Object.fromEntries(fields);
  }
  return value;
}

/** Local credentials from env vars (the local runtime loads .env into the environment first). */
export class EnvCredentials implements CredentialsProvider {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async credentialsFor(source: SecretEntry): Promise<Credentials | undefined> {
    if (PUBLIC_SOURCES.includes(source)) return {};
    const fields = Object.entries(CREDENTIAL_ENV[source]).flatMap(([field, envVar]) => {
      const value = this.env[envVar];
      return value ? [[field, value] as const] : [];
    });
    return fields.length > 0 ? Object.fromEntries(fields) : undefined;
  }
}
