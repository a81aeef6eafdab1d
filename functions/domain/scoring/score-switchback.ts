/**
 * A switchback experiment's verdict: daily growth on each scheduled local day, treatment days against
 * control days (switchback-analysis.ts), and the same decision vocabulary, summary and exactly-once
 * lifecycle as every other verdict. The decision is intention-to-treat (days as assigned); skipped
 * days are reported per-protocol as well.
 */
import { confidenceAfterExtensions, type Experiment } from '../experiment';
import { metricFamily } from '../loop';
import { parseMetricKey } from '../metric-catalog';
import { countSnapshots } from '../metrics/daily-series';
import type { Observation } from '../observation';
import { dayPeriod, dependentSchedule, weekdayOf, type DependentSchedule, type SwitchbackDesign } from '../switchback';
import type { SwitchbackReport, Verdict, VerdictWarning } from '../verdict';
import { inferEffect } from './inference';
import { measureCount } from './snapshot-interpolation';
import { summarise } from './summary';
import { checkCarryover, fitSwitchback, MIN_DAYS_PER_ARM, type SwitchbackDay } from './switchback-analysis';

export interface SwitchbackScoringContext {
  now: Date;
  otherExperiments?: readonly Experiment[];
  /** Permutations of the randomization test (default 2000). */
  permutations?: number;
}

/** Other live switchbacks on the same metric family whose schedules overlap this one's. */
export function concurrentSwitchbacks(experiment: Experiment, others: readonly Experiment[] = []): Experiment[] {
  const family = metricFamily(experiment.primaryMetric);
  const dates = new Set(experiment.switchback?.schedule.map((d) => d.date) ?? []);
  return others.filter((o) =>
    o.id !== experiment.id && o.design === 'switchback' && o.switchback && o.status !== 'abandoned' && o.status !== 'backlog' &&
    metricFamily(o.primaryMetric) === family && o.switchback.schedule.some((d) => dates.has(d.date)));
}

/** Daily growth on each scheduled date that has ended by `until`, with the other switchbacks' arms. */
export function switchbackDays(
  design: SwitchbackDesign, observations: readonly Observation[], source: Parameters<typeof countSnapshots>[1], others: readonly Experiment[], until: Date,
  series?: string,
): SwitchbackDay[] {
  const snaps = countSnapshots(observations, source, series);
  const skipped = new Set(design.skips?.map((s) => s.date) ?? []);
  const otherArms = others.map((o) => new Map(o.switchback!.schedule.map((d) => [d.date, d.arm === 'treatment' && !d.washout ? 1 : 0])));
  const days: SwitchbackDay[] = [];
  design.schedule.forEach((d, index) => {
    const period = dayPeriod(d.date, design.timeZone);
    if (Date.parse(period.end) > until.getTime()) return;
    const a = measureCount(snaps, Date.parse(period.start));
    const b = measureCount(snaps, Date.parse(period.end));
    days.push({
      date: d.date,
      index,
      weekday: weekdayOf(d.date),
      value: a && b ? b.value - a.value : null,
      arm: d.arm,
      washout: d.washout === true,
      skipped: skipped.has(d.date),
      others: otherArms.map((m) => m.get(d.date) ?? 0),
    });
  });
  return days;
}

/**
 * Scores a switchback over the days that ended by `window.end` (the whole window for a verdict, the
 * elapsed part for an interim readout).
 */
