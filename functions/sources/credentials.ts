/**
 * Where source credentials come from: one JSON secret in Secrets Manager in AWS (cached ≤ 5 minutes by
 * Powertools Parameters, never logged), env vars (or .env) locally. Both implement CredentialsProvider.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Credentials, CredentialsProvider } from './source';
import { credentialEnvFor, PUBLIC_SOURCES, secretEntryKey, type SecretEntry } from './credential-fields';

export const CREDENTIALS_CACHE_MS = 5 * 60_000;

/**
 * Reads `{ "<source>": { field: value }, "<source>@<account>": { … } }` from one secret; a missing or empty entry means not
 * configured. Powertools' SecretsProvider keeps the secret string for CREDENTIALS_CACHE_MS (a failed
 * fetch is not kept); concurrent first callers share one fetch. Its values never appear in errors or
 * logs — the JSON is parsed here, not by Powertools' json transform, whose parse errors may quote the
 * input — and non-string fields are ignored.
 */
export class SecretsManagerCredentials implements CredentialsProvider {
  private readonly secrets: Pick<SecretsProvider, 'get'>;
  private loading?: Promise<unknown>;

  constructor(client: SecretsManagerClient, private readonly secretId: string) {
    this.secrets = new SecretsProvider({ awsSdkV3Client: client });
  }

  async credentialsFor(source: SecretEntry, account?: string): Promise<Credentials | undefined> {
    if (PUBLIC_SOURCES.includes(source)) return {};
    const all = parseCredentialsSecret(await this.secretString());
    const entry = all[secretEntryKey(source, account)];
    return entry && Object.keys(entry).length > 0 ? entry : undefined;
  }

  private async secretString(): Promise<string | undefined> {
    this.loading ??= this.secrets.get(this.secretId, { maxAge: CREDENTIALS_CACHE_MS / 1000 }).finally(() => { this.loading = undefined; });
    const value = await this.loading;
    return typeof value === 'string' ? value : undefined;
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

  async credentialsFor(source: SecretEntry, account?: string): Promise<Credentials | undefined> {
    if (PUBLIC_SOURCES.includes(source)) return {};
    const fields = Object.entries(credentialEnvFor(source, account)).flatMap(([field, envVar]) => {
      const value = this.env[envVar];
      return value ? [[field, value] as const] : [];
    });
    return fields.length > 0 ? Object.fromEntries(fields) : undefined;
  }
}
