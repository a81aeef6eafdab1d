/**
 * Lambda entry for one source's scheduled collection. The schedule passes the scheduled time in the
 * payload (`{ "scheduledTime": "<aws.scheduler.scheduled-time>" }`), so a retried or late delivery
 * lands in its own slot. The function's source comes from SOURCE_NAME; its credentials from the secret.
 */
import * as z from '../domain/zod-mini';
import { composeCollector, createCollector, type CollectorDeps } from '../jobs/collector-invocation';
import { SOURCE_NAMES } from '../shared/app-config';
import { arn, functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';
import { PUBLIC_SOURCES } from '../sources/credential-fields';
import { createSource } from '../sources/registry';
import type { CredentialsProvider } from '../sources/source';

/** A collector function's environment: its source, the table, and the credentials secret (absent for a public source). */
export const HANDLER_ENV = functionEnv({
  SOURCE_NAME: z.enum(SOURCE_NAMES),
  TABLE_NAME: resourceName(),
  SOURCE_SECRET_ARN: z.optional(arn()),
});

/** The invocation itself lives in jobs/collector-invocation.ts, shared with the sources' own entries. */
export { createCollector, type CollectorDeps };

/** Without a secret, only a public source has what it needs (nothing); every other one is not configured. */
const publicSourceCredentials: CredentialsProvider = {
  credentialsFor: async (source) => (PUBLIC_SOURCES.includes(source) ? {} : undefined),
};

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() =>
  composeCollector(readFunctionEnv(HANDLER_ENV), (name, credentials, config) => createSource(name, credentials, { config }), publicSourceCredentials));
