/** The pure parts of the HTTP client: reset times from each provider's headers, durations, queries. */
import { parseDurationMs, queryString, rateLimitResetAt } from '../../../functions/sources/http-client';

const NOW = Date.parse('2026-03-05T00:00:00Z');

describe('rateLimitResetAt', () => {
  it.each([
    ['Retry-After seconds (Buttondown)', { 'retry-after': '30' }, '2026-03-05T00:00:30.000Z'],
    ['Retry-After HTTP date', { 'retry-after': 'Thu, 05 Mar 2026 00:02:00 GMT' }, '2026-03-05T00:02:00.000Z'],
    ['RateLimit-Reset epoch seconds (beehiiv)', { 'ratelimit-reset': String(NOW / 1000 + 90) }, '2026-03-05T00:01:30.000Z'],
    ['RateLimit-Reset delta seconds (IETF draft)', { 'ratelimit-reset': '45' }, '2026-03-05T00:00:45.000Z'],
    ['x-rate-limit-reset epoch seconds (X)', { 'x-rate-limit-reset': String(NOW / 1000 + 900) }, '2026-03-05T00:15:00.000Z'],
    ['OpenAI reset durations: the later one', { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' }, '2026-03-05T00:06:00.000Z'],
    ['nothing (Kit): the fallback window', {}, '2026-03-05T00:01:00.000Z'],
  ])('%s', (_what, headers, expected) => {
    expect(rateLimitResetAt(headers, NOW, 60_000).toISOString()).toBe(expected);
  });

  it('never returns a reset time in the past', () => {
    expect(rateLimitResetAt({ 'x-rate-limit-reset': String(NOW / 1000 - 100) }, NOW).getTime()).toBe(NOW);
  });
});

describe('parseDurationMs', () => {
  it.each([['20ms', 20], ['1.5s', 1500], ['6m0s', 360_000], ['1h2m', 3_720_000]])('%s → %d', (raw, ms) => {
    expect(parseDurationMs(raw)).toBe(ms);
  });

  it('rejects what is not a duration', () => {
    expect(parseDurationMs('soon')).toBeUndefined();
    expect(parseDurationMs('5 minutes')).toBeUndefined();
  });
});

describe('queryString', () => {
  it('repeats array keys and keeps literal bracket names', () => {
    expect(queryString({ 'expand[]': ['stats'], actors: ['a', 'b'], page: 2, skip: undefined })).toBe('?expand%5B%5D=stats&actors=a&actors=b&page=2');
  });
});

describe('parseDurationMs on hostile headers', () => {
  it('rejects a long header without scanning it repeatedly (linear: 1 MB answers at once)', () => {
    expect(parseDurationMs('1s'.repeat(500_000))).toBeUndefined();
    expect(parseDurationMs(`${'1'.repeat(1_000_000)}x`)).toBeUndefined();
  });
});
