/**
 * The scheduled jobs of a deployment, derived from the config: one collector per enabled source account and
 * the scorer (UTC slots), and the weekly digest (wall-clock time in its time zone). The CDK stack
 * creates one EventBridge schedule per entry; the local scheduler fires the same.
 */
import { isValidTimeZone } from '../domain/time-zone';
import { enabledTargets, sourceSettings, targetName, type AppConfig, type SourceName } from './app-config';
import type { Cadence } from './schedules';

export type ScheduledJob =
  /** `collect-x`, or `collect-x@acme` for a configured account (which the collector event names). */
  | { id: `collect-${SourceName}` | `collect-${SourceName}@${string}`; kind: 'collector'; source: SourceName; account?: string; cadence: Cadence }
  | { id: 'score'; kind: 'scorer'; cadence: Cadence };

export function scheduledJobs(config: AppConfig): ScheduledJob[] {
  const collectors = enabledTargets(config).map(({ source, account }): ScheduledJob => ({
    id: `collect-${targetName({ source, account })}` as `collect-${SourceName}`, kind: 'collector', source, ...(account !== undefined && { account }),
    cadence: { everyMinutes: sourceSettings(config, source, account)!.everyMinutes },
  }));
  return [...collectors, { id: 'score', kind: 'scorer', cadence: config.scorer }];
}

/**
 * A weekly job: fires at `hour`:00 on `day`, wall-clock time in `timeZone` (so it follows daylight
 * saving time). Kept apart from ScheduledJob, whose cadence is a UTC slot.
 */
export interface WeeklyJob { id: 'digest'; kind: 'digest'; day: AppConfig['digest']['day']; hour: number; timeZone: string }

/** Any job the scheduler fires. */
export type JobDefinition = ScheduledJob | WeeklyJob;

/** The weekly jobs: the digest (default Friday 16:00). Throws, naming the field, for an unknown time zone. */
export function weeklyJobs(config: AppConfig): WeeklyJob[] {
  const { day, hour, timeZone } = config.digest;
  if (!isValidTimeZone(timeZone)) throw new Error(`digest.timeZone: unknown time zone ${timeZone} (use an IANA name like Europe/Berlin or UTC)`);
  return [{ id: 'digest', kind: 'digest', day, hour, timeZone }];
}

/**
 * EventBridge Scheduler expression for a weekly job, e.g. `cron(0 16 ? * FRI *)`; the schedule must set
 * `scheduleExpressionTimezone` to `job.timeZone` for it to mean local time.
 */
export function toWeeklyCronExpression(job: WeeklyJob): string {
  return `cron(0 ${job.hour} ? * ${job.day} *)`;
}
