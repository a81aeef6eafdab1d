/**
 * Turns experiments and their verdicts (or interim readouts) into chart annotations — the window
 * band, its label, the baseline and the counterfactual band. Pure, so it is unit-tested without a browser.
 */
import type { Experiment, InterimReadout, Verdict } from './api';
import type { AnnotationKind, ChartAnnotation } from './chart';
import { daysUntil, formatDate, formatLift } from './format';

const toSeconds = (iso: string) => Date.parse(iso) / 1000;

export interface AnnotationInput {
  experiment: Experiment;
  verdict?: Verdict | null;
  interim?: InterimReadout | null;
}

/** The experiment's annotation, or undefined for a backlog item (no window yet). */
export function annotationFor({ experiment: e, verdict, interim }: AnnotationInput, now: Date): ChartAnnotation | undefined {
  if (!e.start || !e.end) return undefined;
  const readout = verdict ?? interim ?? undefined;
  const kind: AnnotationKind = verdict ? verdict.decision
    : e.status === 'running' || e.status === 'planned' || e.status === 'abandoned' ? e.status
    : 'planned';
  const baseline = readout?.periods?.baseline ?? e.baseline;
  return {
    id: e.id,
    name: e.name,
    kind,
    label: labelFor(e, verdict, now),
    window: { start: toSeconds(e.start), end: toSeconds(e.end) },
    ...(baseline && { baseline: { start: toSeconds(baseline.start), end: toSeconds(baseline.end) } }),
    ...(readout && counterfactualOf(readout) && { counterfactual: counterfactualOf(readout) }),
  };
}

function labelFor(e: Experiment, verdict: Verdict | null | undefined, now: Date): string {
  if (verdict) {
    if (verdict.reason === 'insufficient_data') return `${verdict.decision.toUpperCase()} · too little data`;
    const lift = verdict.effect?.relative;
    // A window that could not tell is not "DISCARD": a marketer reads that as "the tactic failed".
    const word = verdict.outcome === 'inconclusive' ? 'INCONCLUSIVE' : verdict.outcome === 'no_effect' ? 'NO EFFECT' : verdict.decision.toUpperCase();
    return `${word}${lift !== null && lift !== undefined ? ` ${formatLift(lift)}` : ''}`;
  }
  switch (e.status) {
    case 'running': return `RUNNING · ${daysUntil(e.end, now)} d left`;
    case 'planned': return `STARTS ${formatDate(e.start, now).toUpperCase()}`;
    case 'abandoned': return 'ABANDONED';
    default: return e.status.toUpperCase();
  }
}

/**
 * The counterfactual per day with its 95 % band. The verdict's interval is for the effect
 * (window − expected), so the band for "expected" is window − effect interval.
 */
export function counterfactualOf(r: Pick<Verdict, 'expectedValue' | 'windowValue' | 'effect'>): ChartAnnotation['counterfactual'] | undefined {
  const expected = r.expectedValue;
  if (expected === null || expected === undefined || !Number.isFinite(expected)) return undefined;
  const observed = r.windowValue ?? null;
  const interval = r.effect?.absoluteInterval;
  if (observed === null || !interval) return { expected, lower: expected, upper: expected, observed };
  return { expected, lower: observed - interval.upper, upper: observed - interval.lower, observed };
}
