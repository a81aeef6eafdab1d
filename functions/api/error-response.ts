/**
 * The one place errors become HTTP responses: `{ error: { code, message, details?, requestId } }`.
 * Typed errors carry safe messages; anything else is a 500 with a generic message (detail only in logs).
 */
import { AppError, ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '../shared/errors';
import type { ApiResponse } from './http';

export function statusFor(err: AppError): number {
  if (err instanceof ValidationError) return 400;
  if (err instanceof UnauthorizedError) return 401;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  return err.code === 'payload_too_large' ? 413 : err.code === 'method_not_allowed' ? 405 : 400;
}

export function errorResponse(err: unknown, requestId: string, log: { error(message: string, extra?: Record<string, unknown>): void }): ApiResponse {
  if (err instanceof AppError) {
    return { status: statusFor(err), body: { error: { code: err.code, message: err.message, ...(err.details !== undefined && { details: err.details }), requestId } } };
  }
  log.error('unhandled error', { requestId, error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) });
  return { status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong on our side; the request id helps find it in the logs', requestId } } };
}
