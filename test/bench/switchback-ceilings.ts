/**
 * The most power any test can have for a switchback on Poisson counts, printed by the bench beside
 * the measured power so the gap can be read as what the data allow, not what our test loses:
 * - neymanPearsonBound: no level-α test of "no effect" can have more power against (control, treatment)
 *   rates than the most powerful test of one null point against that alternative (Neyman–Pearson),
 *   even a test told the days are Poisson; the tightest over a grid of null rates is returned. It
 *   holds for any snapshot schedule: given a day's total, how it splits over the hours carries
 *   nothing about the effect, so hourly counts tell no more than exact daily ones, and snapshots less;
 * - conditionalBinomialPower: the best unbiased test (uniformly most powerful unbiased: the treatment
 *   days' share of the total is Binomial), with or without randomizing at the boundary;
 * - tTestPower: a test that must estimate the noise from the window (so holds on overdispersed days):
 *   the t-test on normal days with the same variance;
 * - snapshotBound: the Neyman–Pearson bound on what 6-hourly snapshots show (the increments between
 *   them, a midnight inside one mixing two days), in the normal approximation, averaged over schedules
 *   and snapshot hours.
 */
import { drawArms, prepareDesign } from '../../functions/domain/switchback';
import { SeededRandom } from '../../functions/domain/seeded-random';
import { logGamma, normalCdf, normalQuantile } from '../../functions/domain/scoring/statistics';

const logPoisson = (k: number, mean: number) => k * Math.log(mean) - mean - logGamma(k + 1);

/** Most powerful level-α test of H0 (both arms at `nullRate`) against (control, treatment), daysPerArm days each: its power. */
function mostPowerful(control: number, treatment: number, nullRate: number, daysPerArm: number, alpha: number): number {
  const m0 = nullRate * daysPerArm;
  const [mc, mt] = [control * daysPerArm, treatment * daysPerArm];
  const range = (m: number) => ({ lo: Math.max(0, Math.floor(Math.min(m, m0) - 12 * Math.sqrt(Math.max(m, m0)) - 5)), hi: Math.ceil(Math.max(m, m0) + 12 * Math.sqrt(Math.max(m, m0)) + 5) });
  const rt = range(mt);
  const rc = range(mc);
  const points: { llr: number; p0: number; p1: number }[] = [];
  for (let t = rt.lo; t <= rt.hi; t++) {
    for (let c = rc.lo; c <= rc.hi; c++) {
      const l0 = logPoisson(t, m0) + logPoisson(c, m0);
      const l1 = logPoisson(t, mt) + logPoisson(c, mc);
      points.push({ llr: l1 - l0, p0: Math.exp(l0), p1: Math.exp(l1) });
    }
  }
  points.sort((a, b) => b.llr - a.llr);
  let size = 0;
  let power = 0;
  for (const p of points) {
    if (size + p.p0 <= alpha) {
      size += p.p0;
      power += p.p1;
    } else {
      power += (p.p1 * (alpha - size)) / p.p0; // randomized at the boundary
      break;
    }
  }
  return power;
}

/** The Neyman–Pearson bound (see the file header): the least, over null rates between the two, of the most powerful test's power. */
export function neymanPearsonBound(control: number, treatment: number, daysPerArm: number, alpha: number): number {
  let best = 1;
  for (let k = 0; k <= 12; k++) best = Math.min(best, mostPowerful(control, treatment, control + ((treatment - control) * k) / 12, daysPerArm, alpha));
  return best;
}

