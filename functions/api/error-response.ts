/**
 * The one place errors become HTTP responses: `{ error: { code, message, details?, requestId } }`.
 * Typed errors carry safe messages; anything else (an AppError with an unknown code included) is a 500
 * with a generic message (detail only in logs).
 */
import * as z from '../domain/zod-mini';
import { AppError, ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '../shared/errors';
import type { ApiResponse } from './http';

/** The one error envelope every route answers with (documented in GET /openapi.json). */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.described(z.string(), 'validation_failed (400), unauthorized (401), not_found (404), method_not_allowed (405), conflict (409), payload_too_large (413), idempotency_key_reused (422), internal_error (500)'),
    message: z.described(z.string(), 'Safe to show a user; for 409 it names the reason'),
    details: z.described(z.optional(z.unknown()), 'validation_failed: { issues: [{ path, message }] }; conflict: { status, allowedTransitions }'),
    requestId: z.described(z.string(), 'Quote it when reporting a problem: it finds the request in the logs'),
  }),
});

/** Error codes without a class of their own. */
const STATUS_BY_CODE = new Map<string, number>([
  ['payload_too_large', 413],
  ['method_not_allowed', 405],
  ['idempotency_key_reused', 422],
]);

/**
 * The status of a typed error; undefined for a code no class or table entry names — a programming
 * error, answered as a 500 like any other unexpected error, never as the client's fault.
 */
export function statusFor(err: AppError): number | undefined {
  if (err instanceof ValidationError) return 400;
  if (err instanceof UnauthorizedError) return 401;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  return STATUS_BY_CODE.get(err.code);
}

export function errorResponse(err: unknown, requestId: string, log: { error(message: string, extra?: Record<string, unknown>): void }): ApiResponse {
  const status = err instanceof AppError ? statusFor(err) : undefined;
  if (err instanceof AppError && status !== undefined) {
    return { status, body: { error: { code: err.code, message: err.message, ...(err.details !== undefined && { details: err.details }), requestId } } };
  }
  log.error('unhandled error', { requestId, error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) });
  return { status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong on our side; the request id helps find it in the logs', requestId } } };
}
