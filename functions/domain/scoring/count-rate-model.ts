/**
 * The counterfactual for count-rate metrics (followers/day, subscribers/day).
 *
 * Model (segmented regression / interrupted time series with a level shift): the expected growth
 * on calendar day d is
 *   μ_d = β₀ + β₁·(d − centre) [+ weekday effects] + δ·[d in window],
 * and the counterfactual is μ without δ. The window's *level* is left free (δ absorbs it), so only
 * its day-to-day slope helps pin down the trend; growth that was already accelerating in the
 * baseline stays in the counterfactual, and an effect that ramps up during the window only makes
 * the estimate conservative.
 *
 * Rows are increments between actual snapshots (those nearest each UTC midnight), not interpolated
 * days: an increment's expected value is Σ_d loading_d·μ_d, where loading_d is the share of day d it
 * spans. No interpolation enters the fit, so sparse or gappy snapshots can neither smear the window's
 * step into the baseline nor make rows collinear.
 *
 * Noise (generalised least squares): Poisson-like growth arrives evenly within days (variance ∝
 * time, independent across snapshot intervals); viral or quiet days add whole-day shocks that
 * correlate neighbouring increments. Variance up to the Poisson level is taken as within-day, a clear
 * excess as day shocks. Variance grows with the level (quasi-Poisson weights). With hourly snapshots
 * this reduces to weighted least squares on daily totals.
 */
import { fCdf, lagAutocorrelation, lagOneAutocorrelation, normalQuantile, ols, type OlsFit, quadraticForm, studentTCdf } from './statistics';
import {
  DAY_MS, dayOfWeek, dayShockCovariance, dayShockVariance, type IncrementShape, incrementShape, type Timeline,
  withinDayCovariance,
} from './snapshot-interpolation';

/** A day (or part of one) and its weight, e.g. the loadings of the measured window total. */
export interface WindowDay {
  day: number;
  weight: number;
}

/** Periods as epoch-ms [start, end). */
export interface FitPeriods {
  baseline: { startMs: number; endMs: number };
  /** The experiment window (or the elapsed part of it); absent to fit the baseline alone. */
  window?: { startMs: number; endMs: number };
  /** Whether the counterfactual has a linear trend (default) or is a local level. */
  trend?: boolean;
  /** Damping factor φ per day of the trend beyond the baseline (absent: straight). */
  damping?: number;
}

/** Baseline must span at least this many days of increments to fit a trend. */
export const MIN_BASELINE_DAYS = 7;
/** Weekday effects need two weeks of baseline with every weekday covered twice. */
const MIN_DAYS_FOR_SEASONALITY = 14;
/** F-test level at which weekday effects are kept. */
const SEASONALITY_ALPHA = 0.05;
/** Largest variance inflation for autocorrelation (an AR(1) with ρ = 0.75). */
const MAX_INFLATION = 7;
/** Largest decay per day of the residual autocorrelation (its memory: 1/(1 − φ) = 10 days). */
const MAX_DECAY = 0.9;
/** Covariance band in rows: only increments sharing a calendar day are correlated. */
const BANDWIDTH = 4;
/** |t| of the first-pass trend or shift above which rows are weighted by their level. */
const WEIGHT_T = 2;
/** Fixed-point iterations for the noise structure (converges in 2–3). */
const STRUCTURE_ITERATIONS = 3;

// The full design's columns (fullRow, Whitened.columns): intercept, trend, the window's level shift,
// then six effect-coded weekdays (Monday…Saturday; Sunday is −1 in all six).
const INTERCEPT = 0;
const TREND = 1;
const SHIFT = 2;
const FIRST_WEEKDAY = 3;
const WEEKDAY_COLUMNS = 6;
const WEEKDAYS = Array.from({ length: WEEKDAY_COLUMNS }, (_, k) => FIRST_WEEKDAY + k);
const FULL_DESIGN_WIDTH = FIRST_WEEKDAY + WEEKDAY_COLUMNS;
// The counterfactual's layout (designRow, CountRateFit.coefficients): the full design without the shift —
// intercept, trend, then the six weekdays.
const CF_INTERCEPT = 0;
const CF_TREND = 1;
const CF_FIRST_WEEKDAY = 2;

/** A full-design column's position in the counterfactual's layout (the shift has none). */
function counterfactualColumn(column: number): number {
  return column <= TREND ? column : column - (FIRST_WEEKDAY - CF_FIRST_WEEKDAY);
}

/** A regression row: the increment between two snapshots, with its day loadings. */
interface Row {
  value: number;
  shape: IncrementShape;
  firstDay: number;
  lastDay: number;
}

/** A midnight is anchored to its nearest snapshot when that snapshot is at most this far away. */
const ANCHOR_TOLERANCE_MS = 12 * 3_600_000;

/**
 * Regression rows for [startMs, endMs]: increments between the snapshots nearest to consecutive UTC
 * midnights (within 12 h). Hourly data give exact calendar days; daily snapshots give
 * snapshot-to-snapshot increments; a longer outage gives one row spanning it. Rows never split a day
 * at arbitrary hours, so intraday patterns (more follows in the daytime) cannot bias short rows.
 * Appends to `into`.
 */
function incrementRows(timeline: Timeline, startMs: number, endMs: number, into: Row[] = []): Row[] {
  const { times, values } = timeline;
  if (times.length < 2) return into;
  const anchors: number[] = [];
  let j = 0;
  for (let m = Math.ceil(startMs / DAY_MS) * DAY_MS; m <= endMs; m += DAY_MS) {
    while (j + 1 < times.length && times[j + 1] <= m) j++;
    const best = j + 1 < times.length && Math.abs(times[j + 1] - m) < Math.abs(times[j] - m) ? j + 1 : j;
    if (Math.abs(times[best] - m) <= ANCHOR_TOLERANCE_MS && best !== anchors[anchors.length - 1]) anchors.push(best);
  }
  for (let k = 1; k < anchors.length; k++) {
    const shape = incrementShape(anchors[k - 1], anchors[k], timeline);
    if (shape.shockDays.length === 0) continue;
    into.push({
      value: values[anchors[k]] - values[anchors[k - 1]],
      shape,
      firstDay: Math.min(...shape.shockDays),
      lastDay: Math.max(...shape.shockDays),
    });
  }
  return into;
}

// ---------------------------------------------------------------- level-dependent variance

/**
 * Count noise grows with the level: Var(day) = level + g·(level / baselineLevel)², where g is the part
 * of the noise counting does not explain. It is mostly day shocks — viral and quiet days, good and bad
 * weeks — which multiply the day's rate, so their variance grows with the square of the level (a
 * lifted window's day shocks are larger too; treating g as fixed left lifted, autocorrelated windows at
 * 88 % coverage). σ² is the variance at `baselineLevel`; with no baseline growth g stays fixed.
 */
export interface LevelVariance {
  /** Mean daily increment over the baseline (≥ 0). */
  baselineLevel: number;
  /** Noise variance not explained by the level, (count/day)². */
  excess: number;
}

const NO_LEVEL_EFFECT: LevelVariance = { baselineLevel: 0, excess: 1 };
const MIN_LEVEL_SCALE = 0.25;
const MAX_LEVEL_SCALE = 4;

/** Variance multiplier for a day at `level`, relative to the baseline's average day. */
export function levelScale(level: LevelVariance, expectedLevel: number): number {
  const expected = Math.max(0, expectedLevel);
  const shocks = level.baselineLevel > 0 ? level.excess * (expected / level.baselineLevel) ** 2 : level.excess;
  const ratio = (expected + shocks) / Math.max(level.baselineLevel + level.excess, 1e-9);
  return Math.min(MAX_LEVEL_SCALE, Math.max(MIN_LEVEL_SCALE, ratio));
}

