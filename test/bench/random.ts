/**
 * Seeded random numbers for the verdict simulation: uniform (mulberry32), normal, Poisson, gamma,
 * beta, binomial. Reproducible across runs and machines for a given seed. The generator itself is the
 * product's (functions/domain/seeded-random.ts); this adds the distributions the simulation draws.
 */
import { SeededRandom } from '../../functions/domain/seeded-random';

export class Rng extends SeededRandom {
  /** Uniform on the open interval (0, 1): mulberry32's draw moved by half a step, so log() never sees 0. */
  override next(): number {
    return super.next() + 0.5 / 4294967296;
  }

  normal(): number {
    return Math.sqrt(-2 * Math.log(this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  /** Poisson by inversion (fine for the small means used per hour/day here); normal above 50. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    const u = this.next();
    while (u > cdf && k < 1000) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }

  /** Gamma(shape, scale 1), Marsaglia–Tsang. */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.next(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = this.next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /** Beta with the given mean and standard deviation. */
  betaMeanSd(mean: number, sd: number): number {
    const k = (mean * (1 - mean)) / (sd * sd) - 1;
    const a = this.gamma(mean * k);
    const b = this.gamma((1 - mean) * k);
    return a / (a + b);
  }

  /** Binomial: exact by summing Bernoullis for n ≤ 60, normal approximation (rounded, clamped) above. */
  binomial(n: number, p: number): number {
    if (n <= 60) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.next() < p) k++;
      return k;
    }
    const mean = n * p;
    const sd = Math.sqrt(n * p * (1 - p));
    if (mean < 15) return Math.min(n, this.poisson(mean));
    return Math.min(n, Math.max(0, Math.round(mean + sd * this.normal())));
  }

  /** Negative binomial with the given mean and shape k (variance mean + mean²/k). */
  negativeBinomial(mean: number, k: number): number {
    return this.poisson((mean * this.gamma(k)) / k);
  }
}
