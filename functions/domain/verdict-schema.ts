/**
 * The verdict, the interim readout, the research-log row and a catalog entry as zod schemas: what
 * GET /openapi.json and the MCP tools' output schemas say these responses are. Response schemas are
 * published without `additionalProperties: false` (a field added later is allowed, not promised), and a
 * compile-time check below makes every value the code
 * produces (Verdict, InterimReadout, ResearchLogRow, MetricDefinition) a valid instance, so the documented
 * shapes cannot drift from the types.
 */
import * as z from './zod-mini';
import { OUTCOMES } from './scoring/outcome';
import type { MetricDefinition } from './metric-catalog';
import type { ResearchLogRow } from './research-log';
import type { InterimReadout, Verdict } from './verdict';

const instant = z.described(z.string(), 'ISO-8601 date-time (UTC)');
const fraction = (what: string) => z.described(z.number(), `${what}, as a fraction (0.25 = +25 %)`);

export const IntervalSchema = z.described(z.object({ lower: z.number(), upper: z.number() }), '95 % interval');
const PeriodOut = z.object({ start: instant, end: z.described(instant, 'exclusive') });

export const VerdictWarningSchema = z.object({
  code: z.described(z.string(), 'moving_denominator, overlapping_experiment, baseline_overlap, unstable_baseline, low_coverage, short_baseline, few_events, no_seasonality, expected_not_positive, immature_events, carryover, skipped_days, unassigned_posts, unattributable_posts, insufficient_data'),
  message: z.string(),
  experimentIds: z.optional(z.array(z.string())),
});

const EffectSchema = z.object({
  absolute: z.described(z.nullable(z.number()), 'Window − counterfactual, in the metric\'s unit'),
  relative: z.nullable(fraction('Relative lift')),
  absoluteInterval: z.nullable(IntervalSchema),
  relativeInterval: z.described(z.nullable(IntervalSchema), '95 % interval of the relative lift (fractions)'),
});

/** What a verdict and an interim readout share (everything but decision, reason and scoredAt). */
const readoutShape = {
  experimentId: z.string(),
  metric: z.described(z.string(), 'The primary metric key'),
  baselineValue: z.described(z.nullable(z.number()), 'Metric value over the baseline, in `unit`'),
  windowValue: z.described(z.nullable(z.number()), 'Metric value over the window, in `unit`'),
  expectedValue: z.described(z.nullable(z.number()), 'Counterfactual: what the window was expected to show without the experiment'),
  effect: EffectSchema,
  probabilityOfImprovement: z.described(z.nullable(z.number().check(z.gte(0), z.lte(1))), 'P(true effect > 0)'),
  probabilityOfMinLift: z.described(z.optional(z.nullable(z.number().check(z.gte(0), z.lte(1)))), 'P(true relative lift > decision.minLift)'),
  decisionRule: z.optional(z.object({ minLift: fraction('Smallest lift that counts'), confidence: z.described(z.number(), 'Required probability of improvement, 0–1') })),
  effectiveConfidence: z.optional(z.number()),
  periods: z.object({ baseline: PeriodOut, window: PeriodOut }),
  dataQuality: z.object({
    windowCoverage: z.described(z.number(), 'Fraction (0–1) of expected daily values present in the window'),
    baselineCoverage: z.described(z.number(), 'Fraction (0–1) of expected daily values present in the baseline'),
    gaps: z.described(z.array(PeriodOut), 'Missing daily values as [start, end) ranges'),
    baselineDays: z.number(),
    windowDays: z.number(),
    baselineEvents: z.optional(z.number()),
    windowEvents: z.optional(z.number()),
  }),
  warnings: z.array(VerdictWarningSchema),
  missing: z.described(z.optional(z.array(z.string())), 'What was missing, when reason is insufficient_data'),
  summary: z.described(z.string(), 'Two or three plain-language sentences'),
  method: z.described(z.string(), 'Short name of the statistical method'),
  unit: z.described(z.optional(z.string()), 'Unit of the values and of the absolute effect (from the catalog)'),
  model: z.described(z.optional(z.object({ df: z.number() })), 'Model diagnostics'),
  placebo: z.described(z.optional(z.object({ windows: z.number(), unstable: z.boolean(), inflation: z.number() })), 'Placebo check on the baseline'),
  listChange: z.described(z.optional(z.object({
    baselineDeliveredPerSend: z.number(),
    windowDeliveredPerSend: z.number(),
    adjustment: z.described(z.enum(['remaining_list', 'none']), 'remaining_list: the list shrank and the expectation is the baseline rate over the list that remained (removed subscribers assumed not to open); none: compared as measured'),
    unadjustedExpectedValue: z.described(z.number(), 'The baseline rate as measured, before the adjustment'),
  })), 'Newsletter rates judged while the list shrank or grew sharply (moving_denominator)'),
  design: z.optional(z.enum(['switchback', 'post_variants'])),
  switchback: z.described(z.optional(z.object({ blockDays: z.number(), treatmentDays: z.number(), controlDays: z.number() })), 'Switchback verdicts: randomization test, regression, carryover'),
  postVariants: z.described(z.optional(z.object({ reference: z.string(), compared: z.string(), postsPerArm: z.record(z.string(), z.number()) })), 'Post-variant verdicts: posts per arm'),
};

