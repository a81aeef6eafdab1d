/**
 * What every concurrency guarantee here stands on: DynamoDB applies each item write atomically. Both test
 * stand-ins must too (dynalite, and moto under VERDICT_TEST_DYNAMODB=moto, which jest maps this import to);
 * moto's own threaded server lost one of 300 concurrent ADDs when tried, which is why it is served one
 * request at a time.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, startDynalite, type LocalDynamo } from '../../../functions/local/dynalite';
import { createDocumentClient } from '../../../functions/shared/clients';

const TABLE = 'verdict-atomic-writes';
let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
  await ensureTable(dynamo.endpoint, TABLE);
});
afterAll(async () => { await dynamo?.close(); });

it('applies every one of 300 concurrent ADDs to one item, and each condition against the value it replaces', async () => {
  const db = createDocumentClient(dynamo.endpoint);
  const key = { pk: 'TEST#atomic', sk: 'counter' };
  await Promise.all(Array.from({ length: 300 }, () => db.send(new UpdateCommand({
    TableName: TABLE, Key: key, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 },
  }))));
  expect((await db.send(new GetCommand({ TableName: TABLE, Key: key, ConsistentRead: true }))).Item?.n).toBe(300);

  // 100 writers race to move a claim from 0 to 1: exactly one condition holds.
  const claim = { pk: 'TEST#atomic', sk: 'claim' };
  await db.send(new UpdateCommand({ TableName: TABLE, Key: claim, UpdateExpression: 'SET v = :zero', ExpressionAttributeValues: { ':zero': 0 } }));
  const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => db.send(new UpdateCommand({
    TableName: TABLE, Key: claim, UpdateExpression: 'SET v = v + :one', ConditionExpression: 'v = :zero',
    ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
  }))));
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  expect((await db.send(new GetCommand({ TableName: TABLE, Key: claim, ConsistentRead: true }))).Item?.v).toBe(1);
});
