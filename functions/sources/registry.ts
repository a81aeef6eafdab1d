/**
 * Which adapters exist, which credentials each needs (and the env vars that hold them locally), and
 * how to build one. The collector and the local runtime go through here; nothing else names adapters.
 */
import type { AppConfig, SourceName } from '../shared/app-config';
import { createBeehiivSource } from './beehiiv';
import { createBlueskySource } from './bluesky';
import { createButtondownSource } from './buttondown';
import { createKitSource } from './kit';
import { createMailchimpSource } from './mailchimp';
import { createOpenAiSource } from './openai';
import { createPerplexitySource } from './perplexity';
import type { Credentials, Source } from './source';
import { createXSource } from './x';

/**
 * Credential fields per source → the env var that holds each locally (.env or the shell). In AWS the
 * same fields live in one Secrets Manager secret: `{ "<source>": { "<field>": "…" } }`.
 */
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
  /**
   * Origin overrides per source (tests and local fakes), e.g. `http://127.0.0.1:4010` in place of
   * https://api.beehiiv.com; request paths keep their version prefix (/v2/…, /3.0/…).
   */
  endpoints?: Partial<Record<SourceName, string>>;
  now?: () => Date;
}

/** Builds the adapter for `name`. Missing per-source configuration is reported when the source runs. */
export function createSource(name: SourceName, credentials: Credentials, options: SourceBuildOptions): Source {
  const baseUrl = options.endpoints?.[name];
  const { sources, citations } = options.config;
  const now = options.now;
  switch (name) {
    case 'x':
      return createXSource(credentials, { apiBaseUrl: baseUrl, timelineMaxPosts: sources.x.timelineMaxPosts, timelineDays: sources.x.timelineDays }, now);
    case 'bluesky':
      return createBlueskySource({ handle: sources.bluesky.handle, baseUrl }, now);
    case 'beehiiv':
      return createBeehiivSource(credentials, { publicationId: sources.beehiiv.publicationId, baseUrl }, now);
    case 'kit':
      return createKitSource(credentials, { baseUrl }, now);
    case 'buttondown':
      return createButtondownSource(credentials, { baseUrl }, now);
    case 'mailchimp':
      return createMailchimpSource(credentials, { listId: sources.mailchimp.listId, dc: sources.mailchimp.dc, baseUrl }, now);
    case 'perplexity':
      return createPerplexitySource(credentials, { model: sources.perplexity.model, citations, baseUrl }, now);
    case 'openai':
      return createOpenAiSource(credentials, { model: sources.openai.model, citations, baseUrl }, now);
  }
}

/** Sources whose runs spend money per answer and share citations.monthlySpendCapUsd. */
export const CITATION_SOURCES: readonly SourceName[] = ['perplexity', 'openai'];
