/**
 * Experiments and their verdicts. Every read is a GetItem or a Query on an index — never a Scan.
 * Every write of an experiment is conditional on the version it was decided from (optimistic
 * concurrency: `version` is 1 when created and +1 on every write), so a concurrent change is never
 * silently overwritten. A verdict is recorded at most once (conditional put), then the experiment
 * moves to `concluded`; the scorer first claims the experiment item itself, which is what makes an
 * abandon and a verdict exclude each other without a transaction (see recordFirstVerdict).
 */
import {
  DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { iceProduct, type Experiment, type ExperimentStatus } from '../domain/experiment';
import type { Verdict } from '../domain/verdict';
import { ConflictError, ValidationError } from '../shared/errors';
import { batchGetAll } from './batch';
import { conditionally, isConditionFailed } from './conditional-write';
import { itemOf, parseItem } from './entities';
import {
  ALL_EXPERIMENTS_PARTITION, backlogRankKey, currentVerdictEntity, experimentEntity, statusPartition, VERDICTS_PARTITION, verdictHistoryEntity,
} from './experiment-entities';
import { keys } from './keys';
import { queryAll } from './query-all';
import { ResearchLogStore } from './research-log-store';

export interface Page<T> { items: T[]; nextCursor?: string }

/** GET /experiments/{id}/verdicts answers at most this many (the newest). */
export const VERDICT_HISTORY_MAX = 100;

export interface ListOptions {
  status?: ExperimentStatus;
  /** Primary metric: exact key, or a base key that also matches its engine-qualified variants. */
  metric?: string;
  limit?: number;
  cursor?: string;
}

/** Why a conditional write of an experiment was refused. */
export type ExperimentConflictReason =
  /** It changed since it was read: read it again and decide again. */
  | 'version_conflict'
  /** The scorer is recording its verdict: nothing but the conclusion may be written. */
  | 'verdict_pending'
  /** It was deleted since it was read. */
  | 'deleted';

/** A conditional write of an experiment lost to a concurrent change; `details` names the current version. */
export class ExperimentChangedError extends ConflictError {
  constructor(
    readonly experimentId: string,
    readonly reason: ExperimentConflictReason,
    readonly current: { version?: number; status?: ExperimentStatus },
  ) {
    super(changedMessage(experimentId, reason, current), { reason, currentVersion: current.version ?? null, status: current.status ?? null });
  }
}

function changedMessage(id: string, reason: ExperimentConflictReason, current: { version?: number; status?: ExperimentStatus }): string {
  if (reason === 'deleted') return `Experiment ${id} was deleted meanwhile`;
  if (reason === 'verdict_pending') return `Experiment ${id} is being scored: its verdict is being recorded (version ${current.version ?? 0}, ${current.status}); it can no longer be changed or abandoned`;
  return `Experiment ${id} changed meanwhile: it is now at version ${current.version ?? 0} (${current.status}); read it again and re-apply the change`;
}

/** Set on the experiment item while the scorer records its verdict (ISO time of the claim); never returned. */
const SCORING_CLAIM = 'scoringSince';

function experimentOf(item: Record<string, unknown>): Experiment {
  const { [SCORING_CLAIM]: claim, ...rest } = item;
  void claim;
  return parseItem(experimentEntity, rest);
}

export class ExperimentStore {
  /** The log's compact rows, written here whenever a verdict is recorded (one page of /log = one Query). */
  readonly researchLog: ResearchLogStore;

  /** The client and table are public so stores of other item types (idempotency records) can share them. */
  constructor(readonly db: DynamoDBDocumentClient, readonly tableName: string) {
    this.researchLog = new ResearchLogStore(db, tableName);
  }

  /** The current verdict item, indexed on gsi2 under VERDICTS by scoredAt (the digest's "verdicts this week"). */
  private currentVerdictItem(verdict: Verdict) {
    return itemOf(currentVerdictEntity, keys.currentVerdict(verdict.experimentId), verdict);
  }

  private item(e: Experiment) {
    return itemOf(experimentEntity, keys.experiment(e.id), e);
  }

  /** Stores a new experiment at version 1; fails with ConflictError if the id exists. */
  async create(e: Experiment): Promise<Experiment> {
    const created: Experiment = { ...e, version: 1 };
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: this.item(created), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (err) {
      if (isConditionFailed(err)) throw new ConflictError(`Experiment ${e.id} already exists`);
      throw err;
    }
    return created;
  }

  /**
   * Replaces a stored experiment with `next`, decided from `read`, on the condition that the stored one
   * is still the version `read` was — so a concurrent change is never silently overwritten — and that the
   * scorer is not recording its verdict. Returns `next` at its new version; ExperimentChangedError
   * (a 409 naming the current version) when the condition fails.
   */
  async replace(next: Experiment, read: Experiment): Promise<Experiment> {
    const stored: Experiment = { ...next, version: (read.version ?? 0) + 1 };
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: this.item(stored),
        ConditionExpression: `attribute_exists(pk) AND ${read.version === undefined ? 'attribute_not_exists(version)' : 'version = :read'} AND attribute_not_exists(${SCORING_CLAIM})`,
        ...(read.version !== undefined && { ExpressionAttributeValues: { ':read': read.version } }),
      }));
    } catch (err) {
      if (isConditionFailed(err)) throw await this.changedError(next.id);
      throw err;
    }
    return stored;
  }

  /** Why a conditional write of `id` failed, from a strongly consistent read of what is stored now. */
  private async changedError(id: string): Promise<ExperimentChangedError> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.experiment(id), ConsistentRead: true }));
    if (!out.Item) return new ExperimentChangedError(id, 'deleted', {});
    const current = { version: out.Item.version as number | undefined, status: out.Item.status as ExperimentStatus };
    return new ExperimentChangedError(id, out.Item[SCORING_CLAIM] !== undefined ? 'verdict_pending' : 'version_conflict', current);
  }

  async get(id: string): Promise<Experiment | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.experiment(id) }));
    return out.Item ? experimentOf(out.Item) : undefined;
  }

  /**
   * Deletes an experiment on the condition that it is still in one of `allowed` statuses (it never
   * started, so it has no verdict items). ConflictError when it moved on meanwhile; false when absent.
   */
  async delete(id: string, allowed: readonly ExperimentStatus[]): Promise<boolean> {
    const values = Object.fromEntries(allowed.map((status, i) => [`:s${i}`, status]));
    try {
      const out = await this.db.send(new DeleteCommand({
        TableName: this.tableName,
        Key: keys.experiment(id),
        ConditionExpression: `attribute_not_exists(pk) OR #status IN (${Object.keys(values).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_OLD',
      }));
      return out.Attributes !== undefined;
    } catch (err) {
      if (isConditionFailed(err)) throw new ConflictError(`Experiment ${id} is no longer ${allowed.join(' or ')}`);
      throw err;
    }
  }

  /**
   * Newest first; by status through gsi1 (ordered by end time; the backlog in start order), else all
   * through gsi2 (by creation). Pages hold exactly `limit` items unless the list ends: a metric filter
   * reads on until the page is full, and the cursor points just after the last item returned.
   */
  async list(options: ListOptions = {}): Promise<Page<Experiment>> {
    const limit = options.limit ?? 50;
    const index: IndexName = options.status !== undefined ? 'gsi1' : 'gsi2';
    const [pkName, skName] = index === 'gsi1' ? ['gsi1pk', 'gsi1sk'] : ['gsi2pk', 'gsi2sk'];
    const filter = options.metric !== undefined
      ? { expression: 'primaryMetric = :metric OR begins_with(primaryMetric, :qualified)', values: { ':metric': options.metric, ':qualified': `${options.metric}:` } }
      : undefined;
    const partition = options.status !== undefined ? statusPartition(options.status) : ALL_EXPERIMENTS_PARTITION;
    const binding: CursorBinding = { index, partition, metric: options.metric };
    const items: Record<string, unknown>[] = [];
    let startKey = decodeCursor(options.cursor, binding);
    let more = true;
    while (items.length < limit && more) {
      const out = await this.db.send(new QueryCommand({
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: `${pkName} = :pk`,
        ...(filter && { FilterExpression: filter.expression }),
        ExpressionAttributeValues: { ':pk': partition, ...filter?.values },
        // The backlog's index key is its start order (backlogRankKey): read it first to last.
        ScanIndexForward: options.status === 'backlog',
        // Without a filter every item read is returned; with one, read generously and stop mid-page.
        Limit: filter ? Math.max(limit, 100) : limit - items.length,
        ExclusiveStartKey: startKey,
      }));
      const page = out.Items ?? [];
      const room = limit - items.length;
      items.push(...page.slice(0, room));
      more = out.LastEvaluatedKey !== undefined || page.length > room;
      startKey = out.LastEvaluatedKey;
    }
    const last = items[items.length - 1];
    const cursorKey = more && last ? { pk: last.pk, sk: last.sk, [pkName]: last[pkName], [skName]: last[skName] } : undefined;
    return {
      items: items.map(experimentOf),
      ...(cursorKey && { nextCursor: encodeCursor(cursorKey as Record<string, string>, binding) }),
    };
  }

  /** The first `n` backlog items in start order (ICE, then age): one Query, whatever the backlog's size. */
  async backlogTop(n: number): Promise<Experiment[]> {
    return (await this.list({ status: 'backlog', limit: n })).items;
  }

  /**
   * How many experiments are in `status`, counted up to `cap` (Select COUNT: small answers, and the read
   * stops at the cap). `capped` says there may be more.
   */
  async countInStatus(status: ExperimentStatus, cap: number): Promise<{ count: number; capped: boolean }> {
    let count = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(new QueryCommand({
        TableName: this.tableName, IndexName: 'gsi1', Select: 'COUNT', Limit: cap - count + 1,
        KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': statusPartition(status) }, ExclusiveStartKey,
      }));
      count += out.Count ?? 0;
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey && count <= cap);
    return count > cap ? { count: cap, capped: true } : { count, capped: false };
  }

  /** Every experiment in a status (all pages). */
  async listAll(status: ExperimentStatus): Promise<Experiment[]> {
    const all: Experiment[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list({ status, limit: 200, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /** The running and the planned experiments: those that have, or will have, a schedule on their metric. */
  async listLive(): Promise<Experiment[]> {
    const [running, planned] = await Promise.all([this.listAll('running'), this.listAll('planned')]);
    return [...running, ...planned];
  }

  /** Experiments in `status` whose window ends after `since` (gsi1 is ordered by end time), all pages. */
  async listEndingAfter(status: ExperimentStatus, since: string): Promise<Experiment[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk > :since',
      ExpressionAttributeValues: { ':pk': statusPartition(status), ':since': new Date(since).toISOString() },
    });
    return items.map(experimentOf);
  }

  /** Experiments in `status` whose window ends before `before` (gsi1 is ordered by end time), all pages. */
  async listEndingBefore(status: Exclude<ExperimentStatus, 'backlog'>, before: string): Promise<Experiment[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :before',
      ExpressionAttributeValues: { ':pk': statusPartition(status), ':before': new Date(before).toISOString() },
    });
    return items.map(experimentOf);
  }

  /** Planned or running experiments whose window ended at or before `now`, oldest end first. */
  async listDue(now: Date, limit = 1000): Promise<Experiment[]> {
    const upTo = `${now.toISOString()}#~`;
    const due: Experiment[] = [];
    for (const status of ['running', 'planned'] as const) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const out = await this.db.send(new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :upTo',
          ExpressionAttributeValues: { ':pk': statusPartition(status), ':upTo': upTo },
          ExclusiveStartKey,
        }));
        due.push(...(out.Items ?? []).map(experimentOf));
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey && due.length < limit);
    }
    return due.filter((e) => e.end !== undefined && e.end <= now.toISOString()).slice(0, limit);
  }

  /**
   * Records the first verdict of an experiment and concludes it; true when this call recorded it.
   *
   * Abandon and verdict exclude each other on the experiment item alone (dynalite has no transactions,
   * and none is needed): the scorer first claims the item — a conditional update that holds only while it
   * is planned or running, sets the claim and bumps the version. An abandon is a write conditional on the
   * version it read and on there being no claim. So whichever lands first wins: an abandoned experiment
   * refuses the claim (no verdict, false), and a claimed one refuses the abandon (409 verdict_pending).
   * Then the conditional put of the current verdict is the exactly-once guard: whoever wins it writes the
   * history entry and the conclusion (which removes the claim). If a run died after claiming or after
   * winning, the next run finds the claim or the verdict and completes the same steps idempotently.
   */
  async recordFirstVerdict(experiment: Experiment, verdict: Verdict): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: keys.experiment(experiment.id),
        UpdateExpression: `SET ${SCORING_CLAIM} = if_not_exists(${SCORING_CLAIM}, :claimedAt), version = if_not_exists(version, :zero) + :one`,
        ConditionExpression: '#status IN (:running, :planned)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claimedAt': verdict.scoredAt, ':zero': 0, ':one': 1, ':running': 'running', ':planned': 'planned' },
      }));
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      // Abandoned or deleted meanwhile: never scored. Concluded: a concurrent run recorded it.
      const current = await this.get(experiment.id);
      if (current?.status !== 'concluded') return false;
    }
    let won = true;
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: this.currentVerdictItem(verdict),
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      won = false;
    }
    const recorded = won ? verdict : await this.getVerdict(experiment.id);
    if (!recorded) return false;
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: itemOf(verdictHistoryEntity, keys.verdictHistory(experiment.id, recorded.scoredAt), recorded) }));
    await this.conclude(experiment.id, recorded);
    return won;
  }

  /**
   * planned/running (claimed) → concluded, removing the claim; a no-op when a concurrent run did it first.
   * The log row is written first, so a run that dies in between leaves the experiment claimed and the next
   * run writes both — a concluded experiment always has its row.
   */
  private async conclude(id: string, verdict: Verdict): Promise<void> {
    const concludedAt = verdict.scoredAt;
    for (let attempt = 0; attempt < 5; attempt++) {
      const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.experiment(id), ConsistentRead: true }));
      if (!out.Item) return;
      const current = experimentOf(out.Item);
      if (current.status === 'concluded') await this.researchLog.put(current, verdict);
      if (current.status !== 'running' && current.status !== 'planned') return;
      const concluded: Experiment = { ...current, status: 'concluded', concludedAt, updatedAt: concludedAt, version: (current.version ?? 0) + 1 };
      await this.researchLog.put(concluded, verdict);
      try {
        await this.db.send(new PutCommand({
          TableName: this.tableName,
          Item: this.item(concluded),
          ConditionExpression: current.version === undefined ? 'attribute_not_exists(version)' : 'version = :read',
          ...(current.version !== undefined && { ExpressionAttributeValues: { ':read': current.version } }),
        }));
        return;
      } catch (err) {
        if (!isConditionFailed(err)) throw err; // else re-read and try again
      }
    }
    throw new ConflictError(`Experiment ${id} kept changing while its verdict was recorded; the next scorer run concludes it`);
  }

  /** Replaces the current verdict after an explicit rescore, keeping every earlier one in the history. */
  async recordRescore(experimentId: string, verdict: Verdict): Promise<void> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: itemOf(verdictHistoryEntity, keys.verdictHistory(experimentId, verdict.scoredAt), verdict),
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
    } catch (err) {
      if (isConditionFailed(err)) throw new ConflictError(`Experiment ${experimentId} was scored at ${verdict.scoredAt} already`);
      throw err;
    }
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: this.currentVerdictItem(verdict) }));
    const experiment = await this.get(experimentId);
    if (experiment) await this.researchLog.put(experiment, verdict);
  }

  /** Current verdicts scored in [from, to), oldest first — through gsi2, so the work is the period's verdicts only. */
  async verdictsScoredBetween(from: string, to: string): Promise<Verdict[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': VERDICTS_PARTITION, ':from': new Date(from).toISOString(), ':to': new Date(to).toISOString() },
    });
    return items.map((i) => parseItem(currentVerdictEntity, i)).filter((v) => v.scoredAt >= from && v.scoredAt < to);
  }

  /** Experiments by id (BatchGet, 100 keys a request); absent ones are left out. */
  async getMany(ids: readonly string[]): Promise<Map<string, Experiment>> {
    const found = new Map<string, Experiment>();
    const items = await batchGetAll(this.db, this.tableName, [...new Set(ids)].map((id) => keys.experiment(id)), 'experiment reads');
    for (const item of items) {
      const e = experimentOf(item);
      found.set(e.id, e);
    }
    return found;
  }

  /**
   * Once per table: log rows and the verdict index for verdicts recorded before either existed (data
   * from an earlier version). Afterwards one GetItem. Run by the scorer and at local start-up.
   */
  async backfillResearchLog(): Promise<number> {
    return this.researchLog.backfillOnce(async () => {
      const concluded = await this.listAll('concluded');
      const verdicts = await this.getVerdicts(concluded.map((e) => e.id));
      const pairs = concluded.flatMap((experiment) => {
        const verdict = verdicts.get(experiment.id);
        return verdict ? [{ experiment, verdict }] : [];
      });
      for (const { verdict } of pairs) {
        await this.db.send(new UpdateCommand({
          TableName: this.tableName, Key: keys.currentVerdict(verdict.experimentId),
          UpdateExpression: 'SET gsi2pk = :pk, gsi2sk = :sk', ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':pk': VERDICTS_PARTITION, ':sk': `${verdict.scoredAt}#${verdict.experimentId}` },
        }));
      }
      return pairs;
    });
  }

  /** Once per table: backlog items stored before their gsi1 key was their start order get it. */
  async backfillBacklogOrder(): Promise<number> {
    return this.researchLog.runOnce('backlog-rank-keys-v1', async () => {
      const backlog = await this.listAll('backlog');
      for (const item of backlog) {
        await conditionally(this.db.send(new UpdateCommand({
          TableName: this.tableName, Key: keys.experiment(item.id),
          UpdateExpression: 'SET gsi1sk = :sk', ConditionExpression: '#status = :backlog',
          ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':sk': backlogRankKey(item), ':backlog': 'backlog' },
        })));
      }
      return backlog.length;
    });
  }

  async getVerdict(experimentId: string): Promise<Verdict | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.currentVerdict(experimentId) }));
    return out.Item ? parseItem(currentVerdictEntity, out.Item) : undefined;
  }

  /** The current verdicts of many experiments (BatchGet, 100 keys a request); absent ones are left out. */
  async getVerdicts(experimentIds: readonly string[]): Promise<Map<string, Verdict>> {
    const found = new Map<string, Verdict>();
    const items = await batchGetAll(this.db, this.tableName, [...new Set(experimentIds)].map((id) => keys.currentVerdict(id)), 'verdict reads');
    for (const item of items) {
      const verdict = parseItem(currentVerdictEntity, item);
      found.set(verdict.experimentId, verdict);
    }
    return found;
  }

  /**
   * The verdicts recorded for the experiment, newest first: at most `limit` (one Query; a verdict is at
   * most ~8 KB, so 100 stay far below Lambda's response limit). `truncated` says older ones exist.
   */
  async verdictHistory(experimentId: string, limit = VERDICT_HISTORY_MAX): Promise<Verdict[] & { truncated?: boolean }> {
    const out = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.experiment(experimentId).pk, ':prefix': 'VERDICT#' },
      ScanIndexForward: false,
      Limit: limit + 1,
    }));
    const items = (out.Items ?? []).map((i) => parseItem(verdictHistoryEntity, i));
    const page: Verdict[] & { truncated?: boolean } = items.slice(0, limit);
    if (items.length > limit) page.truncated = true;
    return page;
  }
}