// ---------------------------------------------------------------- design

/**
 * A damped trend: from `fromDay` on, each further day adds φ times the previous day's share of the
 * slope (Gardner & McKenzie's damped trend), so the trend levels off after about 1/(1 − φ) days
 * instead of running on as a straight line.
 */
export interface Damping {
  fromDay: number;
  phi: number;
}

/** The trend's time axis in days: the day itself, or the damped distance beyond `fromDay`. */
export function trendDay(day: number, damping?: Damping): number {
  if (!damping || day < damping.fromDay) return day;
  const h = day - damping.fromDay + 1;
  const { phi } = damping;
  return damping.fromDay - 1 + (phi * (1 - phi ** h)) / (1 - phi);
}

/** Counterfactual design row of day d: intercept, trend in weeks from the centre, six effect-coded weekday columns. */
export function designRow(day: number, centre: number, seasonal: boolean, damping?: Damping): number[] {
  const row = [1, (trendDay(day, damping) - centre) / 7];
  if (seasonal) {
    const dow = dayOfWeek(day);
    for (let k = 1; k <= 6; k++) row.push(dow === k ? 1 : dow === 0 ? -1 : 0);
  }
  return row;
}

/** Days [first, end) that get the level shift (the window, or a placebo pseudo-window). */
interface DayRange {
  first: number;
  end: number;
}

/** Full design row of an increment: its loadings times the day rows (intercept, trend, shift, weekdays). */
function fullRow(shape: IncrementShape, centre: number, shifted?: DayRange, damping?: Damping): number[] {
  const row = new Array<number>(FULL_DESIGN_WIDTH).fill(0);
  shape.shockDays.forEach((d, k) => {
    const w = shape.shockWeights[k];
    const r = designRow(d, centre, true, damping);
    row[INTERCEPT] += w * r[CF_INTERCEPT];
    row[TREND] += w * r[CF_TREND];
    for (let c = 0; c < WEEKDAY_COLUMNS; c++) row[FIRST_WEEKDAY + c] += w * r[CF_FIRST_WEEKDAY + c];
    if (shifted && d >= shifted.first && d < shifted.end) row[SHIFT] += w;
  });
  return row;
}

/** Loadings of an increment on calendar days, as weights for predictWindowTotal. */
export function dayLoadings(shape: IncrementShape): WindowDay[] {
  return shape.shockDays.map((day, k) => ({ day, weight: shape.shockWeights[k] }));
}

// ---------------------------------------------------------------- whitening (banded Cholesky)

interface Whitened {
  rows: readonly Row[];
  /** Error covariance band (units of σ²): band[i][k] = Cov(row i, row i − k). */
  band: Float64Array[];
  /** Cholesky factor rows: l[i][k] = L(i, i − k), k = 0..BANDWIDTH. */
  l: Float64Array[];
  y: Float64Array;
  /** Whitened design columns (intercept, trend, shift, six weekdays). */
  columns: Float64Array[];
  centre: number;
  shockShare: number;
  level: LevelVariance;
  /** Per-row noise amplitude (square root of the level-dependent variance scale and any outlier down-weighting). */
  scales: Float64Array;
  timeline: Timeline;
  /** Whether the counterfactual has a trend (false: local level), and its damping. */
  trend: boolean;
  damping?: Damping;
}

function covarianceBand(rows: readonly Row[], lengths: Float64Array, share: number): Float64Array[] {
  return rows.map((r, i) => {
    const band = new Float64Array(BANDWIDTH + 1);
    band[0] = Math.max((1 - share) * r.shape.withinDayVariance + share * dayShockVariance(r.shape), 1e-9);
    for (let k = 1; k <= BANDWIDTH && i - k >= 0; k++) {
      const o = rows[i - k];
      if (o.lastDay < r.firstDay) continue;
      band[k] = (1 - share) * withinDayCovariance(o.shape, r.shape, lengths) + share * dayShockCovariance(o.shape, r.shape);
    }
    return band;
  });
}

