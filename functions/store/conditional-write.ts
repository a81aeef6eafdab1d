/**
 * DynamoDB refusing a write because its condition did not hold — told apart from every other failure in
 * this one place. A single conditional write fails with ConditionalCheckFailedException; a transaction
 * fails with TransactionCanceledException, whose CancellationReasons say which of its items' conditions
 * did not hold ("ConditionalCheckFailed") — as opposed to a conflict with another transaction or throttling.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { isError } from '../shared/errors';

/**
 * Whether `err` says a write's condition did not hold. By class, or by name for an error made by another
 * copy of the SDK (a bundle and its test, say), whose classes are not these.
 */
export function isConditionFailed(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  if (err instanceof TransactionCanceledException || (isError(err) && err.name === 'TransactionCanceledException')) {
    const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    return reasons.some((r) => r.Code === 'ConditionalCheckFailed');
  }
  return isError(err) && err.name === 'ConditionalCheckFailedException';
}

/**
 * Runs a conditional write: true when it was applied, false when its condition did not hold. Any other
 * failure is thrown as it came.
 */
export async function conditionally(write: Promise<unknown> | (() => Promise<unknown>)): Promise<boolean> {
  try {
    await (typeof write === 'function' ? write() : write);
    return true;
  } catch (err) {
    if (isConditionFailed(err)) return false;
    throw err;
  }
}
