/**
 * What the chosen counterfactual does not know about itself: autocorrelation with a long memory
 * (a wandering level under counting noise) and the other candidates' disagreement.
 */
import { autocorrelationInflation, type Backtest, type CounterfactualChoice, type CountRateFit, modelSpreadVariance, type CountRatePrediction } from '../../../functions/domain/scoring/count-rate-model';

/** Residuals of a wandering level (AR(1), decay 0.8) plus independent noise of the same variance, seeded. */
function wanderingResiduals(n: number): number[] {
  let seed = 7;
  const uniform = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  let level = 0;
  return Array.from({ length: n }, () => {
    level = 0.8 * level + Math.sqrt(1 - 0.64) * normal();
    return level + normal();
  });
}

describe('autocorrelationInflation', () => {
  it('reads a long memory from lags 2 and 3 when counting noise dilutes lag 1', () => {
    const residuals = wanderingResiduals(400);
    const positions = residuals.map((_, i) => i);

    const { rho, decay, factor } = autocorrelationInflation(positions, residuals, 1);
    const lagOneOnly = (1 + rho) / (1 - rho);

    // True long-run factor: 1 + 2·0.5·0.8/(1 − 0.8) = 5, lag-1 correlation 0.4 (factor 2.3).
    expect(decay).toBeGreaterThan(0.6);
    expect(factor).toBeGreaterThan(lagOneOnly * 1.4);
    expect(factor).toBeGreaterThan(3.5);
  });

  it('leaves independent residuals (almost) alone', () => {
    const residuals = Array.from({ length: 200 }, (_, i) => Math.sin(i * 2.7) + Math.cos(i * 1.3 + 1));
    const positions = residuals.map((_, i) => i);
    expect(autocorrelationInflation(positions, residuals, 1).factor).toBeLessThan(1.3);
  });
});

describe('modelSpreadVariance', () => {
  const fit = (intercept: number): CountRateFit => ({
    seasonal: false, seasonalityPValue: null, coefficients: [intercept, 0], unscaledCovariance: [[0.01, 0], [0, 0]], shift: null,
    shiftUnscaledVariance: null, sigma2: 10, df: 50, centre: 0, dayShockShare: 0, level: { baselineLevel: intercept, excess: 0 },
    residualAutocorrelation: 0, inflation: 1, inflationDf: Infinity, residualDfShare: 1, kurtosis: 0, rows: 56,
  });
  const candidate = (mse: number) => ({ spec: { trend: false }, meanSquaredError: mse } as Backtest);
  const choice = (n: number): CounterfactualChoice => ({ spec: { trend: false }, candidates: Array.from({ length: n }, () => candidate(1)), baselineInflation: 1, baselineInflationDf: Infinity, baselineInflationRows: 0 });
  const days = Array.from({ length: 14 }, (_, k) => ({ day: 56 + k, weight: 1 }));
  const chosen = (f: CountRateFit): CountRatePrediction => ({ expectedTotal: f.coefficients[0] * 14, parameterVariance: 10 * 0.01 * 196, covarianceWithActual: 0, trendPerDay: 0 });

  it('is zero when every candidate forecasts the same window', () => {
    expect(modelSpreadVariance(choice(3), [fit(10), fit(10), fit(10)], chosen(fit(10)), days)).toBe(0);
  });

  it('adds the disagreement beyond noise, weighted by the backtest', () => {
    // One of two equally good candidates forecasts 2/day more over 14 days: (28)² / 2.
    expect(modelSpreadVariance(choice(2), [fit(10), fit(12)], chosen(fit(10)), days)).toBeCloseTo(28 * 28 / 2, 6);
  });
});
