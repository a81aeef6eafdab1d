/**
 * The plain-language summary: two or three sentences a marketer can act on —
 * what happened vs what was expected (with the interval), the decision and why, and the one caveat
 * that matters most.
 */
import type { MetricDefinition } from '../metric-catalog';
import type { Decision, Interval, ListChange, VerdictReason, VerdictWarning } from '../verdict';
import type { CounterfactualKind } from './metric-analysis';
import type { Detectability, Outcome } from './outcome';

export interface SummaryInput {
  definition: MetricDefinition;
  engine?: string;
  reason: VerdictReason;
  decision: Decision;
  windowValue: number | null;
  expectedValue: number | null;
  counterfactual: CounterfactualKind | 'randomized_control' | 'reference_arm';
  /** Randomized designs: the test's one-sided p-value and what the decision needed (1 − confidence). */
  randomization?: { pValue: number; needed: number; test: 'randomization' | 'clustered' };
  /** post_variants: the arm names, so the sentence names what was compared. */
  arms?: { reference: string; compared: string };
  absolute: number | null;
  absoluteInterval: Interval | null;
  relative: number | null;
  relativeInterval: Interval | null;
  probabilityOfImprovement: number | null;
  confidence: number;
  effectiveConfidence: number;
  minLift: number;
  missing: readonly string[];
  warnings: readonly VerdictWarning[];
  /** Count rates: the baseline's average and why the expectation differs from it. */
  expectation?: { baselineValue: number | null; trendPerDay?: number; recentDays?: number; damped?: boolean };
  /** The outcome beside the decision, and what the window could detect (inconclusive verdicts say so). */
  outcome?: Outcome;
  detectable?: Detectability;
  /** Newsletter rates judged while the list shrank or grew sharply: what the expectation was adjusted for. */
  listChange?: ListChange;
  /** Set for interim readouts: the text says so and gives a leaning instead of a decision. */
  interim?: { daysElapsed: number; windowDays: number };
}

const SUBJECTS: Record<string, string> = {
  'x.follower_growth_rate': 'X followers',
  'newsletter.subscriber_growth_rate': 'Subscribers',
  'bluesky.follower_growth_rate': 'Bluesky followers',
  'x.follower_growth_per_post': 'New followers per post',
  'x.engagement_rate': 'Engagement rate',
  'x.replies_per_post': 'Replies per post',
  'x.follows_per_post': 'Follows per post',
  'newsletter.open_rate': 'Open rate',
  'newsletter.click_rate': 'Click rate',
  'citations.citation_rate': 'Citation rate',
  'citations.mention_rate': 'Mention rate',
  'revenue.net_per_day': 'Net revenue',
  'revenue.new_customers_per_day': 'New paying customers',
  'revenue.mrr_growth_per_day': 'MRR growth',
  'traffic.visitors_per_day': 'Visitors',
  'traffic.ai_referred_visitors_per_day': 'AI-referred visitors',
};

