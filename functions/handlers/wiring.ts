/**
 * Builds each handler's collaborators once per process from the validated runtime env. Handlers stay
 * thin; tests and the local runtime reach the same wiring through the same env vars.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { newExperimentId, type ApiServices, type CollectNow } from '../api/services';
import { appConfig } from '../shared/app-config';
import { createDocumentClient } from '../shared/clients';
import { EnvCredentials, SecretsManagerCredentials } from '../shared/credentials';
import { log } from '../shared/logger';
import { runtimeEnv } from '../shared/runtime-env';
import type { CredentialsProvider } from '../sources/source';
import { ExperimentStore } from '../store/experiment-store';
import { ObservationStore } from '../store/observation-store';
import { RunStore } from '../store/run-store';

export interface Stores { experiments: ExperimentStore; observations: ObservationStore; runs: RunStore }

let stores: Stores | undefined;
export function defaultStores(): Stores {
  if (stores) return stores;
  const env = runtimeEnv();
  const db = createDocumentClient(env.DYNAMODB_ENDPOINT);
  stores = {
    experiments: new ExperimentStore(db, env.TABLE_NAME),
    observations: new ObservationStore(db, env.TABLE_NAME),
    runs: new RunStore(db, env.TABLE_NAME),
  };
  return stores;
}

let apiCollector: CollectNow | undefined;
/** The local runtime runs collect-now in process; in AWS the API invokes collector functions instead. */
export function setApiCollector(collect: CollectNow | undefined): void {
  apiCollector = collect;
}

export function defaultApiServices(): ApiServices {
  return { ...defaultStores(), config: appConfig(), now: () => new Date(), newId: newExperimentId, log, ...(apiCollector && { collect: apiCollector }) };
}

let credentials: CredentialsProvider | undefined;
/** Secrets Manager in AWS, env vars locally. */
export function defaultCredentials(): CredentialsProvider {
  if (credentials) return credentials;
  const arn = runtimeEnv().SOURCE_SECRET_ARN;
  credentials = arn ? new SecretsManagerCredentials(new SecretsManagerClient({}), arn) : new EnvCredentials();
  return credentials;
}

/** For the local runtime and tests: forget cached wiring after the environment changed. */
export function resetWiring(): void {
  stores = undefined;
  credentials = undefined;
}
