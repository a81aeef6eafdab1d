/**
 * The local scheduler: fires each job at its slot boundaries (UTC-aligned, same definitions as the
 * deployed EventBridge schedules) — weekly jobs at their wall-clock time in their time zone — passing
 * the scheduled time exactly as the stack's payload does.
 */
import { nextDigestTime } from '../domain/digest-calendar';
import { nextSlotAfter } from '../shared/schedules';
import type { JobDefinition } from '../shared/scheduled-jobs';
import { errorMessage } from '../shared/errors';

export interface LocalScheduler { stop(): void; nextRuns(): { job: string; at: string }[] }

export function startLocalScheduler(
  jobs: readonly JobDefinition[],
  fire: (job: JobDefinition, scheduledTime: string) => Promise<void>,
  log: { warn(message: string, extra?: Record<string, unknown>): void },
  now: () => Date = () => new Date(),
): LocalScheduler {
  const timers = new Map<string, { timer: NodeJS.Timeout; at: Date }>();
  let stopped = false;
  const arm = (job: JobDefinition) => {
    if (stopped) return;
    const at = job.kind === 'digest' ? nextDigestTime(now(), job) : nextSlotAfter(now(), job.cadence);
    const timer = setTimeout(() => {
      fire(job, at.toISOString())
        .catch((err: unknown) => log.warn(`scheduled job ${job.id} failed`, { error: errorMessage(err) }))
        .finally(() => arm(job));
    }, Math.max(0, at.getTime() - now().getTime()));
    timer.unref();
    timers.set(job.id, { timer, at });
  };
  jobs.forEach(arm);
  return {
    stop() {
      stopped = true;
      for (const { timer } of timers.values()) clearTimeout(timer);
    },
    nextRuns: () => [...timers.entries()].map(([job, { at }]) => ({ job, at: at.toISOString() })),
  };
}