/** 12.4 / 0.35 / 1,204 — one decimal, two below 1, none from 1000. */
export function formatNumber(x: number): string {
  const a = Math.abs(x);
  const digits = a >= 1000 ? 0 : a >= 1 || a === 0 ? 1 : 2;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function signed(x: number, format: (v: number) => string): string {
  const s = format(Math.abs(x));
  return `${x < 0 ? '-' : '+'}${s}`;
}

/** Relative change as "+75 %" (one decimal below 10 %). */
export function formatPercentChange(x: number): string {
  const a = Math.abs(x) * 100;
  return signed(x, () => `${a >= 10 ? Math.round(a) : a.toFixed(1)} %`);
}

/** A fraction as a percentage, "42.1 %". */
export function formatPercent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)} %`;
}

/** A probability as a percentage that never claims certainty: "97.3 %", at most "99.9 %", at least "0.1 %". */
export function formatProbability(p: number): string {
  return `${Math.min(99.9, Math.max(0.1, Math.round(p * 1000) / 10)).toFixed(1)} %`;
}

function valueText(def: MetricDefinition, x: number): string {
  if (def.kind === 'proportion') return formatPercent(x);
  if (def.kind === 'count_rate') return `${formatNumber(x)}/day`;
  return formatNumber(x);
}

function effectText(def: MetricDefinition, x: number): string {
  if (def.kind === 'proportion') return `${signed(x * 100, (v) => v.toFixed(1))} points`;
  if (def.kind === 'count_rate') return `${signed(x, formatNumber)}/day`;
  return signed(x, formatNumber);
}

function measurementSentence(s: SummaryInput): string {
  const def = s.definition;
  const subject = `${SUBJECTS[def.key] ?? def.key}${s.engine ? ` (${s.engine})` : ''}`;
  const a = s.windowValue!;
  const e = s.expectedValue!;
  const expected = {
    randomized_control: 'expected on those days from the control days (trend and weekday adjusted)',
    reference_arm: `on “${s.arms?.reference ?? 'reference'}” posts`,
    trend_and_weekdays: 'expected from the prior trend and weekday pattern',
    trend: 'expected from the prior trend',
    level_and_weekdays: 'expected from the recent level and weekday pattern',
    level: 'expected from the recent level',
    baseline: 'in the baseline',
    baseline_on_remaining_list: 'expected for the list that remained',
  }[s.counterfactual];
  const when = s.counterfactual === 'randomized_control' ? ' on treatment days' : s.counterfactual === 'reference_arm' ? ` on “${s.arms?.compared ?? 'treatment'}” posts` : '';
  const head =
    def.kind === 'count_rate'
      ? `${subject}${when} ${a >= 0 ? 'grew' : 'fell'} ${formatNumber(Math.abs(a))}/day vs ${formatNumber(e)}/day ${expected}`
      : `${subject}${when} was ${valueText(def, a)} vs ${valueText(def, e)} ${expected}`;
  let detail: string;
  if (s.relative !== null && s.relativeInterval) {
    detail = `${formatPercentChange(s.relative)}, 95 % interval ${formatPercentChange(s.relativeInterval.lower)} to ${formatPercentChange(s.relativeInterval.upper)}`;
  } else if (s.absolute !== null && s.absoluteInterval) {
    detail = `${effectText(def, s.absolute)}, 95 % interval ${effectText(def, s.absoluteInterval.lower)} to ${effectText(def, s.absoluteInterval.upper)}`;
  } else detail = '';
  return `${head}${detail ? ` (${detail})` : ''}.`;
}

function decisionSentence(s: SummaryInput): string {
  if (s.randomization && s.reason === 'not_improved') {
    const test = s.randomization.test === 'randomization' ? 'randomization test over redrawn schedules' : 'comparison of arms';
    return `${s.interim ? 'So far it leans discard' : 'Discard'}: not clearly better (${test}: p = ${formatP(s.randomization.pValue)}, needed ≤ ${formatP(s.randomization.needed)}).`;
  }
  if (s.randomization && s.reason === 'improved' && !s.interim) return `Keep (p = ${formatP(s.randomization.pValue)}).`;
  // A rate judged while the list moved is never kept, whichever way it went: say why, not "it did worse".
  const moved = s.warnings.find((w) => w.code === 'moving_denominator');
  if (moved && !s.randomization) return movedListSentence(s, moved);
  const p = s.probabilityOfImprovement ?? 0;
  const needed = s.effectiveConfidence;
  const prob = formatProbability;
  switch (s.reason) {
    case 'improved':
      return s.interim ? `So far it leans keep (${prob(p)} probability it helps).` : 'Keep.';
    case 'below_min_lift':
      return `${s.interim ? 'So far it leans discard' : 'Discard'}: probably better, but not clearly by the required ${formatPercentChange(s.minLift)}.`;
    case 'worse':
      return `${s.interim ? 'So far it leans discard' : 'Discard'}: it did worse than expected (${prob(1 - p)} probability).`;
    case 'not_improved': {
      const moved = s.warnings.find((w) => w.code === 'moving_denominator');
      if (moved) return movedListSentence(s, moved);
      if (!s.interim && s.outcome === 'inconclusive' && s.detectable) {
        return `Inconclusive, so not kept: not clearly better (probability of improvement ${prob(p)}, needed ${prob(needed)}). ${s.detectable.message}`;
      }
      if (!s.interim && s.outcome === 'no_effect' && s.detectable) {
        return `No effect worth keeping: the interval rules out ${formatPercentChange(s.detectable.targetLift)}, so discard.`;
      }
      return `${s.interim ? 'So far it leans discard' : 'Discard'}: not clearly better (probability of improvement ${prob(p)}, needed ${prob(needed)}).`;
    }
    default:
      return 'Discard.';
  }
}

/** Why a rate judged while the list moved is not kept (the warning has the figures). */
function movedListSentence(s: SummaryInput, moved: VerdictWarning): string {
  const head = s.interim ? 'So far it cannot lean keep' : 'Inconclusive, so not kept';
  const c = s.listChange;
  if (!c) return `${head}: ${moved.message}`;
  const act = s.definition.key === 'newsletter.click_rate' ? 'clicked' : 'opened';
  const change = Math.round(Math.abs(c.windowDeliveredPerSend / c.baselineDeliveredPerSend - 1) * 100);
  if (c.adjustment === 'remaining_list') {
    return `${head}: the list shrank by ${change} % (delivered per send), and the adjustment for it assumes the removed subscribers would not have ${act}, which the sends cannot show.`;
  }
  return c.windowDeliveredPerSend < c.baselineDeliveredPerSend
    ? `${head}: the list shrank by ${change} % (delivered per send) and the rate moved with it; the removed subscribers had ${act}, so no adjustment is possible.`
    : `${head}: the list grew by ${change} % (delivered per send), and how often the new subscribers ${act.replace('ed', '')} cannot be told apart from the rest, so the rate is compared as measured.`;
}

/**
 * What the expectation of a rate judged after a clean-up is: "The baseline's 30.5 % was over 2,000
 * delivered per send; counted over the 1,200 that remained, it is 50.8 %, the expectation for the window."
 */
function listChangeSentence(s: SummaryInput): string | undefined {
  const c = s.listChange;
  if (!c || c.adjustment !== 'remaining_list' || s.expectedValue === null) return undefined;
  return `The baseline's ${formatPercent(c.unadjustedExpectedValue)} was over ${formatNumber(c.baselineDeliveredPerSend)} delivered per send; ` +
    `counted over the ${formatNumber(c.windowDeliveredPerSend)} that remained, it is ${formatPercent(s.expectedValue)}, the expectation for the window.`;
}

