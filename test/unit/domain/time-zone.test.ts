/**
 * Wall-clock time in IANA zones (functions/domain/time-zone.ts): the instant a wall time names, across
 * clock changes, and the calendar date of an instant. Expected values are read independently of the code
 * under test, from Intl's formatted parts.
 */
import { calendarDateIn, isValidTimeZone, zonedTimeToInstant } from '../../../functions/domain/time-zone';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** What the clock in `timeZone` shows at `t`, as "YYYY-MM-DD HH:MM". */
function clockShows(t: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })));
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
const wallMs = (shown: string) => Date.parse(`${shown.replace(' ', 'T')}:00Z`);

/**
 * Whether `wanted` is a time the clock skips within the 3 hours before `t`, and `t` shows it moved forward
 * by the length skipped (minute by minute, the clock jumps once, from before `wanted` to after it).
 */
function skippedForward(t: number, wanted: string, shown: string, zone: string): boolean {
  for (let m = t - 3 * HOUR; m < t; m += 60_000) {
    const from = wallMs(clockShows(m, zone));
    const to = wallMs(clockShows(m + 60_000, zone));
    const skippedMs = to - from - 60_000;
    if (skippedMs > 0 && from < wallMs(wanted) && wallMs(wanted) < to) return wallMs(shown) - wallMs(wanted) === skippedMs;
  }
  return false;
}
const at = (iso: string) => new Date(iso).toISOString();
const instant = (year: number, month: number, day: number, hour: number, zone: string) => zonedTimeToInstant({ year, month, day }, hour, zone).toISOString();

describe('the instant a wall time names', () => {
  it('is the hour the clock shows next to a clock change (the hours our own arithmetic used to miss by one)', () => {
    // New York springs forward at 02:00 on 8 March 2026: 03:00 EDT is 07:00Z.
    expect(instant(2026, 3, 8, 3, 'America/New_York')).toBe(at('2026-03-08T07:00:00Z'));
    // Berlin falls back at 03:00 on 25 October 2026: 01:00 is still summer time, 23:00Z the day before.
    expect(instant(2026, 10, 25, 1, 'Europe/Berlin')).toBe(at('2026-10-24T23:00:00Z'));
  });

  it('resolves a time the clocks skip forward by the skipped length', () => {
    expect(instant(2026, 3, 8, 2, 'America/New_York')).toBe(at('2026-03-08T07:00:00Z')); // shows 03:00 EDT
    expect(instant(2026, 3, 29, 2, 'Europe/Berlin')).toBe(at('2026-03-29T01:00:00Z')); // shows 03:00 CEST
    expect(instant(2026, 9, 6, 0, 'America/Santiago')).toBe(at('2026-09-06T04:00:00Z')); // midnight skipped: 01:00
    expect(instant(2026, 10, 4, 2, 'Australia/Lord_Howe')).toBe(at('2026-10-03T15:30:00Z')); // a 30-minute gap: 02:30
  });

  it('takes the first of a time the clocks repeat', () => {
    expect(instant(2026, 11, 1, 1, 'America/New_York')).toBe(at('2026-11-01T05:00:00Z')); // 01:00 EDT, not EST
    expect(instant(2026, 10, 25, 2, 'Europe/Berlin')).toBe(at('2026-10-25T00:00:00Z')); // 02:00 CEST, not CET
  });

  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Santiago', 'Asia/Tehran', 'UTC'])(
    'in %s through 2026: every hour is what the clock shows, or a skipped hour moved forward by the skip',
    (zone) => {
      const problems: string[] = [];
      for (let d = Date.UTC(2026, 0, 1); d < Date.UTC(2027, 0, 1); d += DAY) {
        const date = new Date(d);
        for (let hour = 0; hour < 24; hour++) {
          const t = zonedTimeToInstant({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }, hour, zone).getTime();
          const wanted = `${date.toISOString().slice(0, 10)} ${String(hour).padStart(2, '0')}:00`;
          const shown = clockShows(t, zone);
          if (shown !== wanted && !skippedForward(t, wanted, shown, zone)) problems.push(`${wanted}: ${new Date(t).toISOString()} shows ${shown}`);
          if (shown === wanted && clockShows(t - HOUR, zone) === wanted) problems.push(`${wanted}: ${new Date(t).toISOString()} is its second occurrence`);
        }
      }
      expect(problems).toEqual([]);
    },
  );
});

describe('the calendar date of an instant', () => {
  it('is the date in the zone, on either side of the date line', () => {
    expect(calendarDateIn(new Date('2026-12-31T10:00:00Z'), 'Pacific/Kiritimati')).toEqual({ year: 2027, month: 1, day: 1 });
    expect(calendarDateIn(new Date('2026-12-31T10:00:00Z'), 'Pacific/Pago_Pago')).toEqual({ year: 2026, month: 12, day: 30 });
    expect(calendarDateIn(new Date('2026-10-24T23:30:00Z'), 'Europe/Berlin')).toEqual({ year: 2026, month: 10, day: 25 });
  });
});

describe('time zone names', () => {
  it('knows IANA zones and refuses anything else, also text that merely holds an offset', () => {
    expect(['Europe/Berlin', 'UTC', 'America/Argentina/Buenos_Aires'].map(isValidTimeZone)).toEqual([true, true, true]);
    expect(['Europe/Nowhere', 'Foo+05', ''].map(isValidTimeZone)).toEqual([false, false, false]);
  });
});
