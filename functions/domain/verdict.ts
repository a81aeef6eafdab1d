/**
 * The Verdict: what the scorer records, exactly once, when an experiment's window ends.
 * Metric values are in the metric's own unit (see the catalog); relative figures are fractions (0.75 = +75 %).
 */
export type Decision = 'keep' | 'discard';

export type VerdictReason =
  /** Improvement with enough probability and clearing minLift. */
  | 'improved'
  /** Probably better, but not with the required confidence. */
  | 'not_improved'
  /** Probably better with the required confidence, but the lift is below minLift. */
  | 'below_min_lift'
  /** Credibly worse than expected. */
  | 'worse'
  /** Too little data in the baseline or window: never a keep. */
  | 'insufficient_data';

export type WarningCode =
  | 'overlapping_experiment'
  | 'unstable_baseline'
  | 'low_coverage'
  | 'short_baseline'
  | 'few_events'
  | 'no_seasonality'
  | 'insufficient_data';

export interface VerdictWarning {
  code: WarningCode;
  message: string;
  /** Ids of the other experiments involved (for overlapping_experiment). */
  experimentIds?: string[];
}

export interface Interval {
  lower: number;
  upper: number;
}

export interface Verdict {
  experimentId: string;
  metric: string;
  decision: Decision;
  reason: VerdictReason;
  /** Metric value over the baseline period (null when it could not be computed). */
  baselineValue: number | null;
  /** Metric value over the experiment window. */
  windowValue: number | null;
  /** Counterfactual: what the window was expected to show without the experiment. */
  expectedValue: number | null;
  effect: {
    absolute: number | null;
    relative: number | null;
    /** 95 % intervals. */
    absoluteInterval: Interval | null;
    relativeInterval: Interval | null;
  };
  /** P(true effect > 0), 0–1. */
  probabilityOfImprovement: number | null;
  /** The confidence the decision used, after any placebo-check adjustment. */
  effectiveConfidence?: number;
  periods: {
    baseline: { start: string; end: string };
    window: { start: string; end: string };
  };
  dataQuality: {
    /** Fraction (0–1) of expected daily values present in the window. */
    windowCoverage: number;
    /** Fraction (0–1) of expected daily values present in the baseline. */
    baselineCoverage: number;
    /** Missing daily values, as [start, end) ranges. */
    gaps: { start: string; end: string }[];
    baselineDays: number;
    windowDays: number;
    /** Events behind a ratio/proportion metric (posts, sends, answers) in baseline and window. */
    baselineEvents?: number;
    windowEvents?: number;
  };
  warnings: VerdictWarning[];
  /** What was missing, when reason is insufficient_data. */
  missing?: string[];
  /** Two or three plain-language sentences a marketer understands. */
  summary: string;
  /** Short name of the statistical method used. */
  method: string;
  scoredAt: string;
}

/** A running experiment's progress so far: explicitly not a verdict. */
export interface InterimReadout extends Omit<Verdict, 'decision' | 'reason' | 'scoredAt'> {
  notAVerdict: true;
  daysElapsed: number;
  daysLeft: number;
  /** What the verdict would say if the window ended now (informational only). */
  leaning: Decision;
  computedAt: string;
}
