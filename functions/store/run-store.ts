/**
 * Job runs and source state: one item per collection run (source + slot), the scorer's runs, and
 * each source's pause (rate limit or usage cap) — what GET /health reads.
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SourceErrorCode } from '../sources/source';
import { keys, withoutKeys } from './keys';

export type RunOutcome = 'ok' | 'partial' | 'failed' | 'rate_limited' | 'usage_capped' | 'paused' | 'not_configured';

export interface CollectionRun {
  source: string;
  /** The scheduled slot (ISO-8601). */
  slot: string;
  outcome: RunOutcome;
  observations: number;
  requests?: number;
  costUsd?: number;
  durationMs: number;
  startedAt: string;
  errorCode?: SourceErrorCode | 'store_error' | 'internal_error';
  /** Safe, secret-free message for the health view. */
  message?: string;
  /** When a paused source may be tried again. */
  resetAt?: string;
  /** How many times this slot was delivered (duplicates and late retries). */
  deliveries?: number;
}

export interface SourceState { source: string; pausedUntil?: string; pauseReason?: 'rate_limited' | 'usage_capped'; updatedAt: string }

export interface JobRun { job: string; slot: string; outcome: 'ok' | 'failed'; durationMs: number; startedAt: string; details?: Record<string, unknown> }

const RUN_TTL_DAYS = 90;

export class RunStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async recordRun(run: CollectionRun): Promise<void> {
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...keys.run(run.source, run.slot), type: 'run', expiresAt: ttl(run.startedAt), ...run },
    }));
  }

  async getRun(source: string, slot: string): Promise<CollectionRun | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.run(source, slot) }));
    return out.Item ? withoutKeys<CollectionRun>(out.Item) : undefined;
  }

  /** Most recent runs of a source, newest first. */
  async recentRuns(source: string, limit = 10): Promise<CollectionRun[]> {
    const out = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.run(source, '').pk },
      ScanIndexForward: false,
      Limit: limit,
    }));
    return (out.Items ?? []).map((i) => withoutKeys<CollectionRun>(i));
  }

  async getSourceState(source: string): Promise<SourceState | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.sourceState(source) }));
    return out.Item ? withoutKeys<SourceState>(out.Item) : undefined;
  }

  async putSourceState(state: SourceState): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.sourceState(state.source), type: 'source_state', ...state } }));
  }

  async recordJobRun(run: JobRun): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.jobRun(run.job, run.slot), type: 'job_run', expiresAt: ttl(run.startedAt), ...run } }));
  }

  async lastJobRun(job: string): Promise<JobRun | undefined> {
    const out = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.jobRun(job, '').pk },
      ScanIndexForward: false,
      Limit: 1,
    }));
    return out.Items?.[0] ? withoutKeys<JobRun>(out.Items[0]) : undefined;
  }
}

function ttl(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000) + RUN_TTL_DAYS * 86_400;
}
