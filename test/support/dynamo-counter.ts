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
  /**
   * Counts of the commands sent while `work` ran (work must not overlap other counted work), and the
   * items it left written: keys put (PutItem, BatchWrite puts) and not deleted again by the same work.
   */
  during<T>(work: () => Promise<T>): Promise<{ result: T; counts: Record<string, number>; itemsLeftWritten: string[] }>;
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
  const itemChanges: ItemChange[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'UnknownCommand';
      counts[name] = (counts[name] ?? 0) + 1;
      if (name === 'ScanCommand') {
        scans++;
        if (!options.allowScan) throw new ScanForbiddenError(args.input);
      }
      const changes = itemChangesOf(name, args.input as Record<string, unknown>);
      const output = await next(args);
      // Only writes that happened: a failed conditional put changed nothing.
      itemChanges.push(...changes);
      return output;
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
      const firstChange = itemChanges.length;
      const result = await work();
      const delta: Record<string, number> = {};
      for (const [name, n] of Object.entries(counts)) if (n - (before[name] ?? 0) > 0) delta[name] = n - (before[name] ?? 0);
      const left = new Set<string>();
      for (const { key, change } of itemChanges.slice(firstChange)) {
        if (change === 'put') left.add(key);
        else left.delete(key);
      }
      return { result, counts: delta, itemsLeftWritten: [...left] };
    },
    reset() { counts = {}; scans = 0; itemChanges.length = 0; },
    detach() { client.middlewareStack.remove(MIDDLEWARE_NAME); },
  };
  return counter;
}

/** `pk|sk` of a key given plainly (DocumentClient input, before marshalling) or as AttributeValues. */
function keyOf(item: unknown): string {
  const attr = (v: unknown) => (v && typeof v === 'object' && 'S' in v ? (v as { S: string }).S : String(v));
  const i = (item ?? {}) as Record<string, unknown>;
  return `${attr(i.pk)}|${attr(i.sk)}`;
}

/** Items a command puts or deletes (updates count as puts: they create missing items). */
type ItemChange = { key: string; change: 'put' | 'delete' };

function itemChangesOf(name: string, input: Record<string, unknown>): ItemChange[] {
  switch (name) {
    case 'PutItemCommand':
      return [{ key: keyOf(input.Item), change: 'put' }];
    case 'UpdateItemCommand':
      return [{ key: keyOf(input.Key), change: 'put' }];
    case 'DeleteItemCommand':
      return [{ key: keyOf(input.Key), change: 'delete' }];
    case 'BatchWriteItemCommand':
      return Object.values((input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }[]>)
        .flat()
        .map((r) => (r.PutRequest ? { key: keyOf(r.PutRequest.Item), change: 'put' as const } : { key: keyOf(r.DeleteRequest?.Key), change: 'delete' as const }));
    case 'TransactWriteItemsCommand':
      return ((input.TransactItems ?? []) as { Put?: { Item: unknown }; Update?: { Key: unknown }; Delete?: { Key: unknown } }[])
        .flatMap((t): ItemChange[] => (t.Put ? [{ key: keyOf(t.Put.Item), change: 'put' }] : t.Update ? [{ key: keyOf(t.Update.Key), change: 'put' }] : t.Delete ? [{ key: keyOf(t.Delete.Key), change: 'delete' }] : []));
    default:
      return [];
  }
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
