/** Revenue and traffic metrics: daily totals and per-currency snapshots through the catalog and the daily series. */
import { parseMetricKey } from '../../../functions/domain/metric-catalog';
import { countSnapshots, dailySeries } from '../../../functions/domain/metrics/daily-series';
import { observationDiscriminator, ObservationSchema, type Observation } from '../../../functions/domain/observation';

const day = (d: string) => `${d}T00:00:00.000Z`;
const net = (d: string, value: number, currency = 'usd'): Observation => ({ metric: 'revenue.net', at: day(d), value, currency, source: 'stripe' });

describe('daily totals', () => {
  it('validate: a UTC midnight, net revenue may be negative, other totals may not', () => {
    expect(ObservationSchema.safeParse(net('2026-03-01', -29)).success).toBe(true);
    expect(ObservationSchema.safeParse({ ...net('2026-03-01', 10), at: '2026-03-01T06:00:00.000Z' }).success).toBe(false);
    expect(ObservationSchema.safeParse({ metric: 'revenue.gross', at: day('2026-03-01'), value: -1, currency: 'usd', source: 'stripe' }).success).toBe(false);
    expect(ObservationSchema.safeParse({ ...net('2026-03-01', 1), currency: 'USD' }).success).toBe(false);
  });

  it('key one item per day and currency (or site); older snapshots keep their empty discriminator', () => {
    expect(observationDiscriminator(net('2026-03-01', 1, 'eur'))).toBe('eur');
    expect(observationDiscriminator({ metric: 'traffic.visitors', at: day('2026-03-01'), value: 5, site: 'verdict.dev', source: 'plausible' })).toBe('verdict.dev');
    expect(observationDiscriminator({ metric: 'x.followers', at: day('2026-03-01'), value: 5, source: 'x' })).toBe('');
  });

  it('become a running count, so each day\'s value is its total', () => {
    const obs = [net('2026-03-01', 75.14), net('2026-03-02', -29), net('2026-03-03', 0)];

    expect(countSnapshots(obs, 'revenue.net').map((s) => s.value)).toEqual([0, 75.14, 46.14, 46.14]);
    expect(dailySeries('revenue.net_per_day:usd', obs, { start: day('2026-03-01'), end: day('2026-03-04') }).map((p) => p.value)).toEqual([75.14, -29, 0]);
  });

  it('pick the named currency, the only one without a name, and none when several are unnamed', () => {
    const obs = [net('2026-03-01', 10), net('2026-03-02', 20), net('2026-03-01', 7, 'eur'), net('2026-03-02', 8, 'eur')];
    const period = { start: day('2026-03-01'), end: day('2026-03-03') };

    expect(dailySeries('revenue.net_per_day:eur', obs, period).map((p) => p.value)).toEqual([7, 8]);
    expect(dailySeries('revenue.net_per_day', obs.slice(0, 2), period).map((p) => p.value)).toEqual([10, 20]);
    expect(dailySeries('revenue.net_per_day', obs, period).map((p) => p.value)).toEqual([null, null]);
  });
});

describe('catalog keys', () => {
  it.each([
    ['revenue.net_per_day', 'revenue.net', undefined],
    ['revenue.net_per_day:eur', 'revenue.net', 'eur'],
    ['revenue.mrr_growth_per_day:usd', 'revenue.mrr', 'usd'],
    ['revenue.new_customers_per_day', 'revenue.new_customers', undefined],
    ['traffic.visitors_per_day:verdict.dev', 'traffic.visitors', 'verdict.dev'],
    ['traffic.ai_referred_visitors_per_day:blog.verdict.dev', 'traffic.ai_referred_visitors', 'blog.verdict.dev'],
  ])('%s reads %s (series %s)', (key, observed, series) => {
    const parsed = parseMetricKey(key);

    expect(parsed?.definition.from).toEqual([observed]);
    expect(parsed?.series).toBe(series);
  });

  it.each(['revenue.net_per_day:dollars', 'revenue.new_customers_per_day:usd', 'traffic.visitors_per_day:Bad Site', 'x.follower_growth_rate:usd'])('refuses %s', (key) => {
    expect(parseMetricKey(key)).toBeUndefined();
  });
});
