/**
 * The metric catalog: every primary metric an experiment can name, what it means, its unit and
 * direction, which stored observations it is derived from, and how (derivation lives in ./metrics/,
 * the scoring models in ./scoring/).
 */
import { splitAccount, withAccount } from './accounts';
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
  /**
   * Which series a `:qualifier` picks within the observed metric: a currency (`revenue.net_per_day:eur`)
   * or a site (`traffic.visitors_per_day:example.com`). Without one, the metric reads the only series
   * there is (several → nothing is measurable until one is named).
   */
  seriesQualifier?: 'currency' | 'site';
}

const SNAPSHOT_RATE =
  'Count snapshots are linearly interpolated to each UTC midnight when the snapshots either side are at most ' +
  '72 h apart (else the nearest snapshot within 2 h is used); a day’s value is the difference between its two ' +
  'midnights, and a day whose midnights cannot be measured is a gap (null, never zero). A period’s value is the ' +
  'count at its end minus the count at its start (measured the same way, falling back to the nearest measurable ' +
  'midnight inside the period) divided by the days between them, so gaps inside a period lose no growth. ' +
  'For scoring, the trend model is fitted on the increments between the snapshots nearest each UTC midnight, each ' +
  'weighted by the share of every calendar day it spans, so irregular or sparse snapshots need no interpolation.';

const DAILY_TOTAL_RATE =
  'Each UTC day’s total (re-read while it can still change, the latest reading wins) is one day’s value; a day ' +
  'never collected is a gap. For scoring, the totals are summed into a running count at each midnight and ' +
  'treated exactly like count snapshots (so a single missing day shares its neighbours’ total, and a period ' +
  'loses nothing).';

const EVENT_READ =
  'Each event is placed at its publication/send time and read from its latest snapshot taken within 48 h of it ' +
  '(else its earliest), so older baseline events are not favoured.';

