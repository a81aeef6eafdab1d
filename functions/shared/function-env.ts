/**
 * Each Lambda entry point declares, beside its handler, the environment it reads (a zod object of
 * names and ARNs — never secret values) and validates it once, at cold start, through `readFunctionEnv`.
 * The stack sets exactly those variables: test/infra compares each declaration with the template.
 */
import * as z from '../domain/zod-mini';
import { ConfigurationError } from './errors';

/** What every Verdict function's environment carries besides its own variables (set by VerdictFunction). */
const LAMBDA_BASE_ENV = {
  /** Stack traces through the bundles' source maps. */
  NODE_OPTIONS: z.literal('--enable-source-maps'),
};

/** A function's environment declaration: its own variables plus the base every function gets. */
export function functionEnv<S extends z.core.$ZodShape>(shape: S) {
  return z.object({ ...LAMBDA_BASE_ENV, ...shape });
}

/**
 * The variable names a declaration reads: `required` the stack must set, `optional` it may set (a
 * collector of a public source gets no credentials secret) — and nothing else.
 */
export function declaredVariables(schema: z.ZodMiniObject): { required: string[]; optional: string[] } {
  const entries = Object.entries(schema.shape as Record<string, z.ZodMiniType>);
  const optional = (t: z.ZodMiniType) => t.safeParse(undefined).success;
  return {
    required: entries.filter(([, t]) => !optional(t)).map(([k]) => k).sort(),
    optional: entries.filter(([, t]) => optional(t)).map(([k]) => k).sort(),
  };
}

/**
 * Parses the declared variables out of `env` (others are ignored), failing with a ConfigurationError
 * that names every missing or invalid variable — never its value.
 */
export function readFunctionEnv<S extends z.ZodMiniObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const names = [...new Set(result.error.issues.map((i) => String(i.path[0] ?? '(environment)')))];
  throw new ConfigurationError(`Invalid function environment: ${names.map((n) => `${n} (${env[n] === undefined ? 'missing' : 'invalid'})`).join(', ')}`);
}

/** An ARN-valued variable. */
export const arn = () => z.string().check(z.regex(/^arn:[^:]+:[^:]+:/, 'must be an ARN'));
/** A resource-name-valued variable (table, bus). */
export const resourceName = () => z.string().check(z.minLength(1));

/**
 * A Lambda handler whose dependencies are built by `compose` on the first invocation of this execution
 * environment (its cold start) and reused by every later one; a failed composition fails that
 * invocation loudly and is retried on the next.
 */
export function onColdStart<A extends unknown[], R>(compose: () => (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let built: ((...args: A) => Promise<R>) | undefined;
  return async (...args) => (built ??= compose())(...args);
}
