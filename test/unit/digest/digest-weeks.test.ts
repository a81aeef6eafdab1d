/** ISO weeks and digest times in a time zone, across year ends and daylight-saving changes. */
import { currentDigestWeek, digestPeriod, digestTimeOf, isIsoWeek, isoWeekOf, nextDigestTime, nextIsoWeek, previousIsoWeek } from '../../../functions/domain/digest-calendar';

const berlinFriday = { day: 'FRI' as const, hour: 16, timeZone: 'Europe/Berlin' };

describe('ISO weeks', () => {
  it.each([
    ['2026-01-01T12:00:00Z', 'UTC', '2026-W01'],
    ['2025-12-29T00:00:00Z', 'UTC', '2026-W01'],
    ['2027-01-01T12:00:00Z', 'UTC', '2026-W53'],
    ['2021-01-03T12:00:00Z', 'UTC', '2020-W53'],
    ['2026-11-08T23:30:00Z', 'UTC', '2026-W45'],
    ['2026-11-08T23:30:00Z', 'Europe/Berlin', '2026-W46'],
    ['2026-11-09T03:00:00Z', 'America/Los_Angeles', '2026-W45'],
  ])('%s in %s is in %s', (instant, zone, week) => {
    expect(isoWeekOf(new Date(instant), zone)).toBe(week);
  });

  it('accepts only weeks that exist', () => {
    expect(['2026-W01', '2026-W53', '2020-W53'].map(isIsoWeek)).toEqual([true, true, true]);
    expect(['2025-W53', '2026-W00', '2026-W54', '2026-46', '2026-W7'].map(isIsoWeek)).toEqual([false, false, false, false, false]);
  });

  it('steps over a year end', () => {
    expect(previousIsoWeek('2026-W01')).toBe('2025-W52');
    expect(previousIsoWeek('2027-W01')).toBe('2026-W53');
    expect(nextIsoWeek('2026-W53')).toBe('2027-W01');
  });
});

describe('digest times', () => {
  it('is the configured weekday and hour in the configured zone', () => {
    expect(digestTimeOf('2026-W46', berlinFriday).toISOString()).toBe('2026-11-13T15:00:00.000Z');
    expect(digestTimeOf('2026-W27', berlinFriday).toISOString()).toBe('2026-07-03T14:00:00.000Z');
    expect(digestTimeOf('2026-W46', { day: 'MON', hour: 9, timeZone: 'UTC' }).toISOString()).toBe('2026-11-09T09:00:00.000Z');
  });

  it('covers the week after a daylight-saving change without a gap (6 days 23 hours)', () => {
    // Berlin leaves summer time on Sunday 25 October 2026.
    expect(digestPeriod('2026-W44', berlinFriday)).toEqual({ start: '2026-10-23T14:00:00.000Z', end: '2026-10-30T15:00:00.000Z' });
    expect(digestPeriod('2026-W45', berlinFriday).start).toBe(digestPeriod('2026-W44', berlinFriday).end);
  });

  it('gathers the current week until its digest time, then the next one', () => {
    expect(currentDigestWeek(new Date('2026-11-13T14:59:00.000Z'), berlinFriday)).toBe('2026-W46');
    expect(currentDigestWeek(new Date('2026-11-13T15:00:00.000Z'), berlinFriday)).toBe('2026-W47');
    expect(currentDigestWeek(new Date('2026-11-15T22:00:00.000Z'), berlinFriday)).toBe('2026-W47');
  });

  it('next digest time is strictly after the given instant', () => {
    expect(nextDigestTime(new Date('2026-11-13T14:59:59.000Z'), berlinFriday).toISOString()).toBe('2026-11-13T15:00:00.000Z');
    expect(nextDigestTime(new Date('2026-11-13T15:00:00.000Z'), berlinFriday).toISOString()).toBe('2026-11-20T15:00:00.000Z');
    expect(nextDigestTime(new Date('2026-11-08T15:00:00Z'), { day: 'SUN', hour: 23, timeZone: 'America/Los_Angeles' }).toISOString()).toBe('2026-11-09T07:00:00.000Z');
  });
});
