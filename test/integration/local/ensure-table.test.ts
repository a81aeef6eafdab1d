/**
 * ensureTable hands back a table that takes item requests. dynalite answers CreateTable with the table
 * CREATING and flips it to ACTIVE in a later write; a caller that wrote at once got
 * ResourceNotFoundException when that write lagged (seen in store-faults.test.ts on a loaded machine).
 * Here dynalite is made to lag on purpose (createTableMs), so the gap is certain, not a matter of load.
 */
import { DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureTable } from '../../../functions/local/dynalite';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number }) => Server;

let server: Server;
let client: DynamoDBClient;
beforeAll(async () => {
  server = dynalite({ createTableMs: 300 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(endpoint, 'verdict-ensure');
});
afterAll(async () => {
  client?.destroy();
  await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
});

it('returns only once the new table is ACTIVE, so the first write lands', async () => {
  const described = await client.send(new DescribeTableCommand({ TableName: 'verdict-ensure' }));
  await client.send(new PutItemCommand({ TableName: 'verdict-ensure', Item: { pk: { S: 'first' }, sk: { S: 'write' } } }));

  expect(described.Table?.TableStatus).toBe('ACTIVE');
});
