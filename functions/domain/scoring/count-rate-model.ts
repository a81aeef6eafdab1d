/**
 * The counterfactual for count-rate metrics (followers/day, subscribers/day).
 *
 * Model: daily net increments y_d = β₀ + β₁·(d − centre) [+ weekday effects] + ε_d, fitted on the
 * baseline by generalised least squares. The errors' covariance comes from the snapshot schedule:
 * true growth has independent increments with variance σ² per day (Poisson-like), and linear
 * interpolation between snapshots turns that into a known banded covariance (see
 * snapshot-interpolation.ts). GLS with that covariance gives honest standard errors whether snapshots
 * are hourly, daily at random times, or every other day; σ² is estimated from the whitened residuals.
 *
 * The window's expected total is the fitted line (and weekday pattern) summed over the window; its
 * prediction variance adds parameter uncertainty (trend extrapolation) to the window's own noise.
 */
import {
  fCdf, lagOneAutocorrelation, normalQuantile, ols, type OlsFit, quadraticForm, studentTCdf,
} from './statistics';
import { dayOfWeek, incrementCovariance, incrementVariance } from './snapshot-interpolation';

/** One measured baseline day: its net increment and where its midnights sit in the snapshot timeline. */
export interface CountRateDay {
  day: number;
  value: number;
  from: number;
  to: number;
}

/** A window day and the fraction (0–1] of it inside the measured window span. */
export interface WindowDay {
  day: number;
  weight: number;
}

/** Baseline must have at least this many measured days to fit a trend. */
export const MIN_BASELINE_DAYS = 7;
/** Weekday effects need two full weeks and every weekday seen twice. */
const MIN_DAYS_FOR_SEASONALITY = 14;
/** F-test level at which weekday effects are kept. */
const SEASONALITY_ALPHA = 0.05;
/** Largest residual autocorrelation used for the variance inflation (inflation ≤ 4). */
const MAX_RHO = 0.6;
const BANDWIDTH = 3;

export interface CountRateFit {
  /** Whether weekday effects are in the model. */
  seasonal: boolean;
  /** p-value of the F-test for weekday effects (null when the baseline was too short to test). */
  seasonalityPValue: number | null;
  coefficients: number[];
  /** (XᵀV⁻¹X)⁻¹: times σ² gives the coefficients' covariance. */
  unscaledCovariance: number[][];
  /** Variance of one day's true increment (σ²), in (count/day)². */
  sigma2: number;
  /** Residual degrees of freedom. */
  df: number;
  /** Day number the trend is centred on. */
  centre: number;
  /** Lag-1 autocorrelation left in the whitened residuals. */
  residualAutocorrelation: number;
  /** Variance multiplier (≥ 1) for autocorrelation the snapshot schedule does not explain. */
  inflation: number;
  /** Baseline days the fit used. */
  n: number;
}

/** Design row: intercept, trend in weeks from the centre, and six effect-coded weekday columns. */
export function designRow(day: number, centre: number, seasonal: boolean): number[] {
  const row = [1, (day - centre) / 7];
  if (seasonal) {
    const dow = dayOfWeek(day);
    for (let k = 1; k <= 6; k++) row.push(dow === k ? 1 : dow === 0 ? -1 : 0);
  }
  return row;
}

// ---------------------------------------------------------------- whitening (banded Cholesky)

interface Whitened {
  days: CountRateDay[];
  /** Cholesky factor rows: l[i][k] = L(i, i − k), k = 0..BANDWIDTH. */
  l: Float64Array[];
  y: Float64Array;
  /** Whitened full design (with weekday columns). */
  x: number[][];
  centre: number;
}

function covarianceBand(days: readonly CountRateDay[], lengths: Float64Array): Float64Array[] {
  // band[i][k] = Cov(row i, row i − k)
  return days.map((d, i) => {
    const band = new Float64Array(BANDWIDTH + 1);
    band[0] = Math.max(incrementVariance(d.from, d.to, lengths), 1e-6);
    for (let k = 1; k <= BANDWIDTH && i - k >= 0; k++) band[k] = incrementCovariance(days[i - k], d, lengths);
    return band;
  });
}

