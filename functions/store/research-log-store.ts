/**
 * The research log as compact rows: one small item per concluded experiment (EXP#<id> / LOGROW), written
 * when its verdict is recorded or rescored, indexed on gsi1 under `LOG` in log order (newest conclusion
 * first). A page of the log is then one Query, whatever the number of concluded experiments and however
 * large their verdicts — never "every concluded experiment, then every verdict".
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Experiment } from '../domain/experiment';
import { researchLogRows, type ResearchLogRow } from '../domain/research-log';
import type { Verdict } from '../domain/verdict';
import { ValidationError } from '../shared/errors';
import { batchPutAll } from './batch';
import { itemOf, migrationEntity, parseItem } from './entities';
import { LOG_PARTITION, logRowEntity } from './experiment-entities';
import { keys } from './keys';

/** Rows per page at most: a worst-case row (every text field at its cap, escaped) is ~3 KB, so ≤ 3 MB. */
export const LOG_PAGE_MAX = 1000;
export const LOG_PAGE_DEFAULT = 100;

const ROW_SK = 'LOGROW';
/** The marker that the rows of verdicts recorded before rows existed have been written (see backfill). */
const BACKFILL_MARKER = { pk: 'MIGRATION', sk: 'research-log-rows-v1' };

export interface LogPage { items: ResearchLogRow[]; nextCursor?: string }

export class ResearchLogStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  private item(row: ResearchLogRow) {
    return itemOf(logRowEntity, { pk: keys.experiment(row.id).pk, sk: ROW_SK }, row);
  }

  /** The row of `experiment` (concluded, or being concluded at `concludedAt`) with its current verdict. */
  static rowOf(experiment: Experiment, verdict: Verdict): ResearchLogRow | undefined {
    return researchLogRows([{ experiment, verdict }])[0];
  }

  /** Writes (or rewrites, after a rescore) the experiment's row. Idempotent. */
  async put(experiment: Experiment, verdict: Verdict): Promise<void> {
    const row = ResearchLogStore.rowOf(experiment, verdict);
    if (row) await this.db.send(new PutCommand({ TableName: this.tableName, Item: this.item(row) }));
  }

  /** One page of the log, newest conclusion first: one Query. */
  async page(options: { limit?: number; cursor?: string } = {}): Promise<LogPage> {
    const limit = Math.min(Math.max(1, options.limit ?? LOG_PAGE_DEFAULT), LOG_PAGE_MAX);
    const out = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': LOG_PARTITION },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeLogCursor(options.cursor),
    }));
    const items = (out.Items ?? []).map((i) => parseItem(logRowEntity, i));
    const last = out.Items?.[out.Items.length - 1];
    return {
      items,
      ...(out.LastEvaluatedKey && last && { nextCursor: encodeLogCursor({ pk: String(last.pk), sk: ROW_SK, gsi1pk: LOG_PARTITION, gsi1sk: String(last.gsi1sk) }) }),
    };
  }

  /**
   * Writes the rows of experiments concluded before rows existed, once per table (a marker item records
   * that it ran; afterwards this costs one GetItem). `concluded` lists them with their current verdicts.
   */
  async backfillOnce(concluded: () => Promise<{ experiment: Experiment; verdict: Verdict }[]>): Promise<number> {
    return this.runOnce(BACKFILL_MARKER.sk, async () => {
      const rows = (await concluded()).flatMap(({ experiment, verdict }) => ResearchLogStore.rowOf(experiment, verdict) ?? []);
      await batchPutAll(this.db, this.tableName, rows.map((row) => this.item(row)), 'log rows');
      return rows.length;
    });
  }

  /** Runs a data migration once per table: a MIGRATION item marks it done (then this costs one GetItem); returns what `work` did. */
  async runOnce(name: string, work: () => Promise<number>): Promise<number> {
    const marker = { pk: BACKFILL_MARKER.pk, sk: name };
    if ((await this.db.send(new GetCommand({ TableName: this.tableName, Key: marker }))).Item) return 0;
    const done = await work();
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: itemOf(migrationEntity, marker, { at: new Date().toISOString(), items: done }) }));
    return done;
  }
}

function encodeLogCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify({ i: 'log', k: key })).toString('base64url');
}

/** Only a key of this listing (a LOG row) is accepted: anything else is a 400, never a Query on another partition. */
function decodeLogCursor(cursor: string | undefined): Record<string, string> | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { i?: unknown; k?: Record<string, unknown> };
    const k = parsed.k;
    if (parsed.i === 'log' && k && typeof k === 'object' && Object.keys(k).length === 4 && k.gsi1pk === LOG_PARTITION && k.sk === ROW_SK
      && typeof k.pk === 'string' && k.pk.startsWith('EXP#') && k.pk.length <= 200 && typeof k.gsi1sk === 'string' && k.gsi1sk.length <= 400) {
      return { pk: k.pk, sk: ROW_SK, gsi1pk: LOG_PARTITION, gsi1sk: k.gsi1sk };
    }
  } catch { /* fall through */ }
  throw new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'not a cursor returned by this API for this listing' }]);
}
