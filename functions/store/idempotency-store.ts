/**
 * Idempotency records for POST requests carrying an `Idempotency-Key` header: a retried request with the
 * same key and body gets the first response again instead of acting twice. Claims are conditional puts
 * (no transactions); records expire through the table's TTL after a day.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './conditional-write';
import { idempotencyEntity, itemOf, parseItem, type IdempotencyRecord } from './entities';
import { keys } from './keys';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A claim older than this whose request never completed (the process died) may be taken over. */
export const IDEMPOTENCY_LOCK_MS = 60_000;

/** The response replayed for a repeated request (what the API returned the first time). */
export interface StoredResponse {
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export type ClaimOutcome =
  /** First use of the key: the caller runs the request, then completes or releases the claim. */
  | { outcome: 'claimed' }
  /** The same request completed before: send this response again. */
  | { outcome: 'replay'; response: StoredResponse }
  /** The key was used for a different request (method, path or body). */
  | { outcome: 'mismatch' }
  /** The same request is being served right now. */
  | { outcome: 'in_progress' };

/** Epoch seconds at which a record written at `now` expires (the table's TTL attribute). */
const expiresAt = (now: Date) => Math.floor((now.getTime() + IDEMPOTENCY_TTL_MS) / 1000);

export class IdempotencyStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** Claims `key` for a request with `fingerprint` (method, path and body digest). */
  async claim(key: string, fingerprint: string, now: Date): Promise<ClaimOutcome> {
    const record: IdempotencyRecord = {
      state: 'pending',
      fingerprint,
      lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LOCK_MS).toISOString(),
    };
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: itemOf(idempotencyEntity, keys.idempotency(key), record, { expiresAt: expiresAt(now) }),
        // New key, an expired record TTL has not removed yet, or an abandoned claim of the same request.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSec OR (#state = :pending AND fingerprint = :fp AND lockedUntil < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':nowSec': Math.floor(now.getTime() / 1000), ':pending': 'pending', ':fp': fingerprint, ':now': now.toISOString() },
      }));
      return { outcome: 'claimed' };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.idempotency(key), ConsistentRead: true }));
    const existing = out.Item ? parseItem(idempotencyEntity, out.Item) : undefined;
    if (!existing) return this.claim(key, fingerprint, now); // released between our put and get
    if (existing.fingerprint !== fingerprint) return { outcome: 'mismatch' };
    if (existing.state === 'completed' && existing.response) return { outcome: 'replay', response: JSON.parse(existing.response) as StoredResponse };
    return { outcome: 'in_progress' };
  }

  /** Stores the response of a claimed request, to be replayed for a retry. */
  async complete(key: string, fingerprint: string, response: StoredResponse, now: Date): Promise<void> {
    const record: IdempotencyRecord = { state: 'completed', fingerprint, lockedUntil: now.toISOString(), response: JSON.stringify(response) };
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: itemOf(idempotencyEntity, keys.idempotency(key), record, { expiresAt: expiresAt(now) }) }));
  }

  /** Forgets a claim whose request failed, so a retry runs it again. */
  async release(key: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.idempotency(key) }));
  }
}