/**
 * One line on what the expectation of a rate judged while the list moved is, for `verdict show` and the
 * dashboard: "Expected 50.8 % = the baseline's 30.5 % counted over the 1,200 delivered per send that
 * remained (2,000 before), assuming the removed subscribers would not have opened. Not kept whatever it shows."
 */
export function listChangeNote(c: ListChange, expectedValue: number | null, metricKey: string): string {
  const act = metricKey === 'newsletter.click_rate' ? 'clicked' : 'opened';
  const from = formatNumber(c.baselineDeliveredPerSend);
  const to = formatNumber(c.windowDeliveredPerSend);
  const change = Math.round(Math.abs(c.windowDeliveredPerSend / c.baselineDeliveredPerSend - 1) * 100);
  const tail = 'Not kept whatever it shows.';
  if (c.adjustment === 'remaining_list') {
    return `Adjusted for a list clean-up: expected ${expectedValue === null ? '' : `${formatPercent(expectedValue)} = `}the baseline's ${formatPercent(c.unadjustedExpectedValue)} counted over the ${to} delivered per send that remained (${from} before), ` +
      `assuming the removed subscribers would not have ${act}. ${tail}`;
  }
  return c.windowDeliveredPerSend > c.baselineDeliveredPerSend
    ? `Not adjusted: the list grew ${change} % (${from} → ${to} delivered per send) and the new subscribers' own rate cannot be told apart, so the rate is compared as measured: ` +
      `expected ${formatPercent(c.unadjustedExpectedValue)} if they ${act.replace('ed', '')} as often as the rest, ${formatPercent((c.unadjustedExpectedValue * c.baselineDeliveredPerSend) / c.windowDeliveredPerSend)} if they never do. ${tail}`
    : `Not adjusted: the list shrank ${change} % (${from} → ${to} delivered per send) but the removed subscribers had ${act}, so the rate moved with the list. ${tail}`;
}

