/**
 * The loop keeps itself full: planned experiments whose start has passed become running, then, while
 * fewer than the target are running, the highest-ICE backlog items whose metric is not under test start
 * now with their planned duration. Runs at the end of every scorer run, right after verdicts free slots.
 */
import { promoteIfStarted, startExperiment, type Experiment } from '../domain/experiment';
import { BACKLOG_CONSIDERED, planLoop, plannedHorizon, type LoopState } from '../domain/loop';
import { experimentStarted, type EventPublisher } from '../shared/events';
import { ConflictError, errorMessage } from '../shared/errors';
import type { StoredPlan } from '../domain/planning/stored-plan';
import type { ExperimentStore } from '../store/experiment-store';

export interface FillLoopDeps {
  experiments: ExperimentStore;
  events: EventPublisher;
  /** Experiments to keep running at once (config loop.targetActive). */
  target: number;
  log: { info(message: string, extra?: Record<string, unknown>): void; warn(message: string, extra?: Record<string, unknown>): void };
  /**
   * The plan of a backlog item for a window starting at `start` (the history and the experiments beside
   * it have changed since it was added); undefined leaves the item's plan as it was. Its warnings are logged.
   */
  plan?: (item: Experiment, start: Date) => Promise<StoredPlan | undefined>;
}

export interface FillLoopResult {
  /** planned → running. */
  promoted: string[];
  /** backlog → running, in ICE order. */
  started: string[];
  /** Running after this fill. */
  running: number;
  target: number;
  /** The loop's state after this fill. */
  state: LoopState;
  message: string;
}

export async function fillLoop(now: Date, deps: FillLoopDeps): Promise<FillLoopResult> {
  const promoted: string[] = [];
  // Only planned experiments whose start can have passed (their window ends within MAX_WINDOW_DAYS of now).
  for (const planned of await deps.experiments.listEndingBefore('planned', plannedHorizon(now))) {
    const running = promoteIfStarted(planned, now);
    if (running && (await replaceIfUnchanged(running, planned, deps))) {
      promoted.push(running.id);
      await deps.events.publish(experimentStarted(running));
    }
  }

  const [running, planned, backlog] = await Promise.all([
    deps.experiments.listAll('running'), deps.experiments.listEndingBefore('planned', plannedHorizon(now)), deps.experiments.backlogTop(BACKLOG_CONSIDERED),
  ]);
  const plan = planLoop({ backlog, scheduled: [...running, ...planned], target: deps.target, now });
  const started: string[] = [];
  // A switchback started here is drawn balanced against the switchbacks scheduled on its metric, including those this run started.
  const scheduledNow: Experiment[] = [...running, ...planned];
  for (const item of plan.toStart) {
    const outcome = startExperiment(item, now, { by: 'loop', scheduledNow });
    if (outcome.kind !== 'ok') continue;
    const plan = await planOrNothing(item, now, deps);
    const next = plan ? { ...outcome.experiment, plan } : outcome.experiment;
    if (await replaceIfUnchanged(next, item, deps)) {
      started.push(item.id);
      scheduledNow.push(next);
      deps.log.info('experiment started from the backlog', {
        experimentId: item.id, primaryMetric: item.primaryMetric, end: outcome.experiment.end,
        ...(plan && { planWarnings: plan.warnings.map((w) => w.code), detectableLift: plan.detectableLift }),
      });
      if (plan?.warnings.length) {
        deps.log.warn('experiment started with plan warnings', { experimentId: item.id, warnings: plan.warnings.map((w) => w.message) });
      }
      await deps.events.publish(experimentStarted(outcome.experiment));
    }
  }

  // The state after this fill, as GET /health will see it.
  const after = planLoop({
    backlog: backlog.filter((b) => !started.includes(b.id)),
    scheduled: [...running, ...planned, ...plan.toStart.filter((t) => started.includes(t.id)).map((t) => ({ ...t, status: 'running' as const }))],
    target: deps.target,
    now,
  });
  return { promoted, started, running: after.running, target: deps.target, state: after.state, message: after.message };
}

/** The item's plan at its start; a planner failure never blocks the start (the old plan stays). */
async function planOrNothing(item: Experiment, now: Date, deps: Pick<FillLoopDeps, 'plan' | 'log'>): Promise<StoredPlan | undefined> {
  if (!deps.plan) return undefined;
  try {
    return await deps.plan(item, now);
  } catch (err) {
    deps.log.warn('plan at loop start failed', { experimentId: item.id, error: errorMessage(err) });
    return undefined;
  }
}

/**
 * Stores a transition decided from `read` unless a concurrent run or user changed the experiment since
 * (its version moved on): then it is skipped, and the next fill decides again from what is stored.
 */
async function replaceIfUnchanged(next: Experiment, read: Experiment, deps: Pick<FillLoopDeps, 'experiments' | 'log'>): Promise<boolean> {
  try {
    await deps.experiments.replace(next, read);
    return true;
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    deps.log.warn('experiment changed during the loop fill; skipped', { experimentId: next.id });
    return false;
  }
}
