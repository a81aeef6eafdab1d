/**
 * The scorer job: every experiment whose window has ended gets exactly one verdict, computed by the
 * pure engine from the primary metric's observations and recorded atomically with its conclusion.
 */
import { MAX_WINDOW_DAYS, type Experiment } from '../domain/experiment';
import { parseMetricKey } from '../domain/metric-catalog';
import type { Observation } from '../domain/observation';
import { interimReadout } from '../domain/scoring/interim';
import { baselinePeriod, observationRange, scoreExperiment } from '../domain/scoring/score-experiment';
import type { InterimReadout, Verdict } from '../domain/verdict';
import type { ExperimentStore } from '../store/experiment-store';
import type { ObservationStore } from '../store/observation-store';
import { windowCloseOf, type WindowCloseDeps } from './window-close';
import { loadObservationsOnce } from './observations-once';
import { errorMessage } from '../shared/errors';

const DAY_MS = 86_400_000;

export interface ScoreDeps {
  experiments: ExperimentStore;
  observations: ObservationStore;
  log: { info(message: string, extra?: Record<string, unknown>): void; warn(message: string, extra?: Record<string, unknown>): void };
  /** Told about each verdict actually recorded (e.g. publishes a `Verdict Reached` event). */
  onVerdict?: (experiment: Experiment, verdict: Verdict) => Promise<void>;
  /**
   * Run records and source config: an ended experiment waits until its sources collected the slot at
   * the window's end, or the grace period passed (see window-close.ts). Absent: scored as soon as due.
   */
  windowClose?: WindowCloseDeps;
}

export interface ScoreRunResult {
  due: number;
  scored: string[];
  alreadyScored: string[];
  failed: { id: string; error: string }[];
  /** Due, but a source has not collected the slot at the window's end yet (scored at a later run). */
  waiting?: { id: string; slots: { source: string; slot: string }[] }[];
}

/** Loads the observations scoring `experiment` needs (its primary metric's inputs, baseline through window). */
export async function observationsFor(experiment: Experiment, store: ObservationStore): Promise<Observation[]> {
  const parsed = parseMetricKey(experiment.primaryMetric);
  if (!parsed) return [];
  const range = observationRange(experiment);
  return store.queryMany(parsed.definition.from, range.start, range.end, parsed.account);
}

export async function scoreDueExperiments(now: Date, deps: ScoreDeps): Promise<ScoreRunResult> {
  const due = await deps.experiments.listDue(now);
  const result: ScoreRunResult = { due: due.length, scored: [], alreadyScored: [], failed: [] };
  if (due.length === 0) return result;
  const others = await overlapCandidates(deps.experiments, due);
  // Each stored observation is read once per run: the union of the due ranges, sliced per experiment.
  const loaded = await loadObservationsOnce(due, deps.observations);
  for (const experiment of due) {
    try {
      const close = deps.windowClose ? await windowCloseOf(experiment, now, deps.windowClose) : undefined;
      if (close && 'waiting' in close) {
        (result.waiting ??= []).push({ id: experiment.id, slots: close.waiting });
        deps.log.info('scoring waits for the window-end collection', { experimentId: experiment.id, slots: close.waiting });
        continue;
      }
      const observations = loaded.for(experiment);
      const scored = scoreExperiment(experiment, observations, { now, otherExperiments: others.filter((o) => o.id !== experiment.id) });
      const verdict: Verdict = close ? { ...scored, windowClose: close } : scored;
      if (await deps.experiments.recordFirstVerdict(experiment, verdict)) {
        result.scored.push(experiment.id);
        deps.log.info('verdict recorded', { experimentId: experiment.id, decision: verdict.decision, reason: verdict.reason });
        await deps.onVerdict?.(experiment, verdict);
      } else {
        result.alreadyScored.push(experiment.id);
      }
    } catch (err) {
      // One experiment's failure must not stop the others; the next run retries it (no verdict was written).
      result.failed.push({ id: experiment.id, error: errorMessage(err) });
      deps.log.warn('scoring failed', { experimentId: experiment.id, error: errorMessage(err) });
    }
  }
  return result;
}

/**
 * Scores a concluded experiment again on the observations stored now — an explicit user action (new or
 * corrected data). The new verdict becomes current; every earlier one stays in the history.
 */
export async function rescoreExperiment(experiment: Experiment, now: Date, deps: Pick<ScoreDeps, 'experiments' | 'observations'>): Promise<{ verdict: Verdict; previous: Verdict | undefined }> {
  const [observations, others, previous] = await Promise.all([
    observationsFor(experiment, deps.observations),
    overlapCandidates(deps.experiments, [experiment]),
    deps.experiments.getVerdict(experiment.id),
  ]);
  const verdict = scoreExperiment(experiment, observations, { now, otherExperiments: others.filter((o) => o.id !== experiment.id) });
  await deps.experiments.recordRescore(experiment.id, verdict);
  return { verdict, previous };
}

/** Progress of a running experiment so far, computed by the same engine — explicitly not a verdict. */
export async function interimFor(experiment: Experiment, now: Date, deps: Pick<ScoreDeps, 'experiments' | 'observations'>): Promise<InterimReadout> {
  const [observations, others] = await Promise.all([observationsFor(experiment, deps.observations), overlapCandidates(deps.experiments, [experiment])]);
  return interimReadout(experiment, observations, { now, otherExperiments: others.filter((o) => o.id !== experiment.id) });
}

/**
 * Experiments that may overlap the baselines or windows of `judged`: the running ones (a handful, bounded
 * by the loop's target), the planned ones that can start before the last judged window ends (their window
 * ends within MAX_WINDOW_DAYS of it — planned work months ahead is not read), and the concluded ones that
 * ended after the earliest baseline start — so the work grows neither with the research log nor with
 * experiments planned far ahead.
 */
export async function overlapCandidates(store: ExperimentStore, judged: readonly Experiment[]): Promise<Experiment[]> {
  const since = judged.map((e) => baselinePeriod(e).start).sort()[0];
  const lastEnd = judged.map((e) => e.end ?? '').sort().at(-1);
  const plannedBefore = lastEnd ? new Date(Date.parse(lastEnd) + (MAX_WINDOW_DAYS + 1) * DAY_MS).toISOString() : undefined;
  const lists = await Promise.all([
    plannedBefore ? store.listEndingBefore('planned', plannedBefore) : store.listAll('planned'),
    store.listAll('running'),
    since ? store.listEndingAfter('concluded', since) : Promise.resolve([]),
    // An abandoned switchback drawn balanced against a judged one: its draw depended on that schedule, so the judged one's test still conditions on it.
    since ? store.listEndingAfter('abandoned', since).then((xs) => xs.filter((x) => x.design === 'switchback' && (x.switchback?.balancedAgainst?.length ?? 0) > 0)) : Promise.resolve([]),
  ]);
  return lists.flat();
}
