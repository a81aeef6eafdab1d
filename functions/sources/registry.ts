/**
 * Which adapters exist, which credentials each needs (and the env vars that hold them locally), and
 * how to build one. The collector and the local runtime go through here; nothing else names adapters.
 */
import type { AppConfig, SourceName } from '../shared/app-config';
import type { Credentials, Source } from './source';
import { createXSource } from './x';

/** Credential fields per source → the env var that holds each locally (.env or the shell). */
export const CREDENTIAL_ENV: Record<SourceName, Record<string, string>> = {
  x: { appKey: 'X_APP_KEY', appSecret: 'X_APP_SECRET', accessToken: 'X_ACCESS_TOKEN', accessSecret: 'X_ACCESS_SECRET', oauth2UserToken: 'X_OAUTH2_USER_TOKEN' },
  bluesky: {},
  beehiiv: { apiKey: 'BEEHIIV_API_KEY' },
  kit: { apiKey: 'KIT_API_KEY' },
  buttondown: { apiKey: 'BUTTONDOWN_API_KEY' },
  mailchimp: { apiKey: 'MAILCHIMP_API_KEY' },
  perplexity: { apiKey: 'PERPLEXITY_API_KEY' },
  openai: { apiKey: 'OPENAI_API_KEY' },
};

/** Sources that need no credentials (public APIs). */
export const PUBLIC_SOURCES: readonly SourceName[] = ['bluesky'];

export interface SourceBuildOptions {
  config: AppConfig;
  /** Base URL overrides per source (tests and local fakes); production uses each provider's URL. */
  endpoints?: Partial<Record<SourceName, string>>;
  now?: () => Date;
}

/** Builds the adapter for `name`; throws if the adapter needs configuration the config lacks. */
export function createSource(name: SourceName, credentials: Credentials, options: SourceBuildOptions): Source {
  const baseUrl = options.endpoints?.[name];
  switch (name) {
    case 'x':
      return createXSource(credentials, { apiBaseUrl: baseUrl }, options.now);
    default:
      throw new Error(`Source ${name} has no adapter yet`);
  }
}
