/**
 * BatchGetItem and BatchWriteItem over any number of items: requests of at most 100 keys / 25 writes,
 * and the unprocessed keys or items DynamoDB hands back (under throttling or its 16 MB answer limit)
 * sent again after a backoff of 100 ms, 200 ms … 1.6 s — five retries, then an error naming what was left.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Send = Pick<DynamoDBDocumentClient, 'send'>;
type Key = Record<string, unknown>;
type WriteRequest = NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string][number];

export const BATCH_GET_MAX = 100;
export const BATCH_WRITE_MAX = 25;
const MAX_RETRIES = 5;

/** Sends `first`, then whatever `send` says is left, with backoff; `what` names the items in the error. */
async function untilProcessed<T>(first: T[], what: string, send: (pending: T[]) => Promise<T[]>): Promise<void> {
  let pending = first;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > MAX_RETRIES) throw new Error(`DynamoDB left ${pending.length} ${what} unprocessed after retries`);
    if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    pending = await send(pending);
  }
}

/**
 * The items stored under `keys` (absent ones are left out; order is DynamoDB's). `projection` limits
 * the attributes read; `what` names the items in the error when some stay unprocessed (e.g. "experiment reads").
 */
export async function batchGetAll(db: Send, tableName: string, keys: readonly Key[], what: string, projection?: string): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
    await untilProcessed(keys.slice(i, i + BATCH_GET_MAX), what, async (pending) => {
      const out = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ...(projection && { ProjectionExpression: projection }) } } }));
      found.push(...(out.Responses?.[tableName] ?? []));
      return (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
    });
  }
  return found;
}

/** Puts every item (whole items, keys included); `what` names them in the error when some stay unprocessed. */
export async function batchPutAll(db: Send, tableName: string, items: readonly Record<string, unknown>[], what: string): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH_WRITE_MAX) {
    const requests: WriteRequest[] = items.slice(i, i + BATCH_WRITE_MAX).map((Item) => ({ PutRequest: { Item } }));
    await untilProcessed(requests, what, async (pending) => {
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      return out.UnprocessedItems?.[tableName] ?? [];
    });
  }
}
