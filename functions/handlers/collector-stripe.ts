/**
 * Lambda entry of the Stripe collector: the shared collector invocation (jobs/collector-invocation.ts) with
 * only the Stripe adapter.
 * A function of its own since the adapter used the `stripe` client (~240 KB minified); it now calls Stripe's
 * REST API through the shared HTTP client (~13 KB of adapter code), and the entry keeps that code out of the
 * shared collector. Same event, environment and metric as every collector.
 */
import * as z from '../domain/zod-mini';
import { composeCollector } from '../jobs/collector-invocation';
import { arn, functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';
import { createStripeSourceFromConfig } from '../sources/stripe';

/** The Stripe collector's environment: the same variables as every collector function. */
export const HANDLER_ENV = functionEnv({
  SOURCE_NAME: z.literal('stripe'),
  TABLE_NAME: resourceName(),
  SOURCE_SECRET_ARN: arn(),
});

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() =>
  composeCollector(readFunctionEnv(HANDLER_ENV), (name, credentials, config) => {
    if (name !== 'stripe') throw new Error(`the Stripe collector cannot collect ${name}`);
    return createStripeSourceFromConfig(credentials, { config });
  }));
