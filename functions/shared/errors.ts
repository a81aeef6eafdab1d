/**
 * Typed errors. Domain and store code throw these; `functions/api/error-response.ts` maps them to HTTP
 * status codes in one place. Messages are safe to show clients; `cause` is for logs only.
 */
export interface FieldIssue { path: string; message: string }

export class AppError extends Error {
  constructor(readonly code: string, message: string, readonly details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input: a request body, query, CSV file, scenario or config. Lists every issue by field path. */
export class ValidationError extends AppError {
  constructor(message: string, readonly issues: FieldIssue[]) {
    super('validation_failed', message, { issues });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) { super('not_found', message); }
}

/** The request is valid but conflicts with the current state (illegal transition, already scored). */
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) { super('conflict', message, details); }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Missing or invalid API token') { super('unauthorized', message); }
}

/**
 * The deployment itself is misconfigured (a missing env var, an invalid inlined config). Deliberately not
 * an AppError: clients get a generic 500, the log gets the detail.
 */
export class ConfigurationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/** Formats zod issues as `{ path, message }` pairs with dotted paths (`decision.minLift`, `tags.0`). */
export function zodIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

/** Parses with a zod schema, throwing a ValidationError that names every bad field. */
export function parseOrThrow<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } } },
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = zodIssues(result.error);
    throw new ValidationError(`Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return result.data;
}

/**
 * Whether a caught value is an Error. Judged by shape (a string `name` and `message`), not `instanceof`,
 * so an error made in another realm — Node's own inside Jest's sandbox, a vm context — counts too.
 */
export function isError(value: unknown): value is Error {
  return value instanceof Error || (typeof value === 'object' && value !== null
    && typeof (value as { name?: unknown }).name === 'string' && typeof (value as { message?: unknown }).message === 'string');
}

/** Narrows a caught value to Error; anything else thrown (a string, a bare object) is rethrown unchanged. */
export function assertIsError(value: unknown): asserts value is Error {
  if (!isError(value)) throw value;
}

/** The message of whatever was thrown, for a log line or a user-facing line that must not throw itself. */
export function errorMessage(value: unknown): string {
  return isError(value) ? value.message : String(value);
}
