/** Issue 18 — `@account` in metric keys: parsing, the default account, and which experiments compete for one series. */
import { splitAccount, withAccount } from '../../../functions/domain/accounts';
import { metricFamily } from '../../../functions/domain/loop';
import { isKnownMetricKey, metricFamilyKey, parseMetricKey } from '../../../functions/domain/metric-catalog';
import { observedSeriesKey } from '../../../functions/domain/observation';
import { keys } from '../../../functions/store/keys';

it('reads the account after @, after any engine, currency or site qualifier', () => {
  expect(parseMetricKey('x.follower_growth_rate@acme')).toMatchObject({ definition: { key: 'x.follower_growth_rate' }, account: 'acme' });
  expect(parseMetricKey('citations.citation_rate:perplexity@brand-2')).toMatchObject({ engine: 'perplexity', account: 'brand-2' });
  expect(parseMetricKey('traffic.visitors_per_day:example.com@shop_eu')).toMatchObject({ series: 'example.com', account: 'shop_eu' });
  expect(parseMetricKey('revenue.net_per_day:usd@b2')).toMatchObject({ series: 'usd', account: 'b2' });
});

it('keeps an unsuffixed key the default account, exactly as before', () => {
  const parsed = parseMetricKey('x.follower_growth_rate');
  expect(parsed).toBeDefined();
  expect(parsed).not.toHaveProperty('account');
  expect(keys.observation({ metric: 'x.followers', at: '2026-10-01T00:00:00Z', value: 5, source: 'x', account: 'dev' }).pk).toBe('OBS#x.followers');
  expect(keys.run('x', '2026-10-01T00:00:00.000Z')).toEqual({ pk: 'RUN#x', sk: '2026-10-01T00:00:00.000Z' });
});

it('puts a configured account into the series, run and state keys', () => {
  expect(keys.observation({ metric: 'x.followers', at: '2026-10-01T00:00:00Z', value: 5, source: 'x', accountName: 'acme' }).pk).toBe('OBS#x.followers@acme');
  expect(observedSeriesKey({ metric: 'newsletter.send', accountName: 'brand2' })).toBe('newsletter.send@brand2');
  expect(keys.run('x', 's', 'acme').pk).toBe('RUN#x@acme');
  expect(keys.sourceState('x', 'acme').pk).toBe('SOURCE#x@acme');
});

it('refuses account names that are not lower-case letters, digits, - or _ (1–32)', () => {
  for (const key of ['x.follower_growth_rate@', 'x.follower_growth_rate@Acme', 'x.follower_growth_rate@a@b', 'x.follower_growth_rate@-a', `x.follower_growth_rate@${'a'.repeat(33)}`, 'nope@acme']) {
    expect(isKnownMetricKey(key)).toBe(false);
  }
  expect(splitAccount('x@a b')).toBeUndefined();
  expect(withAccount('x.followers', undefined)).toBe('x.followers');
});

it('lets experiments on different accounts run side by side, and the same account compete', () => {
  expect(metricFamily('x.follower_growth_rate@acme')).not.toBe(metricFamily('x.follower_growth_rate'));
  expect(metricFamily('citations.citation_rate:perplexity@acme')).toBe(metricFamily('citations.citation_rate:openai@acme'));
  expect(metricFamilyKey('citations.citation_rate:perplexity@acme')).toBe('citations.citation_rate@acme');
  expect(metricFamilyKey('citations.citation_rate:perplexity')).toBe('citations.citation_rate');
});
