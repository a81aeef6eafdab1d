/**
 * The calendar feed's token: a read-only secret that only opens GET /calendar.ics, carried in the feed
 * URL because calendar apps cannot send headers. Only its SHA-256 digest is stored; creating a new one
 * replaces (revokes) the old one. It is not the API token and grants nothing else.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { feedTokenEntity, itemOf, parseItem } from './entities';
import { keys } from './keys';

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export class FeedTokenStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** Creates a new feed token (revoking the previous one) and returns it; it is shown once. */
  async rotate(now: Date): Promise<string> {
    const token = `vcal_${randomBytes(24).toString('base64url')}`;
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: itemOf(feedTokenEntity, keys.feedToken('calendar'), { sha256: digest(token).toString('hex'), createdAt: now.toISOString() }),
    }));
    return token;
  }

  /** Whether `presented` is the current feed token (constant-time on the digests). */
  async verify(presented: string | undefined): Promise<boolean> {
    if (!presented) return false;
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.feedToken('calendar') }));
    const stored = out.Item ? Buffer.from(parseItem(feedTokenEntity, out.Item).sha256, 'hex') : undefined;
    if (!stored || stored.length !== 32) return false;
    return timingSafeEqual(digest(presented), stored);
  }
}