/** Power of the conditional binomial test (given the total, the treatment days' share is Binomial(N, ½) without an effect). */
export function conditionalBinomialPower(control: number, treatment: number, daysPerArm: number, alpha: number, randomized: boolean): number {
  const total = (control + treatment) * daysPerArm;
  const share = treatment / (control + treatment);
  let power = 0;
  for (let n = 0; n < total + 15 * Math.sqrt(total) + 20; n++) {
    const pN = Math.exp(logPoisson(n, total));
    if (pN < 1e-14 && n > total) break;
    const binom = (k: number, p: number) => Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log(1 - p));
    // Smallest c with P(X ≥ c | ½) ≤ α; randomized: also reject X = c − 1 with the probability that spends the rest of α.
    let tail = 0;
    let c = n + 1;
    while (c > 0 && tail + binom(c - 1, 0.5) <= alpha) tail += binom(--c, 0.5);
    let reject = 0;
    for (let k = c; k <= n; k++) reject += binom(k, share);
    if (randomized && c > 0) reject += (binom(c - 1, share) * (alpha - tail)) / binom(c - 1, 0.5);
    power += pN * reject;
  }
  return power;
}

/** Power of the one-sided t-test with `df` residual degrees of freedom for a standardized effect `delta` (noncentral t, by quadrature over the variance estimate). */
export function tTestPower(delta: number, df: number, alpha: number): number {
  // Critical value of t(df) at 1 − α, by bisection on the same quadrature with delta = 0.
  const tail = (c: number, d: number) => {
    const steps = 4000;
    const hi = df + 14 * Math.sqrt(2 * df);
    const h = hi / steps;
    let sum = 0;
    for (let i = 1; i < steps; i++) {
      const v = i * h;
      const density = Math.exp((df / 2 - 1) * Math.log(v) - v / 2 - (df / 2) * Math.LN2 - logGamma(df / 2));
      sum += density * (1 - normalCdf(c * Math.sqrt(v / df) - d)) * (i % 2 === 0 ? 2 : 4);
    }
    return (sum * h) / 3;
  };
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid, 0) > alpha) lo = mid;
    else hi = mid;
  }
  return tail((lo + hi) / 2, delta);
}

/**
 * Neyman–Pearson bound on 6-hourly snapshots (normal approximation): the increments between snapshots
 * are Poisson with means summed over their hours; the most powerful test of one null rate against the
 * alternative weighs each increment by log(μ1/μ0). Averaged over `draws` weekday-balanced schedules
 * of `windowDays` days and the 6 snapshot hours; `everyHours` = 24 with offset 0 gives exact days.
 */
export function snapshotBound(control: number, treatment: number, windowDays: number, alpha: number, everyHours: number, draws = 300): number {
  const dates = Array.from({ length: windowDays }, (_, i) => new Date(Date.UTC(2025, 0, 6 + i)).toISOString().slice(0, 10));
  const design = prepareDesign(dates, 1);
  const z = normalQuantile(1 - alpha);
  const offsets = everyHours >= 24 ? [0] : Array.from({ length: everyHours }, (_, o) => o);
  let best = 1;
  for (let k = 0; k <= 6; k++) {
    const nullRate = control + ((treatment - control) * k) / 6;
    let total = 0;
    let count = 0;
    const rngK = new SeededRandom(20250101);
    for (let d = 0; d < draws; d++) {
      const arms = drawArms(design, rngK);
      for (const offset of offsets) {
        let m0 = 0; let v0 = 0; let m1 = 0; let v1 = 0;
        for (let start = offset - everyHours; start < windowDays * 24; start += everyHours) {
          let mu0 = 0;
          let mu1 = 0;
          for (let h = Math.max(0, start); h < Math.min(windowDays * 24, start + everyHours); h++) {
            mu0 += nullRate / 24;
            mu1 += (arms[Math.floor(h / 24)] ? treatment : control) / 24;
          }
          if (mu0 === 0) continue;
          const w = Math.log(mu1 / mu0);
          m0 += mu0 * w; v0 += mu0 * w * w; m1 += mu1 * w; v1 += mu1 * w * w;
        }
        total += normalCdf((m1 - m0 - z * Math.sqrt(v0)) / Math.sqrt(v1));
        count++;
      }
    }
    best = Math.min(best, total / count);
  }
  return best;
}
