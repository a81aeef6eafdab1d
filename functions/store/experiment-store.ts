/**
 * Experiments and their verdicts. Every read is a GetItem or a Query on an index — never a Scan.
 * A verdict is recorded at most once (conditional put), then the experiment moves to `concluded`.
 */
import {
  BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Experiment, ExperimentStatus } from '../domain/experiment';
import type { Verdict } from '../domain/verdict';
import { ConflictError, ValidationError } from '../shared/errors';
import { keys, withoutKeys } from './keys';

export interface Page<T> { items: T[]; nextCursor?: string }

export interface ListOptions {
  status?: ExperimentStatus;
  /** Primary metric: exact key, or a base key that also matches its engine-qualified variants. */
  metric?: string;
  limit?: number;
  cursor?: string;
}

export class ExperimentStore {
  /** The client and table are public so stores of other item types (idempotency records) can share them. */
  constructor(readonly db: DynamoDBDocumentClient, readonly tableName: string) {}

  private item(e: Experiment) {
    return {
      ...keys.experiment(e.id),
      type: 'experiment',
      gsi1pk: `STATUS#${e.status}`,
      gsi1sk: `${e.end ?? e.createdAt}#${e.id}`,
      gsi2pk: 'EXPERIMENTS',
      gsi2sk: `${e.createdAt}#${e.id}`,
      ...e,
    };
  }

