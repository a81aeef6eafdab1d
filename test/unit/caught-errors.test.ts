/** What a catch block may assume about the value it caught (shared/errors: isError, assertIsError, errorMessage). */
import { runInNewContext } from 'node:vm';
import { assertIsError, errorMessage, isError } from '../../functions/shared/errors';

describe('caught values', () => {
  it('counts an error made in another realm as an Error (instanceof would not)', () => {
    const foreign = runInNewContext('new TypeError("from another realm")') as unknown;

    expect(foreign instanceof Error).toBe(false);
    expect([isError(foreign), errorMessage(foreign)]).toEqual([true, 'from another realm']);
  });

  it('rethrows a thrown value that is not an Error unchanged', () => {
    const thrown = { reason: 'not an error' };

    expect(() => assertIsError(thrown)).toThrow(expect.objectContaining({ reason: 'not an error' }));
    expect(() => assertIsError(new RangeError('fine'))).not.toThrow();
  });

  it('gives a message for whatever was thrown', () => {
    expect([errorMessage(new Error('boom')), errorMessage('a string'), errorMessage(undefined), errorMessage(42)]).toEqual(['boom', 'a string', 'undefined', '42']);
  });
});