/** A p-value as "0.012" (three decimals, never 0). */
function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

const CAVEAT_ORDER: VerdictWarning['code'][] = [
  'carryover', 'skipped_days', 'unassigned_posts', 'unattributable_posts', 'overlapping_experiment', 'baseline_overlap', 'unstable_baseline', 'low_coverage', 'immature_events', 'expected_not_positive', 'few_events', 'short_baseline', 'no_seasonality',
];

function caveatSentence(s: SummaryInput): string | undefined {
  for (const code of CAVEAT_ORDER) {
    const w = s.warnings.find((x) => x.code === code);
    if (!w) continue;
    switch (code) {
      case 'overlapping_experiment':
      case 'baseline_overlap':
        return `Caution: ${w.message}`;
      case 'unstable_baseline':
        return `The baseline was unstable (the model saw "effects" where nothing happened), so the bar was raised from ${formatProbability(s.confidence)} to ${formatProbability(s.effectiveConfidence)}.`;
      case 'low_coverage':
        return 'Caution: some days had no data, so the figures rest on partial measurements.';
      case 'immature_events':
        return 'Caution: some recent items were measured too early; their numbers may still grow.';
      case 'expected_not_positive':
        return 'No growth was expected, so the change is judged in absolute terms.';
      case 'few_events':
      case 'carryover':
      case 'skipped_days':
      case 'unassigned_posts':
      case 'unattributable_posts':
        return `Caution: ${w.message}`;
      case 'short_baseline':
        return 'The baseline was short, so only large effects can be told apart from the prior trend.';
      case 'no_seasonality':
        return 'Weekday patterns could not be accounted for.';
      default:
        return undefined;
    }
  }
  return undefined;
}

/**
 * Why the expected value is not the baseline's average, when they differ by more than 10 %: "The
 * baseline averaged 2.4/day; it was falling by 0.09/day, so the expectation for the window is 1.1/day."
 */
function expectationSentence(s: SummaryInput): string | undefined {
  const x = s.expectation;
  const b = x?.baselineValue;
  const e = s.expectedValue;
  if (!x || b === null || b === undefined || e === null || s.definition.kind !== 'count_rate') return undefined;
  if (Math.abs(e - b) <= 0.1 * Math.max(Math.abs(b), 0.1)) return undefined;
  const reasons: string[] = [];
  if (x.trendPerDay !== undefined && x.trendPerDay !== 0) {
    reasons.push(`${x.recentDays ? `over its last ${x.recentDays} days it` : 'it'} was ${x.trendPerDay > 0 ? 'rising' : 'falling'} by ${formatNumber(Math.abs(x.trendPerDay))}/day each day${x.damped ? ' (a trend assumed to level off)' : ''}`);
  } else if (x.recentDays) {
    reasons.push(`its last ${x.recentDays} days, which describe the present best, ran at a different level`);
  } else {
    reasons.push('the window has a different mix of weekdays');
  }
  return `The baseline averaged ${formatNumber(b)}/day; ${reasons.join('; ')}, so the expectation for the window is ${formatNumber(e)}/day, ${e < b ? 'below' : 'above'} the baseline's average.`;
}

/** The summary text for a verdict or an interim readout. */
export function summarise(s: SummaryInput): string {
  const prefix = s.interim ? `Interim readout after ${s.interim.daysElapsed} of ${s.interim.windowDays} days, not a verdict: ` : '';
  if (s.reason === 'insufficient_data') {
    const first = s.missing[0] ?? 'the data needed';
    const more = s.missing.length > 1 ? ` (and ${s.missing.length - 1} more)` : '';
    const tail = s.interim ? 'No leaning yet.' : 'Discard: without enough data nothing is kept.';
    return `${prefix}Not enough data to judge — missing ${first}${more}. ${tail}`;
  }
  const parts = [measurementSentence(s), decisionSentence(s)];
  const caveat = caveatSentence(s);
  if (caveat) parts.push(caveat);
  const why = expectationSentence(s) ?? listChangeSentence(s);
  if (why) parts.push(why);
  return prefix + parts.join(' ');
}
