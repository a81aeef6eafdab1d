/**
 * The outcome beside the decision: the loop keeps only a credible improvement, but a discard is one of
 * three things — the tactic credibly did worse, the window rules out the lift that matters (no effect),
 * or the window could not tell (inconclusive). An inconclusive verdict says what the window could
 * detect and how much longer a window would have to be to detect the lift that matters.
 */
import type { Decision, VerdictReason } from '../verdict';
import type { EffectEstimate, EffectInference } from './inference';
import { studentTQuantile } from './statistics';

export const OUTCOMES = ['improved', 'no_effect', 'worse', 'inconclusive', 'insufficient_data'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What the window could see: the lift detectable at 80 % power and the extension that would detect the target. */
export interface Detectability {
  /** Smallest relative lift this window detects with 80 % power (null: the counterfactual is not positive). */
  detectableLift: number | null;
  /** The lift that matters (the plan's target: +50 %, or 2 × minLift when larger). */
  targetLift: number;
  /** More days of window that would detect targetLift with 80 % power (null: no window up to 26 weeks would). */
  extraDaysForTarget: number | null;
  message: string;
}

const POWER_Z = 0.8;
const MAX_EXTRA_DAYS = 182;

const liftText = (x: number) => `+${Math.round(x * 100)} %`;

/** What the window could see, as numbers only (Detectability without its message). */
type DetectabilityNumbers = Omit<Detectability, 'message'>;

/** What the window could see, with the sentence a verdict shows. */
export function detectability(
  estimate: EffectEstimate, confidence: number, minLift: number, targetLift: number, windowDays: number,
): Detectability {
  const numbers = detectabilityNumbers(estimate, confidence, minLift, targetLift, windowDays);
  return { ...numbers, message: detectabilityMessage(numbers, windowDays) };
}

/**
 * Detectability from the verdict's own standard errors. The window part of the variance shrinks as
 * 1/length, the counterfactual's stays; so a window W' detects L when (t_conf + t_0.8)·se(W') ≤ (L − minLift)·E.
 */
function detectabilityNumbers(
  estimate: EffectEstimate, confidence: number, minLift: number, targetLift: number, windowDays: number,
): DetectabilityNumbers {
  const e = estimate.expectedValue;
  const multiplier = studentTQuantile(confidence, estimate.df) + studentTQuantile(POWER_Z, estimate.df);
  const windowPart = Math.max(estimate.windowVariance - 2 * estimate.covariance, 0);
  const fixedPart = estimate.expectedVariance;
  const se = Math.sqrt(windowPart + fixedPart);
  if (!(e > 0)) return { detectableLift: null, targetLift, extraDaysForTarget: null };
  const detectable = minLift + (multiplier * se) / e;
  const needed = ((targetLift - minLift) * e) / multiplier;
  const room = needed * needed - fixedPart;
  let extra: number | null = null;
  if (room > 0 && windowPart > 0) {
    const w = (windowPart * windowDays) / room;
    extra = Math.max(1, Math.ceil(w - windowDays));
    if (extra > MAX_EXTRA_DAYS) extra = null;
  }
  return { detectableLift: detectable, targetLift, extraDaysForTarget: detectable <= targetLift ? 0 : extra };
}

/** What a `windowDays`-day window could see, in words: its detectable lift and the extension (if any) that would see the target. */
function detectabilityMessage(d: DetectabilityNumbers, windowDays: number): string {
  if (d.detectableLift === null) return 'No growth was expected, so no relative lift can be planned for.';
  const could = `This ${windowDays}-day window could detect ${liftText(d.detectableLift)} or more`;
  const longer = d.detectableLift <= d.targetLift
    ? ` (it could see ${liftText(d.targetLift)})`
    : d.extraDaysForTarget !== null
      ? `; ${d.extraDaysForTarget} more days (verdict extend, or verdict rerun with ${windowDays + d.extraDaysForTarget} days) would detect ${liftText(d.targetLift)}`
      : `; no window up to 26 weeks would detect ${liftText(d.targetLift)} against this baseline — a longer baseline or a bigger metric would`;
  return `${could}${longer}.`;
}

/**
 * improved: kept. worse: credibly worse. no_effect: not kept, and the 95 % interval's upper end is
 * below the target lift (the window rules out the lift that matters). inconclusive: not kept, and the
 * interval still includes the target lift — the window could not tell.
 */
export function outcomeOf(decision: Decision, reason: VerdictReason, inference: EffectInference | null, targetLift: number): Outcome {
  if (reason === 'insufficient_data' || !inference) return 'insufficient_data';
  if (decision === 'keep') return 'improved';
  if (reason === 'worse') return 'worse';
  const upper = inference.relativeInterval?.upper;
  return upper !== undefined && upper < targetLift ? 'no_effect' : 'inconclusive';
}