type IndexName = 'gsi1' | 'gsi2';

export { backlogRankKey };
/** The query a cursor was issued for: a cursor is accepted only by the same query. */
interface CursorBinding { index: IndexName; partition: string; metric?: string }

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const EXPERIMENT_PK = /^EXP#(exp_[a-z0-9]{1,40})$/;

function bindingDigest(b: CursorBinding): string {
  return createHash('sha256').update(JSON.stringify([b.index, b.partition, b.metric ?? null])).digest('base64url').slice(0, 22);
}

/**
 * Cursors carry the position (the last item's keys) and a digest of the query they were issued for
 * (index, partition, metric filter), so one taken from another listing cannot be replayed here.
 */
function encodeCursor(key: Record<string, string>, binding: CursorBinding): string {
  return Buffer.from(JSON.stringify({ i: binding.index, q: bindingDigest(binding), k: key })).toString('base64url');
}

/**
 * The ExclusiveStartKey a cursor stands for, or a 400 unless it is exactly what this query issues: the
 * same query digest, and a key of an experiment item in this query's partition whose index sort key is
 * the one that item has (`<instant>#<id>`) — never a key DynamoDB would reject (a 500) or one that
 * silently starts the query elsewhere.
 */
function decodeCursor(cursor: string | undefined, binding: CursorBinding): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  const [pkName, skName] = binding.index === 'gsi1' ? ['gsi1pk', 'gsi1sk'] : ['gsi2pk', 'gsi2sk'];
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { i?: unknown; q?: unknown; k?: unknown };
    const key = parsed.k as Record<string, unknown> | undefined;
    const id = typeof key?.pk === 'string' ? EXPERIMENT_PK.exec(key.pk)?.[1] : undefined;
    const sortKey = typeof key?.[skName] === 'string' ? (key[skName] as string) : '';
    // Backlog items sort by backlogRankKey (`R<rank>#<instant>#<id>`); every other item by `<instant>#<id>`.
    const position = binding.partition === statusPartition('backlog') && /^R\d{4}#/.test(sortKey) ? sortKey.split('#').slice(1) : sortKey.split('#');
    const valid = parsed.i === binding.index && parsed.q === bindingDigest(binding)
      && key !== undefined && typeof key === 'object' && !Array.isArray(key)
      && Object.keys(key).sort().join(',') === ['pk', 'sk', pkName, skName].sort().join(',')
      && id !== undefined && key.sk === 'EXPERIMENT' && key[pkName] === binding.partition
      && position.length === 2 && INSTANT.test(position[0]) && position[1] === id;
    if (valid) return key;
  } catch { /* fall through */ }
  throw new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'not a cursor returned by this API for this listing' }]);
}