function bandedCholesky(band: readonly Float64Array[]): Float64Array[] {
  const l: Float64Array[] = [];
  for (let i = 0; i < band.length; i++) {
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
    row[0] = Math.sqrt(Math.max(diag, 1e-6 * band[i][0]));
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

function whiten(
  rows: readonly Row[],
  timeline: Timeline,
  centre: number,
  shifted: DayRange | undefined,
  share: number,
  level: LevelVariance = NO_LEVEL_EFFECT,
  scales: Float64Array = new Float64Array(rows.length).fill(1),
  trend = true,
  damping?: Damping,
): Whitened {
  const band = covarianceBand(rows, timeline.lengths, share);
  band.forEach((b, i) => b.forEach((_, k) => (b[k] *= i - k >= 0 ? scales[i] * scales[i - k] : 0)));
  const l = bandedCholesky(band);
  const y = forwardSolve(l, rows.map((r) => r.value));
  const raw = rows.map((r) => fullRow(r.shape, centre, shifted, damping));
  const columns = raw[0].map((_, c) => forwardSolve(l, raw.map((r) => r[c])));
  return { rows, band, l, y, columns, centre, shockShare: share, level, scales, timeline, trend, ...(damping && { damping }) };
}

/** OLS on the first `n` whitened rows with the given columns (and an optional extra whitened column). */
function regress(w: Whitened, n: number, columns: readonly number[], extra?: Float64Array): OlsFit | undefined {
  const design: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r = columns.map((c) => w.columns[c][i]);
    if (extra) r.push(extra[i]);
    design.push(r);
  }
  return ols(design, Array.from(w.y.subarray(0, n)));
}

/** Whether weekday effects can be fitted on these baseline rows: two weeks, every weekday covered twice (as in fitRows). */
function weekdaysFittable(baselineRows: readonly Row[]): boolean {
  const weekdayWeight = new Array<number>(7).fill(0);
  let span = 0;
  for (const r of baselineRows) {
    r.shape.shockDays.forEach((d, k) => (weekdayWeight[dayOfWeek(d)] += r.shape.shockWeights[k]));
    span += r.shape.shockWeights.reduce((a, b) => a + b, 0);
  }
  return span >= MIN_DAYS_FOR_SEASONALITY && weekdayWeight.every((c) => c >= 2 - 1e-6);
}

/** Whether the weekday columns improve the fit of all rows on these columns (F test at SEASONALITY_ALPHA, as in fitRows). */
function weekdayPatternFound(w: Whitened, columns: readonly number[]): boolean {
  const plain = regress(w, w.rows.length, columns);
  const full = regress(w, w.rows.length, [...columns, ...WEEKDAYS]);
  if (!plain || !full || !(full.df > 0) || !(full.rss > 0)) return false;
  const f = ((plain.rss - full.rss) / WEEKDAY_COLUMNS) / (full.rss / full.df);
  return 1 - fCdf(Math.max(f, 0), WEEKDAY_COLUMNS, full.df) < SEASONALITY_ALPHA;
}

/**
 * Whitens with a noise structure estimated from the data: variance up to the Poisson level (the
 * level itself) is within-day, a clear excess g = σ² − level is day shocks, so the day-shock share
 * is g / (level + g); σ² depends on the structure, so this is iterated from the within-day structure.
 * When the level clearly varies, rows are then re-weighted by the level-dependent variance of a first
 * fit (quasi-Poisson weighted least squares), so an accelerating series' noisier recent days — and a
 * lifted window — count as such.
 */
function whitenBest(rows: readonly Row[], timeline: Timeline, baselineEndDay: number, shifted?: DayRange, trend = true, damping?: Damping): Whitened {
  const baseline = rows.filter((r) => r.lastDay < baselineEndDay);
  const loadings = baseline.reduce((s, r) => s + r.shape.shockWeights.reduce((a, b) => a + b, 0), 0);
  const baselineLevel = Math.max(0, baseline.reduce((s, r) => s + r.value, 0) / Math.max(loadings, 1e-9));
  const centre = (rows[0].firstDay + (baseline.length ? baseline[baseline.length - 1].lastDay : rows[0].firstDay)) / 2;
  // A weekday pattern is not noise: read with the level alone, a seasonal account's Sunday dip counted as
  // day shocks (g ≈ 6 on a 10/day series with no shocks at all), which levelScale then grew with the square
  // of a lifted window's level, widening its interval (98.7 % coverage on the bench's seasonal lift). The
  // structure is therefore read with the weekday columns when the first, unweighted pass finds the pattern
  // (the F test fitRows uses). Not always: six columns fewer degrees of freedom make the excess, a positive
  // part, larger on average where there is no pattern (1.2 → 2.7 on 10/day Poisson days).
  const plainColumns = [INTERCEPT, ...(trend ? [TREND] : []), ...(shifted ? [SHIFT] : [])];
  let share = 0;
  // Single-day outliers (a viral post, an import): Huber weights (iteratively re-weighted, rows beyond
  // HUBER_K·σ get variance × (r/HUBER_K)²), so one day cannot dominate the level, trend, σ² or the mix.
  const robust = new Float64Array(rows.length).fill(1);
  // The noise beyond counting is read on the baseline's rows: a lifted window counts more (its Poisson
  // variance is larger), and that read as day shocks at the baseline level made lifted windows' intervals
  // too wide (levelScale then scales those "shocks" with the square of the lifted level).
  const baselineNoise = (fit: OlsFit): { sigma2: number; df: number } => {
    let sum = 0;
    let count = 0;
    rows.forEach((r, i) => {
      if (r.lastDay < baselineEndDay) {
        sum += fit.residuals[i] ** 2;
        count++;
      }
    });
    const df = count - (columns.length - (shifted ? 1 : 0));
    return df >= 2 ? { sigma2: sum / df, df } : { sigma2: fit.sigma2, df: fit.df };
  };
  let w = whiten(rows, timeline, centre, shifted, share, NO_LEVEL_EFFECT, robust, trend, damping);
  const columns = weekdaysFittable(baseline) && weekdayPatternFound(w, plainColumns) ? [...plainColumns, ...WEEKDAYS] : plainColumns;
  let first = regress(w, rows.length, columns);
  for (let iteration = 0; iteration < STRUCTURE_ITERATIONS + HUBER_ITERATIONS && first; iteration++) {
    const sd = Math.sqrt(first.sigma2);
    let reweighted = false;
    first.residuals.forEach((e, i) => {
      const r = Math.abs(e) / Math.max(sd, 1e-9);
      if (r > HUBER_K * 1.001) {
        robust[i] *= r / HUBER_K;
        reweighted = true;
      }
    });
    // Only excess beyond σ̂²'s own sampling error (one SE, σ²·√(2/df)) counts as day shocks.
    const noise = baselineNoise(first);
    const excess = Math.max(0, noise.sigma2 * (1 - Math.sqrt(2 / noise.df)) - baselineLevel);
    const next = excess / Math.max(baselineLevel + excess, 1e-9);
    if (!reweighted && Math.abs(next - share) < 0.02) break;
    if (iteration < STRUCTURE_ITERATIONS) share = next;
    w = whiten(rows, timeline, centre, shifted, share, NO_LEVEL_EFFECT, robust, trend, damping);
    first = regress(w, rows.length, columns);
  }
  if (!first) return w;
  const level: LevelVariance = { baselineLevel, excess: Math.max(0, baselineNoise(first).sigma2 - baselineLevel) };
  // Re-weight only when the level demonstrably varies (trend or window shift at |t| ≥ 2): weights
  // estimated from a flat series are noise, and noise that moves with the forecast biases the test.
  const coefficient = (col: number) => (columns.includes(col) ? first.coefficients[columns.indexOf(col)] : 0);
  const t = (col: number) => {
    const k = columns.indexOf(col);
    return k < 0 ? 0 : Math.abs(first.coefficients[k]) / Math.sqrt(first.sigma2 * first.xtxInverse[k][k]);
  };
  const varies = t(TREND) >= WEIGHT_T || (shifted !== undefined && t(SHIFT) >= WEIGHT_T);
  if (!varies) return { ...w, level };
  const scales = Float64Array.from(robust);
  rows.forEach((r, i) => {
    const mid = (r.firstDay + r.lastDay) / 2;
    const fitted = coefficient(INTERCEPT) + ((trendDay(mid, damping) - centre) / 7) * coefficient(TREND) +
      (shifted && mid >= shifted.first && mid < shifted.end ? coefficient(SHIFT) : 0);
    scales[i] *= Math.sqrt(levelScale(level, fitted));
  });
  return whiten(rows, timeline, centre, shifted, share, level, scales, trend, damping);
}

/**
 * Variance multiplier for autocorrelated residuals: the long-run variance factor F = 1 + 2·Σ_k ρ_k of an
 * ARMA(1,1)-shaped autocorrelation ρ_k = ρ₁·φ^(k−1). That is the shape of day-to-day noise made of a
 * persistent part (a level wandering with decay φ: good and bad weeks) plus independent counting
 * noise, which dilutes ρ₁ but not the decay; a pure AR(1) has φ = ρ₁ and F = (1 + ρ₁)/(1 − ρ₁). The lag-1
 * factor alone understated a wandering level (the bench's AR(1) family kept 13 % of nulls). φ is read
 * from lags 1–3, (ρ₂ + ρ₃)/(ρ₁ + ρ₂), when ρ₁ is clearly positive (2 standard errors), else φ = ρ₁.
 * Autocorrelations of regression residuals are biased toward zero: each fitted smooth column (level,
 * trend) removes about F/n of every lag's autocorrelation (−1/n for white noise around a mean), so each
 * ρ_k is corrected by p·F/n, iterated with F. Any positive ρ₁ inflates (gating on significance once left
 * autocorrelated accounts at 75 % coverage).
 *
 * F is itself an estimate, and a noisy one on a few weeks of days (for ρ = 0.7 on the day's multiplier,
 * its 10th–90th percentiles span 1.4 to 7 on 56 days); a t test that treats it as known undercovers on
 * autocorrelated accounts. `df` is the degrees of freedom of F̂ (Satterthwaite: ν = 2F²/Var F̂), with Var F̂
 * by the delta method from Bartlett's variance of sample autocorrelations, (1 + 2·Σ ρ_j²)/n; the fit adds
 * 1/ν to its 1/df, as it does for heavy tails.
 *
 * `rough` puts a fit with rough (weekday) columns on the footing of the same fit without them: see weekdayRelease.
 */
export function autocorrelationInflation(
  positions: readonly number[], residuals: readonly number[], smoothColumns: number, rough: RoughColumns = NO_ROUGH_COLUMNS,
): { rho: number; decay: number; factor: number; df: number } {
  const first = lagOneAutocorrelation(positions, residuals);
  if (first.pairs < 5) return { rho: first.rho, decay: 0, factor: 1, df: Infinity };
  const { scale, released } = rough;
  const lagOne = scale * first.rho;
  const second = scale * lagAutocorrelation(positions, residuals, 2).rho;
  const third = scale * lagAutocorrelation(positions, residuals, 3).rho;
  let factor = 1;
  let decay = 0;
  let factorVariance = 0;
  for (let iteration = 0; iteration < AUTOCORRELATION_ITERATIONS; iteration++) {
    const bias = (smoothColumns * factor) / first.pairs;
    const r1 = Math.min(lagOne + bias - released[0], 0.95);
    if (!(r1 > 0)) return { rho: first.rho, decay: 0, factor: 1, df: Infinity };
    decay = Math.min(r1, MAX_DECAY);
    const r2 = second + bias - released[1];
    const r3 = third + bias - released[2];
    // Bartlett's formula: each sample autocorrelation has variance about (1 + 2·Σ ρ_j²)/n.
    const lagVariance = (1 + 2 * (r1 * r1 + r2 * r2 + r3 * r3)) / first.pairs;
    const fromLags = r1 >= 2 / Math.sqrt(first.pairs) && r2 > 0 && (r2 + Math.max(0, r3)) / (r1 + r2) > decay;
    if (fromLags) decay = Math.min(MAX_DECAY, (r2 + Math.max(0, r3)) / (r1 + r2));
    factor = Math.min(MAX_INFLATION, 1 + (2 * r1) / (1 - decay));
    // Delta method: F = 1 + 2ρ₁/(1 − φ), with φ either ρ₁ itself or (ρ₂ + ρ₃)/(ρ₁ + ρ₂).
    if (fromLags) {
      const s = r1 + r2;
      const decayVariance = (lagVariance * (decay * decay + (1 - decay) ** 2 + 1)) / (s * s);
      factorVariance = (2 / (1 - decay)) ** 2 * lagVariance + ((2 * r1) / (1 - decay) ** 2) ** 2 * decayVariance;
    } else {
      factorVariance = (2 / (1 - decay) ** 2) ** 2 * lagVariance;
    }
  }
  // Satterthwaite: an estimated variance factor with relative variance v behaves like χ²_ν/ν, ν = 2/v.
  // The delta method overstates Var F̂ where 1/(1 − φ) is steep; F̂ lies in [1, MAX_INFLATION], so its
  // variance is at most (MAX_INFLATION − 1)²/4 (Popoviciu's inequality).
  const boundedVariance = Math.min(factorVariance, (MAX_INFLATION - 1) ** 2 / 4);
  const df = factor > 1 && boundedVariance > 0 ? (2 * factor * factor) / boundedVariance : Infinity;
  return { rho: first.rho, decay, factor, df };
}

/**
 * What autocorrelated residuals do to σ̂² (units of σ²): with residual correlation R (the fitted
 * ARMA(1,1) shape, ρ_k = ρ₁·φ^(k−1)) and the fit's hat matrix H = X(XᵀX)⁻¹Xᵀ, RSS has expectation
 * σ²·tr((I − H)R) and variance 2σ⁴·tr(((I − H)R)²). Every smooth column (level, trend, the window's
 * shift) then removes about F of the residuals' variance rather than 1, so RSS/(n − p) understates σ²
 * (by about p·(F − 1)/n: 20–30 % on a very persistent wander over ten weeks, with F ≈ 8), and a
 * persistent wander leaves fewer independent pieces of information for σ̂² than n − p. `expectedShare`
 * is tr((I − H)R) (σ̂² = RSS / expectedShare) and `df` its Satterthwaite degrees of freedom,
 * tr((I − H)R)² / tr(((I − H)R)²). For white noise they are n − p and n − p. R is banded where φ^k
 * falls below 10⁻⁴.
 */
export function correlatedResidualSpread(
  design: readonly (readonly number[])[], xtxInverse: readonly (readonly number[])[], positions: readonly number[], rhoOne: number, decay: number,
): { expectedShare: number; df: number } {
  const n = design.length;
  const p = design[0]?.length ?? 0;
  const maxLag = decay > 0 ? Math.ceil(Math.log(1e-4) / Math.log(decay)) + 1 : 1;
  const correlation = Array.from({ length: maxLag + 1 }, (_, lag) => (lag === 0 ? 1 : rhoOne * decay ** (lag - 1)));
  // RX (banded), tr(R²).
  const rx = design.map((x) => x.slice());
  let traceRR = n;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n && positions[j] - positions[i] <= maxLag; j++) {
      const r = correlation[positions[j] - positions[i]];
      traceRR += 2 * r * r;
      for (let a = 0; a < p; a++) {
        rx[i][a] += r * design[j][a];
        rx[j][a] += r * design[i][a];
      }
    }
  }
  // A = XᵀRX, B = XᵀR²X; tr(HR) = tr(GA), tr(HR²) = tr(GB), tr(HRHR) = tr(GAGA), G = (XᵀX)⁻¹.
  const a = Array.from({ length: p }, (_, r) => Array.from({ length: p }, (_, c) => design.reduce((s, x, i) => s + x[r] * rx[i][c], 0)));
  const b = Array.from({ length: p }, (_, r) => Array.from({ length: p }, (_, c) => rx.reduce((s, x) => s + x[r] * x[c], 0)));
  const ga = xtxInverse.map((row) => a[0].map((_, c) => row.reduce((s, v, k) => s + v * a[k][c], 0)));
  let traceGA = 0;
  let traceGB = 0;
  let traceGAGA = 0;
  for (let r = 0; r < p; r++) {
    traceGA += ga[r][r];
    for (let k = 0; k < p; k++) {
      traceGB += xtxInverse[r][k] * b[k][r];
      traceGAGA += ga[r][k] * ga[k][r];
    }
  }
  const expectedShare = n - traceGA;
  const spread = traceRR - 2 * traceGB + traceGAGA;
  if (!(expectedShare > 1) || !(spread > 0)) return { expectedShare: Math.max(1, n - p), df: Math.max(1, n - p) };
  return { expectedShare, df: (expectedShare * expectedShare) / spread };
}

