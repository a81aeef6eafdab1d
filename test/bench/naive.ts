/**
 * The naive before/after comparison the bench holds Verdict against — what a spreadsheet would do:
 * count rates: mean daily growth in the window vs the baseline, Welch t-test on daily values;
 * proportions: pooled rate vs pooled rate, two-proportion z-test treating every email, impression or
 * answer as an independent trial; replies per post: Poisson z-test on reply counts.
 * Keep when the one-sided test is significant at 5 %.
 */
import { parseMetricKey } from '../../functions/domain/metric-catalog';
import { dailySeries } from '../../functions/domain/metrics/daily-series';
import { eventUnits, unitsIn } from '../../functions/domain/metrics/event-units';
import type { Interval } from '../../functions/domain/verdict';
import { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from '../../functions/domain/scoring/statistics';
import type { SyntheticExperiment } from './synthetic';

export interface NaiveResult {
  keep: boolean;
  interval: Interval | null;
}

function welch(a: number[], b: number[]): NaiveResult {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = (xs: number[], m: number) => xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
  if (a.length < 2 || b.length < 2) return { keep: false, interval: null };
  const ma = mean(a);
  const mb = mean(b);
  const va = variance(a, ma) / a.length;
  const vb = variance(b, mb) / b.length;
  const se = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
  const diff = mb - ma;
  const t = studentTQuantile(0.975, df);
  return { keep: se > 0 && studentTCdf(diff / se, df) >= 0.95, interval: { lower: diff - t * se, upper: diff + t * se } };
}

function z(diff: number, se: number): NaiveResult {
  const q = normalQuantile(0.975);
  return { keep: se > 0 && normalCdf(diff / se) >= 0.95, interval: { lower: diff - q * se, upper: diff + q * se } };
}

/** `baseline` defaults to the experiment's explicit one (pass the verdict's period when it has none). */
export function naiveBeforeAfter(sim: SyntheticExperiment, baselinePeriod?: { start: string; end: string }): NaiveResult {
  const e = sim.experiment;
  const parsed = parseMetricKey(e.primaryMetric)!;
  const baseline = baselinePeriod ?? e.baseline!;
  const window = { start: e.start!, end: e.end! };
  if (parsed.definition.kind === 'count_rate') {
    const values = (p: { start: string; end: string }) =>
      dailySeries(e.primaryMetric, sim.observations, p).map((x) => x.value).filter((v): v is number => v !== null);
    return welch(values(baseline), values(window));
  }
  const units = eventUnits(parsed, sim.observations);
  const period = (p: { start: string; end: string }) => unitsIn(units, Date.parse(p.start), Date.parse(p.end));
  const b = period(baseline);
  const w = period(window);
  const sums = (us: typeof b) => ({ x: us.reduce((s, u) => s + u.numerator, 0), n: us.reduce((s, u) => s + u.denominator, 0) });
  const sb = sums(b);
  const sw = sums(w);
  if (sb.n === 0 || sw.n === 0) return { keep: false, interval: null };
  const pb = sb.x / sb.n;
  const pw = sw.x / sw.n;
  if (parsed.definition.kind === 'proportion') return z(pw - pb, Math.sqrt((pb * (1 - pb)) / sb.n + (pw * (1 - pw)) / sw.n));
  return z(pw - pb, Math.sqrt(pb / sb.n + pw / sw.n));
}