  /** Stores a new experiment; fails with ConflictError if the id exists. */
  async create(e: Experiment): Promise<Experiment> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: this.item(e), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') throw new ConflictError(`Experiment ${e.id} already exists`);
      throw err;
    }
    return e;
  }

  /**
   * Replaces a stored experiment, on the condition that it is still in `expectedStatus` — so two
   * concurrent transitions cannot both win.
   */
  async replace(e: Experiment, expectedStatus: ExperimentStatus): Promise<Experiment> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: this.item(e),
        ConditionExpression: 'attribute_exists(pk) AND #status = :expected',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':expected': expectedStatus },
      }));
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') {
        throw new ConflictError(`Experiment ${e.id} is no longer ${expectedStatus}`);
      }
      throw err;
    }
    return e;
  }

  async get(id: string): Promise<Experiment | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.experiment(id) }));
    return out.Item ? withoutKeys<Experiment>(out.Item) : undefined;
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
      if ((err as Error).name === 'ConditionalCheckFailedException') throw new ConflictError(`Experiment ${id} is no longer ${allowed.join(' or ')}`);
      throw err;
    }
  }

  /**
   * Newest first; by status through gsi1 (ordered by end time, creation time for backlog items), else all
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
    const items: Record<string, unknown>[] = [];
    let startKey = decodeCursor(options.cursor, index);
    let more = true;
    while (items.length < limit && more) {
      const out = await this.db.send(new QueryCommand({
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: `${pkName} = :pk`,
        ...(filter && { FilterExpression: filter.expression }),
        ExpressionAttributeValues: { ':pk': index === 'gsi1' ? `STATUS#${options.status}` : 'EXPERIMENTS', ...filter?.values },
        ScanIndexForward: false,
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
      items: items.map((i) => withoutKeys<Experiment>(i)),
      ...(cursorKey && { nextCursor: encodeCursor(cursorKey as Record<string, string>, index) }),
    };
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

  /** Experiments in `status` whose window ends after `since` (gsi1 is ordered by end time), all pages. */
  async listEndingAfter(status: ExperimentStatus, since: string): Promise<Experiment[]> {
    const out: Experiment[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk > :since',
        ExpressionAttributeValues: { ':pk': `STATUS#${status}`, ':since': new Date(since).toISOString() },
        ExclusiveStartKey,
      }));
      out.push(...(page.Items ?? []).map((i) => withoutKeys<Experiment>(i)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
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
          ExpressionAttributeValues: { ':pk': `STATUS#${status}`, ':upTo': upTo },
          ExclusiveStartKey,
        }));
        due.push(...(out.Items ?? []).map((i) => withoutKeys<Experiment>(i)));
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey && due.length < limit);
    }
    return due.filter((e) => e.end !== undefined && e.end <= now.toISOString()).slice(0, limit);
  }

  /**
   * Records the first verdict of an experiment and concludes it. The conditional put of the current
   * verdict is the exactly-once guard (DynamoDB and dynalite alike; no transactions needed): whoever wins
   * it then writes the history entry and the conclusion. If a run died after winning, the next run finds
   * the verdict, completes the same steps idempotently and returns false — never a second verdict.
   * An experiment abandoned meanwhile gets no verdict (false).
   */
  async recordFirstVerdict(experiment: Experiment, verdict: Verdict): Promise<boolean> {
    // An experiment abandoned since the scorer listed it is never scored.
    if ((await this.get(experiment.id))?.status === 'abandoned') return false;
    let won = true;
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.currentVerdict(experiment.id), type: 'verdict', ...verdict },
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
      won = false;
    }
    const recorded = won ? verdict : await this.getVerdict(experiment.id);
    if (!recorded) return false;
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.verdictHistory(experiment.id, recorded.scoredAt), type: 'verdict', ...recorded } }));
    const current = won ? experiment : await this.get(experiment.id);
    if (current && (current.status === 'running' || current.status === 'planned')) {
      const concluded: Experiment = { ...current, status: 'concluded', concludedAt: recorded.scoredAt, updatedAt: recorded.scoredAt };
      try {
        await this.replace(concluded, current.status);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err; // a concurrent run concluded it first
      }
    }
    return won;
  }

  /** Replaces the current verdict after an explicit rescore, keeping every earlier one in the history. */
  async recordRescore(experimentId: string, verdict: Verdict): Promise<void> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.verdictHistory(experimentId, verdict.scoredAt), type: 'verdict', ...verdict },
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') throw new ConflictError(`Experiment ${experimentId} was scored at ${verdict.scoredAt} already`);
      throw err;
    }
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.currentVerdict(experimentId), type: 'verdict', ...verdict } }));
  }

  async getVerdict(experimentId: string): Promise<Verdict | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.currentVerdict(experimentId) }));
    return out.Item ? withoutKeys<Verdict>(out.Item) : undefined;
  }

  /** The current verdicts of many experiments (BatchGet, 100 keys a request); absent ones are left out. */
  async getVerdicts(experimentIds: readonly string[]): Promise<Map<string, Verdict>> {
    const found = new Map<string, Verdict>();
    const unique = [...new Set(experimentIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let requestKeys: Record<string, unknown>[] = unique.slice(i, i + 100).map((id) => keys.currentVerdict(id));
      for (let attempt = 0; requestKeys.length > 0; attempt++) {
        if (attempt > 5) throw new Error(`DynamoDB left ${requestKeys.length} verdict reads unprocessed after retries`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const out = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: requestKeys } } }));
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const verdict = withoutKeys<Verdict>(item);
          found.set(verdict.experimentId, verdict);
        }
        requestKeys = (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  /** Every verdict recorded for the experiment, newest first. */
  async verdictHistory(experimentId: string): Promise<Verdict[]> {
    const out = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.experiment(experimentId).pk, ':prefix': 'VERDICT#' },
      ScanIndexForward: false,
    }));
    return (out.Items ?? []).map((i) => withoutKeys<Verdict>(i));
  }
}

type IndexName = 'gsi1' | 'gsi2';

/** Cursors name their index, so one taken from a status listing cannot be replayed on the full list. */
function encodeCursor(key: Record<string, string>, index: IndexName): string {
  return Buffer.from(JSON.stringify({ i: index, k: key })).toString('base64url');
}

function decodeCursor(cursor: string | undefined, index: IndexName): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { i?: unknown; k?: unknown };
    const key = parsed.k;
    if (parsed.i === index && key && typeof key === 'object' && !Array.isArray(key) && Object.values(key).every((v) => typeof v === 'string')) {
      return key as Record<string, unknown>;
    }
  } catch { /* fall through */ }
  throw new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'not a cursor returned by this API for this listing' }]);
}
