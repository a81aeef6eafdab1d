/**
 * Charts read daily roll-ups (each snapshot series' first and last snapshot per day) instead of every
 * snapshot: the series is the one the raw snapshots give, a year of 15-minute data costs one Query per
 * metric, and the roll-ups stay right under retries, duplicates, out-of-order and concurrent writes,
 * and for snapshots stored before roll-ups existed (the once-per-table backfill).
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Observation, SnapshotObservation } from '../../../functions/domain/observation';
import { keys } from '../../../functions/store/keys';
import { followerSnapshots } from '../../support/factories';
import { httpEvent, startCountedApi, TABLE, type CountedApi } from '../../reliability/api-harness';

const DAY = 86_400_000;
const YEAR = { from: '2025-11-20T00:00:00.000Z', to: '2026-11-20T00:00:00.000Z' };

let api: CountedApi;
beforeEach(async () => { api = await startCountedApi(); });
afterEach(async () => { await api?.close(); });

/** A year of follower snapshots every 5 hours 20 minutes (off the hour, so never at a midnight) with a 4-day collection gap. */
function yearOfSnapshots(): Observation[] {
  return followerSnapshots({ from: '2025-11-15T00:07:00Z', to: '2026-11-22T00:00:00Z', everyHours: 16 / 3, perDay: (t) => 10 + (t.getUTCDay() === 0 ? 5 : 0) + (t.getUTCHours() % 7) })
    .filter((o) => !(o.at >= '2026-03-02T05:00:00Z' && o.at < '2026-03-06T17:00:00Z'));
}

/** Writes observations as a version without roll-ups did: the raw items only. */
async function writeRawOnly(observations: readonly Observation[]): Promise<void> {
  for (let i = 0; i < observations.length; i += 25) {
    await api.stores.db.send(new BatchWriteCommand({ RequestItems: { [TABLE]: observations.slice(i, i + 25).map((o) => ({ PutRequest: { Item: { ...keys.observation(o), type: 'observation', ...o } } })) } }));
  }
}

async function chart(metric: string, range: { from: string; to: string }, raw = false) {
  const result = await api.send(httpEvent('GET', `/metrics/${metric}`, { query: { ...range, ...(raw && { raw: '1' }) } }));
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body as string) as { series: { date: string; value: number | null }[] };
}

/** The roll-up's days as [date, first.at, first.value, last.at, last.value] straight from its Query. */
async function storedDays(metric: SnapshotObservation['metric'], from: string, to: string) {
  return api.stores.observations.dailyRollups.query(metric, from, to);
}

