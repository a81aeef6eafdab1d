/**
 * Wall-clock time in an IANA time zone: whether a zone exists, what the calendar shows at an instant, and
 * the instant at which the clock shows a given date and hour. The zone's UTC offset at an instant comes
 * from @date-fns/tz's `tzOffset` (the runtime's Intl data); only the choice of instant for a wall time that
 * a clock change skips or repeats is ours. Used by the digest's weeks and the switchback's local days.
 *
 * Why not TZDate's wall-time constructor: it goes through the host's own zone, and where the host's zone
 * changes its clocks too it answers a wrong hour (with TZ=Australia/Lord_Howe, Berlin's 02:00 on
 * 2010-10-03 came out as 02:30). The local runtime runs in its owner's zone, so that cannot be ours.
 */
import { tzOffset } from '@date-fns/tz/tzOffset';

const HOUR_MS = 3_600_000;
/** No zone is further than this from UTC (Pacific/Kiritimati is +14:00), so a wall time's instant lies within it. */
const MAX_OFFSET_MS = 14 * HOUR_MS;

/**
 * Whether `timeZone` is an IANA zone this runtime knows (e.g. Europe/Berlin, UTC), by the runtime's Intl
 * data, as tzOffset reads it. (Not `isNaN(tzOffset(…))`: its fallback takes any text holding ±HH.)
 */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface CalendarDate { year: number; month: number; day: number }

function offsetMs(timeZone: string, t: number): number {
  return tzOffset(timeZone, new Date(t)) * 60_000;
}

/** The wall-clock date of `instant` in `timeZone`. */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
  const wall = new Date(instant.getTime() + offsetMs(timeZone, instant.getTime()));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` at `hour`:00. A time the clocks skip
 * resolves forward by the skipped length (02:30 in a 02:00→03:00 gap is 03:30); a time they repeat is its
 * first occurrence — as Temporal's default ('compatible') disambiguation.
 */
export function zonedTimeToInstant(date: CalendarDate, hour: number, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour);
  // The offsets in force around the wall time: before and after any change near it.
  const before = offsetMs(timeZone, wall - MAX_OFFSET_MS);
  const after = offsetMs(timeZone, wall + MAX_OFFSET_MS);
  const shows = (t: number) => offsetMs(timeZone, t) === wall - t;
  const readings = [wall - before, wall - after].filter(shows).sort((a, b) => a - b);
  // No reading: the clocks skip this time; read with the offset before the change, it lands after the gap.
  return new Date(readings[0] ?? wall - before);
}
