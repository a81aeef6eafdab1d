/**
 * The one place that tells "the write's condition did not hold" from other failures: single writes,
 * transactions cancelled by a condition (and not by a conflict or throttling), errors from another SDK copy.
 */
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { conditionally, isConditionFailed } from '../../../functions/store/conditional-write';

const metadata = { $metadata: {} };
const cancelled = (...codes: string[]) => new TransactionCanceledException({ message: 'Transaction cancelled', ...metadata, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('isConditionFailed', () => {
  it('is true for a failed condition on a single write, by class or by name', () => {
    expect(isConditionFailed(new ConditionalCheckFailedException({ message: 'The conditional request failed', ...metadata }))).toBe(true);
    expect(isConditionFailed(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }))).toBe(true);
  });

  it('is true for a transaction cancelled because one of its conditions failed, and only then', () => {
    expect(isConditionFailed(cancelled('None', 'ConditionalCheckFailed'))).toBe(true);
    expect(isConditionFailed(cancelled('None', 'TransactionConflict'))).toBe(false);
    expect(isConditionFailed(cancelled('ThrottlingError'))).toBe(false);
    expect(isConditionFailed(Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] }))).toBe(true);
  });

  it('is false for every other failure and for values that are not errors', () => {
    expect(isConditionFailed(new ProvisionedThroughputExceededException({ message: 'slow down', ...metadata }))).toBe(false);
    expect(isConditionFailed(new Error('ConditionalCheckFailedException'))).toBe(false);
    expect(isConditionFailed('ConditionalCheckFailedException')).toBe(false);
    expect(isConditionFailed(undefined)).toBe(false);
  });
});

describe('conditionally', () => {
  it('says whether the write was applied and rethrows other failures unchanged', async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', ...metadata });
    expect(await conditionally(Promise.resolve({}))).toBe(true);
    expect(await conditionally(() => Promise.reject(new ConditionalCheckFailedException({ message: 'no', ...metadata })))).toBe(false);
    expect(await conditionally(Promise.reject(cancelled('ConditionalCheckFailed')))).toBe(false);
    await expect(conditionally(Promise.reject(throttled))).rejects.toBe(throttled);
  });
});

describe('one place', () => {
  it('no other code names the condition-failure errors or reads unprocessed batch items', () => {
    const { readdirSync, readFileSync, statSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    const { join, relative } = jest.requireActual<typeof import('node:path')>('node:path');
    const root = join(__dirname, '..', '..', '..');
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
    const named = files(join(root, 'functions'))
      .filter((f) => /ConditionalCheckFailed|TransactionCanceled|Unprocessed(Items|Keys)/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f).replace(/\\/g, '/'));

    expect(named.sort()).toEqual(['functions/store/batch.ts', 'functions/store/conditional-write.ts']);
  });
});
