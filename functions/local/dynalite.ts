/**
 * Embedded DynamoDB for the local runtime and tests: dynalite (a real DynamoDB API) on 127.0.0.1,
 * persisted under a directory (or in memory), with the table created from the shared definition.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { LOCAL_REGION } from '../shared/clients';
import { createTableInput } from '../store/table-definition';
import { assertIsError } from '../shared/errors';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => import('node:http').Server;

export interface LocalDynamo { endpoint: string; close(): Promise<void> }

/** Starts dynalite; `path` persists data there (created if missing), omitted = in memory. */
export async function startDynalite(options: { path?: string; port?: number } = {}): Promise<LocalDynamo> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/**
 * Creates the table from the shared definition unless it exists already, and waits until it is ACTIVE:
 * dynalite answers "Requested resource not found" to writes on a CREATING table, which a loaded machine
 * otherwise hits with the first write (the demo's seeding did).
 */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (err) {
      assertIsError(err);
      if (err.name !== 'ResourceNotFoundException') throw err;
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    }
    for (let attempt = 0; ; attempt++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') break;
      if (attempt >= 200) throw new Error(`Table ${tableName} is still ${Table?.TableStatus} after 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    client.destroy();
  }
}
