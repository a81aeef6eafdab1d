import { observedMetricsFor, parseMetricKey } from '../../../functions/domain/metric-catalog';
import { dailySeries } from '../../../functions/domain/metrics/daily-series';
import { aSend, midnightSnapshots } from './factories';

describe('daily series for charts', () => {
  it('gives daily net growth for a count-rate metric, with gaps as null', () => {
    const snapshots = midnightSnapshots([3, 5, 4, 6]).filter((o) => !o.at.startsWith('2025-02-05'));

    const series = dailySeries('x.follower_growth_rate', snapshots, { start: '2025-02-03T00:00:00Z', end: '2025-02-08T00:00:00Z' });

    // The midnight of 02-05 is interpolated between 02-04 and 02-06 (48 h apart): 1003 + (1012 − 1003)/2.
    expect(series).toEqual([
      { date: '2025-02-03', value: 3 }, { date: '2025-02-04', value: 4.5 }, { date: '2025-02-05', value: 4.5 },
      { date: '2025-02-06', value: 6 }, { date: '2025-02-07', value: null },
    ]);
  });

  it('gives the pooled daily rate for a proportion metric', () => {
    const sends = [aSend('a', '2025-02-03T09:00:00Z', 100, 40), aSend('b', '2025-02-03T15:00:00Z', 300, 60)];

    const series = dailySeries('newsletter.open_rate', sends, { start: '2025-02-03T00:00:00Z', end: '2025-02-05T00:00:00Z' });

    expect(series).toEqual([{ date: '2025-02-03', value: 0.25 }, { date: '2025-02-04', value: null }]);
  });

  it('returns nothing for an unknown metric', () => {
    expect(dailySeries('x.unknown', [], { start: '2025-02-03T00:00:00Z', end: '2025-02-05T00:00:00Z' })).toEqual([]);
  });
});

describe('metric catalog', () => {
  it('tells the store which observations a metric is derived from', () => {
    expect(observedMetricsFor('x.follower_growth_per_post')).toEqual(['x.followers', 'x.posts']);
    expect(observedMetricsFor('citations.citation_rate:perplexity')).toEqual(['citations.answer']);
    expect(observedMetricsFor('nope')).toEqual([]);
  });

  it('accepts an engine qualifier only on citation metrics', () => {
    expect(parseMetricKey('citations.mention_rate:openai')?.engine).toBe('openai');
    expect(parseMetricKey('x.engagement_rate:openai')).toBeUndefined();
  });
});
