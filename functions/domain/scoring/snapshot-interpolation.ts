/**
 * Count snapshots taken at irregular times → counts at chosen instants (UTC midnights, window edges)
 * and daily net increments, with gap detection.
 *
 * Each interpolated count remembers *where* in the snapshot timeline it came from (its fractional
 * snapshot index), so the count-rate model can work out exactly how interpolation correlates
 * neighbouring days (see incrementVariance / incrementCovariance).
 */

export const DAY_MS = 86_400_000;
/** A count between two snapshots is interpolated only when they are at most this far apart (72 h keeps the covariance band ≤ 3 days). */
export const MAX_BRACKET_MS = 72 * 3_600_000;
/** Without a usable bracket, a snapshot this close to the instant stands in for it. */
export const NEAREST_TOLERANCE_MS = 2 * 3_600_000;

export interface CountSnapshot {
  /** Epoch milliseconds. */
  atMs: number;
  value: number;
}

/** A count at an instant, measured from snapshots. */
export interface MeasuredCount {
  value: number;
  /**
   * Fractional snapshot index: 3.25 means a quarter of the way from snapshot 3 to snapshot 4.
   * Increments between two measured counts are linear in the snapshot-to-snapshot increments.
   */
  position: number;
}

/** A day's net increment, from the measured counts at its two UTC midnights. */
export interface DailyIncrement {
  /** UTC day number (days since 1970-01-01). */
  day: number;
  value: number;
  from: number;
  to: number;
}

