/**
 * Which Lambda entry collects which source, and the source groups the collector job treats alike. X (twitter-api-v2,
 * ~90 KB minified), Stripe and the four answer engines get collector entries of their own, so the shared collector stays small.
 * Kept apart from the registry so the stack can read it without loading any adapter.
 */
import type { ObservedMetric } from '../domain/observation';
import type { AppConfig, SourceName } from '../shared/app-config';

/** Sources collected by a collector entry of their own (`functions/handlers/collector-<source>.ts`). */
export const OWN_BUNDLE_SOURCES: readonly SourceName[] = ['stripe', 'x'];

/** Sources whose runs spend money per answer and share citations.monthlySpendCapUsd. */
export const CITATION_SOURCE_NAMES = ['perplexity', 'openai', 'gemini', 'claude'] as const satisfies readonly SourceName[];
export const CITATION_SOURCES: readonly SourceName[] = CITATION_SOURCE_NAMES;

/**
 * The entry (file under functions/handlers/, without extension) that collects `source`: its own, the
 * answer engines' (collector-citations: brand matching and spend counting stay out of the shared
 * collector), or the shared one.
 */
export function collectorHandlerFor(source: SourceName): string {
  if (OWN_BUNDLE_SOURCES.includes(source)) return `collector-${source}`;
  return CITATION_SOURCES.includes(source) ? 'collector-citations' : 'collector';
}

/** Sources that backfill history on their first successful run: the collector tells them when that was. */
export const BACKFILL_SOURCES: readonly SourceName[] = ['stripe', 'plausible', 'umami', 'lemonsqueezy', 'polar'];

/** What each source collects (a new source must say, or this does not compile). */
export const SOURCE_OUTPUTS: Record<SourceName, readonly ObservedMetric[]> = {
  x: ['x.followers', 'x.posts', 'x.post'],
  bluesky: ['bluesky.followers', 'bluesky.posts'],
  beehiiv: ['newsletter.subscribers', 'newsletter.send'],
  kit: ['newsletter.subscribers', 'newsletter.send'],
  buttondown: ['newsletter.subscribers', 'newsletter.send'],
  mailchimp: ['newsletter.subscribers', 'newsletter.send'],
  perplexity: ['citations.answer'],
  openai: ['citations.answer'],
  stripe: ['revenue.gross', 'revenue.net', 'revenue.new_customers', 'revenue.mrr', 'revenue.active_subscriptions'],
  plausible: ['traffic.visitors', 'traffic.ai_referred_visitors'],
  umami: ['traffic.visitors', 'traffic.ai_referred_visitors'],
  gemini: ['citations.answer'],
  claude: ['citations.answer'],
  lemonsqueezy: ['revenue.gross', 'revenue.net', 'revenue.active_subscriptions'],
  polar: ['revenue.gross', 'revenue.net', 'revenue.mrr', 'revenue.active_subscriptions'],
};

/**
 * The configured accounts (besides the default) whose collectors feed any of `observed`, sorted: the
 * `@name`s a metric derived from them can take (`x.follower_growth_rate@acme`).
 */
export function accountsFeeding(observed: readonly ObservedMetric[], config: Pick<AppConfig, 'sources'>): string[] {
  const names = new Set<string>();
  for (const source of Object.keys(SOURCE_OUTPUTS) as SourceName[]) {
    if (!SOURCE_OUTPUTS[source].some((m) => observed.includes(m))) continue;
    for (const [name, account] of Object.entries(config.sources[source].accounts)) if (account.enabled) names.add(name);
  }
  return [...names].sort();
}