/**
 * The t test's df once the autocorrelation multiplier comes from another fit (df `inflationDf` on
 * `inflationRows` rows) rather than the fit itself: the fit's df has its own multiplier's uncertainty in it (1/df adds up, Satterthwaite), which
 * is swapped for the source's.
 */
export function dfWithInflationFrom(fit: Pick<CountRateFit, 'df' | 'inflation' | 'inflationDf' | 'rows'>, inflationDf: number, inflationRows: number): number {
  const own = fit.inflation > 1 ? 1 / fit.inflationDf : 0;
  // Var ρ̂ ∝ 1/n: read on the fit's rows, the source's multiplier would be as certain as its df × rows ratio.
  const scaled = inflationDf * Math.max(1, fit.rows / Math.max(1, inflationRows));
  return 1 / Math.max(1 / fit.df - own + 1 / scaled, 1e-9);
}

/**
 * White-noise expectation of the lag-1…3 sample autocorrelations (lagAutocorrelation's normalisation) of
 * OLS residuals, E ρ̂_k ≈ −(mean over lag-k pairs of H_ij) / ((n − p)/n), for a design's hat matrix H.
 */
function whiteNoiseLagBias(design: readonly (readonly number[])[], xtxInverse: readonly (readonly number[])[], positions: readonly number[]): number[] {
  const n = design.length;
  const p = design[0]?.length ?? 0;
  const projected = design.map((x) => xtxInverse.map((row) => row.reduce((acc, v, b) => acc + v * x[b], 0)));
  return [1, 2, 3].map((lag) => {
    let sum = 0;
    let pairs = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i - 1; j >= 0 && positions[j] >= positions[i] - lag; j--) {
        if (positions[j] !== positions[i] - lag) continue;
        let h = 0;
        for (let a = 0; a < p; a++) h += design[i][a] * projected[j][a];
        sum += h;
        pairs++;
      }
    }
    return pairs > 0 && n > p ? -(sum / pairs) / ((n - p) / n) : 0;
  });
}