/** UTC day number (days since 1970-01-01) of an epoch-ms instant. */
export function dayNumber(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** YYYY-MM-DD of a UTC day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Sorts snapshots by time; several at the same instant are averaged. */
export function toCountSnapshots(observations: readonly { at: string; value: number }[]): CountSnapshot[] {
  const raw = observations.map((o) => ({ atMs: Date.parse(o.at), value: o.value })).filter((s) => Number.isFinite(s.atMs));
  raw.sort((a, b) => a.atMs - b.atMs);
  const out: CountSnapshot[] = [];
  let i = 0;
  while (i < raw.length) {
    let j = i;
    let sum = 0;
    while (j < raw.length && raw[j].atMs === raw[i].atMs) sum += raw[j++].value;
    out.push({ atMs: raw[i].atMs, value: sum / (j - i) });
    i = j;
  }
  return out;
}

/** Index of the first snapshot at or after `tMs` (snapshots sorted). */
export function lowerBound(snaps: readonly CountSnapshot[], tMs: number): number {
  let lo = 0;
  let hi = snaps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (snaps[mid].atMs < tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function measureAtIndex(snaps: readonly CountSnapshot[], tMs: number, after: number): MeasuredCount | null {
  const next = snaps[after];
  if (next && next.atMs === tMs) return { value: next.value, position: after };
  const prev = after > 0 ? snaps[after - 1] : undefined;
  if (prev && next && next.atMs - prev.atMs <= MAX_BRACKET_MS) {
    const w = (tMs - prev.atMs) / (next.atMs - prev.atMs);
    return { value: prev.value + w * (next.value - prev.value), position: after - 1 + w };
  }
  const dPrev = prev ? tMs - prev.atMs : Infinity;
  const dNext = next ? next.atMs - tMs : Infinity;
  if (Math.min(dPrev, dNext) > NEAREST_TOLERANCE_MS) return null;
  return dPrev <= dNext ? { value: prev!.value, position: after - 1 } : { value: next!.value, position: after };
}

/**
 * The count at `tMs`: linear interpolation between the snapshots either side when they are at most
 * 72 h apart, else the nearest snapshot if within 2 h, else null (not measurable).
 */
export function measureCount(snaps: readonly CountSnapshot[], tMs: number): MeasuredCount | null {
  return measureAtIndex(snaps, tMs, lowerBound(snaps, tMs));
}

/** Counts at the `count + 1` midnights starting at UTC day `firstDay`, in one pass (O(snapshots + days)). */
export function measureMidnights(snaps: readonly CountSnapshot[], firstDay: number, count: number): (MeasuredCount | null)[] {
  const out: (MeasuredCount | null)[] = [];
  let after = lowerBound(snaps, firstDay * DAY_MS);
  for (let d = 0; d <= count; d++) {
    const t = (firstDay + d) * DAY_MS;
    while (after < snaps.length && snaps[after].atMs < t) after++;
    out.push(measureAtIndex(snaps, t, after));
  }
  return out;
}

/** Net increment of each UTC day in [firstDay, firstDay + count); null where either midnight is unmeasurable (a gap). */
export function dailyIncrements(snaps: readonly CountSnapshot[], firstDay: number, count: number): (DailyIncrement | null)[] {
  const midnights = measureMidnights(snaps, firstDay, count);
  const out: (DailyIncrement | null)[] = [];
  for (let d = 0; d < count; d++) {
    const a = midnights[d];
    const b = midnights[d + 1];
    out.push(a && b ? { day: firstDay + d, value: b.value - a.value, from: a.position, to: b.position } : null);
  }
  return out;
}

/** Contiguous runs of missing days as [start, end) ISO dates. */
export function gapRanges(firstDay: number, present: readonly boolean[]): { start: string; end: string }[] {
  const gaps: { start: string; end: string }[] = [];
  let runStart = -1;
  for (let i = 0; i <= present.length; i++) {
    const missing = i < present.length && !present[i];
    if (missing && runStart < 0) runStart = i;
    if (!missing && runStart >= 0) {
      gaps.push({ start: isoDate(firstDay + runStart), end: isoDate(firstDay + i) });
      runStart = -1;
    }
  }
  return gaps;
}

// ---------------------------------------------------------------- interpolation covariance
//
// A measured increment (between two interpolated counts) is a linear combination of the true
// increments between consecutive snapshots. Two noise structures are modelled, per unit σ²:
// - within-day (Poisson-like): true growth has independent increments whose variance is
//   proportional to elapsed time, so an interval of L days contributes L·σ²;
// - day shocks (viral or quiet days): each calendar day d has one random shock X_d spread evenly
//   over that day, so an interval picks up X_d in proportion to how much of day d it covers.
// With hourly snapshots both give the identity; with sparse snapshots they differ, and the
// count-rate model mixes them (weight chosen by REML).

/** Snapshot times, values and interval lengths (days) in the order of the snapshot array. */
export interface Timeline {
  times: Float64Array;
  values: Float64Array;
  lengths: Float64Array;
}

export function timelineOf(snaps: readonly CountSnapshot[]): Timeline {
  const times = new Float64Array(snaps.length);
  const values = new Float64Array(snaps.length);
  const lengths = new Float64Array(Math.max(0, snaps.length - 1));
  for (let j = 0; j < snaps.length; j++) {
    times[j] = snaps[j].atMs;
    values[j] = snaps[j].value;
    if (j > 0) lengths[j - 1] = (snaps[j].atMs - snaps[j - 1].atMs) / DAY_MS;
  }
  return { times, values, lengths };
}

/** Share of snapshot interval j that an increment spanning positions [from, to] covers. */
function coefficient(from: number, to: number, j: number): number {
  const clamp = (x: number) => Math.min(1, Math.max(0, x - j));
  return clamp(to) - clamp(from);
}

/** The structure of one measured increment, precomputed for variance/covariance sums. */
export interface IncrementShape {
  from: number;
  to: number;
  /** Variance under the within-day model, units of σ². */
  withinDayVariance: number;
  /** Loadings on calendar-day shocks: day numbers and weights (parallel arrays). */
  shockDays: number[];
  shockWeights: number[];
}

/** Precomputes an increment's shape between positions `from` and `to` (O(snapshot intervals spanned)). */
export function incrementShape(from: number, to: number, timeline: Timeline): IncrementShape {
  const { times, lengths } = timeline;
  let withinDayVariance = 0;
  const loadings = new Map<number, number>();
  for (let j = Math.max(0, Math.floor(from)); j <= Math.ceil(to) - 1 && j < lengths.length; j++) {
    const c = coefficient(from, to, j);
    if (c === 0) continue;
    withinDayVariance += c * c * lengths[j];
    const a = times[j];
    const b = times[j + 1];
    for (let d = Math.floor(a / DAY_MS); d * DAY_MS < b; d++) {
      const overlap = (Math.min(b, (d + 1) * DAY_MS) - Math.max(a, d * DAY_MS)) / DAY_MS;
      if (overlap > 0) loadings.set(d, (loadings.get(d) ?? 0) + c * overlap);
    }
  }
  return { from, to, withinDayVariance, shockDays: [...loadings.keys()], shockWeights: [...loadings.values()] };
}

/** Covariance of two increments under the within-day model (they can only share boundary intervals). */
export function withinDayCovariance(a: IncrementShape, b: IncrementShape, lengths: Float64Array): number {
  const lo = Math.max(Math.floor(a.from), Math.floor(b.from), 0);
  const hi = Math.min(Math.ceil(a.to), Math.ceil(b.to), lengths.length) - 1;
  let c = 0;
  for (let j = lo; j <= hi; j++) c += coefficient(a.from, a.to, j) * coefficient(b.from, b.to, j) * lengths[j];
  return c;
}

/** Variance of an increment under the day-shock model, units of σ². */
export function dayShockVariance(a: IncrementShape): number {
  return a.shockWeights.reduce((s, w) => s + w * w, 0);
}

/** Covariance of two increments under the day-shock model. */
export function dayShockCovariance(a: IncrementShape, b: IncrementShape): number {
  let c = 0;
  for (let i = 0; i < a.shockDays.length; i++) {
    const k = b.shockDays.indexOf(a.shockDays[i]);
    if (k >= 0) c += a.shockWeights[i] * b.shockWeights[k];
  }
  return c;
}
