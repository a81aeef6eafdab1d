/**
 * A post-variant experiment's verdict: the window's posts, each in the arm its marker or hand tag
 * names, compared arm against reference arm with the clustered variance the per-post ratios already
 * use (each post is a cluster: engagement rate by the random-effects proportion estimator, replies per
 * post by the delta method). Posts without an arm are left out and counted. The verdict says how many
 * posts each arm had and, when undecided, about how many more per arm would likely decide it.
 */
import type { Experiment } from '../experiment';
import { cellTotals, eventUnits, type EventUnit, FOLLOW_ATTRIBUTION_HOURS, unitsIn } from '../metrics/event-units';
import { parseMetricKey } from '../metric-catalog';
import type { Observation, XPostObservation } from '../observation';
import { armOfPost } from '../post-variants';
import type { PostVariantsReport, Verdict, VerdictWarning } from '../verdict';
import { decide, type EffectEstimate, inferEffect } from './inference';
import { compareUnpairedProportions } from './proportion-model';
import { compareRatios } from './ratio-model';
import { normalQuantile } from './statistics';
import { summarise } from './summary';

/** Power the "posts needed" figure is sized for. */
const DECIDE_POWER = 0.8;

/** Latest markers seen per post id (posts are read several times; markers do not change). */
function markersByPost(observations: readonly Observation[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const o of observations) if (o.metric === 'x.post' && (o as XPostObservation).markers) out.set(o.id, (o as XPostObservation).markers!);
  return out;
}

function compare(kind: 'proportion' | 'ratio', reference: readonly EventUnit[], compared: readonly EventUnit[]): EffectEstimate | undefined {
  if (kind === 'proportion') {
    if (reference.length + compared.length < 3 || reference.length === 0 || compared.length === 0) return undefined;
    return compareUnpairedProportions(cellTotals(reference), cellTotals(compared)).estimate;
  }
  if (reference.length < 2 || compared.length < 2) return undefined;
  const toRatio = (u: EventUnit) => ({ y: u.numerator, x: u.denominator });
  return compareRatios(reference.map(toRatio), compared.map(toRatio)).estimate;
}

/**
 * Posts per arm that would give an 80 % chance of deciding if the effect is what was estimated:
 * n·((z_conf + z_power) / z_now)², minus the posts already there. Null when nothing positive was seen.
 */
export function morePostsToDecide(postsPerArm: number, absolute: number, standardError: number, confidence: number): number | null {
  if (!(absolute > 0) || !(standardError > 0)) return null;
  const zNow = absolute / standardError;
  const needed = postsPerArm * ((normalQuantile(confidence) + normalQuantile(DECIDE_POWER)) / zNow) ** 2;
  return Math.max(0, Math.ceil(needed - postsPerArm));
}

