/**
 * The weekly digest's claims (DIGEST#<week> / DIGEST): one item per week saying which run is sending it
 * and which channels went out. Claims move only by conditional puts, so two runs never both send a week.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionally } from './conditional-write';
import { digestClaimEntity, itemOf, parseItem, type DigestClaim } from './entities';
import { keys } from './keys';

export type { DigestClaim };

export class DigestClaimStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** The week's claim, read consistently; undefined when no run has claimed it. */
  async get(week: string): Promise<DigestClaim | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.digestClaim(week), ConsistentRead: true }));
    return out.Item ? parseItem(digestClaimEntity, out.Item) : undefined;
  }

  /**
   * Writes `claim` if the week is unclaimed, or — given `seen`, the claim read before — if that claim has
   * not changed since. False when another run got there first.
   */
  async claim(claim: DigestClaim, seen?: DigestClaim): Promise<boolean> {
    return conditionally(this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: itemOf(digestClaimEntity, keys.digestClaim(claim.week), claim),
      ...(seen
        ? { ConditionExpression: 'claimedAt = :seen AND #status = :status', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':seen': seen.claimedAt, ':status': seen.status } }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    })));
  }

  /** Records the outcome on `claim` if it is still the one stored (same claimedAt); false when it was taken over. */
  async settle(claim: DigestClaim): Promise<boolean> {
    return conditionally(this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: itemOf(digestClaimEntity, keys.digestClaim(claim.week), claim),
      ConditionExpression: 'claimedAt = :mine',
      ExpressionAttributeValues: { ':mine': claim.claimedAt },
    })));
  }
}
