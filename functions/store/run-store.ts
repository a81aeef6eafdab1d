/**
 * Job runs and source state: one item per collection run (source + slot), the scorer's runs, and
 * each source's pause (rate limit or usage cap) — what GET /health reads.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CollectionRun } from '../domain/collection-run';
import { collectionRunEntity, itemOf, jobRunEntity, parseItem, sourceStateEntity, spendEntity } from './entities';
import { keys } from './keys';
import { queryAll } from './query-all';
import { conditionally, isConditionFailed } from './conditional-write';

export type { CollectionRun, RunOutcome } from '../domain/collection-run';

export interface SourceState { source: string; account?: string; pausedUntil?: string; pauseReason?: 'rate_limited' | 'usage_capped'; updatedAt: string }

export interface JobRun { job: string; slot: string; outcome: 'ok' | 'failed'; durationMs: number; startedAt: string; details?: Record<string, unknown> }

const RUN_TTL_DAYS = 90;

export class RunStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async recordRun(run: CollectionRun): Promise<void> {
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: itemOf(collectionRunEntity, keys.run(run.source, run.slot, run.account), run, { expiresAt: ttl(run.startedAt) }),
    }));
  }

  async getRun(source: string, slot: string, account?: string): Promise<CollectionRun | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.run(source, slot, account) }));
    return out.Item ? parseItem(collectionRunEntity, out.Item) : undefined;
  }

  /** Most recent runs of a source (of one account: absent = the default), newest first. */
  async recentRuns(source: string, limit = 10, account?: string): Promise<CollectionRun[]> {
    const out = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.run(source, '', account).pk },
      ScanIndexForward: false,
      Limit: limit,
    }));
    return (out.Items ?? []).map((i) => parseItem(collectionRunEntity, i));
  }

  /**
   * US dollars recorded by runs of `sources` whose slot falls in `now`'s calendar month (UTC), up to
   * `now` — what the citation spend cap is checked against. Query only (one partition per source).
   */
  async monthToDateCostUsd(sources: readonly string[], now: Date): Promise<number> {
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    const to = now.toISOString();
    let total = 0;
    for (const source of sources) {
      const items = await queryAll(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.run(source, '').pk, ':from': from, ':to': to },
        ProjectionExpression: 'costUsd',
      });
      for (const item of items) if (typeof item.costUsd === 'number') total += item.costUsd;
    }
    return Math.round(total * 1e6) / 1e6;
  }

  /**
   * The month's citation spend counter in US dollars (what the cap is checked against). Created on first
   * use from `seedUsd` — the spend the month's run records hold — so spend from before it existed counts.
   */
  async citationSpendUsd(now: Date, seedUsd: () => Promise<number>): Promise<number> {
    const key = keys.spend(monthOf(now));
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    if (out.Item) return parseItem(spendEntity, out.Item).committedMicroUsd / 1e6;
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: itemOf(spendEntity, key, { committedMicroUsd: micro(await seedUsd()) }, { expiresAt: Math.floor(now.getTime() / 1000) + 400 * 86_400 }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
    } catch (err) {
      if (!isConditionFailed(err)) throw err; // a concurrent run seeded it
    }
    return this.citationSpendUsd(now, seedUsd);
  }

  /**
   * Adds `usd` to the month's counter only if the total stays within `capUsd` (one conditional update,
   * so concurrent runs cannot both take the last of the budget). False when it would pass the cap.
   */
  async reserveCitationSpend(now: Date, usd: number, capUsd: number): Promise<boolean> {
    const amount = micro(usd);
    if (amount > micro(capUsd)) return false;
    return conditionally(this.db.send(new UpdateCommand({
      TableName: this.tableName,
      Key: keys.spend(monthOf(now)),
      UpdateExpression: 'ADD committedMicroUsd :amount',
      ConditionExpression: 'attribute_exists(committedMicroUsd) AND committedMicroUsd <= :limit',
      ExpressionAttributeValues: { ':amount': amount, ':limit': micro(capUsd) - amount },
    })));
  }

  /** Adds `usd` (negative to release a reservation) to the month's counter, unconditionally: spend is never forgotten. */
  async addCitationSpend(now: Date, usd: number): Promise<void> {
    const amount = micro(usd);
    if (amount === 0) return;
    await this.db.send(new UpdateCommand({
      TableName: this.tableName,
      Key: keys.spend(monthOf(now)),
      UpdateExpression: 'ADD committedMicroUsd :amount',
      ExpressionAttributeValues: { ':amount': amount },
    }));
  }

  async getSourceState(source: string, account?: string): Promise<SourceState | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.sourceState(source, account) }));
    return out.Item ? parseItem(sourceStateEntity, out.Item) : undefined;
  }

  async putSourceState(state: SourceState): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: itemOf(sourceStateEntity, keys.sourceState(state.source, state.account), state) }));
  }

  async recordJobRun(run: JobRun): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: itemOf(jobRunEntity, keys.jobRun(run.job, run.slot), run, { expiresAt: ttl(run.startedAt) }) }));
  }

  async lastJobRun(job: string): Promise<JobRun | undefined> {
    const out = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.jobRun(job, '').pk },
      ScanIndexForward: false,
      Limit: 1,
    }));
    return out.Items?.[0] ? parseItem(jobRunEntity, out.Items[0]) : undefined;
  }
}

/** Whole micro-dollars: counter arithmetic stays exact. */
function micro(usd: number): number {
  return Math.round(usd * 1e6);
}

function monthOf(now: Date): string {
  return now.toISOString().slice(0, 7);
}

function ttl(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000) + RUN_TTL_DAYS * 86_400;
}
