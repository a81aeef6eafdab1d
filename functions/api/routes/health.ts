/**
 * GET /health: last collection run per source (outcome, time, next slot, rate-limit pauses), the
 * scorer's last run, and the loop: active experiments vs target — saying so when the backlog is empty.
 */
import * as z from '../../domain/zod-mini';
import { BACKLOG_CONSIDERED, BACKLOG_COUNT_CAP, planLoop, plannedHorizon } from '../../domain/loop';
import { enabledTargets, sourceSettings, targetName } from '../../shared/app-config';
import { missedSlots, nextSlotAfter } from '../../shared/schedules';
import { CollectionRunSchema, JobRunSchema } from '../response-schemas';
import type { Route } from '../router';

const HealthSchema = z.object({
  now: z.string(),
  schedule: z.object({
    running: z.described(z.boolean(), 'false when nothing runs on a schedule (local runtime with --no-schedule): every next slot below is then null'),
  }),
  sources: z.array(z.object({
    source: z.described(z.string(), 'The source, or source@account for a configured account'),
    lastRun: z.nullable(CollectionRunSchema),
    recentFailures: z.described(z.number().check(z.int()), 'Failed runs among the last 50 (rate limits and pauses are not failures)'),
    missedSlots: z.described(z.array(z.string()), 'Slots the schedule never delivered, oldest first'),
    nextSlot: z.described(z.nullable(z.string()), 'null when nothing runs on a schedule (schedule.running false)'),
    pausedUntil: z.nullable(z.string()),
    pauseReason: z.nullable(z.string()),
  })),
  scorer: z.object({ lastRun: z.nullable(JobRunSchema), nextSlot: z.described(z.nullable(z.string()), 'null when nothing runs on a schedule') }),
  experiments: z.object({ running: z.number().check(z.int()), target: z.number().check(z.int()) }),
  loop: z.object({
    running: z.number().check(z.int()), planned: z.number().check(z.int()), backlog: z.number().check(z.int()), target: z.number().check(z.int()),
    state: z.enum(['full', 'backlog_empty', 'ready', 'blocked']), backlogEmpty: z.boolean(), message: z.string(),
    nextFill: z.described(z.nullable(z.string()), 'When the scheduler next starts backlog items; null when nothing runs on a schedule'),
  }),
});

/** How far back health looks for failures and missed slots, in runs/slots of each source. */
const RECENT_RUNS = 50;

export const healthRoutes: Route[] = [
  {
    method: 'GET',
    path: '/health',
    doc: {
      tag: 'Operations', summary: 'Collection, scorer and loop health',
      description: '`sources`: last run per enabled source, failures among its last 50 runs, slots the schedule missed, next slot and any rate-limit/usage pause. `scorer`: last run and next slot. `loop`: running vs target, backlog size and state (full, ready, blocked, backlog_empty) with a message.',
      success: { status: 200, description: '{ now, sources, scorer, experiments, loop }', schema: HealthSchema },
    },
    async handle(_req, s) {
      const now = s.now();
      // Under --no-schedule no slot comes: a time would promise a run that never happens.
      const scheduled = s.schedulesRun !== false;
      const sources = await Promise.all(enabledTargets(s.config).map(async ({ source, account }) => {
        const [recent, state] = await Promise.all([s.runs.recentRuns(source, RECENT_RUNS, account), s.runs.getSourceState(source, account)]);
        const cadence = { everyMinutes: sourceSettings(s.config, source, account)!.everyMinutes };
        const paused = state?.pausedUntil !== undefined && state.pausedUntil > now.toISOString();
        return {
          source: targetName({ source, account }),
          lastRun: recent[0] ?? null,
          /** Failed runs among the last RECENT_RUNS (rate limits and pauses are not failures). */
          recentFailures: recent.filter((r) => r.outcome === 'failed').length,
          /** Slots the schedule never delivered, oldest first, within the last RECENT_RUNS slots. */
          missedSlots: missedSlots(recent.map((r) => r.slot), cadence, now, { lookbackSlots: RECENT_RUNS }),
          nextSlot: scheduled ? nextSlotAfter(now, cadence).toISOString() : null,
          pausedUntil: paused ? state!.pausedUntil : null,
          pauseReason: paused ? state!.pauseReason ?? null : null,
        };
      }));
      const [running, planned, backlog] = await Promise.all([
        s.experiments.listAll('running'), s.experiments.listEndingBefore('planned', plannedHorizon(now)), s.experiments.backlogTop(BACKLOG_CONSIDERED),
      ]);
      const [backlogCount, plannedCount] = await Promise.all([
        backlog.length < BACKLOG_CONSIDERED ? backlog.length : s.experiments.countInStatus('backlog', BACKLOG_COUNT_CAP).then((c) => c.count),
        s.experiments.countInStatus('planned', BACKLOG_COUNT_CAP).then((c) => c.count),
      ]);
      const target = s.config.loop.targetActive;
      const plan = planLoop({ backlog, scheduled: [...running, ...planned], target, now, schedulesRun: scheduled });
      const scorerNext = scheduled ? nextSlotAfter(now, s.config.scorer).toISOString() : null;
      return {
        status: 200,
        body: {
          now: now.toISOString(),
          schedule: { running: scheduled },
          sources,
          scorer: { lastRun: (await s.runs.lastJobRun('scorer')) ?? null, nextSlot: scorerNext },
          experiments: { running: running.length, target },
          loop: {
            running: running.length, planned: plannedCount, backlog: backlogCount, target,
            state: plan.state, backlogEmpty: backlog.length === 0 && running.length < target, message: plan.message, nextFill: scorerNext,
          },
        },
      };
    },
  },
];
