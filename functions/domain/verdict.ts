/**
 * The Verdict: what the scorer records, exactly once, when an experiment's window ends.
 * Metric values are in the metric's own unit (see the catalog); relative figures are fractions (0.75 = +75 %).
 */
import type { Detectability, Outcome } from './scoring/outcome';

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
  /** The window was lengthened before it ended (verdict extend): the bar was raised. */
  | 'extended_window'
  /** A rate's denominator (delivered per send) moved sharply between baseline and window, e.g. a list clean-up: never a keep (listChange says what was adjusted). */
  | 'moving_denominator'
  /** Another live experiment on the same primary metric overlaps the window (experimentIds says which). */
  | 'overlapping_experiment'
  /** Another experiment on the same metric ran during the baseline: the counterfactual may carry its effect. */
  | 'baseline_overlap'
  /** The placebo check found "effects" inside the baseline: intervals were widened, the bar raised. */
  | 'unstable_baseline'
  /** Under 80 % of the expected daily values were measurable in the baseline or window. */
  | 'low_coverage'
  /** Fewer than 14 measured baseline days: the trend is poorly known. */
  | 'short_baseline'
  /** Few posts, sends or prompts behind a ratio/proportion. */
  | 'few_events'
  /** The window is not whole weeks and the baseline is too short to learn the weekday pattern. */
  | 'no_seasonality'
  /** The counterfactual is ≤ 0, so no relative lift: the decision used the absolute effect. */
  | 'expected_not_positive'
  /** Some window posts/sends were read less than 24 h after they went out; their counts may still grow. */
  | 'immature_events'
  /** Switchback: growth right after treatment blocks differs from after control blocks — the effect lingers. */
  | 'carryover'
  /** Switchback: some days' assignments were not followed (the decision is intention-to-treat). */
  | 'skipped_days'
  /** Post variants: posts in the window without an arm were left out. */
  | 'unassigned_posts'
  /** Follows per post: posts whose follows cannot be told apart (another post within the hours after, no snapshots close by) were left out. */
  | 'unattributable_posts'
  | 'insufficient_data';

/** Overlap warnings list at most this many ids (and name at most OVERLAP_NAMES_SHOWN); `count` says how many in all. */
export const OVERLAP_IDS_SHOWN = 5;
export const OVERLAP_NAMES_SHOWN = 3;

export interface VerdictWarning {
  code: WarningCode;
  message: string;
  /**
   * Ids of the other experiments involved (overlapping_experiment, baseline_overlap): the first
   * OVERLAP_IDS_SHOWN of them, so a verdict never grows with the number of other experiments.
   */
  experimentIds?: string[];
  /** How many other experiments are involved in all (experimentIds may list only the first few). */
  count?: number;
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
  /**
   * What the result means beside the decision: improved (kept), worse, no_effect (the interval rules
   * out the target lift), inconclusive (the window could not tell), insufficient_data. Absent on
   * verdicts recorded before outcomes existed.
   */
  outcome?: Outcome;
  /** What the window could detect and the extension that would detect the target lift (absent without an estimate). */
  detectable?: Detectability;
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
  /** P(true relative lift > decision.minLift); null when the counterfactual is ≤ 0 or data are insufficient. */
  probabilityOfMinLift?: number | null;
  /** The decision rule applied (experiment's, defaults filled in). */
  decisionRule?: { minLift: number; confidence: number };
  /**
   * The probability of improvement the unadjusted model would have needed for this decision. Equals
   * decisionRule.confidence unless the placebo check failed; then the reported intervals and
   * probabilities are already widened, which is the same as raising the bar to this value.
   */
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
  /** Unit of baselineValue/windowValue/expectedValue and the absolute effect (from the catalog). */
  unit?: string;
  /** Model diagnostics (count rates: trend, weekday effects, noise; proportions: between-unit spread). */
  model?: ModelDiagnostics;
  /** Placebo check on the baseline (count-rate metrics with ≥ 3 weeks of baseline). */
  placebo?: PlaceboSummary;
  /** Newsletter rates judged while the list shrank or grew sharply (with a moving_denominator warning). */
  listChange?: ListChange;
  /** Experiment design; absent for before/after verdicts. */
  design?: 'switchback' | 'post_variants';
  /** Switchback verdicts: the randomization test, the regression behind the effect, carryover, per-protocol. */
  switchback?: SwitchbackReport;
  /** Post-variant verdicts: posts per arm and how many more would decide it. */
  postVariants?: PostVariantsReport;
  /** Which collections closed the window (absent for verdicts recorded before the scorer waited for them). */
  windowClose?: WindowClose;
  scoredAt: string;
}

/**
 * How the scorer knew the window was complete: every enabled source behind the metric had collected its
 * slot at the window's end (`collected`, listing those runs), or the grace period after the end passed
 * first (`grace_period`, listing the slots still missing) — then the last snapshot may be absent.
 */
