/**
 * Collect-now for the local runtime: runs the collection job in this process (as the local scheduler
 * does), where in AWS the API invokes the source's collector function.
 */
import type { CollectNow } from '../api/services';
import { defaultCredentials, defaultStores } from '../handlers/wiring';
import { collectSlot } from '../jobs/collect';
import type { AppConfig } from '../shared/app-config';
import { log } from '../shared/logger';
import { createSource } from '../sources/registry';

export function inProcessCollector(config: AppConfig): CollectNow {
  return (source, scheduledTime, budgetMs) => collectSlot(source, scheduledTime, budgetMs, {
    config,
    ...defaultStores(),
    credentials: defaultCredentials(),
    buildSource: (name, credentials) => createSource(name, credentials, { config }),
    log,
  });
}
