/**
 * Which adapters exist and how to build one (credential fields: ./credential-fields.ts). The collector and the local runtime go through here; nothing else names adapters.
 * X (twitter-api-v2, ~90 KB minified), Stripe and the answer engines (./citation-sources.ts: brand matching,
 * spend counting) are built in collector entries of their own (functions/handlers/collector-<x|stripe|citations>.ts)
 * so the shared collector stays small; ./all-sources.ts builds any source, for the local runtime and tests.
 */
import type { AppConfig, SourceName } from '../shared/app-config';
import { ConfigurationError } from '../shared/errors';
import { collectorHandlerFor } from './collector-entries';
import { createBeehiivSource } from './beehiiv';
import { createBlueskySource } from './bluesky';
import { createButtondownSource } from './buttondown';
import { createKitSource } from './kit';
import { createMailchimpSource } from './mailchimp';
import type { Credentials, Source } from './source';
import { createLemonSqueezySource, createPolarSource } from './lemonsqueezy-polar';
import { createPlausibleSource, createUmamiSource } from './web-analytics';


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
  const { sources } = options.config;
  const now = options.now;
  switch (name) {
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
    case 'plausible':
      return createPlausibleSource(credentials, { ...sources.plausible, baseUrl: baseUrl ?? sources.plausible.baseUrl, aiReferrers: options.config.traffic.aiReferrers }, now);
    case 'umami':
      return createUmamiSource(credentials, { ...sources.umami, baseUrl: baseUrl ?? sources.umami.baseUrl, aiReferrers: options.config.traffic.aiReferrers }, now);
    case 'lemonsqueezy':
      return createLemonSqueezySource(credentials, { ...sources.lemonsqueezy, baseUrl }, now);
    case 'polar':
      return createPolarSource(credentials, { ...sources.polar, baseUrl: baseUrl ?? sources.polar.baseUrl }, now);
    case 'x':
    case 'stripe':
    case 'perplexity':
    case 'openai':
    case 'gemini':
    case 'claude':
      throw new ConfigurationError(`${name} is collected by its own function (functions/handlers/${collectorHandlerFor(name)}.ts); build it with createAnySource`);
  }
}

export { BACKFILL_SOURCES, CITATION_SOURCES } from './collector-entries';