export const VerdictSchema = z.described(z.object({
  ...readoutShape,
  decision: z.enum(['keep', 'discard']),
  reason: z.described(z.string(), 'improved, not_improved, below_min_lift, worse, insufficient_data'),
  outcome: z.described(z.optional(z.enum(OUTCOMES)), 'improved (kept), worse, no_effect (the interval rules out the target lift), inconclusive (the window could not tell), insufficient_data'),
  detectable: z.described(z.optional(z.object({
    detectableLift: z.described(z.nullable(z.number()), 'Smallest relative lift this window detects with 80 % power (fraction)'),
    targetLift: z.described(z.number(), 'The lift that matters (fraction)'),
    extraDaysForTarget: z.described(z.nullable(z.number()), 'More days of window that would detect targetLift with 80 % power; null when none up to 26 weeks would'),
    message: z.string(),
  })), 'What the window could detect, and the extension that would decide it'),
  scoredAt: instant,
}), 'A verdict: recorded once when the window ends (and again only by an explicit rescore)');

export const InterimReadoutSchema = z.described(z.object({
  ...readoutShape,
  notAVerdict: z.literal(true),
  daysElapsed: z.number(),
  daysLeft: z.number(),
  leaning: z.described(z.nullable(z.enum(['keep', 'discard'])), 'What the verdict would say if the window ended now (informational only); null = no leaning yet (too few measured days, leaningReason insufficient_data)'),
  leaningReason: z.string(),
  computedAt: instant,
}), 'Progress of a running experiment so far: explicitly not a verdict');

export const ResearchLogRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  primaryMetric: z.string(),
  unit: z.optional(z.string()),
  window: PeriodOut,
  concludedAt: instant,
  baselineValue: z.nullable(z.number()),
  windowValue: z.nullable(z.number()),
  expectedValue: z.nullable(z.number()),
  effect: EffectSchema,
  decision: z.enum(['keep', 'discard']),
  reason: z.string(),
  outcome: z.described(z.optional(z.enum(OUTCOMES)), 'improved, no_effect, worse, inconclusive or insufficient_data; absent for old not_improved verdicts recorded before outcomes'),
  description: z.described(z.string(), 'The hypothesis on one line (≤ 160 characters)'),
});

export const MetricDefinitionSchema = z.object({
  key: z.described(z.string(), 'The primaryMetric key'),
  description: z.string(),
  kind: z.enum(['count_rate', 'ratio', 'proportion']),
  unit: z.described(z.string(), 'Unit of the metric\'s values, e.g. followers/day or fraction (0–1)'),
  direction: z.literal('higher_is_better'),
  from: z.described(z.readonly(z.array(z.string())), 'Observed metrics it is derived from'),
  derivation: z.string(),
  engineQualifier: z.described(z.optional(z.boolean()), 'Accepts an engine qualifier, e.g. citations.citation_rate:perplexity'),
});

/** True when every T is a valid value of S's output: the documented shape admits what the code produces. */
type Admits<S, T> = [T] extends [S] ? true : false;
export const DOCUMENTED_SHAPES_ADMIT_VALUES: [
  Admits<z.output<typeof VerdictSchema>, Verdict>,
  Admits<z.output<typeof InterimReadoutSchema>, InterimReadout>,
  Admits<z.output<typeof ResearchLogRowSchema>, ResearchLogRow>,
  Admits<z.output<typeof MetricDefinitionSchema>, MetricDefinition>,
] = [true, true, true, true];
