/**
 * Interim readout for a running experiment: the same engine applied to the part of the window that
 * has elapsed, clearly labelled as not a verdict (GET /experiments/{id} shows it as progress).
 * Peeking is fine because nothing is decided from it — the verdict is taken once, at the window's end.
 */
import type { Experiment } from '../experiment';
import type { Observation } from '../observation';
import type { InterimReadout } from '../verdict';
import { type ScoringContext, scoreWindow } from './score-experiment';

const DAY_MS = 86_400_000;

/**
 * Progress so far for a running (or planned) experiment at `context.now`: window values,
 * counterfactual, effect and intervals over [start, min(now, end)), plus where it is leaning.
 * Before the start there is nothing to show: every figure is null and `missing` says why. While the data is
 * insufficient (reason insufficient_data) `leaning` is null: no leaning yet.
 */
export function interimReadout(experiment: Experiment, observations: readonly Observation[], context: ScoringContext): InterimReadout {
  if (!experiment.start || !experiment.end) throw new Error('experiment has no window yet');
  const startMs = Date.parse(experiment.start);
  const endMs = Date.parse(experiment.end);
  const nowMs = context.now.getTime();
  const windowDays = Math.round((endMs - startMs) / DAY_MS);
  const elapsedEndMs = Math.min(Math.max(nowMs, startMs + 1), endMs);
  const daysElapsed = Math.max(0, Math.floor((Math.min(nowMs, endMs) - startMs) / DAY_MS));
  const partial = { start: experiment.start, end: new Date(elapsedEndMs).toISOString() };
  const verdict = scoreWindow(experiment, observations, partial, context, { daysElapsed, windowDays });
  const { decision, reason, scoredAt, ...rest } = verdict;
  void scoredAt;
  return {
    ...rest,
    notAVerdict: true,
    daysElapsed,
    daysLeft: Math.max(0, windowDays - daysElapsed),
    // A verdict on insufficient data is a discard (nothing is kept unproven), but a window that has not
    // measured enough yet leans neither way: saying "leaning discard" on day 0 misleads every reader.
    leaning: reason === 'insufficient_data' ? null : decision,
    leaningReason: reason,
    computedAt: context.now.toISOString(),
  };
}
