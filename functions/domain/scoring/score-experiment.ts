/**
 * scoreExperiment: the one entry point that turns an experiment and its observations into a Verdict.
 * Pure: no I/O, no clock (time comes in through the context). The scorer Lambda, the interim readout
 * and the offline `verdict score` command all run this same code.
 *
 * Pipeline: metric-analysis (observations → window value vs counterfactual, data quality) →
 * inference (effect, intervals, probability, keep rule) → summary (plain language).
 */
import { confidenceAfterExtensions, type DecisionRule, type Experiment } from '../experiment';
import { metricFamilyKey, parseMetricKey } from '../metric-catalog';
import type { Observation } from '../observation';
import { type ListChange, OVERLAP_IDS_SHOWN, OVERLAP_NAMES_SHOWN, type Verdict, type VerdictWarning } from '../verdict';
import { countSnapshots } from '../metrics/daily-series';
import { decide, type EffectEstimate, equivalentConfidence, inferEffect } from './inference';
import { detectLevelShift } from './level-shift';
import { dailyIncrements } from './snapshot-interpolation';
import { type Analysis, analyseMetric, type DenominatorShift } from './metric-analysis';
import { scorePostVariantsWindow } from './score-post-variants';
import { scoreSwitchbackWindow } from './score-switchback';
import { summarise } from './summary';
import { detectability, outcomeOf } from './outcome';
import { DEFAULT_TARGET_LIFT } from '../planning/stored-plan';

const DAY_MS = 86_400_000;

export interface ScoringContext {
  now: Date;
  /** Other experiments (any status) so overlaps on the same primary metric can be flagged. */
  otherExperiments?: readonly Experiment[];
  /** Randomized designs: permutations of the randomization test (default 2000). */
  permutations?: number;
}

export interface Period { start: string; end: string }

/** The default baseline reaches back at most this far (8 weeks): older history rarely describes the present. */
export const DEFAULT_BASELINE_MAX_DAYS = 56;
/** A default baseline is cut after another experiment's window only if this much remains. */
const MIN_CUT_BASELINE_DAYS = 14;

/**
 * The longest baseline scoring may use: the experiment's explicit one, else the 8 weeks before the
 * start. What the verdict uses by default is the part of it there is history for (resolveBaseline).
 * Randomized designs compare arms inside the window and need no baseline: for them it is the window itself.
 */
export function baselinePeriod(e: Pick<Experiment, 'start' | 'end' | 'baseline' | 'design'>): Period {
  if (e.design === 'switchback' || e.design === 'post_variants') return { start: requireTime(e.start, 'start'), end: requireTime(e.end, 'end') };
  if (e.baseline) return e.baseline;
  const start = Date.parse(requireTime(e.start, 'start'));
  return { start: new Date(start - DEFAULT_BASELINE_MAX_DAYS * DAY_MS).toISOString(), end: new Date(start).toISOString() };
}

/**
 * The baseline a verdict uses. An explicit baseline is used as given. By default: the history there
 * is before the start, in whole weeks (at least one, at most eight), starting after the latest other
 * experiment on the same metric that ended inside it, and after a detected level shift in a count
 * rate (level-shift.ts), each when that leaves at least two weeks.
 */
export function resolveBaseline(
  e: Pick<Experiment, 'id' | 'start' | 'end' | 'baseline' | 'primaryMetric' | 'design'>,
  observations: readonly Observation[],
  others: readonly Experiment[] = [],
): Period {
  if (e.design === 'switchback' || e.design === 'post_variants' || e.baseline) return baselinePeriod(e);
  const startMs = Date.parse(requireTime(e.start, 'start'));
  const candidateMs = startMs - DEFAULT_BASELINE_MAX_DAYS * DAY_MS;
  const sources = new Set<string>(parseMetricKey(e.primaryMetric)?.definition.from ?? []);
  let firstMs = Infinity;
  for (const o of observations) {
    if (!sources.has(o.metric)) continue;
    const t = Date.parse(o.at);
    if (t < firstMs) firstMs = t;
  }
  let fromMs = Math.max(candidateMs, firstMs === Infinity ? candidateMs : firstMs);
  const baseKey = metricFamilyKey;
  for (const o of others) {
    if (o.id === e.id || o.status === 'abandoned' || o.status === 'backlog' || !o.end || baseKey(o.primaryMetric) !== baseKey(e.primaryMetric)) continue;
    const endMs = Math.ceil(Date.parse(o.end) / DAY_MS) * DAY_MS;
    if (endMs > fromMs && endMs <= startMs - MIN_CUT_BASELINE_DAYS * DAY_MS) fromMs = endMs;
  }
  const parsedKey = parseMetricKey(e.primaryMetric);
  const def = parsedKey?.definition;
  if (def?.kind === 'count_rate') {
    const firstDay = Math.ceil(fromMs / DAY_MS);
    const increments = dailyIncrements(countSnapshots(observations, def.from[0], parsedKey?.series), firstDay, Math.floor(startMs / DAY_MS) - firstDay);
    const shift = detectLevelShift(increments.map((d) => (d ? d.value : null)));
    if (shift !== undefined && (firstDay + shift) * DAY_MS <= startMs - MIN_CUT_BASELINE_DAYS * DAY_MS) fromMs = (firstDay + shift) * DAY_MS;
  }
  const weeks = Math.min(DEFAULT_BASELINE_MAX_DAYS / 7, Math.max(1, Math.floor((startMs - fromMs) / (7 * DAY_MS) + 1e-9)));
  return { start: new Date(startMs - weeks * 7 * DAY_MS).toISOString(), end: new Date(startMs).toISOString() };
}

