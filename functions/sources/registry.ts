/**
 * Which adapters exist and how to build one (credential fields: ./credential-fields.ts). The collector and the local runtime go through here; nothing else names adapters.
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
      return createXSource(credentials, { apiBaseUrl: baseUrl, timelineMaxPosts: sources.x.timelineMaxPosts, timelineDays: sources.x.timelineDays, markerPrefixes: sources.x.markerPrefixes }, now);
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