export const METRIC_CATALOG: readonly MetricDefinition[] = [
  {
    key: 'x.follower_growth_rate', description: 'Net new X followers per day', kind: 'count_rate',
    unit: 'followers/day', direction: 'higher_is_better', from: ['x.followers'], derivation: SNAPSHOT_RATE,
  },
  {
    key: 'x.follower_growth_per_post', description: 'Net new X followers per post published', kind: 'ratio',
    unit: 'followers/post', direction: 'higher_is_better', from: ['x.followers', 'x.posts'],
    derivation:
      'Follower and post counts are interpolated to UTC midnights as for follower growth; per measured day, net new ' +
      'followers and posts published (change in the post count). A period’s value is Σ followers gained / Σ posts ' +
      'published over its measured days (ratio of sums; days without a measurable count on either series are gaps).',
  },
  {
    key: 'x.engagement_rate', description: '(likes + replies + reposts + quotes) / impressions of posts published in the period',
    kind: 'proportion', unit: 'fraction (0–1)', direction: 'higher_is_better', from: ['x.post'],
    derivation: `${EVENT_READ} Engagements and impressions are summed over the period’s posts (posts with no impressions are skipped); each post is one cluster.`,
  },
  {
    key: 'x.replies_per_post', description: 'Replies received per post published in the period', kind: 'ratio',
    unit: 'replies/post', direction: 'higher_is_better', from: ['x.post'],
    derivation: `${EVENT_READ} Mean replies per post published in the period.`,
  },
  {
    key: 'x.follows_per_post', description: 'New X followers in the 12 hours after each post (posts followed by another within 12 h are left out)', kind: 'ratio',
    unit: 'followers/post', direction: 'higher_is_better', from: ['x.post', 'x.followers'],
    derivation:
      'Each post is placed at its publication time; the follower count is interpolated at it and 12 h later between ' +
      'snapshots at most 7 h apart, and the difference is that post’s follows. A post with another own post within its ' +
      '12 h, or without snapshots that close around either end, is left out. The count holds everyone who followed in ' +
      'those hours (also the growth the account has anyway, and net of unfollows): X does not say who followed because ' +
      'of which post, so it suits comparing randomized arms (post variants), where that background is the same for every arm.',
  },
  {
    key: 'newsletter.subscriber_growth_rate', description: 'Net new newsletter subscribers per day', kind: 'count_rate',
    unit: 'subscribers/day', direction: 'higher_is_better', from: ['newsletter.subscribers'], derivation: SNAPSHOT_RATE,
  },
  {
    key: 'newsletter.open_rate', description: 'Unique opens / delivered, for sends in the period', kind: 'proportion',
    unit: 'fraction (0–1)', direction: 'higher_is_better', from: ['newsletter.send'],
    derivation: `${EVENT_READ} Unique opens and deliveries are summed over the period’s sends; each send is one cluster.`,
  },
  {
    key: 'newsletter.click_rate', description: 'Unique clicks / delivered, for sends in the period', kind: 'proportion',
    unit: 'fraction (0–1)', direction: 'higher_is_better', from: ['newsletter.send'],
    derivation: `${EVENT_READ} Unique clicks and deliveries are summed over the period’s sends; each send is one cluster.`,
  },
  {
    key: 'citations.citation_rate', description: 'Share of tracked AI answers whose sources cite a brand domain (all engines, or `:engine`)',
    kind: 'proportion', unit: 'fraction (0–1)', direction: 'higher_is_better', from: ['citations.answer'],
    derivation:
      'Every answer recorded in the period counts once (duplicates of the same engine, prompt, repetition and time are ' +
      'dropped); cited answers / answers. Answers are clustered by prompt, and the same prompts are compared across periods.',
    engineQualifier: true,
  },
  {
    key: 'citations.mention_rate', description: 'Share of tracked AI answers naming the brand (all engines, or `:engine`)',
    kind: 'proportion', unit: 'fraction (0–1)', direction: 'higher_is_better', from: ['citations.answer'],
    derivation:
      'Every answer recorded in the period counts once; answers naming the brand / answers. Clustered by prompt, ' +
      'as for the citation rate.',
    engineQualifier: true,
  },
  {
    key: 'revenue.net_per_day', description: 'Net revenue per day (charges minus refunds, disputes and fees), per currency (`:usd`)',
    kind: 'count_rate', unit: 'currency units/day', direction: 'higher_is_better', from: ['revenue.net'], derivation: DAILY_TOTAL_RATE,
    seriesQualifier: 'currency',
  },
  {
    key: 'revenue.new_customers_per_day', description: 'Customers paying for the first time, per day', kind: 'count_rate',
    unit: 'customers/day', direction: 'higher_is_better', from: ['revenue.new_customers'], derivation: DAILY_TOTAL_RATE,
  },
  {
    key: 'revenue.mrr_growth_per_day', description: 'Change in monthly recurring revenue per day, per currency (`:usd`)', kind: 'count_rate',
    unit: 'currency units of MRR/day', direction: 'higher_is_better', from: ['revenue.mrr'], derivation: SNAPSHOT_RATE, seriesQualifier: 'currency',
  },
  {
    key: 'traffic.visitors_per_day', description: 'Unique visitors per day, per site (`:example.com`)', kind: 'count_rate',
    unit: 'visitors/day', direction: 'higher_is_better', from: ['traffic.visitors'], derivation: DAILY_TOTAL_RATE, seriesQualifier: 'site',
  },
  {
    key: 'traffic.ai_referred_visitors_per_day', description: 'Visitors per day referred by AI assistants (ChatGPT, Perplexity, Gemini, Copilot, Claude…), per site',
    kind: 'count_rate', unit: 'visitors/day', direction: 'higher_is_better', from: ['traffic.ai_referred_visitors'], derivation: DAILY_TOTAL_RATE,
    seriesQualifier: 'site',
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
  /** Currency or site qualifier (`revenue.net_per_day:usd` → 'usd'). */
  series?: string;
  /** The configured account (`x.follower_growth_rate@acme` → 'acme'); absent: the default account. */
  account?: string;
}

/**
 * Resolves a primary-metric key against the catalog: `base[:qualifier][@account]` (the qualifier an
 * engine, currency or site; the account one configured with sources.<name>.accounts). Undefined if unknown.
 */
export function parseMetricKey(key: string): ParsedMetricKey | undefined {
  const split = splitAccount(key);
  if (!split) return undefined;
  const parsed = parseQualifiedKey(split.base);
  return parsed && (split.account === undefined ? parsed : { ...parsed, account: split.account });
}

function parseQualifiedKey(key: string): ParsedMetricKey | undefined {
  const [baseKey, engine, ...rest] = key.split(':');
  if (rest.length > 0) return undefined;
  const definition = METRIC_CATALOG.find((m) => m.key === baseKey);
  if (!definition) return undefined;
  if (engine === undefined) return { definition };
  if (definition.seriesQualifier === 'currency') return /^[a-z]{3}$/.test(engine) ? { definition, series: engine } : undefined;
  if (definition.seriesQualifier === 'site') return /^[a-z0-9.-]+$/.test(engine) ? { definition, series: engine } : undefined;
  if (!definition.engineQualifier || !/^[a-z0-9_-]+$/.test(engine)) return undefined;
  return { definition, engine };
}

/**
 * What two experiments must share to compete for one series: the catalog key and the account, not the
 * engine/currency/site qualifier (`x.follower_growth_rate@acme` and `…@beta` never overlap). Unknown → the key.
 */
export function metricFamilyKey(key: string): string {
  const parsed = parseMetricKey(key);
  return parsed ? withAccount(parsed.definition.key, parsed.account) : key;
}

export function isKnownMetricKey(key: string): boolean {
  return parseMetricKey(key) !== undefined;
}

/**
 * The stored observation metrics a primary metric is derived from — what the store must load to
 * score it or chart it. Unknown key → [].
 */
export function observedMetricsFor(metricKey: string): ObservedMetric[] {
  const parsed = parseMetricKey(metricKey);
  return parsed ? [...parsed.definition.from] : [];
}