function bandedCholesky(band: readonly Float64Array[]): Float64Array[] {
  const n = band.length;
  const l: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(BANDWIDTH + 1);
    for (let k = BANDWIDTH; k >= 1; k--) {
      const j = i - k;
      if (j < 0) continue;
      // L(i, j) = (A(i, j) − Σ_{m<j} L(i, m)·L(j, m)) / L(j, j)
      let s = band[i][k];
      for (let m = Math.max(0, i - BANDWIDTH); m < j; m++) s -= row[i - m] * l[j][j - m];
      row[k] = s / l[j][0];
    }
    let diag = band[i][0];
    for (let k = 1; k <= BANDWIDTH; k++) diag -= row[k] * row[k];
    row[0] = Math.sqrt(Math.max(diag, 1e-9 * band[i][0]));
    l.push(row);
  }
  return l;
}

/** Solves L z = v (forward substitution on the band). */
function forwardSolve(l: readonly Float64Array[], v: ArrayLike<number>): Float64Array {
  const z = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    let s = v[i];
    for (let k = 1; k <= BANDWIDTH && i - k >= 0; k++) s -= l[i][k] * z[i - k];
    z[i] = s / l[i][0];
  }
  return z;
}

function whiten(days: readonly CountRateDay[], lengths: Float64Array): Whitened {
  const centre = (days[0].day + days[days.length - 1].day) / 2;
  const l = bandedCholesky(covarianceBand(days, lengths));
  const y = forwardSolve(l, days.map((d) => d.value));
  const raw = days.map((d) => designRow(d.day, centre, true));
  const columns = raw[0].map((_, c) => forwardSolve(l, raw.map((r) => r[c])));
  const x = days.map((_, i) => columns.map((col) => col[i]));
  return { days: [...days], l, y, x, centre };
}

// ---------------------------------------------------------------- fitting

function fitWhitenedPrefix(w: Whitened, n: number): CountRateFit | undefined {
  if (n < MIN_BASELINE_DAYS) return undefined;
  const days = w.days.slice(0, n);
  const y = Array.from(w.y.subarray(0, n));
  const trendRows = w.x.slice(0, n).map((r) => r.slice(0, 2));
  const trend = ols(trendRows, y);
  if (!trend) return undefined;
  let chosen: OlsFit = trend;
  let seasonal = false;
  let seasonalityPValue: number | null = null;
  const weekdayCounts = new Array<number>(7).fill(0);
  for (const d of days) weekdayCounts[dayOfWeek(d.day)]++;
  if (n >= MIN_DAYS_FOR_SEASONALITY && weekdayCounts.every((c) => c >= 2)) {
    const full = ols(w.x.slice(0, n), y);
    if (full && full.df > 0 && full.rss > 0) {
      const f = ((trend.rss - full.rss) / 6) / (full.rss / full.df);
      seasonalityPValue = 1 - fCdf(Math.max(f, 0), 6, full.df);
      if (seasonalityPValue < SEASONALITY_ALPHA) {
        chosen = full;
        seasonal = true;
      }
    }
  }
  const { rho } = lagOneAutocorrelation(days.map((d) => d.day), chosen.residuals);
  const pairs = days.reduce((s, d, i) => s + (i > 0 && d.day === days[i - 1].day + 1 ? 1 : 0), 0);
  // Only autocorrelation clearly beyond chance (one-sided 5 %) inflates the variance; AR(1) long-run factor.
  const significant = pairs >= 5 && rho * Math.sqrt(pairs) > normalQuantile(0.95);
  const r = Math.min(rho, MAX_RHO);
  const inflation = significant ? (1 + r) / (1 - r) : 1;
  // Coefficients are on the whitened scale with the centre of the *full* baseline; re-centring is not needed
  // because predictions use the same centre.
  return {
    seasonal,
    seasonalityPValue,
    coefficients: chosen.coefficients,
    unscaledCovariance: chosen.xtxInverse,
    sigma2: chosen.sigma2,
    df: chosen.df,
    centre: w.centre,
    residualAutocorrelation: rho,
    inflation,
    n,
  };
}

/**
 * Fits the baseline model to measured baseline days (sorted by day). `lengths` are the snapshot
 * interval lengths in days. Undefined when fewer than 7 days or the design is degenerate.
 */
export function fitCountRate(days: readonly CountRateDay[], lengths: Float64Array): CountRateFit | undefined {
  if (days.length < MIN_BASELINE_DAYS) return undefined;
  return fitWhitenedPrefix(whiten(days, lengths), days.length);
}

export interface CountRatePrediction {
  /** Expected total over the window days (weights applied), in counts. */
  expectedTotal: number;
  /** Variance of expectedTotal from parameter uncertainty, counts². */
  parameterVariance: number;
  /** Slope of the baseline trend, counts/day per day. */
  trendPerDay: number;
}

