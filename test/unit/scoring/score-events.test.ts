import { scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import { compareRatios, ratioOfSums } from '../../../functions/domain/scoring/ratio-model';
import { aPost, aSend, aScoredExperiment, answers, SCORED_AT } from './factories';

const inBaseline = (day: number) => new Date(Date.parse('2025-02-03T14:00:00.000Z') + day * 86_400_000).toISOString();
const inWindow = (day: number) => new Date(Date.parse('2025-03-03T14:00:00.000Z') + day * 86_400_000).toISOString();

describe('proportions over sends (open rate)', () => {
  // Three sends of 1,000 per period. Rates 38/42/40 % before, 45/41/47 % during.
  const sends = [
    aSend('b1', inBaseline(0), 1000, 380), aSend('b2', inBaseline(9), 1000, 420), aSend('b3', inBaseline(18), 1000, 400),
    aSend('w1', inWindow(0), 1000, 450), aSend('w2', inWindow(4), 1000, 410), aSend('w3', inWindow(9), 1000, 470),
  ];

  it('uses the between-send spread, not a per-email binomial, and so does not keep a noisy difference', () => {
    // Expected (reference_values.py, block 're'): one-way random-effects moment estimator
    // τ² = pooled within-period variance of send rates − p̄q̄/n = 0.00042327; Var(p̂) = p̃q̃/N + τ²/3
    // (p̃ add-one smoothed); P = t.cdf(eff/se, df = 6 − 2). A per-email z-test would give P = 0.99967.
    const verdict = scoreExperiment(aScoredExperiment({ primaryMetric: 'newsletter.open_rate' }), sends, { now: SCORED_AT });

    expect(verdict.baselineValue).toBeCloseTo(0.4, 12);
    expect(verdict.windowValue).toBeCloseTo(0.44333333333333336, 12);
    expect(verdict.effect.absolute).toBeCloseTo(0.04333333333333328, 12);
    expect(verdict.model!.betweenUnitSd).toBeCloseTo(Math.sqrt(0.0004232722222222221), 10);
    expect(verdict.model!.df).toBe(4);
    expect(verdict.probabilityOfImprovement).toBeCloseTo(0.9454941442565876, 8);
    expect(verdict).toMatchObject({ decision: 'discard', reason: 'not_improved', method: 'proportion_random_effects' });
    expect(verdict.dataQuality).toMatchObject({ baselineEvents: 3, windowEvents: 3 });
    expect(verdict.warnings.map((w) => w.code)).toContain('few_events');
  });

  it('needs at least three sends in total to judge send-to-send variation', () => {
    const two = [aSend('b1', inBaseline(0), 1000, 380), aSend('w1', inWindow(0), 1000, 600)];

    const verdict = scoreExperiment(aScoredExperiment({ primaryMetric: 'newsletter.open_rate' }), two, { now: SCORED_AT });

    expect(verdict).toMatchObject({ decision: 'discard', reason: 'insufficient_data' });
    expect(verdict.missing![0]).toMatch(/at least 3 sends across baseline and window/);
  });

  it('says which period had no sends', () => {
    const verdict = scoreExperiment(aScoredExperiment({ primaryMetric: 'newsletter.click_rate' }), sends.slice(0, 3), { now: SCORED_AT });
    expect(verdict.missing).toEqual(['sends in the window (2025-03-03 to 2025-03-16): none recorded']);
  });
});

describe('ratios over posts (replies per post)', () => {
  it("matches Welch's t-test on per-post replies", () => {
    // Expected (reference_values.py, 'welch'): scipy.stats.ttest_ind(window, baseline, equal_var=False, alternative='greater'):
    // P = 1 − p = 0.98093, difference 2.4, SE 1.03494, Welch df 12.4367.
    const before = [2, 0, 5, 3, 1, 4, 2, 6, 0, 3];
    const during = [4, 6, 3, 8, 5, 2, 7];
    const posts = [
      ...before.map((r, i) => aPost(`b${i}`, inBaseline(i * 2), { replies: r })),
      ...during.map((r, i) => aPost(`w${i}`, inWindow(i), { replies: r })),
    ];

    const verdict = scoreExperiment(aScoredExperiment({ primaryMetric: 'x.replies_per_post' }), posts, { now: SCORED_AT });

    expect(verdict.effect.absolute).toBeCloseTo(2.4, 12);
    expect(verdict.model!.df).toBeCloseTo(12.43674906616545, 8);
    expect(verdict.probabilityOfImprovement).toBeCloseTo(0.9809275201640313, 8);
    expect(verdict).toMatchObject({ decision: 'keep', reason: 'improved', method: 'ratio_delta_method' });
    expect(verdict.summary).toMatch(/^Replies per post was 5\.0 vs 2\.6 in the baseline \(\+92 %, 95 % interval \+[\d.]+ % to \+[\d.]+ %\)\. Keep\./);
  });

  it('computes the delta-method variance of a ratio of sums', () => {
    // Cochran (1977) §6.4; expected from numpy (reference_values.py, 'ratio'): R = Σy/Σx = 5.642857, Var = k/(k−1)·Σ(y − Rx)²/(Σx)² = 0.186710.
    const arm = ratioOfSums([12, 9, 15, 8, 11, 10, 14].map((y, i) => ({ y, x: [2, 1, 3, 1, 2, 2, 3][i] })));
    expect(arm.ratio).toBeCloseTo(5.642857142857143, 12);
    expect(arm.variance).toBeCloseTo(0.1867103984450924, 12);
  });

  it('treats the baseline ratio as the counterfactual', () => {
    const { estimate } = compareRatios([{ y: 1, x: 1 }, { y: 3, x: 1 }], [{ y: 4, x: 1 }, { y: 6, x: 1 }]);
    expect(estimate).toMatchObject({ expectedValue: 2, windowValue: 5, expectedVariance: 1, windowVariance: 1, df: 2 });
  });
});

describe('AI citation rate (paired by prompt)', () => {
  const cb = [20, 50, 10, 70, 30, 40];
  const cw = [40, 60, 30, 70, 50, 60];
  const tracked = cb.flatMap((c, j) => [
    ...answers(`prompt ${j}`, { from: '2025-02-03T00:00:00.000Z', days: 28, total: 100, cited: c }),
    ...answers(`prompt ${j}`, { from: '2025-03-03T00:00:00.000Z', days: 14, total: 100, cited: cw[j] }),
  ]);

  it('compares the same prompts across periods like a paired t-test', () => {
    // Expected (reference_values.py, 'paired'): scipy.stats.ttest_rel(window rates, baseline rates, alternative='greater'):
    // mean difference 0.15, SE 0.034157, P = 0.996461 (df = 5). Equal answers per prompt make the
    // clustered delta method identical to the paired t-test.
    const verdict = scoreExperiment(aScoredExperiment({ primaryMetric: 'citations.citation_rate' }), tracked, { now: SCORED_AT });

    expect(verdict.effect.absolute).toBeCloseTo(0.15, 12);
    expect(verdict.model!.df).toBe(5);
    expect(verdict.probabilityOfImprovement).toBeCloseTo(0.9964612010372509, 8);
    expect(verdict).toMatchObject({ decision: 'keep', method: 'proportion_paired_clusters' });
  });

  it('counts only the named engine for an engine-qualified metric', () => {
    const otherEngine = answers('prompt 0', { from: '2025-03-03T00:00:00.000Z', days: 14, total: 500, cited: 0, engine: 'openai' });

    const all = scoreExperiment(aScoredExperiment({ primaryMetric: 'citations.citation_rate' }), [...tracked, ...otherEngine], { now: SCORED_AT });
    const perplexity = scoreExperiment(aScoredExperiment({ primaryMetric: 'citations.citation_rate:perplexity' }), [...tracked, ...otherEngine], { now: SCORED_AT });

    expect(all.windowValue).toBeLessThan(0.3);
    expect(perplexity.windowValue).toBeCloseTo(0.5166666666666667, 12);
    expect(perplexity.summary).toMatch(/^Citation rate \(perplexity\) was 51\.7 % vs 36\.7 % in the baseline/);
  });
});

describe('engagement rate over posts', () => {
  it('warns when window posts were read too soon after publication to be mature', () => {
    const early = (id: string, publishedAt: string) => ({ ...aPost(id, publishedAt, { impressions: 1000, likes: 30 }), at: new Date(Date.parse(publishedAt) + 3_600_000).toISOString() });
    const posts = [
      ...[0, 3, 6, 9, 12, 15].map((d) => aPost(`b${d}`, inBaseline(d), { impressions: 1000, likes: 25 + d })),
      ...[0, 2, 4].map((d) => aPost(`w${d}`, inWindow(d), { impressions: 1000, likes: 40 })),
      early('w13', inWindow(13)),
    ];

    const verdict = scoreExperiment(aScoredExperiment({ primaryMetric: 'x.engagement_rate' }), posts, { now: SCORED_AT });

    expect(verdict.warnings.find((w) => w.code === 'immature_events')?.message).toMatch(/^1 of 4 window posts were last read less than 24 h/);
  });

  it('reads each post at its latest snapshot within 48 h of publication', () => {
    const published = inWindow(1);
    const posts = [
      ...[0, 3, 6].map((d) => aPost(`b${d}`, inBaseline(d), { impressions: 1000, likes: 20 })),
      { ...aPost('w', published, { impressions: 1000, likes: 50 }), at: new Date(Date.parse(published) + 30 * 3_600_000).toISOString() },
      { ...aPost('w', published, { impressions: 5000, likes: 500 }), at: new Date(Date.parse(published) + 100 * 3_600_000).toISOString() },
    ];

    const verdict = scoreExperiment(aScoredExperiment({ primaryMetric: 'x.engagement_rate' }), posts, { now: SCORED_AT });

    expect(verdict.windowValue).toBeCloseTo(0.05, 12);
  });
});
