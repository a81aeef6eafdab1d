/**
 * Environment every function reads once at cold start, validated with zod: a missing required value
 * fails loudly at start, naming the variable. Holds names and ARNs only — never secret values.
 */
import * as z from 'zod';
import { ConfigurationError, parseOrThrow } from './errors';

const RuntimeEnvSchema = z.object({
  TABLE_NAME: z.string().min(1),
  /** Secrets Manager ARN of the source-credentials JSON secret (AWS); absent locally (env credentials). */
  SOURCE_SECRET_ARN: z.string().min(1).optional(),
  /** Secrets Manager ARN of the API token (AWS authorizer). */
  API_TOKEN_SECRET_ARN: z.string().min(1).optional(),
  /** The API token itself, local runtime only. */
  VERDICT_API_TOKEN: z.string().min(16).optional(),
  /** Custom EventBridge bus for Verdict events (AWS). */
  EVENT_BUS_NAME: z.string().min(1).optional(),
  /** JSON { "<source>": "<collector function name>" }: the API's collect-now invokes these (AWS). */
  COLLECTOR_FUNCTIONS: z.string().min(2).optional(),
  /** Which source this collector function serves. */
  SOURCE_NAME: z.string().min(1).optional(),
  DYNAMODB_ENDPOINT: z.url().optional(),
});
export type RuntimeEnv = z.infer<typeof RuntimeEnvSchema>;

let cached: RuntimeEnv | undefined;
export function runtimeEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  if (cached) return cached;
  try {
    cached = parseOrThrow(RuntimeEnvSchema, env, 'environment');
  } catch (err) {
    throw new ConfigurationError((err as Error).message, { cause: err });
  }
  return cached;
}

/** Tests and the local runtime reset the cache after changing process.env. */
export function resetRuntimeEnv(): void {
  cached = undefined;
}
