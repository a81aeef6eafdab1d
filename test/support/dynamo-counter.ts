/**
 * Counts the DynamoDB commands a client sends, by name (`GetItemCommand`, `QueryCommand`, …), with a
 * middleware on the client's own stack — so document-client commands are counted as the low-level
 * operations they become on the wire. A Scan is refused before it leaves the process: the table is
 * designed so that no code path needs one (see functions/store/table-definition.ts).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../functions/shared/clients';
import { ExperimentStore } from '../../functions/store/experiment-store';
import { ObservationStore } from '../../functions/store/observation-store';
import { RunStore } from '../../functions/store/run-store';

const MIDDLEWARE_NAME = 'verdictTestCommandCounter';

export class ScanForbiddenError extends Error {
  constructor(readonly input: unknown) {
    super(`A code path issued a DynamoDB Scan (${JSON.stringify(input)}); every read must be a GetItem or a Query`);
    this.name = 'ScanForbiddenError';
  }
}

export interface DynamoCommandCounter {
  /** Commands sent since the last reset, by name. Retries by the SDK count once (one logical request). */
  readonly counts: Readonly<Record<string, number>>;
  /** Scans attempted (each also rejected with ScanForbiddenError). */
  readonly scans: number;
  /** Sum of all counts. */
  total(): number;
  /** Counts of the commands sent while `work` ran (work must not overlap other counted work). */
  during<T>(work: () => Promise<T>): Promise<{ result: T; counts: Record<string, number> }>;
  reset(): void;
  /** Removes the middleware from the client. */
  detach(): void;
}

/** Commands that change items — what a rejected request must never send. */
export const WRITE_COMMANDS = ['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand'] as const;

/** Sum of the write commands in `counts`. */
export function writesIn(counts: Readonly<Record<string, number>>): number {
  return WRITE_COMMANDS.reduce((n, name) => n + (counts[name] ?? 0), 0);
}

/**
 * Attaches a counting middleware to `client` (a DynamoDBClient or a DocumentClient built from one —
 * they share one stack). Scans throw ScanForbiddenError unless `allowScan` is set.
 */
export function countDynamoCommands(client: DynamoDBClient | DynamoDBDocumentClient, options: { allowScan?: boolean } = {}): DynamoCommandCounter {
  let counts: Record<string, number> = {};
  let scans = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'UnknownCommand';
      counts[name] = (counts[name] ?? 0) + 1;
      if (name === 'ScanCommand') {
        scans++;
        if (!options.allowScan) throw new ScanForbiddenError(args.input);
      }
      return next(args);
    },
    // initialize: once per send(), before the retry loop — a logical request, not each attempt.
    { step: 'initialize', name: MIDDLEWARE_NAME, override: true },
  );
  const counter: DynamoCommandCounter = {
    get counts() { return counts; },
    get scans() { return scans; },
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    async during(work) {
      const before = { ...counts };
      const result = await work();
      const delta: Record<string, number> = {};
      for (const [name, n] of Object.entries(counts)) if (n - (before[name] ?? 0) > 0) delta[name] = n - (before[name] ?? 0);
      return { result, counts: delta };
    },
    reset() { counts = {}; scans = 0; },
    detach() { client.middlewareStack.remove(MIDDLEWARE_NAME); },
  };
  return counter;
}

/**
 * The three stores on one counted DocumentClient for a dynalite endpoint — what the handlers' wiring
 * builds, with every command counted (and Scans refused). `db` is the client, for raw checks.
 */
export function countedStores(endpoint: string, tableName: string) {
  const db = createDocumentClient(endpoint);
  const counter = countDynamoCommands(db);
  return {
    db,
    counter,
    experiments: new ExperimentStore(db, tableName),
    observations: new ObservationStore(db, tableName),
    runs: new RunStore(db, tableName),
  };
}
