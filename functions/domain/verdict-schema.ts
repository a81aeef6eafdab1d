/**
 * The verdict, the interim readout, the research-log row and a catalog entry as zod schemas: what
 * GET /openapi.json and the MCP tools' output schemas say these responses are. Response schemas are
 * published without `additionalProperties: false` (a field added later is allowed, not promised), and a
 * compile-time check below makes every value the code
 * produces (Verdict, InterimReadout, ResearchLogRow, MetricDefinition) a valid instance, so the documented
 * shapes cannot drift from the types.
 */
import * as z from 'zod';
import { OUTCOMES } from './scoring/outcome';
import type { MetricDefinition } from './metric-catalog';
import type { ResearchLogRow } from './research-log';
import type { InterimReadout, Verdict } from './verdict';

const instant = z.string().describe('ISO-8601 date-time (UTC)');
const fraction = (what: string) => z.number().describe(`${what}, as a fraction (0.25 = +25 %)`);

export const IntervalSchema = z.object({ lower: z.number(), upper: z.number() }).describe('95 % interval');
const PeriodOut = z.object({ start: instant, end: instant.describe('exclusive') });

export const VerdictWarningSchema = z.object({
  code: z.string().describe('moving_denominator, overlapping_experiment, baseline_overlap, unstable_baseline, low_coverage, short_baseline, few_events, no_seasonality, expected_not_positive, immature_events, carryover, skipped_days, unassigned_posts, unattributable_posts, insufficient_data'),
  message: z.string(),
  experimentIds: z.array(z.string()).optional(),
});

const EffectSchema = z.object({
  absolute: z.number().nullable().describe('Window − counterfactual, in the metric\'s unit'),
  relative: fraction('Relative lift').nullable(),
  absoluteInterval: IntervalSchema.nullable(),
  relativeInterval: IntervalSchema.nullable().describe('95 % interval of the relative lift (fractions)'),
});

/** What a verdict and an interim readout share (everything but decision, reason and scoredAt). */
const readoutShape = {
  experimentId: z.string(),
  metric: z.string().describe('The primary metric key'),
  baselineValue: z.number().nullable().describe('Metric value over the baseline, in `unit`'),
  windowValue: z.number().nullable().describe('Metric value over the window, in `unit`'),
  expectedValue: z.number().nullable().describe('Counterfactual: what the window was expected to show without the experiment'),
  effect: EffectSchema,
  probabilityOfImprovement: z.number().min(0).max(1).nullable().describe('P(true effect > 0)'),
  probabilityOfMinLift: z.number().min(0).max(1).nullable().optional().describe('P(true relative lift > decision.minLift)'),
  decisionRule: z.object({ minLift: fraction('Smallest lift that counts'), confidence: z.number().describe('Required probability of improvement, 0–1') }).optional(),
  effectiveConfidence: z.number().optional(),
  periods: z.object({ baseline: PeriodOut, window: PeriodOut }),
  dataQuality: z.object({
    windowCoverage: z.number().describe('Fraction (0–1) of expected daily values present in the window'),
    baselineCoverage: z.number().describe('Fraction (0–1) of expected daily values present in the baseline'),
    gaps: z.array(PeriodOut).describe('Missing daily values as [start, end) ranges'),
    baselineDays: z.number(),
    windowDays: z.number(),
    baselineEvents: z.number().optional(),
    windowEvents: z.number().optional(),
  }),
  warnings: z.array(VerdictWarningSchema),
  missing: z.array(z.string()).optional().describe('What was missing, when reason is insufficient_data'),
  summary: z.string().describe('Two or three plain-language sentences'),
  method: z.string().describe('Short name of the statistical method'),
  unit: z.string().optional().describe('Unit of the values and of the absolute effect (from the catalog)'),
  model: z.object({ df: z.number() }).optional().describe('Model diagnostics'),
  placebo: z.object({ windows: z.number(), unstable: z.boolean(), inflation: z.number() }).optional().describe('Placebo check on the baseline'),
  design: z.enum(['switchback', 'post_variants']).optional(),
  switchback: z.object({ blockDays: z.number(), treatmentDays: z.number(), controlDays: z.number() }).optional().describe('Switchback verdicts: randomization test, regression, carryover'),
  postVariants: z.object({ reference: z.string(), compared: z.string(), postsPerArm: z.record(z.string(), z.number()) }).optional().describe('Post-variant verdicts: posts per arm'),
};

export const VerdictSchema = z.object({
  ...readoutShape,
  decision: z.enum(['keep', 'discard']),
  reason: z.string().describe('improved, not_improved, below_min_lift, worse, insufficient_data'),
  outcome: z.enum(OUTCOMES).optional().describe('improved (kept), worse, no_effect (the interval rules out the target lift), inconclusive (the window could not tell), insufficient_data'),
  detectable: z.object({
    detectableLift: z.number().nullable().describe('Smallest relative lift this window detects with 80 % power (fraction)'),
    targetLift: z.number().describe('The lift that matters (fraction)'),
    extraDaysForTarget: z.number().nullable().describe('More days of window that would detect targetLift with 80 % power; null when none up to 26 weeks would'),
    message: z.string(),
  }).optional().describe('What the window could detect, and the extension that would decide it'),
  scoredAt: instant,
}).describe('A verdict: recorded once when the window ends (and again only by an explicit rescore)');

export const InterimReadoutSchema = z.object({
  ...readoutShape,
  notAVerdict: z.literal(true),
  daysElapsed: z.number(),
  daysLeft: z.number(),
  leaning: z.enum(['keep', 'discard']).nullable().describe('What the verdict would say if the window ended now (informational only); null = no leaning yet (too few measured days, leaningReason insufficient_data)'),
  leaningReason: z.string(),
  computedAt: instant,
}).describe('Progress of a running experiment so far: explicitly not a verdict');

export const ResearchLogRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  primaryMetric: z.string(),
  unit: z.string().optional(),
  window: PeriodOut,
  concludedAt: instant,
  baselineValue: z.number().nullable(),
  windowValue: z.number().nullable(),
  expectedValue: z.number().nullable(),
  effect: EffectSchema,
  decision: z.enum(['keep', 'discard']),
  reason: z.string(),
  outcome: z.enum(OUTCOMES).optional().describe('improved, no_effect, worse, inconclusive or insufficient_data; absent for old not_improved verdicts recorded before outcomes'),
  description: z.string().describe('The hypothesis on one line (≤ 160 characters)'),
});

export const MetricDefinitionSchema = z.object({
  key: z.string().describe('The primaryMetric key'),
  description: z.string(),
  kind: z.enum(['count_rate', 'ratio', 'proportion']),
  unit: z.string().describe('Unit of the metric\'s values, e.g. followers/day or fraction (0–1)'),
  direction: z.literal('higher_is_better'),
  from: z.array(z.string()).readonly().describe('Observed metrics it is derived from'),
  derivation: z.string(),
  engineQualifier: z.boolean().optional().describe('Accepts an engine qualifier, e.g. citations.citation_rate:perplexity'),
});

/** True when every T is a valid value of S's output: the documented shape admits what the code produces. */
type Admits<S, T> = [T] extends [S] ? true : false;
export const DOCUMENTED_SHAPES_ADMIT_VALUES: [
  Admits<z.output<typeof VerdictSchema>, Verdict>,
  Admits<z.output<typeof InterimReadoutSchema>, InterimReadout>,
  Admits<z.output<typeof ResearchLogRowSchema>, ResearchLogRow>,
  Admits<z.output<typeof MetricDefinitionSchema>, MetricDefinition>,
] = [true, true, true, true];
