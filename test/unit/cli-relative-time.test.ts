/**
 * The CLI's relative times ("in 3 days", "2 hours ago") are written out instead of built with
 * Intl.RelativeTimeFormat (its first use costs ~20 ms of ICU set-up per command): they must read exactly
 * as RelativeTimeFormat('en', { numeric: 'auto' }) would, at every unit boundary.
 */
import { relativeTime } from '../../functions/cli/format';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What the CLI printed before, through Intl. */
function throughIntl(diff: number): string {
  const abs = Math.abs(diff);
  if (abs < MINUTE) return 'now';
  const [unit, ms]: [Intl.RelativeTimeFormatUnit, number] = abs >= 36 * HOUR ? ['day', DAY] : abs >= HOUR ? ['hour', HOUR] : ['minute', MINUTE];
  return new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(Math.round(diff / ms), unit);
}

it('reads as Intl.RelativeTimeFormat would, at each boundary and in between', () => {
  const boundaries = [0, MINUTE - 1, MINUTE, 1.5 * MINUTE - 1, 1.5 * MINUTE, HOUR - 1, HOUR, 1.5 * HOUR, 36 * HOUR - 1, 36 * HOUR, 60 * HOUR, 1234.4 * DAY, 2_000_000 * DAY];
  const spread = Array.from({ length: 400 }, (_, i) => Math.round(((i * 7919) % 1000) * 1.7e7 * (i % 7 === 0 ? 900 : 1)));
  const offsets = [...boundaries, ...spread].flatMap((d) => [d, -d]);

  const differing = offsets.filter((d) => relativeTime(new Date(NOW.getTime() + d).toISOString(), NOW) !== throughIntl(d));

  expect(differing).toEqual([]);
  expect(relativeTime(new Date(NOW.getTime() - 36 * HOUR).toISOString(), NOW)).toBe('yesterday');
  expect(relativeTime(new Date(NOW.getTime() + 1234.4 * DAY).toISOString(), NOW)).toBe('in 1,234 days');
  expect(relativeTime(new Date(NOW.getTime() + HOUR).toISOString(), NOW)).toBe('in 1 hour');
});