export function scorePostVariantsWindow(
  experiment: Experiment,
  observations: readonly Observation[],
  window: { start: string; end: string },
  context: { now: Date },
  interim?: { daysElapsed: number; windowDays: number },
): Verdict {
  const design = experiment.postVariants;
  if (!design) throw new Error(`experiment ${experiment.id} has no post-variant design`);
  const rule = { minLift: experiment.decision?.minLift ?? 0, confidence: experiment.decision?.confidence ?? 0.95 };
  const parsed = parseMetricKey(experiment.primaryMetric);
  const kind = parsed?.definition.kind === 'proportion' ? 'proportion' : 'ratio';
  const markers = markersByPost(observations);
  const units = parsed ? unitsIn(eventUnits(parsed, observations).filter((u) => kind !== 'proportion' || u.denominator > 0), Date.parse(window.start), Date.parse(window.end)) : [];
  const byArm = new Map<string, EventUnit[]>(design.arms.map((a) => [a, []]));
  let unassigned = 0;
  for (const u of units) {
    const arm = armOfPost(design, { id: u.id, markers: markers.get(u.id) });
    if (arm && byArm.has(arm)) byArm.get(arm)!.push(u);
    else unassigned++;
  }
  const [reference, comparedArm, ...rest] = design.arms;
  const ref = byArm.get(reference)!;
  const cmp = byArm.get(comparedArm)!;
  const estimate = parsed ? compare(kind, ref, cmp) : undefined;
  const valueOf = (us: readonly EventUnit[]) => {
    const d = us.reduce((s, u) => s + u.denominator, 0);
    return d > 0 ? us.reduce((s, u) => s + u.numerator, 0) / d : null;
  };
  const postsPerArm = Object.fromEntries(design.arms.map((a) => [a, byArm.get(a)!.length]));
  const warnings: VerdictWarning[] = [];
  if (parsed?.definition.key === 'x.follows_per_post') {
    const published = new Set(observations.filter((o): o is XPostObservation => o.metric === 'x.post' && o.publishedAt !== undefined
      && Date.parse(o.publishedAt) >= Date.parse(window.start) && Date.parse(o.publishedAt) < Date.parse(window.end)).map((o) => o.id));
    const left = published.size - units.length;
    if (left > 0) {
      warnings.push({
        code: 'unattributable_posts',
        message: `${left} of ${published.size} post${published.size === 1 ? '' : 's'} in the window had no follows of their own to count (another post within ${FOLLOW_ATTRIBUTION_HOURS} h after, or no follower snapshots within hours of it) and ${left === 1 ? 'was' : 'were'} left out.`,
      });
    }
  }
  if (unassigned > 0) {
    warnings.push({ code: 'unassigned_posts', message: `${unassigned} post${unassigned === 1 ? '' : 's'} in the window had no arm (no marker ${design.markerPrefix}… and no tag) and ${unassigned === 1 ? 'was' : 'were'} left out.` });
  }
  const report: PostVariantsReport = {
    reference, compared: comparedArm, postsPerArm, unassignedPosts: unassigned, morePostsPerArmToDecide: null,
    ...(rest.length > 0 && {
      otherComparisons: rest.flatMap((arm) => {
        const est = compare(kind, ref, byArm.get(arm)!);
        if (!est) return [];
        const inf = inferEffect(est, rule.minLift);
        return [{ arm, relative: inf.relative, probabilityOfImprovement: inf.probabilityOfImprovement }];
      }),
    }),
  };
  const base = {
    experimentId: experiment.id,
    metric: experiment.primaryMetric,
    baselineValue: valueOf(ref),
    windowValue: valueOf(cmp),
    expectedValue: estimate?.expectedValue ?? null,
    periods: { baseline: { start: window.start, end: window.end }, window: { start: window.start, end: window.end } },
    dataQuality: { windowCoverage: 1, baselineCoverage: 1, gaps: [], baselineDays: 0, windowDays: Math.round((Date.parse(window.end) - Date.parse(window.start)) / 86_400_000), baselineEvents: ref.length, windowEvents: cmp.length },
    method: kind === 'proportion' ? 'post_variants_random_effects' : 'post_variants_ratio_delta',
    decisionRule: rule,
    design: 'post_variants' as const,
    ...(parsed && { unit: parsed.definition.unit }),
    scoredAt: context.now.toISOString(),
  };
  const arms = { reference, compared: comparedArm };
  if (!parsed || !estimate) {
    const missing = [`at least ${kind === 'proportion' ? '3 posts with impressions across' : '2 posts in each of'} the arms “${reference}” and “${comparedArm}”; found ${ref.length} and ${cmp.length} (${unassigned} without an arm)`];
    warnings.push({ code: 'insufficient_data', message: `Missing: ${missing.join('; ')}.` });
    const summary = parsed
      ? summarise({
          definition: parsed.definition, reason: 'insufficient_data', decision: 'discard', windowValue: null, expectedValue: null, counterfactual: 'reference_arm',
          absolute: null, absoluteInterval: null, relative: null, relativeInterval: null, probabilityOfImprovement: null, confidence: rule.confidence,
          effectiveConfidence: rule.confidence, minLift: rule.minLift, missing, warnings, interim, arms,
        })
      : `Not enough data to judge — missing ${missing[0]}. Discard.`;
    return {
      ...base, postVariants: report, decision: 'discard', reason: 'insufficient_data',
      effect: { absolute: null, relative: null, absoluteInterval: null, relativeInterval: null },
      probabilityOfImprovement: null, probabilityOfMinLift: null, effectiveConfidence: rule.confidence, warnings, missing, summary,
    };
  }
  const inference = inferEffect(estimate, rule.minLift);
  const { decision, reason } = decide(inference, rule);
  if (reason === 'not_improved' || reason === 'below_min_lift') {
    report.morePostsPerArmToDecide = morePostsToDecide(Math.min(ref.length, cmp.length), inference.absolute, inference.standardError, rule.confidence);
  }
  const more = report.morePostsPerArmToDecide;
  const summary = summarise({
    definition: parsed.definition, reason, decision, windowValue: estimate.windowValue, expectedValue: estimate.expectedValue, counterfactual: 'reference_arm',
    absolute: inference.absolute, absoluteInterval: inference.absoluteInterval, relative: inference.relative, relativeInterval: inference.relativeInterval,
    probabilityOfImprovement: inference.probabilityOfImprovement, confidence: rule.confidence, effectiveConfidence: rule.confidence, minLift: rule.minLift,
    missing: [], warnings, interim, arms,
  }) + ` ${ref.length} “${reference}” vs ${cmp.length} “${comparedArm}” posts${more !== null && more > 0 ? `; about ${more} more per arm would likely decide it if the effect is as estimated` : ''}.`;
  return {
    ...base,
    postVariants: report,
    decision,
    reason,
    effect: { absolute: inference.absolute, relative: inference.relative, absoluteInterval: inference.absoluteInterval, relativeInterval: inference.relativeInterval },
    probabilityOfImprovement: inference.probabilityOfImprovement,
    probabilityOfMinLift: inference.probabilityOfMinLift,
    effectiveConfidence: rule.confidence,
    warnings,
    summary,
  };
}