export function scoreSwitchbackWindow(
  experiment: Experiment,
  observations: readonly Observation[],
  window: { start: string; end: string },
  context: SwitchbackScoringContext,
  interim?: { daysElapsed: number; windowDays: number },
): Verdict {
  const design = experiment.switchback;
  if (!design) throw new Error(`experiment ${experiment.id} has no switchback schedule`);
  // An extended window is judged at a raised bar, as before/after ones are (Bonferroni over the ends it could have had).
  const extensions = experiment.extensions?.length ?? 0;
  const rule = { minLift: experiment.decision?.minLift ?? 0, confidence: confidenceAfterExtensions(experiment.decision?.confidence ?? 0.95, extensions) };
  const parsed = parseMetricKey(experiment.primaryMetric);
  const others = concurrentSwitchbacks(experiment, context.otherExperiments);
  const days = parsed ? switchbackDays(design, observations, parsed.definition.from[0], others, new Date(window.end), parsed.series) : [];
  // Switchbacks drawn balanced against this one, whatever became of them (an abandoned one's draw still
  // depended on this schedule): the test redraws this schedule given theirs.
  const family = metricFamily(experiment.primaryMetric);
  const dependents = (context.otherExperiments ?? [])
    .filter((o) => o.id !== experiment.id && o.design === 'switchback' && o.switchback && o.status !== 'backlog' && metricFamily(o.primaryMetric) === family)
    .map((o) => dependentSchedule({ id: experiment.id, design }, { id: o.id, design: o.switchback! }))
    .filter((d): d is DependentSchedule => d !== undefined);
  const input = { days, design, others: others.map((o) => o.id), dependents, permutations: context.permutations };
  const fit = parsed?.definition.kind === 'count_rate' ? fitSwitchback(input) : undefined;

  const measured = days.filter((d) => d.value !== null);
  const byArm = (arm: 'treatment' | 'control') => days.filter((d) => d.arm === arm && !d.washout);
  const coverage = (xs: readonly SwitchbackDay[]) => (xs.length ? xs.filter((d) => d.value !== null).length / xs.length : 0);
  const skippedDays = days.filter((d) => d.skipped).length;
  const warnings: VerdictWarning[] = [];
  const missing: string[] = [];
  if (!parsed || parsed.definition.kind !== 'count_rate') missing.push(`a per-day growth metric for a switchback (got "${experiment.primaryMetric}")`);
  else if (!fit) {
    const t = byArm('treatment').filter((d) => d.value !== null).length;
    const c = byArm('control').filter((d) => d.value !== null).length;
    missing.push(`measured growth on at least ${MIN_DAYS_PER_ARM} treatment and ${MIN_DAYS_PER_ARM} control days; found ${t} and ${c} of ${days.length} days so far`);
  }
  if (extensions > 0) {
    warnings.push({
      code: 'extended_window',
      message: `The window was extended ${extensions === 1 ? 'once' : `${extensions} times`} before it ended (each added stretch of days drawn from its own seed), so the bar was raised to ${(rule.confidence * 100).toFixed(1)} % (one test per possible end).`,
    });
  }
  if (skippedDays > 0) {
    warnings.push({ code: 'skipped_days', message: `${skippedDays} day${skippedDays === 1 ? '' : 's'} did not follow the schedule; the decision counts them as assigned (intention-to-treat).` });
  }
  const carry = fit ? checkCarryover(input) : undefined;
  if (carry && carry.pValue < 0.05) {
    warnings.push({
      code: 'carryover',
      message: `Growth on the first day after a treatment block differed from after a control block (${carry.estimate >= 0 ? '+' : ''}${carry.estimate.toFixed(1)}/day, p = ${carry.pValue.toFixed(3)}): the effect seems to linger; washout days or longer blocks would separate the arms better.`,
    });
  }
  const perProtocolFit = fit && skippedDays > 0 ? fitSwitchback({ ...input, perProtocol: true, permutations: 0 }) : undefined;
  const perProtocol = perProtocolFit ? (() => {
    const inf = inferEffect(perProtocolFit.estimate, rule.minLift);
    return {
      skippedDays,
      absolute: inf.absolute,
      relative: inf.relative,
      absoluteInterval: inf.absoluteInterval,
      pValue: 1 - inf.probabilityOfImprovement,
    };
  })() : null;

  const treatmentCoverage = coverage(byArm('treatment'));
  const controlCoverage = coverage(byArm('control'));
  const report: SwitchbackReport = {
    blockDays: design.blockDays,
    washoutDays: design.washoutDays,
    seed: design.seed,
    timeZone: design.timeZone,
    treatmentDays: fit?.treatmentDays ?? 0,
    controlDays: fit?.controlDays ?? 0,
    washoutDaysLeftOut: days.filter((d) => d.washout).length,
    unmeasuredDays: days.length - measured.length,
    skippedDays,
    treatmentMean: fit?.treatmentMean ?? null,
    controlMean: fit?.controlMean ?? null,
    randomization: fit ? {
      pValue: fit.pImprovement, pValueWorse: fit.pWorse, permutations: fit.permutations, statistic: 'regression_t',
      ...(fit.balancedAgainst.length && { balancedAgainst: fit.balancedAgainst }),
      ...(fit.conditionedOn.length && { conditionedOn: fit.conditionedOn }),
    } : null,
    regression: fit ? { ...fit.covariates, df: fit.df, residualSd: fit.residualSd } : null,
    carryover: carry ?? null,
    perProtocol,
  };
  const base = {
    experimentId: experiment.id,
    metric: experiment.primaryMetric,
    baselineValue: fit?.controlMean ?? null,
    windowValue: fit ? fit.estimate.windowValue : null,
    expectedValue: fit ? fit.estimate.expectedValue : null,
    periods: { baseline: { start: window.start, end: window.end }, window: { start: window.start, end: window.end } },
    dataQuality: {
      windowCoverage: treatmentCoverage,
      baselineCoverage: controlCoverage,
      gaps: days.filter((d) => d.value === null).map((d) => dayPeriod(d.date, design.timeZone)),
      baselineDays: byArm('control').length,
      windowDays: days.length,
    },
    method: 'switchback_randomization',
    decisionRule: rule,
    design: 'switchback' as const,
    switchback: report,
    ...(parsed && { unit: parsed.definition.unit }),
    ...(fit && { model: { df: fit.df, dailyNoiseSd: fit.residualSd, weekdayEffects: fit.covariates.weekdays } }),
    scoredAt: context.now.toISOString(),
  };
  const alpha = 1 - rule.confidence;

  if (!fit || !parsed || missing.length > 0) {
    warnings.push({ code: 'insufficient_data', message: `Missing: ${missing.join('; ')}.` });
    const summary = parsed
      ? summarise({
          definition: parsed.definition, engine: parsed.engine, reason: 'insufficient_data', decision: 'discard', windowValue: null, expectedValue: null,
          counterfactual: 'randomized_control', absolute: null, absoluteInterval: null, relative: null, relativeInterval: null,
          probabilityOfImprovement: null, confidence: rule.confidence, effectiveConfidence: rule.confidence, minLift: rule.minLift, missing, warnings, interim,
        })
      : `Not enough data to judge — missing ${missing[0]}. Discard.`;
    return {
      ...base, decision: 'discard', reason: 'insufficient_data',
      effect: { absolute: null, relative: null, absoluteInterval: null, relativeInterval: null },
      probabilityOfImprovement: null, probabilityOfMinLift: null, effectiveConfidence: rule.confidence, warnings, missing, summary,
    };
  }

  const inference = inferEffect(fit.estimate, rule.minLift);
  // The decision is the randomization test's; the regression gives the size of the effect and minLift.
  const improved = fit.pImprovement <= alpha;
  const clearsMinLift = rule.minLift <= 0 || inference.probabilityOfMinLift === null || inference.probabilityOfMinLift >= rule.confidence;
  const { decision, reason } = improved
    ? clearsMinLift ? { decision: 'keep' as const, reason: 'improved' as const } : { decision: 'discard' as const, reason: 'below_min_lift' as const }
    : fit.pWorse <= alpha ? { decision: 'discard' as const, reason: 'worse' as const } : { decision: 'discard' as const, reason: 'not_improved' as const };
  if (fit.estimate.expectedValue <= 0) {
    warnings.push({ code: 'expected_not_positive', message: 'Control days showed no growth, so no relative lift can be given; the decision used the absolute effect.' });
  }
  const probabilityOfImprovement = 1 - fit.pImprovement;
  const summary = summarise({
    definition: parsed.definition, engine: parsed.engine, reason, decision,
    windowValue: fit.estimate.windowValue, expectedValue: fit.estimate.expectedValue, counterfactual: 'randomized_control',
    absolute: inference.absolute, absoluteInterval: inference.absoluteInterval, relative: inference.relative, relativeInterval: inference.relativeInterval,
    probabilityOfImprovement, confidence: rule.confidence, effectiveConfidence: rule.confidence, minLift: rule.minLift, missing: [], warnings, interim,
    randomization: { pValue: fit.pImprovement, needed: alpha, test: 'randomization' },
  }) + ` ${fit.treatmentDays} treatment vs ${fit.controlDays} control days${others.length ? `, adjusted for ${others.length} other switchback${others.length === 1 ? '' : 's'} on this metric` : ''}.`;
  return {
    ...base,
    decision,
    reason,
    effect: { absolute: inference.absolute, relative: inference.relative, absoluteInterval: inference.absoluteInterval, relativeInterval: inference.relativeInterval },
    probabilityOfImprovement,
    probabilityOfMinLift: inference.probabilityOfMinLift,
    effectiveConfidence: rule.confidence,
    warnings,
    summary,
  };
}
