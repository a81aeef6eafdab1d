/**
 * How many generated cases a fuzz test runs: CI's count (the default) times FUZZ_SCALE — e.g.
 * `FUZZ_SCALE=0.1 npx jest test/reliability` for a quick local pass, `FUZZ_SCALE=10` for a soak.
 * FUZZ_SEED picks another deterministic sequence.
 */
export function fuzzRuns(ciCount: number): number {
  const raw = process.env.FUZZ_SCALE;
  const scale = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`FUZZ_SCALE must be a positive number, got ${JSON.stringify(raw)}`);
  return Math.max(1, Math.round(ciCount * scale));
}

/** The fast-check seed every fuzz test uses (FUZZ_SEED overrides it). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261128);