/**
 * The time range of observations scoring needs: baseline start through window end, with two days'
 * margin either side so counts at the edges can be interpolated and posts/sends read at 48 h.
 */
export function observationRange(e: Pick<Experiment, 'start' | 'end' | 'baseline' | 'design'>): Period {
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

/**
 * Other live experiments on the same primary metric (base key, ignoring an engine qualifier) whose
 * [start, end) overlaps the window. Abandoned and backlog experiments, and the experiment itself, are ignored.
 */
export function overlappingExperiments(experiment: Experiment, window: Period, others: readonly Experiment[] = []): Experiment[] {
  const baseKey = metricFamilyKey;
  const key = baseKey(experiment.primaryMetric);
  const ws = Date.parse(window.start);
  const we = Date.parse(window.end);
  return others.filter(
    (o) =>
      o.id !== experiment.id &&
      o.status !== 'abandoned' &&
      o.status !== 'backlog' &&
      o.start !== undefined &&
      o.end !== undefined &&
      baseKey(o.primaryMetric) === key &&
      Date.parse(o.start) < we &&
      Date.parse(o.end) > ws,
  );
}

/**
 * The warning for experiments that overlapped the window or baseline — compact whatever their number: the
 * first OVERLAP_NAMES_SHOWN named with their dates, the first OVERLAP_IDS_SHOWN ids, and the count (a
 * busy metric once produced 238 KB verdicts listing 1,850 experiments; the item limit is 400 KB).
 */
function overlapWarning(overlaps: readonly Experiment[], period: 'window' | 'baseline'): VerdictWarning | undefined {
  if (overlaps.length === 0) return undefined;
  const first = [...overlaps].sort((a, b) => (a.start! < b.start! ? -1 : a.start! > b.start! ? 1 : a.id < b.id ? -1 : 1));
  // Named by their last day, as every other place names a window (end is exclusive).
  const named = first.slice(0, OVERLAP_NAMES_SHOWN).map((o) => `"${o.name}" (${o.id}, ${o.start!.slice(0, 10)} to ${new Date(Date.parse(o.end!) - 1).toISOString().slice(0, 10)})`).join(', ');
  const more = overlaps.length > OVERLAP_NAMES_SHOWN ? ` and ${overlaps.length - OVERLAP_NAMES_SHOWN} more` : '';
  const names = `${named}${more}`;
  const who = overlaps.length === 1 ? 'Another experiment' : `${overlaps.length} other experiments`;
  const its = overlaps.length === 1 ? 'its' : 'their';
  const involved = { experimentIds: first.slice(0, OVERLAP_IDS_SHOWN).map((o) => o.id), count: overlaps.length };
  return period === 'window'
    ? {
        code: 'overlapping_experiment',
        message: `${who} on the same metric overlapped this window: ${names}; ${its} effect may be mixed into this result.`,
        ...involved,
      }
    : {
        code: 'baseline_overlap',
        message: `${who} on the same metric ran during the baseline: ${names}; the expected value may carry ${its} effect.`,
        ...involved,
      };
}

/** The analysis of a primary metric the catalog does not know: nothing to measure, one thing missing. */
function unknownMetricAnalysis(primaryMetric: string): Analysis {
  return {
    method: 'none',
    baselineValue: null,
    windowValue: null,
    expectedValue: null,
    estimate: null,
    dataQuality: { windowCoverage: 0, baselineCoverage: 0, gaps: [], baselineDays: 0, windowDays: 0 },
    warnings: [],
    missing: [`a known primary metric (got "${primaryMetric}")`],
    placeboInflation: 1,
    counterfactual: 'baseline',
  };
}

/** The decision rule of `experiment`: an extended window is judged at a raised bar (Bonferroni over the ends it could have had: see extendExperiment). */
function decisionRuleOf(experiment: Experiment): { minLift: number; confidence: number; extensions: number } {
  const extensions = experiment.extensions?.length ?? 0;
  return { minLift: experiment.decision?.minLift ?? 0, confidence: confidenceAfterExtensions(experiment.decision?.confidence ?? 0.95, extensions), extensions };
}

function extendedWindowWarning(extensions: number, confidence: number): VerdictWarning[] {
  if (extensions === 0) return [];
  return [{
    code: 'extended_window',
    message: `The window was extended ${extensions === 1 ? 'once' : `${extensions} times`} before it ended, so the bar was raised to ${(confidence * 100).toFixed(1)} % (one test per possible end).`,
  }];
}

function expectedNotPositiveWarning(minLift: number): VerdictWarning {
  return {
    code: 'expected_not_positive',
    message: 'The counterfactual is zero or negative, so no relative lift can be given; the decision used the absolute effect' +
      (minLift > 0 ? ' and could not apply minLift.' : '.'),
  };
}

function listChangeOf(shift: DenominatorShift): ListChange {
  return {
    baselineDeliveredPerSend: shift.baselinePerSend,
    windowDeliveredPerSend: shift.windowPerSend,
    adjustment: shift.adjusted ? 'remaining_list' : 'none',
    unadjustedExpectedValue: shift.baselineRate,
  };
}

/** The numbers of a judged window: the inference, the decision and outcome it leads to, and what the window could detect. */
function judgeEstimate(experiment: Experiment, analysis: Analysis & { estimate: EffectEstimate }, rule: DecisionRule, window: Period) {
  const inference = inferEffect(analysis.estimate, rule.minLift);
  const decided = decide(inference, rule);
  // A moving denominator (list clean-up) can make any rate look better: such a result is never kept.
  const { decision, reason } = analysis.refuseKeep && decided.decision === 'keep' ? { decision: 'discard' as const, reason: 'not_improved' as const } : decided;
  const effectiveConfidence = equivalentConfidence(rule.confidence, analysis.placeboInflation, analysis.estimate.df);
  const targetLift = experiment.plan?.targetLift ?? Math.max(DEFAULT_TARGET_LIFT, 2 * rule.minLift);
  const windowDays = Math.max(1, Math.round((Date.parse(window.end) - Date.parse(window.start)) / DAY_MS));
  const outcome = analysis.refuseKeep ? 'inconclusive' as const : outcomeOf(decision, reason, inference, targetLift);
  const detectable = detectability(analysis.estimate, rule.confidence, rule.minLift, targetLift, windowDays);
  return { inference, decision, reason, effectiveConfidence, outcome, detectable };
}

/**
 * Scores `experiment` over an explicit window (the full window for a verdict, the elapsed part for
 * an interim readout). Exported for interim.ts.
 */
export function scoreWindow(
  experiment: Experiment,
  observations: readonly Observation[],
  window: Period,
  context: ScoringContext,
  interim?: { daysElapsed: number; windowDays: number },
): Verdict {
  if (experiment.design === 'switchback') return scoreSwitchbackWindow(experiment, observations, window, context, interim);
  if (experiment.design === 'post_variants') return scorePostVariantsWindow(experiment, observations, window, context, interim);
  const baseline = resolveBaseline(experiment, observations, context.otherExperiments);
  const { extensions, ...rule } = decisionRuleOf(experiment);
  const parsed = parseMetricKey(experiment.primaryMetric);
  const analysis = parsed
    ? analyseMetric({ parsed, observations, baseline, window, confidence: rule.confidence })
    : unknownMetricAnalysis(experiment.primaryMetric);
  const warnings: VerdictWarning[] = [
    ...[overlapWarning(overlappingExperiments(experiment, window, context.otherExperiments), 'window'),
      overlapWarning(overlappingExperiments(experiment, baseline, context.otherExperiments), 'baseline')].filter((w): w is VerdictWarning => w !== undefined),
    ...analysis.warnings,
    ...extendedWindowWarning(extensions, rule.confidence),
  ];

  const base = {
    experimentId: experiment.id,
    metric: experiment.primaryMetric,
    baselineValue: analysis.baselineValue,
    windowValue: analysis.windowValue,
    expectedValue: analysis.expectedValue,
    periods: { baseline: { start: baseline.start, end: baseline.end }, window: { start: window.start, end: window.end } },
    dataQuality: analysis.dataQuality,
    method: analysis.method,
    decisionRule: rule,
    ...(parsed && { unit: parsed.definition.unit }),
    ...(analysis.model && { model: analysis.model }),
    ...(analysis.placebo && { placebo: analysis.placebo }),
    ...(analysis.denominator && { listChange: listChangeOf(analysis.denominator) }),
    scoredAt: context.now.toISOString(),
  };

  const estimate = analysis.estimate;
  if (!estimate || analysis.missing.length > 0 || !parsed) {
    warnings.push({ code: 'insufficient_data', message: `Missing: ${analysis.missing.join('; ')}.` });
    const summary = parsed
      ? summarise({
          definition: parsed.definition, engine: parsed.engine, reason: 'insufficient_data', decision: 'discard',
          windowValue: null, expectedValue: null, counterfactual: analysis.counterfactual, absolute: null, absoluteInterval: null,
          relative: null, relativeInterval: null, probabilityOfImprovement: null, confidence: rule.confidence,
          effectiveConfidence: rule.confidence, minLift: rule.minLift, missing: analysis.missing, warnings, interim,
        })
      : `Not enough data to judge — missing ${analysis.missing[0]}. Discard.`;
    return {
      ...base,
      decision: 'discard',
      reason: 'insufficient_data',
      outcome: 'insufficient_data',
      effect: { absolute: null, relative: null, absoluteInterval: null, relativeInterval: null },
      probabilityOfImprovement: null,
      probabilityOfMinLift: null,
      effectiveConfidence: rule.confidence,
      warnings,
      missing: analysis.missing,
      summary,
    };
  }

  const { inference, decision, reason, effectiveConfidence, outcome, detectable } = judgeEstimate(experiment, { ...analysis, estimate }, rule, window);
  if (estimate.expectedValue <= 0) warnings.push(expectedNotPositiveWarning(rule.minLift));
  const summary = summarise({
    definition: parsed.definition, engine: parsed.engine, reason, decision,
    windowValue: estimate.windowValue, expectedValue: estimate.expectedValue,
    counterfactual: analysis.counterfactual, absolute: inference.absolute, absoluteInterval: inference.absoluteInterval,
    relative: inference.relative, relativeInterval: inference.relativeInterval,
    probabilityOfImprovement: inference.probabilityOfImprovement, confidence: rule.confidence, effectiveConfidence,
    minLift: rule.minLift, missing: [], warnings, interim, outcome, detectable,
    ...(analysis.denominator && { listChange: listChangeOf(analysis.denominator) }),
    ...(analysis.counterfactualSpec && {
      expectation: {
        baselineValue: analysis.baselineValue,
        ...(analysis.counterfactualSpec.trend && analysis.model?.trendPerDay !== undefined && { trendPerDay: analysis.model.trendPerDay }),
        ...(analysis.counterfactualSpec.lookbackDays !== undefined && { recentDays: analysis.counterfactualSpec.fittedDays }),
        ...(analysis.counterfactualSpec.damping !== undefined && { damped: true }),
      },
    }),
  });
  return {
    ...base,
    decision,
    reason,
    outcome,
    detectable,
    effect: {
      absolute: inference.absolute,
      relative: inference.relative,
      absoluteInterval: inference.absoluteInterval,
      relativeInterval: inference.relativeInterval,
    },
    probabilityOfImprovement: inference.probabilityOfImprovement,
    probabilityOfMinLift: inference.probabilityOfMinLift,
    effectiveConfidence,
    warnings,
    summary,
  };
}

/**
 * The verdict for a finished window. Missing or too little data is never a keep: it is a discard
 * with reason insufficient_data and `missing` saying what was missing.
 */
export function scoreExperiment(experiment: Experiment, observations: readonly Observation[], context: ScoringContext): Verdict {
  const window = { start: requireTime(experiment.start, 'start'), end: requireTime(experiment.end, 'end') };
  return scoreWindow(experiment, observations, window, context);
}
