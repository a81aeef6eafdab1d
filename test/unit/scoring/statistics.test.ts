import {
  fCdf, lagOneAutocorrelation, logDeterminant, normalCdf, normalQuantile, ols, studentTCdf, studentTQuantile,
} from '../../../functions/domain/scoring/statistics';

// Expected values: scipy.stats 1.17 (norm, t, f) and numpy.linalg.lstsq, computed independently
// (reference_values.py, blocks 'norm', 't', 'f', 'anscombe').
describe('distributions', () => {
  it('gives the standard normal cdf and quantile to 1e-12', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 12); // scipy.stats.norm.cdf(1.96)
    expect(normalCdf(-3.5)).toBeCloseTo(0.00023262907903552502, 14); // norm.cdf(-3.5)
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12); // norm.ppf(0.975)
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 12); // norm.ppf(0.001)
  });

  it("gives Student's t cdf and quantile, including fractional degrees of freedom", () => {
    expect(studentTCdf(2, 10)).toBeCloseTo(0.9633059826146299, 12); // t.cdf(2, 10)
    expect(studentTCdf(-1.3, 3)).toBeCloseTo(0.14223375436394853, 12); // t.cdf(-1.3, 3)
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 10); // t.ppf(0.975, 10)
    expect(studentTQuantile(0.95, 26)).toBeCloseTo(1.7056179197592727, 10); // t.ppf(0.95, 26)
    expect(studentTQuantile(0.975, 2.5)).toBeCloseTo(3.5746548420036817, 9); // t.ppf(0.975, 2.5)
  });

  it('gives the F cdf used by the weekday-effects test', () => {
    expect(fCdf(2.5, 6, 20)).toBeCloseTo(0.9428791345401114, 12); // f.cdf(2.5, 6, 20)
  });
});

describe('ordinary least squares', () => {
  it("reproduces Anscombe's quartet I (y ≈ 3.00 + 0.500x, residual SD 1.237)", () => {
    // Arrange: Anscombe (1973), data set I.
    const x = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
    const y = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];

    // Act
    const fit = ols(x.map((v) => [1, v]), y)!;

    // Assert: numpy.linalg.lstsq on the same data.
    expect(fit.coefficients[0]).toBeCloseTo(3.0000909090909094, 10);
    expect(fit.coefficients[1]).toBeCloseTo(0.5000909090909093, 10);
    expect(Math.sqrt(fit.sigma2)).toBeCloseTo(1.236603322726321, 10);
    expect(Math.sqrt(fit.sigma2 * fit.xtxInverse[1][1])).toBeCloseTo(0.11790550059563405, 10);
    expect(fit.df).toBe(9);
  });

  it('refuses a rank-deficient design', () => {
    expect(ols([[1, 2], [2, 4], [3, 6]], [1, 2, 3])).toBeUndefined();
  });
});

describe('helpers', () => {
  it('computes the log-determinant of a positive-definite matrix', () => {
    expect(logDeterminant([[4, 2], [2, 3]])).toBeCloseTo(Math.log(8), 12);
  });

  it('forms lag-1 autocorrelation only from consecutive days', () => {
    // Residuals alternate in sign on consecutive days → strongly negative; the hole breaks one pair.
    const { rho, pairs } = lagOneAutocorrelation([1, 2, 3, 5, 6], [1, -1, 1, -1, 1]);
    expect(pairs).toBe(3);
    expect(rho).toBeCloseTo(-1 * (5 / 5), 10);
  });
});
