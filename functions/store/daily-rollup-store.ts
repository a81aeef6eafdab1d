/**
 * Daily roll-ups of snapshot metrics, so a chart reads one small item per series and day instead of every
 * snapshot (a year of 15-minute data: ~370 items in one Query, not 35,000 in five).
 *
 * A day keeps its first and last snapshot. That is all a daily series needs: the count at a midnight is
 * interpolated from the last snapshot before it and the first at or after it (or the nearest of the two),
 * and the last snapshot before any instant is always the last of its day, the first after it the first
 * of its day — so the chart values from roll-ups equal those from the raw snapshots exactly.
 *
 * Written with every observation write (collection, CSV import, backfill) by conditional updates that
 * only move `first` earlier and `last` later: retries, duplicates, out-of-order deliveries and
 * concurrent writers all end with the day's true first and last. Tables written before roll-ups existed
 * are filled once (`backfillOnce`); until then readers use the raw snapshots (`isComplete`).
 */
import { GetCommand, PutCommand, UpdateCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNAPSHOT_METRICS, SnapshotObservationSchema, withCanonicalInstants, type Observation, type ObservedMetric, type SnapshotObservation } from '../domain/observation';
import { dailyRollupEntity, itemOf, migrationEntity, observationEntity, parseItem } from './entities';
import { keys } from './keys';
import { queryAll } from './query-all';
import { conditionally, isConditionFailed } from './conditional-write';

/** The once-per-table fill of roll-ups from the snapshots stored before they existed. */
export const DAILY_ROLLUP_MIGRATION = { pk: 'MIGRATION', sk: 'daily-rollups-v1' };
/** Conditional updates in flight at once (a year's import is ~370 days per series). */
const CONCURRENCY = 8;

const isSnapshot = (o: Observation): o is SnapshotObservation => hasDailyRollup(o.metric);

/** True for the observed metrics a roll-up exists for (snapshots; daily totals are daily already). */
export const hasDailyRollup = (metric: ObservedMetric): metric is SnapshotObservation['metric'] => (SNAPSHOT_METRICS as readonly string[]).includes(metric);

interface DayGroup { key: { pk: string; sk: string }; first: SnapshotObservation; last: SnapshotObservation }

