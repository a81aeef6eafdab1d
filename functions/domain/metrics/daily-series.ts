/**
 * Any catalog metric as one value per UTC day, for charts (GET /metrics/{metric}) and for the
 * count-rate and followers-per-post models.
 */
import { parseMetricKey } from '../metric-catalog';
import { DAILY_TOTAL_METRICS, seriesQualifier, type DailyTotalObservation, type Observation, type ObservedMetric, type SnapshotObservation } from '../observation';
import {
  type CountSnapshot, DAY_MS, dailyIncrements, isoDate, toCountSnapshots,
} from '../scoring/snapshot-interpolation';
import { eventUnits } from './event-units';

export interface DailyPoint {
  /** UTC date, YYYY-MM-DD. */
  date: string;
  /** The metric's value that day in its catalog unit; null when it cannot be measured (a gap, or no events). */
  value: number | null;
}

/**
 * Snapshots of one observed count metric, sorted, duplicates averaged. `series` picks a currency or
 * site; without it, the only series present (several series and no choice → none, never a mix).
 * Daily totals become a running count at each midnight: the count-rate machinery then sees each day's
 * total as that day's increment.
 */
export function countSnapshots(observations: readonly Observation[], metric: ObservedMetric, series?: string): CountSnapshot[] {
  const own = observations.filter((o): o is SnapshotObservation | DailyTotalObservation => o.metric === metric && 'value' in o);
  const names = new Set(own.map(seriesQualifier));
  const chosen = series ?? (names.size === 1 ? [...names][0] : undefined);
  if (chosen === undefined) return [];
  const picked = own.filter((o) => seriesQualifier(o) === chosen);
  if (!DAILY_TOTAL_METRICS.includes(metric)) return toCountSnapshots(picked);
  return runningTotals(picked as DailyTotalObservation[]);
}

/** Daily totals (one per midnight, the last written wins) → a running count at each day's start and end. */
function runningTotals(totals: readonly DailyTotalObservation[]): CountSnapshot[] {
  const byDay = new Map<number, number>();
  for (const o of totals) byDay.set(Date.parse(o.at), o.value);
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const out: CountSnapshot[] = [];
  let running = 0;
  for (const day of days) {
    if (out.at(-1)?.atMs !== day) out.push({ atMs: day, value: running });
    running += byDay.get(day) ?? 0;
    out.push({ atMs: day + DAY_MS, value: running });
  }
  return out;
}

/** UTC days overlapping [start, end): first day number and how many. */
export function daysOverlapping(period: { start: string; end: string }): { firstDay: number; count: number } {
  const firstDay = Math.floor(Date.parse(period.start) / DAY_MS);
  const lastDayExclusive = Math.ceil(Date.parse(period.end) / DAY_MS);
  return { firstDay, count: Math.max(0, lastDayExclusive - firstDay) };
}

/**
 * One value per UTC day overlapping `period`, in the metric's catalog unit:
 * count rates → net increment that day (interpolated at midnights; null for gaps);
 * proportions → pooled successes / trials of the events that day (null on days without events);
 * replies per post → mean replies of that day's posts; followers per post → that day's net followers
 * / posts published that day (null when no post went out). Unknown metric → [].
 */
export function dailySeries(metricKey: string, observations: readonly Observation[], period: { start: string; end: string }): DailyPoint[] {
  const parsed = parseMetricKey(metricKey);
  if (!parsed) return [];
  const { firstDay, count } = daysOverlapping(period);
  const def = parsed.definition;
  if (def.kind === 'count_rate') {
    const increments = dailyIncrements(countSnapshots(observations, def.from[0], parsed.series), firstDay, count);
    return increments.map((inc, i) => ({ date: isoDate(firstDay + i), value: inc ? inc.value : null }));
  }
  if (def.key === 'x.follower_growth_per_post') {
    const followers = dailyIncrements(countSnapshots(observations, 'x.followers'), firstDay, count);
    const posts = dailyIncrements(countSnapshots(observations, 'x.posts'), firstDay, count);
    return followers.map((f, i) => {
      const p = posts[i];
      return { date: isoDate(firstDay + i), value: f && p && p.value > 0 ? f.value / p.value : null };
    });
  }
  const num = new Array<number>(count).fill(0);
  const den = new Array<number>(count).fill(0);
  for (const u of eventUnits(parsed, observations)) {
    const i = Math.floor(u.atMs / DAY_MS) - firstDay;
    if (i < 0 || i >= count) continue;
    num[i] += u.numerator;
    den[i] += u.denominator;
  }
  return num.map((n, i) => ({ date: isoDate(firstDay + i), value: den[i] > 0 ? n / den[i] : null }));
}