/**
 * A fit's rough columns, for autocorrelationInflation: ρ̂_k is read as scale·ρ̂_k − released[k − 1]
 * before the smooth columns' bias correction.
 */
export interface RoughColumns {
  scale: number;
  /** Lags 1–3. */
  released: readonly number[];
}

const NO_ROUGH_COLUMNS: RoughColumns = { scale: 1, released: [0, 0, 0] };

/**
 * What weekday columns give back of the autocorrelation bias correction (lags 1–3). The correction
 * (p·F/n per smooth column) assumes every fitted column is smooth and so pulls the residuals' short-lag
 * autocorrelation down; weekday columns are rough — with the level they are the seven weekday means,
 * whose residuals are uncorrelated at lags 1–3 under white noise — so a seasonal fit's ρ̂ is nearly
 * unbiased and the correction overstated it: on Poisson noise with no autocorrelation at all, a fit with
 * weekdays read F ≈ 1.32 (1.16 without) and the whole baseline's 1.75 (1.32), which is what made the
 * bench's weekly-seasonal lift cover 98.7 %. Two things put the seasonal fit on the plain fit's footing:
 * ρ̂ divides by the residuals' mean square over n rows, which six more columns shrink by (n − p)/n, so
 * ρ̂ is scaled by (n − p_seasonal)/(n − p_plain); and the release is the exact white-noise difference
 * between the (scaled) residual autocorrelations with and without the weekday columns (both designs as
 * fitted, hat matrices on the whitened rows).
 */
function weekdayRelease(
  seasonalDesign: readonly (readonly number[])[], seasonalInverse: readonly (readonly number[])[],
  plainDesign: readonly (readonly number[])[], plainInverse: readonly (readonly number[])[], positions: readonly number[],
): RoughColumns {
  const n = seasonalDesign.length;
  const scale = (n - seasonalDesign[0].length) / Math.max(1, n - plainDesign[0].length);
  const withWeekdays = whiteNoiseLagBias(seasonalDesign, seasonalInverse, positions);
  const without = whiteNoiseLagBias(plainDesign, plainInverse, positions);
  return { scale, released: withWeekdays.map((b, k) => Math.max(0, scale * b - without[k])) };
}

/** Fixed-point passes of the autocorrelation bias correction (it settles in 3–4). */
const AUTOCORRELATION_ITERATIONS = 4;

/** Huber re-weighting passes after the noise structure has settled. */
const HUBER_ITERATIONS = 4;
/** Standardised residual beyond which a row is down-weighted (Huber's k for 95 % efficiency is 1.345; 3 only touches real outliers). */
const HUBER_K = 3;

// ---------------------------------------------------------------- fitting

export interface CountRateFit {
  /** Whether weekday effects are in the model. */
  seasonal: boolean;
  /** p-value of the F-test for weekday effects (null when the baseline was too short to test). */
  seasonalityPValue: number | null;
  /** Counterfactual coefficients: intercept, trend per week, [six weekday effects]. */
  coefficients: number[];
  /** Their unscaled covariance (times σ²): the counterfactual block of (XᵀV⁻¹X)⁻¹. */
  unscaledCovariance: number[][];
  /** Estimated level shift δ (per day) in the window or pseudo-window; null without one. */
  shift: number | null;
  /** Unscaled variance of `shift` (times σ²). */
  shiftUnscaledVariance: number | null;
  /** Variance of one day's true increment at the baseline level (σ²), (count/day)². */
  sigma2: number;
  /** Degrees of freedom for t: residual df, reduced for heavy tails (kurtosis). */
  df: number;
  /** Excess kurtosis (≥ 0) of the residuals, by which `df` was reduced (1/df gains κ/2n); the planner applies the same. */
  kurtosis: number;
  /** Day number the trend is centred on (the baseline's middle). */
  centre: number;
  /** Damping of the trend beyond the baseline (absent: a straight line). */
  damping?: Damping;
  /** Share of whole-day shocks in the noise structure (0 = Poisson-like within days). */
  dayShockShare: number;
  /** How noise scales with the level (σ² is the variance at the baseline's mean level). */
  level: LevelVariance;
  /** Lag-1 autocorrelation left in the whitened residuals. */
  residualAutocorrelation: number;
  /** Variance multiplier (≥ 1) for autocorrelation the snapshot schedule does not explain. */
  inflation: number;
  /** Degrees of freedom of that estimated multiplier (Satterthwaite; Infinity when it is 1). Already in `df`. */
  inflationDf: number;
  /**
   * Residual df under the fitted autocorrelation as a share of n − p (≤ 1; 1 when the multiplier is 1):
   * see correlatedResidualSpread. Already in `df`; the planner applies the same share to its rows.
   */
  residualDfShare: number;
  /** Regression rows (snapshot increments) the fit used. */
  rows: number;
  /** What predictWindowTotal needs for Cov(window total, counterfactual); not for display. */
  internals?: { w: Whitened; used: number[]; xtxInverse: number[][] };
}

/**
 * Fits the first `n` rows. With `pseudo`, rows loading on those days get a (placebo) shift column
 * and the window shift column is not used.
 */
