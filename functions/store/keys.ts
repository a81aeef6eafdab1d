/** Key builders for the single table (table-definition.ts has the item map; entities.ts each item type's model). */
import { createHash } from 'node:crypto';
import type { Observation } from '../domain/observation';
import { withAccount } from '../domain/accounts';
import { canonicalInstant, observationDiscriminator, observedSeriesKey } from '../domain/observation';

/**
 * Longest discriminator kept verbatim in an observation's sort key (UTF-8 bytes); a longer one (a long
 * prompt) becomes `~` + its SHA-256, so every key stays far below DynamoDB's 1,024-byte sort-key limit.
 * Escaped discriminators never contain `~`, so a digest cannot equal a verbatim one.
 */
export const MAX_VERBATIM_DISCRIMINATOR_BYTES = 512;

function boundedDiscriminator(o: Observation): string {
  const d = observationDiscriminator(o);
  return Buffer.byteLength(d) <= MAX_VERBATIM_DISCRIMINATOR_BYTES ? d : `~${createHash('sha256').update(d).digest('base64url')}`;
}

export const keys = {
  experiment: (id: string) => ({ pk: `EXP#${id}`, sk: 'EXPERIMENT' }),
  currentVerdict: (id: string) => ({ pk: `EXP#${id}`, sk: 'VERDICT' }),
  verdictHistory: (id: string, scoredAt: string) => ({ pk: `EXP#${id}`, sk: `VERDICT#${scoredAt}` }),
  /**
   * One stored series: a metric, and for an account other than the default its name (`OBS#x.followers@acme`).
   * The default account's partition is the one every observation had before accounts existed.
   */
  observationPartition: (metric: string, account?: string) => `OBS#${withAccount(metric, account)}`,
  observation: (o: Observation) => ({ pk: `OBS#${observedSeriesKey(o)}`, sk: `${canonicalInstant(o.at)}#${boundedDiscriminator(o)}` }),
  /** Runs and pause state per collection target: a source, or `source@account` for a configured account. */
  run: (source: string, slot: string, account?: string) => ({ pk: `RUN#${withAccount(source, account)}`, sk: slot }),
  sourceState: (source: string, account?: string) => ({ pk: `SOURCE#${withAccount(source, account)}`, sk: 'STATE' }),
  dailyRollupPartition: (metric: string, account?: string) => `DAILY#${withAccount(metric, account)}`,
  /** A snapshot series' day (its first and last snapshot): same series and identity as the observation, minus the time of day. */
  dailyRollup: (o: Observation) => ({ pk: `DAILY#${observedSeriesKey(o)}`, sk: `${canonicalInstant(o.at).slice(0, 10)}#${boundedDiscriminator(o)}` }),
  jobRun: (job: string, slot: string) => ({ pk: `JOB#${job}`, sk: slot }),
  /** The weekly digest's claim on its week (ISO week, e.g. 2026-W48). */
  digestClaim: (week: string) => ({ pk: `DIGEST#${week}`, sk: 'DIGEST' }),
  idempotency: (key: string) => ({ pk: `IDEMPOTENCY#${key}`, sk: 'REQUEST' }),
  feedToken: (feed: string) => ({ pk: `FEED#${feed}`, sk: 'TOKEN' }),
  /** The month's citation spend counter (`month` = YYYY-MM, UTC). */
  spend: (month: string) => ({ pk: 'SPEND#citations', sk: month }),
};
