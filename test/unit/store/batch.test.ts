/**
 * BatchGet/BatchWrite over any number of items: split at DynamoDB's limits, and what DynamoDB leaves
 * unprocessed sent again until nothing is left (or five retries have not helped). DynamoDB's stand-ins
 * never leave items unprocessed, so a stand-in `send` at the client boundary plays the throttled table.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BATCH_GET_MAX, BATCH_WRITE_MAX, batchGetAll, batchPutAll } from '../../../functions/store/batch';

const TABLE = 'verdict-batch';
type Command = BatchGetCommand | BatchWriteCommand;

/** A table that processes at most `perRequest` keys or writes of each request (`Infinity`: all of them) and records what it was sent. */
function throttledTable(perRequest: number) {
  const stored = new Map<string, Record<string, unknown>>();
  const sent: { kind: 'get' | 'write'; count: number }[] = [];
  const send = async (command: Command) => {
    if (command instanceof BatchGetCommand) {
      const keys = command.input.RequestItems?.[TABLE]?.Keys ?? [];
      sent.push({ kind: 'get', count: keys.length });
      const done = keys.slice(0, perRequest);
      const rest = keys.slice(perRequest);
      return {
        Responses: { [TABLE]: done.flatMap((k) => stored.get(String(k.pk)) ?? []) },
        ...(rest.length > 0 && { UnprocessedKeys: { [TABLE]: { Keys: rest } } }),
      };
    }
    const requests = command.input.RequestItems?.[TABLE] ?? [];
    sent.push({ kind: 'write', count: requests.length });
    for (const r of requests.slice(0, perRequest)) stored.set(String(r.PutRequest?.Item?.pk), r.PutRequest?.Item as Record<string, unknown>);
    const rest = requests.slice(perRequest);
    return rest.length > 0 ? { UnprocessedItems: { [TABLE]: rest } } : {};
  };
  return { db: { send } as unknown as Pick<DynamoDBDocumentClient, 'send'>, stored, sent };
}

// The backoff between retries (100 ms … 1.6 s) passes on jest's clock, not the machine's.
beforeEach(() => { jest.useFakeTimers(); });
afterEach(() => { jest.useRealTimers(); });

/** Settles `work`, running the backoff timers it waits on. */
async function settled<T>(work: Promise<T>): Promise<PromiseSettledResult<T>> {
  const outcome = Promise.allSettled([work]);
  await jest.runAllTimersAsync();
  return (await outcome)[0];
}

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ pk: `ITEM#${i}`, sk: 'x', n: i }));

describe('batchPutAll', () => {
  it('writes every item in requests of at most 25, resending what was left unprocessed', async () => {
    const table = throttledTable(10);
    expect((await settled(batchPutAll(table.db, TABLE, items(60), 'things'))).status).toBe('fulfilled');

    expect(table.stored.size).toBe(60);
    expect(Math.max(...table.sent.map((s) => s.count))).toBe(BATCH_WRITE_MAX);
    expect(table.sent.filter((s) => s.count === BATCH_WRITE_MAX)).toHaveLength(2);
  });

  it('gives up after five retries, naming what was left', async () => {
    const table = throttledTable(0);
    const outcome = await settled(batchPutAll(table.db, TABLE, items(3), 'log rows'));

    expect(outcome.status === 'rejected' && (outcome.reason as Error).message).toBe('DynamoDB left 3 log rows unprocessed after retries');
    expect(table.sent).toHaveLength(6);
  });
});

describe('batchGetAll', () => {
  it('reads every stored key in requests of at most 100, resending unprocessed keys; absent keys are left out', async () => {
    const reader = throttledTable(40);
    for (const item of items(150)) reader.stored.set(item.pk, item);

    const outcome = await settled(batchGetAll(reader.db, TABLE, [...items(150), { pk: 'ITEM#absent', sk: 'x' }].map(({ pk, sk }) => ({ pk, sk })), 'thing reads'));
    const found = outcome.status === 'fulfilled' ? outcome.value : [];

    expect(found.map((i) => i.n).sort((a, b) => Number(a) - Number(b))).toEqual(items(150).map((i) => i.n));
    expect(Math.max(...reader.sent.map((s) => s.count))).toBe(BATCH_GET_MAX);
  });

  it('sends nothing for no keys', async () => {
    const table = throttledTable(Infinity);
    expect(await batchGetAll(table.db, TABLE, [], 'thing reads')).toEqual([]);
    expect(table.sent).toEqual([]);
  });
});