function fitRows(w: Whitened, n: number, baselineEndDay: number, pseudo?: DayRange): CountRateFit | undefined {
  const rows = w.rows.slice(0, n);
  const baselineRows = rows.filter((r) => r.lastDay < (pseudo ? pseudo.first : baselineEndDay));
  const weekdayWeight = new Array<number>(7).fill(0);
  let baselineSpan = 0;
  for (const r of baselineRows) {
    r.shape.shockDays.forEach((d, k) => (weekdayWeight[dayOfWeek(d)] += r.shape.shockWeights[k]));
    baselineSpan += r.shape.shockWeights.reduce((a, b) => a + b, 0);
  }
  if (baselineSpan < MIN_BASELINE_DAYS - 1e-6 || baselineRows.length < 3) return undefined;
  const hasWindow = !pseudo && rows.some((r) => r.lastDay >= baselineEndDay);
  let extra: Float64Array | undefined;
  if (pseudo) extra = forwardSolve(w.l, w.rows.map((r) => fullRow(r.shape, w.centre, pseudo)[SHIFT]));
  const columns = [INTERCEPT, ...(w.trend ? [TREND] : []), ...(hasWindow ? [SHIFT] : [])];
  const trend = regress(w, n, columns, extra);
  if (!trend) return undefined;
  let chosen = trend;
  let used = columns;
  let seasonalityPValue: number | null = null;
  if (baselineSpan >= MIN_DAYS_FOR_SEASONALITY && weekdayWeight.every((c) => c >= 2 - 1e-6)) {
    const full = regress(w, n, [...columns, ...WEEKDAYS], extra);
    if (full && full.df > 0 && full.rss > 0) {
      const f = ((trend.rss - full.rss) / WEEKDAY_COLUMNS) / (full.rss / full.df);
      seasonalityPValue = 1 - fCdf(Math.max(f, 0), WEEKDAY_COLUMNS, full.df);
      if (seasonalityPValue < SEASONALITY_ALPHA) {
        chosen = full;
        used = [...columns, ...WEEKDAYS];
      }
    }
  }
  const seasonal = used.length > columns.length;
  // Counterfactual coefficients in designRow's layout (intercept, trend, weekdays); a local-level fit has trend 0.
  const counterfactual = [INTERCEPT, TREND, ...(seasonal ? WEEKDAYS : [])].map((c) => used.indexOf(c));
  const shiftIndex = extra ? used.length : used.indexOf(SHIFT);
  // Rows count as consecutive for the residual autocorrelation when they touch in time.
  let index = 0;
  const positions = rows.map((r, i) => (index += i > 0 && rows[i - 1].lastDay + 1 >= r.firstDay ? 1 : 2));
  const designOf = (cols: readonly number[]) => Array.from({ length: n }, (_, i) => [...cols.map((c) => w.columns[c][i]), ...(extra ? [extra[i]] : [])]);
  const design = designOf(used);
  const released = seasonal ? weekdayRelease(design, chosen.xtxInverse, designOf(columns), trend.xtxInverse, positions) : undefined;
  const inflation = autocorrelationInflation(positions, chosen.residuals, w.trend ? 2 : 1, released);
  // σ² and its df under the autocorrelation the multiplier describes (ρ₁ from F = 1 + 2ρ₁/(1 − φ)).
  const correlated = inflation.factor > 1
    ? correlatedResidualSpread(design, chosen.xtxInverse, positions, ((inflation.factor - 1) * (1 - inflation.decay)) / 2, inflation.decay)
    : undefined;
  const sigma2 = correlated ? chosen.rss / correlated.expectedShare : chosen.sigma2;
  const residualDf = correlated ? Math.min(chosen.df, correlated.df) : chosen.df;
  // Heavy-tailed days (viral spikes) make σ² less certain than n − p suggests:
  // Var(σ̂²)/σ⁴ ≈ 2/df + κ/n for excess kurtosis κ, so the t distribution gets df = 1/(1/df + κ/2n).
  const kurtosis = Math.max(0, excessKurtosis(chosen.residuals));
  return {
    seasonal,
    seasonalityPValue,
    coefficients: counterfactual.map((i) => (i < 0 ? 0 : chosen.coefficients[i])),
    unscaledCovariance: counterfactual.map((i) => counterfactual.map((j) => (i < 0 || j < 0 ? 0 : chosen.xtxInverse[i][j]))),
    shift: shiftIndex >= 0 ? chosen.coefficients[shiftIndex] : null,
    shiftUnscaledVariance: shiftIndex >= 0 ? chosen.xtxInverse[shiftIndex][shiftIndex] : null,
    sigma2,
    df: 1 / (1 / residualDf + kurtosis / (2 * n) + (inflation.factor > 1 ? 1 / inflation.df : 0)),
    kurtosis,
    centre: w.centre,
    ...(w.damping && { damping: w.damping }),
    dayShockShare: w.shockShare,
    level: w.level,
    residualAutocorrelation: inflation.rho,
    inflation: inflation.factor,
    inflationDf: inflation.df,
    residualDfShare: residualDf / chosen.df,
    rows: n,
    ...(!pseudo && { internals: { w, used, xtxInverse: chosen.xtxInverse } }),
  };
}

/**
 * Fits the model to the snapshot increments inside the baseline and (if given) the window.
 * Undefined when the baseline's increments span fewer than 7 days or the design is degenerate.
 */
export function fitCountRate(timeline: Timeline, periods: FitPeriods): CountRateFit | undefined {
  const { baseline, window } = periods;
  const rows: Row[] = [];
  const adjacent = window !== undefined && window.startMs === baseline.endMs;
  incrementRows(timeline, baseline.startMs, adjacent ? window!.endMs : baseline.endMs, rows);
  if (window && !adjacent) incrementRows(timeline, window.startMs, window.endMs, rows);
  if (rows.length < 3) return undefined;
  const baselineEndDay = Math.ceil(baseline.endMs / DAY_MS);
  const shifted = window && rows.some((r) => r.lastDay >= baselineEndDay)
    ? { first: Math.floor(window.startMs / DAY_MS), end: Math.ceil(window.endMs / DAY_MS) }
    : undefined;
  const damping = periods.damping !== undefined ? { fromDay: baselineEndDay, phi: periods.damping } : undefined;
  const w = whitenBest(rows, timeline, baselineEndDay, shifted, periods.trend ?? true, damping);
  return fitRows(w, rows.length, baselineEndDay);
}

/** Variance (units of σ²) of a measured increment under the fitted noise mix. */
export function noiseUnits(fit: Pick<CountRateFit, 'dayShockShare'>, shape: IncrementShape): number {
  return (1 - fit.dayShockShare) * shape.withinDayVariance + fit.dayShockShare * dayShockVariance(shape);
}

export interface CountRatePrediction {
  /** Expected total over the weighted days, in counts. */
  expectedTotal: number;
  /** Variance of expectedTotal from parameter uncertainty, counts². */
  parameterVariance: number;
  /**
   * Cov(measured increment, expectedTotal), counts², per unit of the increment's noise amplitude
   * (multiply by √levelScale at its level). Non-zero because snapshot intervals at the baseline's end
   * can reach into the window, and the window's day-to-day changes inform the trend.
   */
  covarianceWithActual: number;
  /** Slope of the baseline trend, counts/day per day. */
  trendPerDay: number;
}

/**
 * Sums the counterfactual over weighted days (for a measured increment: its day loadings). `measured`
 * (that increment's shape) enables the covariance with it.
 */
export function predictWindowTotal(fit: CountRateFit, days: readonly WindowDay[], measured?: IncrementShape): CountRatePrediction {
  const p = fit.coefficients.length;
  const s = new Array<number>(p).fill(0);
  for (const { day, weight } of days) {
    const row = designRow(day, fit.centre, fit.seasonal, fit.damping);
    for (let c = 0; c < p; c++) s[c] += weight * row[c];
  }
  const expectedTotal = s.reduce((acc, v, c) => acc + v * fit.coefficients[c], 0);
  const parameterVariance = fit.sigma2 * fit.inflation * quadraticForm(s, fit.unscaledCovariance);
  let covarianceWithActual = 0;
  if (measured && fit.internals) {
    const { w, used, xtxInverse } = fit.internals;
    const share = w.shockShare;
    const c = w.rows.map((r, i) =>
      w.scales[i] * ((1 - share) * withinDayCovariance(r.shape, measured, w.timeline.lengths) + share * dayShockCovariance(r.shape, measured)));
    const cw = forwardSolve(w.l, c);
    // g = X̃ᵀ L⁻¹ c over the used columns; Cov = σ² · s_fullᵀ (X̃ᵀX̃)⁻¹ g, with s_full 0 on the shift.
    const g = used.map((col) => w.columns[col].reduce((acc, v, i) => acc + v * cw[i], 0));
    const sFull = used.map((col) => (col === SHIFT ? 0 : s[counterfactualColumn(col)]));
    for (let a = 0; a < used.length; a++) for (let b = 0; b < used.length; b++) covarianceWithActual += sFull[a] * xtxInverse[a][b] * g[b];
    covarianceWithActual *= fit.sigma2 * fit.inflation;
  }
  return { expectedTotal, parameterVariance, covarianceWithActual, trendPerDay: fit.coefficients[CF_TREND] / 7 };
}

