/**
 * Issue 14.7 — no scheduled digest time is ever ≤ now when the local scheduler re-arms. Every IANA zone
 * this runtime knows is covered through its 2026 offset history (zones with the same offsets changing at
 * the same instants answer alike, so each distinct history is checked once, named by its first zone):
 * every hour of the 8 days before and the day of each offset change (where a week is not 7 × 24 h) for
 * three schedules, and every 13th hour of the whole year. Each answer must also be the *next* digest:
 * after now, and within a week and a day.
 */
import { nextDigestTime, type DigestSchedule, type Weekday } from '../../../functions/domain/digest-calendar';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR_START = Date.UTC(2026, 0, 1);
const YEAR_END = YEAR_START + 365 * DAY;
const SCHEDULES: [Weekday, number][] = [['MON', 0], ['SUN', 23], ['FRI', 16]];

/** The zone's UTC offset at `t` in minutes, read independently of the code under test. */
function offsetMinutes(f: Intl.DateTimeFormat, t: number): number {
  const name = f.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
}

interface History { zone: string; zones: number; changes: number[] }

/** Every zone's 2026 offset history (offset at the start, then each change to the hour), deduplicated. */
function distinctHistories(): History[] {
  const byKey = new Map<string, History>();
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    const parts = [offsetMinutes(f, YEAR_START)];
    const changes: number[] = [];
    let offset = parts[0];
    for (let d = YEAR_START; d < YEAR_END; d += DAY) {
      const next = offsetMinutes(f, d + DAY);
      if (next === offset) continue;
      let h = d;
      while (offsetMinutes(f, h + HOUR) === offset) h += HOUR;
      changes.push(h + HOUR);
      parts.push(h + HOUR, next);
      offset = next;
    }
    const key = parts.join(',');
    const seen = byKey.get(key);
    if (seen) seen.zones++;
    else byKey.set(key, { zone, zones: 1, changes });
  }
  return [...byKey.values()];
}

const HISTORIES = distinctHistories();

function problem(now: number, schedule: DigestSchedule): string | undefined {
  const next = nextDigestTime(new Date(now), schedule).getTime();
  const where = `${schedule.timeZone} ${schedule.day} ${schedule.hour}h at ${new Date(now).toISOString()}: ${new Date(next).toISOString()}`;
  if (next <= now) return `${where} is not after now`;
  if (next - now > 8 * DAY) return `${where} skips a week`;
  return undefined;
}

it('covers every zone', () => {
  expect(HISTORIES.reduce((n, h) => n + h.zones, 0)).toBe(Intl.supportedValuesOf('timeZone').length);
  expect(HISTORIES.filter((h) => h.changes.length > 0).length).toBeGreaterThan(10);
});

it.each(SCHEDULES)('is after now, and the next one, at every hour around each offset change (%s %ih)', (day, hour) => {
  const problems: string[] = [];
  for (const { zone, changes } of HISTORIES) {
    for (const change of changes) {
      for (let t = change - 8 * DAY; t <= change + DAY; t += HOUR) {
        const p = problem(t, { day, hour, timeZone: zone });
        if (p) problems.push(p);
      }
    }
  }
  expect(problems).toEqual([]);
});

it('is after now, and the next one, at every 13th hour of the year in every zone', () => {
  const problems: string[] = [];
  for (const { zone } of HISTORIES) {
    for (let t = YEAR_START; t < YEAR_END; t += 13 * HOUR) {
      const p = problem(t, { day: 'FRI', hour: 16, timeZone: zone });
      if (p) problems.push(p);
    }
  }
  expect(problems).toEqual([]);
});