/** Sums the fitted model over window days. */
export function predictWindowTotal(fit: CountRateFit, window: readonly WindowDay[]): CountRatePrediction {
  const p = fit.coefficients.length;
  const s = new Array<number>(p).fill(0);
  for (const { day, weight } of window) {
    const row = designRow(day, fit.centre, fit.seasonal);
    for (let c = 0; c < p; c++) s[c] += weight * row[c];
  }
  const expectedTotal = s.reduce((acc, v, c) => acc + v * fit.coefficients[c], 0);
  const parameterVariance = fit.sigma2 * fit.inflation * quadraticForm(s, fit.unscaledCovariance);
  return { expectedTotal, parameterVariance, trendPerDay: fit.coefficients[1] / 7 };
}

// ---------------------------------------------------------------- placebo check

export interface PlaceboResult {
  /** Length of each pseudo-window in days. */
  windowDays: number;
  /** Pseudo-windows tested. */
  windows: number;
  /** Pseudo-windows in which the model would have reported an effect at the experiment's confidence (either direction). */
  falseFinds: number;
  /** Root mean square of the pseudo-windows' standardised errors (≈ 1 when the model is calibrated). */
  rmsZ: number;
  /** Whether the baseline failed the check. */
  unstable: boolean;
  /** Factor (≥ 1) the verdict's standard errors were multiplied by. */
  inflation: number;
}

const MIN_PLACEBO_PREFIX_DAYS = 14;
const MAX_PLACEBO_WINDOWS = 14;

/**
 * Runs the same model on pseudo-windows inside the baseline, where nothing happened: each
 * pseudo-window (the experiment's length when the baseline is long, else one week) is predicted from
 * the baseline days before it. If the model "finds" effects there markedly more often than its
 * nominal false-alarm rate 2·(1 − confidence), the baseline is unstable: the standard errors are
 * widened by the pseudo-windows' RMS standardised error. Undefined when the baseline is too short.
 */
export function placeboCheck(
  days: readonly CountRateDay[],
  lengths: Float64Array,
  windowLength: number,
  confidence: number,
): PlaceboResult | undefined {
  if (days.length < MIN_PLACEBO_PREFIX_DAYS + 4) return undefined;
  const first = days[0].day;
  const span = days[days.length - 1].day - first + 1;
  const m = span >= windowLength + 2 * MIN_PLACEBO_PREFIX_DAYS ? windowLength : 7;
  if (span < MIN_PLACEBO_PREFIX_DAYS + m) return undefined;
  const w = whiten(days, lengths);
  const zThreshold = normalQuantile(confidence);
  const zs: number[] = [];
  for (let end = days[days.length - 1].day + 1; zs.length < MAX_PLACEBO_WINDOWS; end--) {
    const start = end - m;
    const prefix = lowerIndex(days, start);
    if (prefix < MIN_PLACEBO_PREFIX_DAYS) break;
    const inside: number[] = [];
    for (let i = prefix; i < days.length && days[i].day < end; i++) inside.push(i);
    if (inside.length < Math.ceil(m / 2)) continue;
    const fit = fitWhitenedPrefix(w, prefix);
    if (!fit) continue;
    const actual = inside.reduce((s, i) => s + days[i].value, 0);
    const prediction = predictWindowTotal(fit, inside.map((i) => ({ day: days[i].day, weight: 1 })));
    let noise = 0;
    for (const i of inside) {
      noise += incrementVariance(days[i].from, days[i].to, lengths);
      for (const k of inside) if (k > i && k - i <= BANDWIDTH) noise += 2 * incrementCovariance(days[i], days[k], lengths);
    }
    const variance = fit.sigma2 * fit.inflation * noise + prediction.parameterVariance;
    if (!(variance > 0)) continue;
    const t = (actual - prediction.expectedTotal) / Math.sqrt(variance);
    zs.push(normalQuantile(Math.min(Math.max(studentTCdf(t, fit.df), 1e-12), 1 - 1e-12)));
  }
  if (zs.length === 0) return undefined;
  const falseFinds = zs.filter((z) => Math.abs(z) >= zThreshold).length;
  const rmsZ = Math.sqrt(zs.reduce((s, z) => s + z * z, 0) / zs.length);
  const nominal = 2 * (1 - confidence);
  const unstable = falseFinds >= 2 && falseFinds / zs.length > 2 * nominal && rmsZ > 1;
  return { windowDays: m, windows: zs.length, falseFinds, rmsZ, unstable, inflation: unstable ? rmsZ : 1 };
}

function lowerIndex(days: readonly CountRateDay[], day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid].day < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