// ---------------------------------------------------------------- placebo check

export interface PlaceboResult {
  /** Length of each pseudo-window in days. */
  windowDays: number;
  /** Pseudo-windows tested. */
  windows: number;
  /** Pseudo-windows in which the model would have reported an effect at the experiment's confidence (either direction). */
  falseFinds: number;
  /** Root mean square of the pseudo-windows' standardised effects (≈ 1 when the model is calibrated). */
  rmsZ: number;
  /** Whether the baseline failed the check. */
  unstable: boolean;
  /** Factor (≥ 1) the verdict's standard errors were multiplied by. */
  inflation: number;
}

const MIN_PLACEBO_PREFIX_DAYS = 14;
const MAX_PLACEBO_WINDOWS = 14;
/**
 * A baseline is unstable when at least two pseudo-windows "find" an effect and the pseudo-windows'
 * RMS standardised effect is at least 2 (twice its calibrated value; its 95th percentile on
 * well-behaved series is about 1.6). Pseudo-windows overlap, so finds come in runs; these thresholds
 * keep false alarms on well-behaved series around 1–2 % (measured in the bench) while catching
 * baselines the model cannot describe, such as a jump in the middle of the baseline.
 */
const UNSTABLE_MIN_FINDS = 2;
const UNSTABLE_RMS_Z = 2;

/**
 * Runs the same model on pseudo-windows inside the baseline, where nothing happened: each
 * pseudo-window (the experiment's length when the baseline is long, else one week), sliding a day
 * at a time, is fitted with the baseline before it and tested for a level shift. When the model
 * would have "found" effects there far more often than it should (see UNSTABLE_*), the baseline is
 * unstable and the verdict's standard errors are widened by the pseudo-windows' RMS standardised
 * effect. Undefined when the baseline is too short (under 3 weeks).
 */
export function placeboCheck(
  timeline: Timeline,
  baseline: { startMs: number; endMs: number },
  windowLength: number,
  confidence: number,
): PlaceboResult | undefined {
  const firstDay = Math.ceil(baseline.startMs / DAY_MS);
  const endDay = Math.floor(baseline.endMs / DAY_MS);
  const span = endDay - firstDay;
  const m = span >= windowLength + 2 * MIN_PLACEBO_PREFIX_DAYS ? windowLength : 7;
  if (span < MIN_PLACEBO_PREFIX_DAYS + m) return undefined;
  const rows = incrementRows(timeline, baseline.startMs, baseline.endMs);
  if (rows.length < MIN_PLACEBO_PREFIX_DAYS) return undefined;
  const w = whitenBest(rows, timeline, endDay + 1);
  const zThreshold = normalQuantile(confidence);
  const zs: number[] = [];
  for (let end = endDay; zs.length < MAX_PLACEBO_WINDOWS; end--) {
    const start = end - m;
    if (start - firstDay < MIN_PLACEBO_PREFIX_DAYS) break;
    let n = 0;
    while (n < rows.length && rows[n].lastDay < end) n++;
    const fit = fitRows(w, n, endDay + 1, { first: start, end });
    if (!fit || fit.shift === null || fit.shiftUnscaledVariance === null) continue;
    const se = Math.sqrt(fit.sigma2 * fit.inflation * fit.shiftUnscaledVariance);
    if (!(se > 0)) continue;
    zs.push(normalQuantile(Math.min(Math.max(studentTCdf(fit.shift / se, fit.df), 1e-12), 1 - 1e-12)));
  }
  if (zs.length === 0) return undefined;
  const falseFinds = zs.filter((z) => Math.abs(z) >= zThreshold).length;
  const rmsZ = Math.sqrt(zs.reduce((s, z) => s + z * z, 0) / zs.length);
  const unstable = falseFinds >= UNSTABLE_MIN_FINDS && rmsZ >= UNSTABLE_RMS_Z;
  return { windowDays: m, windows: zs.length, falseFinds, rmsZ, unstable, inflation: unstable ? rmsZ : 1 };
}

// ---------------------------------------------------------------- choosing the counterfactual

/**
 * A counterfactual model: a local level or a linear trend, fitted on the whole baseline or only on
 * its most recent `lookbackDays` (so a curved or shifted history is described by its recent part).
 */
export interface CounterfactualSpec {
  trend: boolean;
  /** Damping factor φ per day of the trend beyond the data it was fitted on (absent: straight). */
  damping?: number;
  /** Days of baseline before the window the model is fitted on (undefined: all of it). */
  lookbackDays?: number;
}

/** Longest stretch of baseline the backtest reads (16 weeks). */
const MAX_BACKTEST_DAYS = 112;
/** Recent part of the baseline the local candidates use (4 weeks). */
export const RECENT_DAYS = 28;

export interface Backtest extends PlaceboResult {
  spec: CounterfactualSpec;
  /** Mean squared pseudo-window error (metric unit², per day) — how well it would have forecast. */
  meanSquaredError: number;
}

/**
 * Rolling-origin backtest of one candidate inside the baseline: each pseudo-window (as in
 * placeboCheck) is forecast from the baseline before it — all of it, or its last `lookbackDays` —
 * and its level shift against that forecast is the candidate's error there.
 */
export function backtest(
  timeline: Timeline,
  baseline: { startMs: number; endMs: number },
  windowLength: number,
  confidence: number,
  spec: CounterfactualSpec,
): Backtest | undefined {
  const endDay = Math.floor(baseline.endMs / DAY_MS);
  // A long explicit baseline is backtested on its last 16 weeks: older days say little about which
  // model forecasts now, and they would make every pseudo-window fit cost as much as the whole year.
  const firstDay = Math.max(Math.ceil(baseline.startMs / DAY_MS), endDay - MAX_BACKTEST_DAYS);
  const span = endDay - firstDay;
  const m = span >= windowLength + 2 * MIN_PLACEBO_PREFIX_DAYS ? windowLength : 7;
  if (span < MIN_PLACEBO_PREFIX_DAYS + m) return undefined;
  const rows = incrementRows(timeline, Math.max(baseline.startMs, firstDay * DAY_MS), baseline.endMs);
  if (rows.length < MIN_PLACEBO_PREFIX_DAYS) return undefined;
  const zThreshold = normalQuantile(confidence);
  const zs: number[] = [];
  let squared = 0;
  for (let end = endDay; zs.length < MAX_PLACEBO_WINDOWS; end--) {
    const start = end - m;
    if (start - firstDay < MIN_PLACEBO_PREFIX_DAYS) break;
    const from = spec.lookbackDays === undefined ? firstDay : Math.max(firstDay, start - spec.lookbackDays);
    const subset = rows.filter((r) => r.firstDay >= from && r.lastDay < end);
    if (subset.length < MIN_BASELINE_DAYS + 2) continue;
    const damping = spec.damping !== undefined ? { fromDay: start, phi: spec.damping } : undefined;
    const fit = fitRows(whitenBest(subset, timeline, start, { first: start, end }, spec.trend, damping), subset.length, start);
    if (!fit || fit.shift === null || fit.shiftUnscaledVariance === null) continue;
    const se = Math.sqrt(fit.sigma2 * fit.inflation * fit.shiftUnscaledVariance);
    if (!(se > 0)) continue;
    zs.push(normalQuantile(Math.min(Math.max(studentTCdf(fit.shift / se, fit.df), 1e-12), 1 - 1e-12)));
    squared += fit.shift * fit.shift;
  }
  if (zs.length === 0) return undefined;
  const falseFinds = zs.filter((z) => Math.abs(z) >= zThreshold).length;
  const rmsZ = Math.sqrt(zs.reduce((s, z) => s + z * z, 0) / zs.length);
  const unstable = falseFinds >= UNSTABLE_MIN_FINDS && rmsZ >= UNSTABLE_RMS_Z;
  return {
    spec, windowDays: m, windows: zs.length, falseFinds, rmsZ, unstable, inflation: unstable ? rmsZ : 1,
    meanSquaredError: squared / zs.length,
  };
}

