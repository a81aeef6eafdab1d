/**
 * Which Lambda entry collects which source, and the source groups the collector job treats alike. Sources whose client library is large (Stripe's official
 * client is ~240 KB minified, twitter-api-v2 ~120 KB) get a collector entry of their own, so the shared collector stays small.
 * Kept apart from the registry so the stack can read it without loading any adapter.
 */
import type { SourceName } from '../shared/app-config';

/** Sources collected by a collector entry of their own (`functions/handlers/collector-<source>.ts`). */
export const OWN_BUNDLE_SOURCES: readonly SourceName[] = ['stripe', 'x'];

/** The entry (file under functions/handlers/, without extension) that collects `source`. */
export function collectorHandlerFor(source: SourceName): string {
  return OWN_BUNDLE_SOURCES.includes(source) ? `collector-${source}` : 'collector';
}

/** Sources whose runs spend money per answer and share citations.monthlySpendCapUsd. */
export const CITATION_SOURCES: readonly SourceName[] = ['perplexity', 'openai', 'gemini', 'claude'];

/** Sources that backfill history on their first successful run: the collector tells them when that was. */
export const BACKFILL_SOURCES: readonly SourceName[] = ['stripe', 'plausible', 'umami'];
