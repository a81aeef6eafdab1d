/**
 * Observations: one item per metric, time slot and fact. Writing the same slot twice overwrites the
 * same item, so a duplicate or late delivery stores one observation.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withCanonicalInstants, type Observation, type ObservedMetric } from '../domain/observation';
import { ValidationError } from '../shared/errors';
import { batchGetAll, batchPutAll } from './batch';
import { DailyRollupStore, hasDailyRollup } from './daily-rollup-store';
import { itemOf, observationEntity, parseItem } from './entities';
import { keys } from './keys';
import { queryAll } from './query-all';

export class ObservationStore {
  /** Each snapshot series' first and last snapshot per day, kept with every write (what charts read). */
  readonly dailyRollups: DailyRollupStore;

  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {
    this.dailyRollups = new DailyRollupStore(db, tableName);
  }

  /**
   * Writes observations (already validated) idempotently, instants canonicalised; retries unprocessed
   * items. Every key is built and checked before the first write, so a batch is stored whole or not at
   * all. Then the snapshots' daily roll-ups (conditional updates: a retry after a failure in either
   * step repeats both harmlessly). Returns how many distinct observations were stored (a fact given
   * twice is stored once).
   */
  async putMany(observations: readonly Observation[]): Promise<number> {
    const unique = new Map<string, Observation>();
    observations.forEach((given, i) => {
      const o = withCanonicalInstants(given);
      const k = keys.observation(o);
      if (Number.isNaN(Date.parse(o.at))) throw new ValidationError(`Invalid observation ${i}: at is not an instant`, [{ path: `observations.${i}.at`, message: 'not an ISO-8601 instant' }]);
      unique.set(`${k.pk}|${k.sk}`, o);
    });
    const items = [...unique.values()];
    await batchPutAll(this.db, this.tableName, items.map((o) => itemOf(observationEntity, keys.observation(o), o)), 'observations');
    await this.dailyRollups.record(items);
    return items.length;
  }

  /**
   * How many of these distinct observations are stored already (same metric, instant and identity), so
   * an import can say what was new (BatchGet of the keys only, 100 a request).
   */
  async countStored(observations: readonly Observation[]): Promise<number> {
    const unique = new Map<string, Record<string, string>>();
    for (const given of observations) {
      const k = keys.observation(withCanonicalInstants(given));
      unique.set(`${k.pk}|${k.sk}`, { pk: k.pk, sk: k.sk });
    }
    return (await batchGetAll(this.db, this.tableName, [...unique.values()], 'observation reads', 'pk')).length;
  }

  /**
   * Observations of one metric with from ≤ at < to, oldest first (Query only, paginated): the default
   * account's series, or `account`'s (a configured account: sources.<name>.accounts).
   */
  async query(metric: ObservedMetric, fromTime: string, toTime: string, account?: string): Promise<Observation[]> {
    // Stored times are canonical ISO (with milliseconds); compare like with like.
    const from = new Date(fromTime).toISOString();
    const to = new Date(toTime).toISOString();
    // An empty range (e.g. the history before a start further ahead than the history read) holds nothing, and DynamoDB refuses a reversed BETWEEN.
    if (from >= to) return [];
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.observationPartition(metric, account), ':from': from, ':to': to },
    });
    return items.map((item) => parseItem(observationEntity, item)).filter((o) => o.at >= from && o.at < to);
  }

  /**
   * What a daily series needs of several metrics (of one account: absent = the default) in [from, to),
   * merged oldest first: for snapshot metrics each day's first and last snapshot (one Query per metric,
   * whatever the collection density), for the others every observation. Before the table's roll-ups are
   * complete, every observation. dailySeries gives the same values from either (see daily-rollup-store.ts).
   */
  async queryForDailySeries(metrics: readonly ObservedMetric[], from: string, to: string, account?: string): Promise<Observation[]> {
    const rolled = metrics.some(hasDailyRollup) && await this.dailyRollups.isComplete();
    const all = await Promise.all(metrics.map((m) => (rolled && hasDailyRollup(m) ? this.dailyRollups.query(m, from, to, account) : this.query(m, from, to, account))));
    return all.flat().sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Observations of several metrics (of one account: absent = the default) in one range, merged oldest first. */
  async queryMany(metrics: readonly ObservedMetric[], from: string, to: string, account?: string): Promise<Observation[]> {
    const all = await Promise.all(metrics.map((m) => this.query(m, from, to, account)));
    return all.flat().sort((a, b) => a.at.localeCompare(b.at));
  }
}
