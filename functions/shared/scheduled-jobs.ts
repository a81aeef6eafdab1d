/**
 * The scheduled jobs of a deployment, derived from the config: one collector per enabled source and
 * the scorer. The CDK stack creates one EventBridge schedule per entry; the local scheduler fires the same.
 */
import { SOURCE_NAMES, type AppConfig, type SourceName } from './app-config';
import type { Cadence } from './schedules';

export type ScheduledJob =
  | { id: `collect-${SourceName}`; kind: 'collector'; source: SourceName; cadence: Cadence }
  | { id: 'score'; kind: 'scorer'; cadence: Cadence };

export function scheduledJobs(config: AppConfig): ScheduledJob[] {
  const collectors = SOURCE_NAMES.filter((s) => config.sources[s].enabled).map(
    (source): ScheduledJob => ({ id: `collect-${source}`, kind: 'collector', source, cadence: { everyMinutes: config.sources[source].everyMinutes } }),
  );
  return [...collectors, { id: 'score', kind: 'scorer', cadence: config.scorer }];
}
