/**
 * scoreExperiment: the one entry point that turns an experiment and its observations into a Verdict.
 * Pure: no I/O, no clock (time comes in through the context).
 *
 * SKELETON RULE (to be replaced by the full engine): before/after difference of mean daily growth.
 */
import type { Experiment } from '../experiment';
import type { Observation } from '../observation';
import type { Verdict } from '../verdict';

const DAY_MS = 86_400_000;

export interface ScoringContext {
  now: Date;
  /** Other experiments (any status) so overlaps on the same primary metric can be flagged. */
  otherExperiments?: readonly Experiment[];
}

export interface Period { start: string; end: string }

/** The baseline period: the experiment's explicit one, else the same length before the window rounded up to whole weeks. */
export function baselinePeriod(e: Pick<Experiment, 'start' | 'end' | 'baseline'>): Period {
  if (e.baseline) return e.baseline;
  const start = Date.parse(requireTime(e.start, 'start'));
  const end = Date.parse(requireTime(e.end, 'end'));
  const weeks = Math.max(1, Math.ceil((end - start) / (7 * DAY_MS)));
  return { start: new Date(start - weeks * 7 * DAY_MS).toISOString(), end: new Date(start).toISOString() };
}

/** The time range of observations scoring needs (baseline start through window end, with a day's margin for interpolation). */
export function observationRange(e: Pick<Experiment, 'start' | 'end' | 'baseline'>): Period {
  const b = baselinePeriod(e);
  return {
    start: new Date(Date.parse(b.start) - 2 * DAY_MS).toISOString(),
    end: new Date(Date.parse(requireTime(e.end, 'end')) + 2 * DAY_MS).toISOString(),
  };
}

function requireTime(v: string | undefined, name: string): string {
  if (!v) throw new Error(`experiment has no ${name}`);
  return v;
}

export function scoreExperiment(experiment: Experiment, observations: readonly Observation[], context: ScoringContext): Verdict {
  const window = { start: requireTime(experiment.start, 'start'), end: requireTime(experiment.end, 'end') };
  const baseline = baselinePeriod(experiment);
  const snapshots = observations
    .filter((o): o is Extract<Observation, { value: number }> => 'value' in o)
    .sort((a, b) => a.at.localeCompare(b.at));
  const growthPerDay = (p: Period): number | null => {
    const inside = snapshots.filter((o) => o.at >= p.start && o.at <= p.end);
    if (inside.length < 2) return null;
    const first = inside[0];
    const last = inside[inside.length - 1];
    const days = (Date.parse(last.at) - Date.parse(first.at)) / DAY_MS;
    return days > 0 ? (last.value - first.value) / days : null;
  };
  const baselineValue = growthPerDay(baseline);
  const windowValue = growthPerDay(window);
  const days = (p: Period) => Math.round((Date.parse(p.end) - Date.parse(p.start)) / DAY_MS);
  const enough = baselineValue !== null && windowValue !== null;
  const absolute = enough ? windowValue - baselineValue : null;
  const relative = enough && baselineValue !== 0 ? absolute! / Math.abs(baselineValue) : null;
  const keep = enough && absolute! > 0 && (relative ?? 0) >= experiment.decision.minLift;
  return {
    experimentId: experiment.id,
    metric: experiment.primaryMetric,
    decision: keep ? 'keep' : 'discard',
    reason: !enough ? 'insufficient_data' : keep ? 'improved' : absolute! < 0 ? 'worse' : 'not_improved',
    baselineValue,
    windowValue,
    expectedValue: baselineValue,
    effect: { absolute, relative, absoluteInterval: null, relativeInterval: null },
    probabilityOfImprovement: null,
    periods: { baseline, window },
    dataQuality: { windowCoverage: 0, baselineCoverage: 0, gaps: [], baselineDays: days(baseline), windowDays: days(window) },
    warnings: [],
    ...(!enough && { missing: ['at least two snapshots in both the baseline and the window'] }),
    summary: enough
      ? `${experiment.primaryMetric} was ${windowValue.toFixed(2)} vs ${baselineValue.toFixed(2)} before. ${keep ? 'Keep' : 'Discard'}.`
      : 'Not enough data to judge. Discard.',
    method: 'before_after',
    scoredAt: context.now.toISOString(),
  };
}
