/**
 * The metric catalog: every primary metric an experiment can name, what it means, its unit and
 * direction, and which stored observations it is derived from. Derivation lives in ./metrics/.
 */
import type { ObservedMetric } from './observation';

/** count_rate: a per-day rate from count snapshots; ratio: a per-unit rate (per post); proportion: successes / trials. */
export type MetricKind = 'count_rate' | 'ratio' | 'proportion';

export interface MetricDefinition {
  key: string;
  description: string;
  kind: MetricKind;
  /** Human unit of the metric's value, e.g. "followers/day" or "fraction (0–1)". */
  unit: string;
  /** Every metric in the catalog is better when higher. */
  direction: 'higher_is_better';
  from: readonly ObservedMetric[];
  /** How snapshots at irregular times become per-day or per-period values. */
  derivation: string;
  /** Whether the key accepts an engine qualifier, e.g. `citations.citation_rate:perplexity`. */
  engineQualifier?: boolean;
}

const SNAPSHOT_RATE =
  'Snapshots are linearly interpolated to each UTC midnight; a day’s value is the difference between ' +
  'consecutive midnights. A day with no snapshot within 36 h on either side is a gap (not a zero).';

export const METRIC_CATALOG: readonly MetricDefinition[] = [
  {
    key: 'x.follower_growth_rate', description: 'Net new X followers per day', kind: 'count_rate',
    unit: 'followers/day', direction: 'higher_is_better', from: ['x.followers'], derivation: SNAPSHOT_RATE,
  },
  {
    key: 'x.follower_growth_per_post', description: 'Net new X followers per post published', kind: 'ratio',
    unit: 'followers/post', direction: 'higher_is_better', from: ['x.followers', 'x.posts'],
    derivation: 'Follower and post counts interpolated at the period’s edges; net followers gained divided by posts published in the period.',
  },
  {
    key: 'x.engagement_rate', description: '(likes + replies + reposts + quotes) / impressions of posts published in the period',
    kind: 'proportion', unit: 'fraction (0–1)', direction: 'higher_is_better', from: ['x.post'],
    derivation: 'Latest snapshot of each post published in the period; engagements and impressions summed over posts.',
  },
  {
    key: 'x.replies_per_post', description: 'Replies received per post published in the period', kind: 'ratio',
    unit: 'replies/post', direction: 'higher_is_better', from: ['x.post'],
    derivation: 'Latest snapshot of each post published in the period; mean replies per post.',
  },
  {
    key: 'newsletter.subscriber_growth_rate', description: 'Net new newsletter subscribers per day', kind: 'count_rate',
    unit: 'subscribers/day', direction: 'higher_is_better', from: ['newsletter.subscribers'], derivation: SNAPSHOT_RATE,
  },
  {
    key: 'newsletter.open_rate', description: 'Unique opens / delivered, for sends in the period', kind: 'proportion',
    unit: 'fraction (0–1)', direction: 'higher_is_better', from: ['newsletter.send'],
    derivation: 'Latest snapshot of each send in the period; unique opens and deliveries summed over sends.',
  },
  {
    key: 'newsletter.click_rate', description: 'Unique clicks / delivered, for sends in the period', kind: 'proportion',
    unit: 'fraction (0–1)', direction: 'higher_is_better', from: ['newsletter.send'],
    derivation: 'Latest snapshot of each send in the period; unique clicks and deliveries summed over sends.',
  },
  {
    key: 'citations.citation_rate', description: 'Share of tracked AI answers whose sources cite a brand domain (all engines, or `:engine`)',
    kind: 'proportion', unit: 'fraction (0–1)', direction: 'higher_is_better', from: ['citations.answer'],
    derivation: 'Every answer in the period counts once; cited answers / answers.', engineQualifier: true,
  },
  {
    key: 'citations.mention_rate', description: 'Share of tracked AI answers naming the brand (all engines, or `:engine`)',
    kind: 'proportion', unit: 'fraction (0–1)', direction: 'higher_is_better', from: ['citations.answer'],
    derivation: 'Every answer in the period counts once; answers naming the brand / answers.', engineQualifier: true,
  },
  {
    key: 'bluesky.follower_growth_rate', description: 'Net new Bluesky followers per day', kind: 'count_rate',
    unit: 'followers/day', direction: 'higher_is_better', from: ['bluesky.followers'], derivation: SNAPSHOT_RATE,
  },
];

export interface ParsedMetricKey {
  definition: MetricDefinition;
  /** Engine qualifier for citation metrics (`citations.citation_rate:perplexity` → 'perplexity'). */
  engine?: string;
}

/** Resolves a primary-metric key (with optional engine qualifier) against the catalog; undefined if unknown. */
export function parseMetricKey(key: string): ParsedMetricKey | undefined {
  const [baseKey, engine, ...rest] = key.split(':');
  if (rest.length > 0) return undefined;
  const definition = METRIC_CATALOG.find((m) => m.key === baseKey);
  if (!definition) return undefined;
  if (engine !== undefined && (!definition.engineQualifier || !/^[a-z0-9_-]+$/.test(engine))) return undefined;
  return { definition, engine };
}

export function isKnownMetricKey(key: string): boolean {
  return parseMetricKey(key) !== undefined;
}