export interface WindowClose {
  closedBy: 'collected' | 'grace_period';
  slots: { source: string; slot: string; outcome: string }[];
  missing: { source: string; slot: string }[];
}

export interface ModelDiagnostics {
  /** Degrees of freedom of the t distribution behind the intervals. */
  df: number;
  /** Count rates: baseline trend in (metric unit) per day, e.g. followers/day gained per day. */
  trendPerDay?: number;
  /** Count rates: whether weekday effects were fitted, and the F-test p-value that decided it. */
  weekdayEffects?: boolean;
  weekdayPValue?: number | null;
  /** Count rates: SD of one day's growth around the model (metric unit). */
  dailyNoiseSd?: number;
  /** Count rates: share of whole-day shocks (vs Poisson-like within-day noise) in the noise model, 0–1. */
  dayShockShare?: number;
  /** Count rates: variance multiplier for autocorrelation not explained by the snapshot schedule (1 = none). */
  autocorrelationInflation?: number;
  /** Proportions over sends/posts: SD of the rate between units beyond binomial noise (fraction). */
  betweenUnitSd?: number;
}

/**
 * How the list moved between baseline and window, and what the expectation was adjusted for.
 * `remaining_list`: the list shrank (a clean-up); the baseline's opens (clicks) are counted over the
 * window's delivered per send — its rate × baselineDeliveredPerSend / windowDeliveredPerSend — assuming
 * the removed subscribers would not have opened (clicked). `none`: compared as measured (the list grew:
 * the newcomers' own rate cannot be told apart in per-send totals).
 */
export interface ListChange {
  baselineDeliveredPerSend: number;
  windowDeliveredPerSend: number;
  adjustment: 'remaining_list' | 'none';
  /** The expectation before any adjustment: the baseline's rate as measured (fraction). */
  unadjustedExpectedValue: number;
}

export interface PlaceboSummary {
  /** Pseudo-windows tested inside the baseline, each `windowDays` long. */
  windows: number;
  windowDays: number;
  /** Pseudo-windows where the model would have reported an effect at the required confidence. */
  falseFinds: number;
  /** Root mean square of the pseudo-windows' standardised errors (≈ 1 when the model is calibrated). */
  rmsZ: number;
  unstable: boolean;
  /** Factor the standard errors were widened by (1 = not widened). */
  inflation: number;
}

/** A running experiment's progress so far: explicitly not a verdict. */
export interface InterimReadout extends Omit<Verdict, 'decision' | 'reason' | 'scoredAt'> {
  notAVerdict: true;
  daysElapsed: number;
  daysLeft: number;
  /**
   * What the verdict would say if the window ended now (informational only); null while the data is
   * insufficient to compare (day 0, too few measured days): there is no leaning yet, either way.
   */
  leaning: Decision | null;
  /** The reason the verdict would give if the window ended now (informational only). */
  leaningReason: VerdictReason;
  computedAt: string;
}

/** What a switchback verdict rests on. For switchbacks `periods.baseline` is the window itself and "baseline" figures are the control days. */
export interface SwitchbackReport {
  blockDays: number;
  washoutDays: number;
  seed: number;
  timeZone: string;
  /** Days analysed per arm (measured, not washout), and days left out. */
  treatmentDays: number;
  controlDays: number;
  washoutDaysLeftOut: number;
  unmeasuredDays: number;
  skippedDays: number;
  /** Raw mean growth per day on treatment and control days (metric unit). */
  treatmentMean: number | null;
  controlMean: number | null;
  randomization: {
    /** One-sided p-value of "the tactic helps" over redrawn schedules. */
    pValue: number;
    /** One-sided p-value of "the tactic hurts". */
    pValueWorse: number;
    permutations: number;
    statistic: 'regression_t';
    /** Redrawn within these switchbacks' arms (this schedule was drawn balanced against them). */
    balancedAgainst?: string[];
    /** Redrawn given these switchbacks' schedules (they were drawn balanced against this one). */
    conditionedOn?: string[];
  } | null;
  regression: { trend: boolean; quadratic: boolean; weekdays: boolean; otherExperiments: string[]; df: number; residualSd: number } | null;
  carryover: { estimate: number; interval: Interval; pValue: number; days: number } | null;
  /** The same estimate without the skipped days (reported, not decided on). */
  perProtocol: { skippedDays: number; absolute: number; relative: number | null; absoluteInterval: Interval; pValue: number } | null;
}

export interface PostVariantsReport {
  /** Reference arm (the first) and the arm compared with it. */
  reference: string;
  compared: string;
  /** Posts analysed per arm. */
  postsPerArm: Record<string, number>;
  /** Window posts without an arm (left out). */
  unassignedPosts: number;
  /** Posts per arm that would likely decide it if the effect is what was estimated (null: no effect to detect, or decided). */
  morePostsPerArmToDecide: number | null;
  /** Every further arm against the reference (when there are more than two). */
  otherComparisons?: { arm: string; relative: number | null; probabilityOfImprovement: number }[];
}
