/**
 * Where source credentials come from: one JSON secret in Secrets Manager in AWS (cached ≤ 5 minutes,
 * never logged), env vars (or .env) locally. Both implement CredentialsProvider.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Credentials, CredentialsProvider } from '../sources/source';
import { CREDENTIAL_ENV, PUBLIC_SOURCES } from '../sources/registry';
import type { SourceName } from './app-config';

export const CREDENTIALS_CACHE_MS = 5 * 60_000;

/** Reads `{ "<source>": { field: value } }` from one secret; a missing or empty entry means not configured. */
export class SecretsManagerCredentials implements CredentialsProvider {
  private cache?: { at: number; value: Record<string, Credentials> };

  constructor(private readonly client: SecretsManagerClient, private readonly secretId: string, private readonly now: () => number = Date.now) {}

  async credentialsFor(source: SourceName): Promise<Credentials | undefined> {
    if (PUBLIC_SOURCES.includes(source)) return {};
    const all = await this.load();
    const entry = all[source];
    return entry && Object.keys(entry).length > 0 ? entry : undefined;
  }

  private async load(): Promise<Record<string, Credentials>> {
    if (this.cache && this.now() - this.cache.at < CREDENTIALS_CACHE_MS) return this.cache.value;
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    let value: Record<string, Credentials> = {};
    try {
      const parsed = JSON.parse(out.SecretString ?? '{}') as unknown;
      if (parsed && typeof parsed === 'object') value = parsed as Record<string, Credentials>;
    } catch {
      // Never echo the secret: say only that it is not JSON.
      throw new Error('The source credentials secret is not valid JSON');
    }
    this.cache = { at: this.now(), value };
    return value;
  }
}

/** Local credentials from env vars (the local runtime loads .env into the environment first). */
export class EnvCredentials implements CredentialsProvider {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async credentialsFor(source: SourceName): Promise<Credentials | undefined> {
    if (PUBLIC_SOURCES.includes(source)) return {};
    const fields = Object.entries(CREDENTIAL_ENV[source]).flatMap(([field, envVar]) => {
      const value = this.env[envVar];
      return value ? [[field, value] as const] : [];
    });
    return fields.length > 0 ? Object.fromEntries(fields) : undefined;
  }
}
