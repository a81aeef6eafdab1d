/**
 * Lambda entry of the answer-engine collectors (perplexity, openai, gemini, claude): the shared collector
 * invocation (jobs/collector-invocation.ts) with only their adapters. An entry of their own so the shared
 * collector carries none of the brand matching, citation runs and spend counting (~14 KB minified).
 * Same event, environment and metric line as every collector; each engine keeps its own function.
 */
import * as z from '../domain/zod-mini';
import { composeCollector } from '../jobs/collector-invocation';
import { arn, functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';
import { createCitationSource } from '../sources/citation-sources';
import { CITATION_SOURCE_NAMES } from '../sources/collector-entries';

/** An answer-engine collector's environment: the same variables as every collector function. */
export const HANDLER_ENV = functionEnv({
  SOURCE_NAME: z.enum(CITATION_SOURCE_NAMES),
  TABLE_NAME: resourceName(),
  SOURCE_SECRET_ARN: arn(),
});

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() =>
  composeCollector(readFunctionEnv(HANDLER_ENV), (name, credentials, config) => createCitationSource(name, credentials, { config })));
