/** The one error-to-status mapper: typed errors keep their status, an unknown AppError code is our fault (500). */
import { errorResponse } from '../../functions/api/error-response';
import { AppError, NotFoundError, ValidationError } from '../../functions/shared/errors';

function aLog() {
  const errors: { message: string; extra?: Record<string, unknown> }[] = [];
  return { errors, error: (message: string, extra?: Record<string, unknown>) => { errors.push({ message, extra }); } };
}

describe('errorResponse', () => {
  it('answers a typed error with its status, code and safe message', () => {
    const log = aLog();

    const responses = [
      errorResponse(new ValidationError('Invalid body: name: Required', [{ path: 'name', message: 'Required' }]), 'req-1', log),
      errorResponse(new NotFoundError('No experiment exp_abc'), 'req-2', log),
      errorResponse(new AppError('payload_too_large', 'Request body too large'), 'req-3', log),
    ];

    expect(responses.map((r) => [r.status, (r.body as { error: { code: string } }).error.code])).toEqual([[400, 'validation_failed'], [404, 'not_found'], [413, 'payload_too_large']]);
    expect(log.errors).toEqual([]);
  });

  it.each(['no_such_code', 'toString', 'constructor'])('answers an AppError with the unknown code %s as a 500 with a generic message, the detail only in the log', (code) => {
    const log = aLog();

    const response = errorResponse(new AppError(code, 'internal detail the client must not see'), 'req-9', log);

    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: 'internal_error', message: expect.not.stringContaining('internal detail'), requestId: 'req-9' } });
    expect(log.errors).toEqual([{ message: 'unhandled error', extra: expect.objectContaining({ requestId: 'req-9', error: expect.objectContaining({ message: 'internal detail the client must not see' }) }) }]);
  });
});
