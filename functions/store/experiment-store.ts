/**
 * Experiments and their verdicts. Every read is a GetItem or a Query on an index — never a Scan.
 * A verdict is recorded at most once (conditional put), then the experiment moves to `concluded`.
 */
import {
  GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Experiment, ExperimentStatus } from '../domain/experiment';
import type { Verdict } from '../domain/verdict';
import { ConflictError, ValidationError } from '../shared/errors';
import { keys, withoutKeys } from './keys';

export interface Page<T> { items: T[]; nextCursor?: string }

export class ExperimentStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

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

  /** Newest first; by status through gsi1 (ordered by end time), else all through gsi2 (by creation). */
  async list(options: { status?: ExperimentStatus; limit?: number; cursor?: string } = {}): Promise<Page<Experiment>> {
    const limit = options.limit ?? 50;
    const byStatus = options.status !== undefined;
    const out = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      IndexName: byStatus ? 'gsi1' : 'gsi2',
      KeyConditionExpression: byStatus ? 'gsi1pk = :pk' : 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': byStatus ? `STATUS#${options.status}` : 'EXPERIMENTS' },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(options.cursor),
    }));
    return {
      items: (out.Items ?? []).map((i) => withoutKeys<Experiment>(i)),
      ...(out.LastEvaluatedKey && { nextCursor: encodeCursor(out.LastEvaluatedKey) }),
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
   */
  async recordFirstVerdict(experiment: Experiment, verdict: Verdict): Promise<boolean> {
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
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...keys.verdictHistory(experimentId, verdict.scoredAt), type: 'verdict', ...verdict },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.currentVerdict(experimentId), type: 'verdict', ...verdict } }));
  }

  async getVerdict(experimentId: string): Promise<Verdict | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.currentVerdict(experimentId) }));
    return out.Item ? withoutKeys<Verdict>(out.Item) : undefined;
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

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (key && typeof key === 'object' && !Array.isArray(key) && Object.values(key).every((v) => typeof v === 'string')) {
      return key as Record<string, unknown>;
    }
  } catch { /* fall through */ }
  throw new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'not a cursor returned by this API' }]);
}