export interface CounterfactualChoice {
  spec: CounterfactualSpec;
  /** The chosen candidate's backtest (its placebo check); undefined when the baseline is too short to backtest. */
  backtest?: Backtest;
  candidates: Backtest[];
  /**
   * Autocorrelation inflation of a straight trend fitted on the whole baseline. The noise is the
   * account's, not the candidate's: a candidate fitted on the recent four weeks sees fewer lags and
   * more of its persistence absorbed by the level, so it understates it.
   */
  baselineInflation: number;
  /** Degrees of freedom of baselineInflation (see autocorrelationInflation), and the rows it was read from. */
  baselineInflationDf: number;
  baselineInflationRows: number;
}

/**
 * Picks the counterfactual that would have forecast the baseline's own pseudo-windows best (smallest
 * mean squared error): whole-baseline trend or level, or the recent four weeks' trend or level.
 * A baseline too short to backtest gets a local level — a straight trend extrapolated from a week or
 * two of data is mostly noise.
 */
export function chooseCounterfactual(
  timeline: Timeline,
  baseline: { startMs: number; endMs: number },
  windowLength: number,
  confidence: number,
): CounterfactualChoice {
  const span = (baseline.endMs - baseline.startMs) / DAY_MS;
  const recent = span >= RECENT_DAYS + 14;
  // Simplest first: the choice prefers an earlier candidate unless a later one forecast clearly better.
  const specs: CounterfactualSpec[] = [
    { trend: false },
    ...(recent ? [{ trend: false, lookbackDays: RECENT_DAYS }] : []),
    { trend: true },
    { trend: true, damping: DAMPING_PHI, ...(recent && { lookbackDays: RECENT_DAYS }) },
    ...(recent ? [{ trend: true, lookbackDays: RECENT_DAYS }] : []),
  ];
  // A whole-baseline level cannot describe a baseline whose trend is clear (|t| ≥ 2, autocorrelation
  // allowed for): the backtest's few pseudo-windows could still favour it by chance, and it would lag the
  // trend. The recent level stays a candidate (it is what a curve that flattens out looks like).
  const whole = fitCountRate(timeline, { baseline, trend: true });
  const trendT = whole ? Math.abs(whole.coefficients[CF_TREND]) / Math.sqrt(whole.sigma2 * whole.inflation * whole.unscaledCovariance[CF_TREND][CF_TREND]) : 0;
  const clearTrend = trendT >= CLEAR_TREND_T;
  const candidates = specs
    .filter((spec) => spec.trend || spec.lookbackDays !== undefined || !clearTrend)
    .map((spec) => backtest(timeline, baseline, windowLength, confidence, spec))
    .filter((b): b is Backtest => b !== undefined);
  const baselineInflation = whole?.inflation ?? 1;
  const baselineInflationDf = whole?.inflationDf ?? Infinity;
  const baselineInflationRows = whole?.rows ?? 0;
  if (candidates.length === 0) return { spec: { trend: clearTrend }, candidates, baselineInflation, baselineInflationDf, baselineInflationRows };
  const bestError = Math.min(...candidates.map((c) => c.meanSquaredError));
  const best = candidates.find((c) => c.meanSquaredError <= bestError * (1 + SIMPLER_MARGIN))!;
  return { spec: best.spec, backtest: best, candidates, baselineInflation, baselineInflationDf, baselineInflationRows };
}

/**
 * Fits a counterfactual candidate on its part of the baseline (its last `lookbackDays`, or all of it)
 * and, when given, the window with its free level shift.
 */
export function fitCounterfactual(
  timeline: Timeline, baseline: { startMs: number; endMs: number }, spec: CounterfactualSpec, window?: { startMs: number; endMs: number },
): CountRateFit | undefined {
  const startMs = spec.lookbackDays === undefined ? baseline.startMs : Math.max(baseline.startMs, baseline.endMs - spec.lookbackDays * DAY_MS);
  return fitCountRate(timeline, {
    baseline: { startMs, endMs: baseline.endMs }, ...(window && { window }), trend: spec.trend,
    ...(spec.damping !== undefined && { damping: spec.damping }),
  });
}

/**
 * Model uncertainty (Draper 1995, "Assessment and propagation of model uncertainty"): the backtest picks
 * one candidate, but on a curved or wandering baseline the others forecast the window differently, and
 * a verdict that ignores that is overconfident exactly where extrapolation is least certain (decaying
 * growth, a level that wanders). Each candidate k forecasts the window total μ_k with variance V_k; two
 * forecasts from the same data differ by noise alone with variance about |V_k − V_chosen| (Hausman 1978:
 * for nested fits, the variance of the difference is the difference of the variances), so only the
 * excess (μ_k − μ_chosen)² − |V_k − V_chosen| is disagreement about the model. The spread is that
 * excess where positive — only a candidate that disagrees beyond noise counts, which errs on the
 * wide side (pure noise still adds about half its variance) — averaged with weights 1/backtest error (the likelihood ratio of about two
 * independent pseudo-windows). Counts², added to the counterfactual's variance; 0 when all candidates
 * agree up to noise, or when the baseline was too short to backtest.
 */
export function modelSpreadVariance(
  choice: CounterfactualChoice, fits: readonly (CountRateFit | undefined)[], chosen: CountRatePrediction, days: readonly WindowDay[],
): number {
  let weights = 0;
  let spread = 0;
  choice.candidates.forEach((c, k) => {
    const fit = fits[k];
    if (!fit || !(c.meanSquaredError > 0)) return;
    const w = 1 / c.meanSquaredError;
    const forecast = predictWindowTotal(fit, days);
    const excess = (forecast.expectedTotal - chosen.expectedTotal) ** 2 - Math.abs(forecast.parameterVariance - chosen.parameterVariance);
    weights += w;
    spread += w * Math.max(0, excess);
  });
  return weights > 0 ? spread / weights : 0;
}

/** |t| of the whole-baseline trend from which level candidates are not considered. */
const CLEAR_TREND_T = 2;
/** Damping per day of the damped-trend candidate (the trend's effect halves in about a week). */
export const DAMPING_PHI = 0.9;
/**
 * A more complex candidate is chosen only when its backtest error is below 1/(1 + margin) of every
 * simpler one's: the backtest's pseudo-windows overlap, so small differences are noise, and a trend
 * picked on noise extrapolates it.
 */
const SIMPLER_MARGIN = 0.2;

/** Small-sample excess kurtosis G2 (Joanes & Gill 1998) of residuals around zero mean. */
export function excessKurtosis(e: readonly number[]): number {
  const n = e.length;
  if (n < 4) return 0;
  let m2 = 0;
  let m4 = 0;
  for (const v of e) {
    m2 += v * v;
    m4 += v ** 4;
  }
  m2 /= n;
  m4 /= n;
  if (m2 === 0) return 0;
  const g2 = m4 / (m2 * m2) - 3;
  return ((n - 1) / ((n - 2) * (n - 3))) * ((n + 1) * g2 + 6);
}