export class DailyRollupStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** Folds snapshots into their days' roll-ups (other observations are ignored). Idempotent. */
  async record(observations: readonly Observation[]): Promise<void> {
    await this.applyAll(foldDays(new Map(), observations));
  }

  private async applyAll(groups: Map<string, DayGroup>): Promise<number> {
    const all = [...groups.values()];
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, all.length) }, async () => {
      while (next < all.length) await this.apply(all[next++]);
    }));
    return all.length;
  }

  /**
   * One day's first and last: `last` moves later (and `first` is set if the day is new) in one update;
   * `first` moves earlier in a second only when it has to. A failed condition means the stored day
   * already has an earlier first / a later last — nothing to do.
   */
  private async apply({ key, first, last }: DayGroup): Promise<void> {
    const names = { '#f': 'first', '#l': 'last', '#at': 'at' };
    let firstNeedsWrite = first !== last;
    // A new day seen whole (an import, a backfill): one conditional put instead of two updates.
    if (firstNeedsWrite && await this.putIfNew(key, first, last)) return;
    try {
      const out = await this.db.send(new UpdateCommand({
        TableName: this.tableName, Key: key,
        UpdateExpression: 'SET #l = :o, #f = if_not_exists(#f, :o), #type = :type',
        ConditionExpression: 'attribute_not_exists(#l) OR #l.#at <= :at',
        ExpressionAttributeNames: { ...names, '#type': 'type' },
        ExpressionAttributeValues: { ':o': stored(last), ':at': last.at, ':type': dailyRollupEntity.type },
        ReturnValues: 'ALL_OLD',
      }));
      // The same instant as the stored first, written again: its value is replaced there too.
      const oldFirst = (out.Attributes?.first as { at?: string } | undefined)?.at;
      if (oldFirst === first.at) firstNeedsWrite = true;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      firstNeedsWrite = true;
    }
    if (!firstNeedsWrite) return;
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.tableName, Key: key,
        UpdateExpression: 'SET #f = :o',
        ConditionExpression: 'attribute_not_exists(#f) OR #f.#at >= :at',
        ExpressionAttributeNames: { '#f': 'first', '#at': 'at' },
        ExpressionAttributeValues: { ':o': stored(first), ':at': first.at },
      }));
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  private async putIfNew(key: { pk: string; sk: string }, first: SnapshotObservation, last: SnapshotObservation): Promise<boolean> {
    return conditionally(this.db.send(new PutCommand({
      TableName: this.tableName, Item: itemOf(dailyRollupEntity, key, { first: stored(first), last: stored(last) }), ConditionExpression: 'attribute_not_exists(pk)',
    })));
  }

  /**
   * The first and last snapshot of every day of `metric` that overlaps [from, to), oldest first, only
   * those with from ≤ at < to (one Query; a year of one series is ~370 small items, one page).
   */
  async query(metric: ObservedMetric, fromTime: string, toTime: string, account?: string): Promise<SnapshotObservation[]> {
    const from = new Date(fromTime).toISOString();
    const to = new Date(toTime).toISOString();
    // An empty range holds nothing, and DynamoDB refuses a reversed BETWEEN.
    if (from >= to) return [];
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.dailyRollupPartition(metric, account), ':from': from.slice(0, 10), ':to': `${to.slice(0, 10)}#\uffff` },
    });
    const out: SnapshotObservation[] = [];
    for (const item of items) {
      const day = parseItem(dailyRollupEntity, item);
      const first = SnapshotObservationSchema.parse({ metric, ...day.first });
      const last = SnapshotObservationSchema.parse({ metric, ...day.last });
      for (const o of first.at === last.at ? [last] : [first, last]) if (o.at >= from && o.at < to) out.push(o);
    }
    return out.sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Whether every snapshot stored is in its roll-up (the once-per-table fill ran). One GetItem. */
  async isComplete(): Promise<boolean> {
    return (await this.db.send(new GetCommand({ TableName: this.tableName, Key: DAILY_ROLLUP_MIGRATION }))).Item !== undefined;
  }

  /**
   * Once per table: folds every snapshot stored before roll-ups existed into them, metric by metric, a
   * page at a time, then marks the table complete. The default account's series only: series of other
   * accounts arrived in the same change set as roll-ups, so no released table holds one without them. Safe beside collectors writing at the same time (the
   * updates only ever widen a day). Returns how many days were written (0 once done: one GetItem).
   */
  async backfillOnce(): Promise<number> {
    if (await this.isComplete()) return 0;
    let days = 0;
    for (const metric of SNAPSHOT_METRICS) {
      const groups = new Map<string, DayGroup>();
      for await (const page of paginateQuery({ client: this.db }, {
        TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.observationPartition(metric) },
      })) {
        foldDays(groups, (page.Items ?? []).map((item) => ({ ...parseItem(observationEntity, item) as SnapshotObservation, metric })));
      }
      days += await this.applyAll(groups);
    }
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: itemOf(migrationEntity, DAILY_ROLLUP_MIGRATION, { at: new Date().toISOString(), items: days }) }));
    return days;
  }
}

/** Adds snapshots to their days' groups (first = earliest, last = latest; at equal instants the later given wins). */
function foldDays(groups: Map<string, DayGroup>, observations: readonly Observation[]): Map<string, DayGroup> {
  for (const given of observations) {
    if (!isSnapshot(given)) continue;
    const o = withCanonicalInstants(given);
    const key = keys.dailyRollup(o);
    const id = `${key.pk}|${key.sk}`;
    const g = groups.get(id);
    if (!g) groups.set(id, { key, first: o, last: o });
    else {
      if (o.at <= g.first.at) g.first = o;
      if (o.at >= g.last.at) g.last = o;
    }
  }
  return groups;
}

/** What a roll-up keeps of a snapshot: everything but the metric (the partition says it). */
function stored(o: SnapshotObservation): Omit<SnapshotObservation, 'metric'> {
  const { metric, ...rest } = o;
  void metric;
  return rest;
}
