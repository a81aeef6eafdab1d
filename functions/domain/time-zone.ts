/**
 * Wall-clock time in an IANA time zone, from the runtime's Intl data: whether a zone exists, what the
 * clock shows at an instant, and the instant at which it shows a given date and hour (DST gaps resolve
 * forward). Used by the digest's weeks and the switchback's local days.
 */

/** Whether `timeZone` is an IANA zone this runtime knows (e.g. Europe/Berlin, UTC). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface CalendarDate { year: number; month: number; day: number }

const partFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time of `instant` in `timeZone`. */
export function wallClock(instant: Date, timeZone: string): CalendarDate & { hour: number; minute: number; second: number } {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    partFormatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The instant at which the wall clock in `timeZone` shows `date` at `hour`:00 (DST gaps resolve forward). */
export function zonedTimeToInstant(date: CalendarDate, hour: number, timeZone: string): Date {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day, hour);
  const offsetAt = (t: number) => {
    const w = wallClock(new Date(t), timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(t / 1000) * 1000;
  };
  const first = asUtc - offsetAt(asUtc);
  const second = asUtc - offsetAt(first);
  return new Date(Math.max(first, second));
}
