/**
 * Lambda entry of the X collector: the shared collector invocation (jobs/collector-invocation.ts) with
 * only the X adapter. A function of its own because twitter-api-v2 (~120 KB minified) is X's alone, and
 * the X adapter needs no axios — each collector carries only its own client library.
 * Same event, environment and metric line as every collector.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { collectionMetrics, createCollector } from '../jobs/collector-invocation';
import { bundledAppConfig, configForTarget } from '../shared/app-config';
import { createDocumentClient } from '../shared/clients';
import { SecretsManagerCredentials } from '../sources/credentials';
import { arn, functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';
import { log } from '../shared/logger';
import { createXSourceFromConfig } from '../sources/x';
import { createStores } from '../store/stores';

/** The X collector's environment: the same variables as every collector function. */
export const HANDLER_ENV = functionEnv({
  SOURCE_NAME: z.literal('x'),
  TABLE_NAME: resourceName(),
  SOURCE_SECRET_ARN: arn(),
});

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => {
  const env = readFunctionEnv(HANDLER_ENV);
  const config = bundledAppConfig();
  return createCollector({
    config,
    ...createStores(createDocumentClient(), env.TABLE_NAME),
    credentials: new SecretsManagerCredentials(new SecretsManagerClient({}), env.SOURCE_SECRET_ARN),
    buildSource: (name, credentials, account) => {
      if (name !== 'x') throw new Error(`the X collector cannot collect ${name}`);
      return createXSourceFromConfig(credentials, { config: configForTarget(config, { source: name, account }) });
    },
    log,
    defaultSource: env.SOURCE_NAME,
    metrics: collectionMetrics(),
  });
});
