/**
 * Numerical statistics the scoring engine needs, with no dependencies: normal, Student t and F
 * distributions, ordinary least squares, and residual autocorrelation.
 *
 * Accuracy: normal cdf/quantile to ~1e-15, t/F through the regularised incomplete beta to ~1e-12 —
 * far below anything a verdict rounds to. Unit tests pin them to scipy.stats.
 */

// ---------------------------------------------------------------- normal distribution

const INV_SQRT_2PI = 0.3989422804014327;

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Standard normal cumulative distribution Φ(x) = P(Z ≤ x). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const ax = Math.abs(x);
  if (ax <= 3) {
    // Marsaglia (2004), "Evaluating the Normal Distribution": Φ(x) = ½ + φ(x)·Σ x^(2n+1)/(2n+1)!!
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let i = 3; Math.abs(term) > 1e-17 * Math.abs(sum); i += 2) {
      term *= x2 / i;
      sum += term;
    }
    return 0.5 + normalPdf(x) * sum;
  }
  // Upper tail by the Laplace continued fraction Q(x) = φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))).
  let f = ax;
  for (let k = 80; k >= 1; k--) f = ax + k / f;
  const tail = normalPdf(ax) / f;
  return x > 0 ? 1 - tail : tail;
}

/** Inverse of Φ: the z with Φ(z) = p (Wichura 1988, algorithm AS 241, ~1e-16 relative accuracy). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
          133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
        42.313330701600911252) * r + 1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
        4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    value =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
        5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
        0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -value : value;
}

// ---------------------------------------------------------------- gamma and beta functions

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised incomplete beta I_x(a, b) (continued fraction, Numerical Recipes §6.4). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

// ---------------------------------------------------------------- Student t and F distributions

/** Degrees of freedom above which the t distribution is treated as normal. */
const NORMAL_DF = 1e6;

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional, e.g. Welch–Satterthwaite). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (df >= NORMAL_DF) return normalCdf(t);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** Density of Student's t. */
export function studentTPdf(t: number, df: number): number {
  if (df >= NORMAL_DF) return normalPdf(t);
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** The t with P(T ≤ t) = p for Student's t with `df` degrees of freedom (Newton steps, bisection-safeguarded). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : Number.NaN;
  if (df >= NORMAL_DF) return normalQuantile(p);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  if (p === 0.5) return 0;
  // Bracket [0, hi] with P(T ≤ hi) ≥ p, then Newton from the normal quantile, falling back to bisection.
  let lo = 0;
  let hi = Math.max(1, normalQuantile(p) * 2);
  while (studentTCdf(hi, df) < p) hi *= 2;
  let x = Math.min(Math.max(normalQuantile(p), lo), hi);
  for (let i = 0; i < 100; i++) {
    const f = studentTCdf(x, df) - p;
    if (Math.abs(f) < 1e-14) break;
    if (f < 0) lo = x;
    else hi = x;
    const step = f / studentTPdf(x, df);
    let next = x - step;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) < 1e-13 * Math.max(1, Math.abs(x))) {
      x = next;
      break;
    }
    x = next;
  }
  return x;
}

/** P(F ≤ f) for the F distribution with (d1, d2) degrees of freedom. */
export function fCdf(f: number, d1: number, d2: number): number {
  if (f <= 0) return 0;
  return regularizedIncompleteBeta((d1 * f) / (d1 * f + d2), d1 / 2, d2 / 2);
}

// ---------------------------------------------------------------- descriptive statistics

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length > 0 ? s / xs.length : Number.NaN;
}

/** Sample variance with n − 1 in the denominator. */
export function sampleVariance(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / (n - 1);
}

// ---------------------------------------------------------------- ordinary least squares

export interface OlsFit {
  coefficients: number[];
  /** (XᵀX)⁻¹: multiply by σ² for the coefficients' covariance. */
  xtxInverse: number[][];
  residuals: number[];
  /** Residual sum of squares. */
  rss: number;
  /** Residual degrees of freedom n − p. */
  df: number;
  /** Unbiased residual variance RSS / (n − p). */
  sigma2: number;
}

/**
 * Ordinary least squares y = Xβ + ε through the normal equations (the designs here have ≤ 8 well-scaled
 * columns, so inverting XᵀX is accurate). Returns undefined when X is rank-deficient or n ≤ p.
 */
