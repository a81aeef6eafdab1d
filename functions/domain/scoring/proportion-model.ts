/**
 * Proportion metrics (open rate, click rate, engagement rate, citation/mention rate): the window's
 * pooled proportion against the baseline's, with variances that respect clustering.
 *
 * Successes within one send, post or prompt are not independent trials: per-send open rates vary
 * far more than binomial noise (subject line, day, list segment). Treating every email as a coin
 * flip makes tiny, meaningless differences "significant". Two estimators:
 *
 * - Unpaired units (sends, posts — each belongs to one period): a random-effects ratio estimator.
 *   Each unit's rate = p + u, Var(u) = τ²; Var(p̂) = p(1−p)/N + τ²·Σn²/N². τ² is estimated by the
 *   method of moments from both periods pooled, so even a period with one send is handled.
 * - Paired clusters (citation prompts, asked in both periods): the delta-method (cluster-robust)
 *   variance of the difference of two ratio estimators, clustered by prompt. Prompt-to-prompt
 *   differences cancel, prompt-level noise is counted.
 */
import type { EffectEstimate } from './inference';

export interface ClusterTotals {
  /** Send id, post id or prompt. */
  cluster: string;
  successes: number;
  trials: number;
}

export interface ProportionComparison {
  estimate: EffectEstimate;
  method: 'proportion_random_effects' | 'proportion_paired_clusters';
  /** Between-unit variance of the rate (τ²), for unpaired designs. */
  betweenUnitVariance?: number;
}

const LARGE_DF = 1e6;
/** Share of the within-cell binomial variance used as a guard for paired estimates. */
const PAIRED_FLOOR_SHARE = 0.25;

interface Arm {
  k: number;
  n: number;
  x: number;
  p: number;
  s2: number;
  s3: number;
  /** Σ (x_i − p·n_i)² */
  r: number;
}

function arm(units: readonly ClusterTotals[]): Arm {
  let n = 0;
  let x = 0;
  let s2 = 0;
  let s3 = 0;
  for (const u of units) {
    n += u.trials;
    x += u.successes;
    s2 += u.trials * u.trials;
    s3 += u.trials * u.trials * u.trials;
  }
  const p = n > 0 ? x / n : 0;
  let r = 0;
  for (const u of units) r += (u.successes - p * u.trials) ** 2;
  return { k: units.length, n, x, p, s2, s3, r };
}

/** Binomial variance of a pooled proportion, with add-one smoothing so 0/N is not treated as certain. */
function binomialVariance(a: Arm): number {
  const p = (a.x + 1) / (a.n + 2);
  return (p * (1 - p)) / a.n;
}

/**
 * Unpaired comparison (sends, posts). Needs trials in both periods and ≥ 3 units in total
 * (τ² has K − 2 degrees of freedom); the caller checks and reports what is missing.
 */
export function compareUnpairedProportions(baseline: readonly ClusterTotals[], window: readonly ClusterTotals[]): ProportionComparison {
  const b = arm(baseline);
  const w = arm(window);
  const arms = [b, w];
  let binomialPart = 0;
  let denominator = 0;
  for (const a of arms) {
    binomialPart += a.p * (1 - a.p) * (a.n - a.s2 / a.n);
    denominator += a.s2 - (2 * a.s3) / a.n + (a.s2 * a.s2) / (a.n * a.n);
  }
  const tau2 = denominator > 0 ? Math.max(0, (b.r + w.r - binomialPart) / denominator) : 0;
  const vb = binomialVariance(b) + (tau2 * b.s2) / (b.n * b.n);
  const vw = binomialVariance(w) + (tau2 * w.s2) / (w.n * w.n);
  // With τ̂² > 0 the variance is, for equal-sized units, exactly the between-unit spread of the rates:
  // a scaled χ² with K − 2 df, however it splits into binomial and τ² parts. With τ̂² = 0 it is the
  // binomial variance, treated as known.
  const nu = b.k + w.k - 2;
  const df = tau2 > 0 && nu > 0 ? nu : LARGE_DF;
  return {
    estimate: { windowValue: w.p, expectedValue: b.p, windowVariance: vw, expectedVariance: vb, covariance: 0, df },
    method: 'proportion_random_effects',
    betweenUnitVariance: tau2,
  };
}

/** Totals of one cell (a prompt on one engine) inside a cluster (the prompt). */
export interface CellTotals extends ClusterTotals {
  cell: string;
}

/**
 * Paired comparison clustered by prompt (citations). Needs ≥ 3 prompts and answers in both periods.
 * Var(p̂_w − p̂_b) = J/(J−1)·Σ_j (u_j − v_j)², u_j = (c_wj − p̂_w·a_wj)/A_w (delta method for a ratio
 * of sums, clustered by prompt), never below a quarter of the binomial variance within
 * prompt×engine cells. The guard only catches degenerate estimates (few prompts that happen to
 * move together); a floor near the typical value would bind half the time and bias intervals wide.
 */
export function comparePairedProportions(baseline: readonly CellTotals[], window: readonly CellTotals[]): ProportionComparison {
  const clusters = new Map<string, { cb: number; ab: number; cw: number; aw: number }>();
  const cells = new Map<string, { cb: number; ab: number; cw: number; aw: number }>();
  const add = (map: typeof clusters, key: string, u: ClusterTotals, inWindow: boolean) => {
    let c = map.get(key);
    if (!c) map.set(key, (c = { cb: 0, ab: 0, cw: 0, aw: 0 }));
    if (inWindow) {
      c.cw += u.successes;
      c.aw += u.trials;
    } else {
      c.cb += u.successes;
      c.ab += u.trials;
    }
  };
  for (const u of baseline) {
    add(clusters, u.cluster, u, false);
    add(cells, u.cell, u, false);
  }
  for (const u of window) {
    add(clusters, u.cluster, u, true);
    add(cells, u.cell, u, true);
  }
  let ab = 0, cb = 0, aw = 0, cw = 0;
  for (const c of clusters.values()) {
    ab += c.ab; cb += c.cb; aw += c.aw; cw += c.cw;
  }
  const pb = cb / ab;
  const pw = cw / aw;
  const j = clusters.size;
  const factor = j / (j - 1);
  let vw = 0, vb = 0, cov = 0;
  for (const c of clusters.values()) {
    const u = (c.cw - pw * c.aw) / aw;
    const v = (c.cb - pb * c.ab) / ab;
    vw += u * u;
    vb += v * v;
    cov += u * v;
  }
  let floorW = 0, floorB = 0;
  for (const c of cells.values()) {
    const p = (c.cw + c.cb + 0.5) / (c.aw + c.ab + 1);
    floorW += (PAIRED_FLOOR_SHARE * p * (1 - p) * c.aw) / (aw * aw);
    floorB += (PAIRED_FLOOR_SHARE * p * (1 - p) * c.ab) / (ab * ab);
  }
  vw = Math.max(vw * factor, floorW);
  vb = Math.max(vb * factor, floorB);
  cov *= factor;
  // Keep Var(difference) at least the guard.
  cov = Math.min(cov, Math.max((vw + vb - floorW - floorB) / 2, 0));
  return {
    estimate: { windowValue: pw, expectedValue: pb, windowVariance: vw, expectedVariance: vb, covariance: cov, df: j - 1 },
    method: 'proportion_paired_clusters',
  };
}