/** What each day's first and last are, computed from the snapshots themselves. */
function expectedDays(observations: readonly Observation[], from: string, to: string): Observation[] {
  const byDay = new Map<string, Observation[]>();
  for (const o of observations) if (o.at >= from && o.at < to) byDay.set(`${o.at.slice(0, 10)}|${'currency' in o ? o.currency : ''}`, [...(byDay.get(`${o.at.slice(0, 10)}|${'currency' in o ? o.currency : ''}`) ?? []), o]);
  return [...byDay.values()].flatMap((day) => {
    const sorted = [...day].sort((a, b) => a.at.localeCompare(b.at));
    return sorted.length === 1 ? sorted : [sorted[0], sorted.at(-1)!];
  }).sort((a, b) => a.at.localeCompare(b.at) || JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

it('charts a year of snapshots with the values the raw snapshots give, in one Query', async () => {
  // Arrange
  const snapshots = yearOfSnapshots();
  await api.stores.observations.dailyRollups.backfillOnce(); // a fresh table: only marks it complete
  await api.stores.observations.putMany(snapshots);

  // Act
  const fromRaw = await chart('x.follower_growth_rate', YEAR, true);
  const { result, counts } = await api.stores.counter.during(() => api.send(httpEvent('GET', '/metrics/x.follower_growth_rate', { query: YEAR })));

  // Assert
  const fromRollups = JSON.parse(result.body as string) as { series: { date: string; value: number | null }[] };
  expect(fromRollups.series).toHaveLength(365);
  expect(fromRollups.series.filter((p) => p.value === null).map((p) => p.date)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']);
  expect(fromRollups.series).toEqual(fromRaw.series);
  expect(counts).toEqual({ GetItemCommand: 1, QueryCommand: 1 });
});

it('keeps series apart (MRR per currency, followers per account), and charts followers per post from two roll-ups', async () => {
  // Arrange: MRR in usd and eur every 40 minutes; followers and posts for the per-post metric.
  const mrr: Observation[] = [];
  for (let t = Date.parse('2026-09-01T00:00:00Z'); t < Date.parse('2026-09-25T00:00:00Z'); t += 40 * 60_000) {
    const days = (t - Date.parse('2026-09-01T00:00:00Z')) / DAY;
    mrr.push({ metric: 'revenue.mrr', at: new Date(t).toISOString(), value: Math.round(1000 + 13 * days), currency: 'usd', source: 'stripe' });
    mrr.push({ metric: 'revenue.mrr', at: new Date(t + 60_000).toISOString(), value: Math.round(500 + 4 * days * days), currency: 'eur', source: 'stripe' });
  }
  const followers = followerSnapshots({ from: '2026-09-01T00:00:00Z', to: '2026-09-25T00:00:00Z', everyHours: 1.5, perDay: () => 24 });
  const posts = followerSnapshots({ from: '2026-09-01T00:00:00Z', to: '2026-09-25T00:00:00Z', everyHours: 1.5, perDay: (t) => 1 + (t.getUTCDay() % 3) })
    .map((o) => ({ ...o, metric: 'x.posts' }) as Observation);
  const acme = followerSnapshots({ from: '2026-09-01T00:00:00Z', to: '2026-09-25T00:00:00Z', everyHours: 1.5, start: 50, perDay: (t) => 3 + (t.getUTCDate() % 4) })
    .map((o) => ({ ...o, accountName: 'acme' }) as Observation);
  await api.stores.observations.dailyRollups.backfillOnce();
  await api.stores.observations.putMany([...mrr, ...followers, ...posts, ...acme]);
  const range = { from: '2026-09-03T00:00:00.000Z', to: '2026-09-23T00:00:00.000Z' };

  for (const metric of ['revenue.mrr_growth_per_day:usd', 'revenue.mrr_growth_per_day:eur', 'x.follower_growth_per_post', 'x.follower_growth_rate', 'x.follower_growth_rate@acme']) {
    // Act
    const raw = await chart(metric, range, true);
    const rolled = await chart(metric, range);

    // Assert
    expect([metric, rolled.series]).toEqual([metric, raw.series]);
    expect(rolled.series.some((p) => p.value !== null && p.value !== 0)).toBe(true);
  }
});

it('ends with each day\'s true first and last whatever the order, retries, duplicates and concurrency of the writes', async () => {
  // Arrange: three days of snapshots written shuffled, in overlapping batches, some twice, four writers at once.
  const snapshots = followerSnapshots({ from: '2026-05-01T00:10:00Z', to: '2026-05-03T23:50:00Z', everyHours: 0.25, perDay: () => 30 });
  let seed = 7;
  const shuffled = [...snapshots].sort(() => ((seed = (seed * 48271) % 2147483647) % 3) - 1);
  const batches = Array.from({ length: 12 }, (_, i) => shuffled.slice(i * 25, i * 25 + 40)); // overlapping: a retried batch
  batches.push(shuffled.slice(0, 5), shuffled.slice(-5));

  // Act
  await Promise.all([0, 1, 2, 3].map(async (w) => { for (let i = w; i < batches.length; i += 4) await api.stores.observations.putMany(batches[i]); }));
  await api.stores.observations.putMany([snapshots[0], snapshots.at(-1)!]); // a whole retry of the edges

  // Assert
  expect(await storedDays('x.followers', '2026-04-30T00:00:00Z', '2026-05-05T00:00:00Z')).toEqual(expectedDays(snapshots, '2026-04-30T00:00:00Z', '2026-05-05T00:00:00Z'));
});

it('takes the latest value when a day\'s first or last instant is written again, and ignores other metrics', async () => {
  // Arrange
  const at = (hhmm: string) => `2026-06-10T${hhmm}:00.000Z`;
  const snap = (time: string, value: number): Observation => ({ metric: 'x.followers', at: at(time), value, source: 'x' });
  await api.stores.observations.putMany([snap('08:00', 100)]);

  // Act: the only snapshot corrected, then the day grows, then its first and last corrected again.
  await api.stores.observations.putMany([snap('08:00', 101)]);
  await api.stores.observations.putMany([snap('12:00', 120), snap('09:00', 105)]);
  await api.stores.observations.putMany([snap('08:00', 102), snap('12:00', 121)]);
  await api.stores.observations.putMany([{ metric: 'x.post', at: at('10:00'), id: 'p1', impressions: 1, likes: 0, replies: 0, reposts: 0, quotes: 0, source: 'x' }]);

  // Assert
  expect((await storedDays('x.followers', at('00:00'), '2026-06-11T00:00:00.000Z')).map((o) => [o.at, 'value' in o && o.value])).toEqual([[at('08:00'), 102], [at('12:00'), 121]]);
  expect(await storedDays('x.posts', at('00:00'), '2026-06-11T00:00:00.000Z')).toEqual([]);
});

it('charts from the raw snapshots until the backfill has folded older ones in, then from roll-ups with the same values', async () => {
  // Arrange: two months written by a version without roll-ups, then a day written by this one.
  const older = followerSnapshots({ from: '2026-08-01T00:00:00Z', to: '2026-09-30T23:00:00Z', everyHours: 1, perDay: (t) => 8 + (t.getUTCDate() % 5) });
  const newer = followerSnapshots({ from: '2026-10-01T00:00:00Z', to: '2026-10-01T23:00:00Z', start: 1000 + 60 * 10, everyHours: 1, perDay: () => 9 });
  await writeRawOnly(older);
  await api.stores.observations.putMany(newer);
  const range = { from: '2026-08-03T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z' };
  const expected = (await chart('x.follower_growth_rate', range, true)).series;

  // Act
  const before = await api.stores.counter.during(() => chart('x.follower_growth_rate', range));
  const days = await api.stores.observations.dailyRollups.backfillOnce();
  const after = await api.stores.counter.during(() => chart('x.follower_growth_rate', range));
  const again = await api.stores.counter.during(() => api.stores.observations.dailyRollups.backfillOnce());

  // Assert
  // Roll-ups alone would leave the older days empty: the equal series shows the raw snapshots were read.
  expect(before.result.series).toEqual(expected);
  expect(expected.filter((p) => p.value === null)).toEqual([]);
  expect(days).toBe(61 + 1); // every older day, and the newer one (already rolled up: unchanged)
  expect(after.result.series).toEqual(expected);
  expect(after.counts).toEqual({ GetItemCommand: 1, QueryCommand: 1 });
  expect(again.result).toBe(0);
  expect(again.counts).toEqual({ GetItemCommand: 1 });
  expect(await storedDays('x.followers', '2026-07-31T00:00:00Z', '2026-10-03T00:00:00Z')).toEqual(expectedDays([...older, ...newer], '2026-07-31T00:00:00Z', '2026-10-03T00:00:00Z'));
});