export function ols(rows: readonly (readonly number[])[], y: readonly number[]): OlsFit | undefined {
  const n = rows.length;
  if (n === 0) return undefined;
  const p = rows[0].length;
  if (n <= p) return undefined;
  const xtx: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    for (let a = 0; a < p; a++) {
      xty[a] += r[a] * y[i];
      for (let b = a; b < p; b++) xtx[a][b] += r[a] * r[b];
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) xtx[a][b] = xtx[b][a];
  const inverse = invertSymmetric(xtx);
  if (!inverse) return undefined;
  const coefficients = inverse.map((row) => row.reduce((s, v, j) => s + v * xty[j], 0));
  const residuals = new Array<number>(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let fitted = 0;
    for (let a = 0; a < p; a++) fitted += rows[i][a] * coefficients[a];
    residuals[i] = y[i] - fitted;
    rss += residuals[i] * residuals[i];
  }
  const df = n - p;
  return { coefficients, xtxInverse: inverse, residuals, rss, df, sigma2: rss / df };
}

/** Gauss–Jordan inversion with partial pivoting; undefined when (numerically) singular. */
export function invertSymmetric(m: readonly (readonly number[])[]): number[][] | undefined {
  const p = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: p }, (_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(...m.map((row, i) => Math.abs(row[i])), 1e-300);
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (Math.abs(a[pivot][col]) < 1e-10 * scale) return undefined;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const inv = 1 / a[col][col];
    for (let j = 0; j < 2 * p; j++) a[col][j] *= inv;
    for (let r = 0; r < p; r++) {
      if (r === col || a[r][col] === 0) continue;
      const factor = a[r][col];
      for (let j = 0; j < 2 * p; j++) a[r][j] -= factor * a[col][j];
    }
  }
  return a.map((row) => row.slice(p));
}

/** xᵀ M x for a symmetric matrix M. */
export function quadraticForm(x: readonly number[], m: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) s += x[i] * m[i][j] * x[j];
  return s;
}

/**
 * Lag-1 autocorrelation of a residual series that may have holes: pairs are formed only from
 * consecutive days that are both present (`day` are integer day numbers).
 * Returns the correlation and the number of pairs it rests on.
 */
export function lagOneAutocorrelation(days: readonly number[], residuals: readonly number[]): { rho: number; pairs: number } {
  let num = 0;
  let den = 0;
  let pairs = 0;
  for (let i = 0; i < residuals.length; i++) {
    den += residuals[i] * residuals[i];
    if (i > 0 && days[i] === days[i - 1] + 1) {
      num += residuals[i] * residuals[i - 1];
      pairs++;
    }
  }
  if (pairs === 0 || den === 0) return { rho: 0, pairs };
  // Scale by n/pairs so holes do not bias the estimate toward zero.
  return { rho: (num / pairs) / (den / residuals.length), pairs };
}

/**
 * Lag-`lag` autocorrelation of residuals at integer positions `days` (pairs exactly `lag` apart), scaled
 * like lagOneAutocorrelation so holes do not bias it toward zero.
 */
export function lagAutocorrelation(days: readonly number[], residuals: readonly number[], lag: number): { rho: number; pairs: number } {
  let num = 0;
  let den = 0;
  let pairs = 0;
  let j = 0;
  for (let i = 0; i < residuals.length; i++) {
    den += residuals[i] * residuals[i];
    while (j < i && days[j] < days[i] - lag) j++;
    if (j < i && days[j] === days[i] - lag) {
      num += residuals[i] * residuals[j];
      pairs++;
    }
  }
  if (pairs === 0 || den === 0) return { rho: 0, pairs };
  return { rho: (num / pairs) / (den / residuals.length), pairs };
}

/** ln det of a small symmetric positive-definite matrix (Cholesky); NaN when not positive definite. */
export function logDeterminant(m: readonly (readonly number[])[]): number {
  const p = m.length;
  const l: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  let logDet = 0;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > 0)) return Number.NaN;
        l[i][i] = Math.sqrt(s);
        logDet += 2 * Math.log(l[i][i]);
      } else l[i][j] = s / l[j][j];
    }
  }
  return logDet;
}
