/**
 * The second DynamoDB implementation: moto's server mode standing in for dynalite. With
 * VERDICT_TEST_DYNAMODB=moto, jest.config.js maps every relative import of `…/local/dynalite` here, so the
 * integration and reliability suites (and the local runtime they start) run unchanged on moto — behaviour
 * that holds on only one of the two implementations then fails one of the two runs.
 * It serves one request at a time: moto's threaded server does not apply item writes atomically (see
 * startMoto), and DynamoDB does.
 * moto keeps no files: `path` is ignored (tests that restart a persisted store stay dynalite-only).
 */
import { startMoto } from '../deployed/moto-server';
// The real module, by a specifier the mapper does not match (ensureTable serves both implementations).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const real = require('../../functions/local/dynalite.ts') as typeof import('../../functions/local/dynalite');

export interface LocalDynamo { endpoint: string; close(): Promise<void> }

export async function startDynalite(options: { path?: string; port?: number } = {}): Promise<LocalDynamo> {
  if (options.port !== undefined) throw new Error('moto-dynamo: a fixed port is not supported (this test is dynalite-only)');
  const moto = await startMoto({ oneRequestAtATime: true });
  return { endpoint: moto.url, close: () => moto.stop() };
}

export const ensureTable = real.ensureTable;
