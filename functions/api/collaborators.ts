/**
 * Fills the API's optional collaborators (idempotency records, the event publisher, collect-now) from
 * the runtime env when the caller did not inject them — built once per set of stores, so the Lambda and
 * the local runtime share one client each while tests may pass their own.
 *
 * POST /collect runs the collector's own code in the API function: in AWS the API function therefore
 * needs read access to the source-credentials secret (SOURCE_SECRET_ARN) like the collectors have.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { collectSlot } from '../jobs/collect';
import { EnvCredentials, SecretsManagerCredentials } from '../shared/credentials';
import { eventPublisherFor } from '../shared/events';
import { runtimeEnv } from '../shared/runtime-env';
import { createSource } from '../sources/registry';
import type { CredentialsProvider } from '../sources/source';
import type { ExperimentStore } from '../store/experiment-store';
import { IdempotencyStore } from '../store/idempotency-store';
import type { ApiServices, CollectNow, ResolvedApiServices } from './services';

const resolved = new WeakMap<ExperimentStore, Required<Pick<ApiServices, 'idempotency' | 'events' | 'collect'>>>();

export function withCollaborators(s: ApiServices): ResolvedApiServices {
  if (s.idempotency && s.events && s.collect) return s as ResolvedApiServices;
  let defaults = resolved.get(s.experiments);
  if (!defaults) {
    const env = runtimeEnv();
    let credentials: CredentialsProvider | undefined;
    const collect: CollectNow = (source, scheduledTime, budgetMs) => {
      credentials ??= env.SOURCE_SECRET_ARN ? new SecretsManagerCredentials(new SecretsManagerClient({}), env.SOURCE_SECRET_ARN) : new EnvCredentials();
      return collectSlot(source, scheduledTime, budgetMs, {
        config: s.config, runs: s.runs, observations: s.observations, credentials,
        buildSource: (name, creds) => createSource(name, creds, { config: s.config }),
        log: s.log, now: s.now,
      });
    };
    defaults = {
      idempotency: new IdempotencyStore(s.experiments.db, s.experiments.tableName),
      events: eventPublisherFor(env.EVENT_BUS_NAME, s.log),
      collect,
    };
    resolved.set(s.experiments, defaults);
  }
  return { ...s, idempotency: s.idempotency ?? defaults.idempotency, events: s.events ?? defaults.events, collect: s.collect ?? defaults.collect };
}
