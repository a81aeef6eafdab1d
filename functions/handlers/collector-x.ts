/**
 * Lambda entry of the X collector: the shared collector invocation (jobs/collector-invocation.ts) with
 * only the X adapter. A function of its own because twitter-api-v2 (~120 KB minified) is X's alone, and
 * the X adapter needs no axios — each collector carries only its own client library.
 * Same event, environment and metric line as every collector.
 */
import * as z from '../domain/zod-mini';
import { composeCollector } from '../jobs/collector-invocation';
import { arn, functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';
import { createXSourceFromConfig } from '../sources/x';

/** The X collector's environment: the same variables as every collector function. */
export const HANDLER_ENV = functionEnv({
  SOURCE_NAME: z.literal('x'),
  TABLE_NAME: resourceName(),
  SOURCE_SECRET_ARN: arn(),
});

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() =>
  composeCollector(readFunctionEnv(HANDLER_ENV), (name, credentials, config) => {
    if (name !== 'x') throw new Error(`the X collector cannot collect ${name}`);
    return createXSourceFromConfig(credentials, { config });
  }));
