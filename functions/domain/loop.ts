/**
 * The experiment loop, pure: given the backlog, what is under test and the target of concurrently
 * running experiments, which backlog items start now — and, when none can, why.
 *
 * Rules: highest ICE product first (unscored items last, then oldest first); never start an item whose
 * primary metric is already under test by an experiment whose window overlaps the new one, so
 * concurrent experiments do not confound each other. Engine-qualified citation metrics
 * (`citations.citation_rate:perplexity`) count as their base metric: they move together.
 * Switchback experiments are the exception among themselves: each has its own independent random
 * schedule and is estimated with the others as covariates, so several can share a metric (they still
 * do not share one with a before/after or post-variant experiment, whose comparison they would move).
 */
import { iceProduct, MAX_WINDOW_DAYS, type Experiment } from './experiment';
import { metricFamilyKey } from './metric-catalog';

const DAY_MS = 86_400_000;

/**
 * How many backlog items the loop and its views consider: the top of the start order. Reads stay bounded
 * however long the backlog grows; an item further down starts once it rises into the top.
 */
export const BACKLOG_CONSIDERED = 200;

/** Counts of backlog items shown (/health, /backlog, digest) stop here: counting reads, so it is capped too. */
export const BACKLOG_COUNT_CAP = 10_000;

/**
 * Planned experiments that can hold a metric against anything the loop starts now end before this: a
 * candidate's window ends within MAX_WINDOW_DAYS, so a planned one overlaps it only if it starts before
 * then, and ends at most MAX_WINDOW_DAYS later (a week of margin for switchback windows rounded to
 * whole blocks). Planned work further ahead is not read by the loop or its views.
 */
export function plannedHorizon(now: Date): string {
  return new Date(now.getTime() + (2 * MAX_WINDOW_DAYS + 7) * DAY_MS).toISOString();
}

export type LoopState =
  /** As many experiments running as the target (or more). */
  | 'full'
  /** Fewer running than the target and nothing in the backlog. */
  | 'backlog_empty'
  /** Backlog items are ready to start at the next scheduler run. */
  | 'ready'
  /** Fewer running than the target, but every backlog item's metric is already under test. */
  | 'blocked';

export interface RankedBacklogItem {
  experiment: Experiment;
  /** 1-based position in the start order. */
  rank: number;
  /** impact × confidence × ease, 1–1000; null when not scored. */
  ice: number | null;
  /** The experiment already testing this metric, when that holds the item back. */
  blockedBy?: { experimentId: string; name: string; metric: string; until?: string };
  /** Whether the loop starts it now (given free slots). */
  startsNow: boolean;
}

export interface LoopPlan {
  target: number;
  running: number;
  /** Slots free before starting anything: max(0, target − running). */
  free: number;
  state: LoopState;
  /** Backlog items to start now, in order. */
  toStart: Experiment[];
  /** The whole backlog in start order, with blocking reasons. */
  ranked: RankedBacklogItem[];
  /** One sentence for GET /health and the CLI. */
  message: string;
}

/** Metrics that confound each other share a family: the catalog key and account, without an engine qualifier. */
export function metricFamily(metricKey: string): string {
  return metricFamilyKey(metricKey);
}

/** Backlog in start order: ICE product descending, unscored last, then oldest first, then id. */
export function rankBacklog(backlog: readonly Experiment[]): Experiment[] {
  return [...backlog].sort((a, b) => {
    const ia = iceProduct(a.iceScore) ?? -1;
    const ib = iceProduct(b.iceScore) ?? -1;
    if (ia !== ib) return ib - ia;
    if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

export interface LoopInput {
  backlog: readonly Experiment[];
  /** Experiments with a window that may hold a metric: running and planned. */
  scheduled: readonly Experiment[];
  target: number;
  now: Date;
  /** False when nothing runs on a schedule (local runtime with --no-schedule): the message promises no run. */
  schedulesRun?: boolean;
}

/**
 * Plans one fill of the loop. `running` counts experiments whose status is running; planned ones count
 * against a metric only if their window overlaps the candidate's (start = now, its planned duration).
 */
export function planLoop(input: LoopInput): LoopPlan {
  const nowMs = input.now.getTime();
  const running = input.scheduled.filter((e) => e.status === 'running').length;
  const free = Math.max(0, input.target - running);
  const holders = input.scheduled.filter((e) => e.status === 'running' || e.status === 'planned');
  const chosen: Experiment[] = [];
  const ranked: RankedBacklogItem[] = rankBacklog(input.backlog).map((item, i) => {
    const windowEnd = nowMs + item.durationDays * DAY_MS;
    const overlaps = (e: Experiment) =>
      e.status === 'running' || (e.start !== undefined && e.end !== undefined && Date.parse(e.start) < windowEnd && Date.parse(e.end) > nowMs);
    const family = metricFamily(item.primaryMetric);
    const holder = [...holders, ...chosen].find((e) =>
      metricFamily(e.primaryMetric) === family && !bothSwitchbacks(e, item) && (chosen.includes(e) || overlaps(e)));
    const startsNow = !holder && chosen.length < free;
    if (startsNow) chosen.push(item);
    return {
      experiment: item,
      rank: i + 1,
      ice: iceProduct(item.iceScore) ?? null,
      startsNow,
      ...(holder && { blockedBy: { experimentId: holder.id, name: holder.name, metric: holder.primaryMetric, ...(holder.end && !chosen.includes(holder) && { until: holder.end }) } }),
    };
  });
  const state: LoopState = running >= input.target ? 'full'
    : input.backlog.length === 0 ? 'backlog_empty'
    : chosen.length > 0 ? 'ready'
    : 'blocked';
  return { target: input.target, running, free, state, toStart: chosen, ranked, message: loopMessage(state, running, input.target, chosen.length, input.schedulesRun !== false) };
}

/** Two switchbacks randomize independently, so they can share a metric. */
export function bothSwitchbacks(a: Pick<Experiment, 'design'>, b: Pick<Experiment, 'design'>): boolean {
  return a.design === 'switchback' && b.design === 'switchback';
}

function loopMessage(state: LoopState, running: number, target: number, starting: number, schedulesRun: boolean): string {
  const count = `${running} of ${target} experiment${target === 1 ? '' : 's'} running`;
  switch (state) {
    case 'full': return `${count}: the loop is full.`;
    case 'backlog_empty': return `${count} and the backlog is empty: add ideas with \`verdict backlog add\` so the loop keeps itself full.`;
    case 'ready': return schedulesRun
      ? `${count}; the next scheduler run starts ${starting} from the backlog.`
      : `${count}; ${starting} from the backlog could start, but nothing runs on a schedule (--no-schedule): start one with \`verdict backlog start\`.`;
    case 'blocked': return `${count}; every backlog item's metric is already under test, so none can start without confounding a running experiment.`;
  }
}
