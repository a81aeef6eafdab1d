/**
 * The digest's calendar: ISO weeks (`2026-W46`) by the calendar of the configured time zone, and when
 * each week's digest goes out. A digest covers the seven days that end at its week's digest time (e.g.
 * Friday 16:00 → the previous Friday 16:00), so consecutive digests neither miss nor repeat a verdict.
 */
import { calendarDateIn, zonedTimeToInstant, type CalendarDate } from './time-zone';

const DAY_MS = 86_400_000;

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** When the digest goes out each week: `hour`:00 on `day`, wall-clock time in `timeZone` (IANA name). */
export interface DigestSchedule { day: Weekday; hour: number; timeZone: string }

const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

function addDays(d: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(d: CalendarDate): number {
  return ((new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7) + 1;
}

function isoWeekOfDate(d: CalendarDate): string {
  const thursday = addDays(d, 4 - isoWeekday(d));
  const dayOfYear = (Date.UTC(thursday.year, thursday.month - 1, thursday.day) - Date.UTC(thursday.year, 0, 1)) / DAY_MS;
  return `${thursday.year}-W${String(Math.floor(dayOfYear / 7) + 1).padStart(2, '0')}`;
}

/** The ISO week (`YYYY-Www`) `instant` falls in, by the calendar of `timeZone`. */
export function isoWeekOf(instant: Date, timeZone: string): string {
  return isoWeekOfDate(calendarDateIn(instant, timeZone));
}

/** The Monday of an ISO week, or undefined when `week` is not a valid `YYYY-Www`. */
export function mondayOf(week: string): CalendarDate | undefined {
  const m = WEEK_PATTERN.exec(week);
  if (!m) return undefined;
  const year = Number(m[1]);
  const n = Number(m[2]);
  const jan4 = { year, month: 1, day: 4 };
  const monday = addDays(addDays(jan4, 1 - isoWeekday(jan4)), (n - 1) * 7);
  return n >= 1 && isoWeekOfDate(monday) === week ? monday : undefined;
}

export function isIsoWeek(week: string): boolean {
  return mondayOf(week) !== undefined;
}

/** The ISO week before `week`. */
export function previousIsoWeek(week: string): string {
  const monday = mondayOf(week);
  if (!monday) throw new Error(`not an ISO week: ${week}`);
  return isoWeekOfDate(addDays(monday, -7));
}

/** The ISO week after `week`. */
export function nextIsoWeek(week: string): string {
  const monday = mondayOf(week);
  if (!monday) throw new Error(`not an ISO week: ${week}`);
  return isoWeekOfDate(addDays(monday, 7));
}

/**
 * The week whose digest is being gathered at `now`: this calendar week until its digest time, the next
 * one after it (on a Saturday, the verdicts since Friday's digest belong to next Friday's).
 */
export function currentDigestWeek(now: Date, schedule: DigestSchedule): string {
  const week = isoWeekOf(now, schedule.timeZone);
  return digestTimeOf(week, schedule).getTime() <= now.getTime() ? nextIsoWeek(week) : week;
}

/** The instant of `week`'s digest: its `day` at `hour`:00 in the schedule's time zone. */
export function digestTimeOf(week: string, schedule: DigestSchedule): Date {
  const monday = mondayOf(week);
  if (!monday) throw new Error(`not an ISO week: ${week}`);
  return zonedTimeToInstant(addDays(monday, WEEKDAYS.indexOf(schedule.day)), schedule.hour, schedule.timeZone);
}

/** The seven days `week`'s digest covers: from the previous digest time up to its own (end exclusive). */
export function digestPeriod(week: string, schedule: DigestSchedule): { start: string; end: string } {
  return { start: digestTimeOf(previousIsoWeek(week), schedule).toISOString(), end: digestTimeOf(week, schedule).toISOString() };
}

/**
 * The first digest time strictly after `after` (what the local scheduler waits for): this ISO week's
 * digest, else the next week's — stepping by ISO week, never by 7 × 24 h, which lands in the same week
 * again when the clocks fall back (and would re-arm the scheduler in the past).
 */
export function nextDigestTime(after: Date, schedule: DigestSchedule): Date {
  let week = isoWeekOf(after, schedule.timeZone);
  for (;;) {
    const at = digestTimeOf(week, schedule);
    if (at.getTime() > after.getTime()) return at;
    week = nextIsoWeek(week);
  }
}
