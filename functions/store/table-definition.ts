/**
 * The single table, defined once. The CDK stack builds its Table from this and the local runtime
 * (dynalite) creates the same table from `createTableInput` — no second copy that can drift. Each item
 * type's model (type tag, index attributes, the schema its reads are parsed with) is in entities.ts.
 *
 * Items (pk / sk):
 *   EXP#<id> / EXPERIMENT            experiment; gsi1 = STATUS#<status> / <end|createdAt>#<id>; gsi2 = EXPERIMENTS / <createdAt>#<id>
 *   EXP#<id> / VERDICT               the current verdict (written once, conditionally)
 *   EXP#<id> / VERDICT#<scoredAt>    every verdict ever recorded (rescore history)
 *   EXP#<id> / LOGROW                the research log's row of a concluded experiment; gsi1 = LOG / <concludedAt>#<end>#<id>
 *   OBS#<metric>[@<account>] / <at>#<discriminator>   one observation per metric, account, time slot and fact
 *                                    (no @ for a source's default account: every item stored before accounts existed)
 *   RUN#<source>[@<account>] / <slot>  one collection run per source, account and slot
 *   SOURCE#<source>[@<account>] / STATE  pause state (rate limits, caps) of a source's account
 *   DAILY#<metric>[@<account>] / <YYYY-MM-DD>#<discriminator>   a snapshot series' day: its first and last snapshot (charts)
 *   MIGRATION / <name>               a data migration that ran once per table (log rows, daily roll-ups)
 *   JOB#<name> / <slot>              last runs of other jobs (scorer, digest)
 *   DIGEST#<week> / DIGEST           the weekly digest's claim on its week (which run sends it, what went out)
 *   IDEMPOTENCY#<key> / REQUEST      a POST's idempotency record (expires via TTL)
 *   FEED#calendar / TOKEN            SHA-256 of the calendar feed's read-only token
 *   SPEND#citations / <YYYY-MM>      the month's citation spend counter (micro-dollars, conditional adds)
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  indexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;

/** CreateTableInput for dynalite (and any DynamoDB): same keys and indexes as the CDK Table, on-demand. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const names = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...TABLE_KEYS.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE_KEYS.indexes.map((i) => ({
      IndexName: i.indexName,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' },
        { AttributeName: i.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
