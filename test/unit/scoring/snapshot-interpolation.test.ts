import {
  dailyIncrements, dayOfWeek, dayShockVariance, gapRanges, incrementShape, measureCount, timelineOf, toCountSnapshots,
} from '../../../functions/domain/scoring/snapshot-interpolation';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const snaps = (points: [string, number][]) => toCountSnapshots(points.map(([t, value]) => ({ at: t, value })));

describe('counts at an instant', () => {
  it('interpolates linearly between snapshots up to 72 h apart', () => {
    const s = snaps([['2025-03-01T18:00:00Z', 100], ['2025-03-02T06:00:00Z', 112]]);
    expect(measureCount(s, at('2025-03-02T00:00:00Z'))).toEqual({ value: 106, position: 0.5 });
  });

  it('uses the nearest snapshot within 2 h when there is no usable bracket', () => {
    const s = snaps([['2025-03-01T23:00:00Z', 100], ['2025-03-06T00:00:00Z', 200]]);
    expect(measureCount(s, at('2025-03-02T00:00:00Z'))).toEqual({ value: 100, position: 0 });
  });

  it('cannot measure across an outage longer than 72 h', () => {
    const s = snaps([['2025-03-01T12:00:00Z', 100], ['2025-03-05T12:00:00Z', 200]]);
    expect(measureCount(s, at('2025-03-03T00:00:00Z'))).toBeNull();
  });

  it('averages duplicate snapshots at the same instant', () => {
    expect(snaps([['2025-03-01T00:00:00Z', 10], ['2025-03-01T00:00:00Z', 20]])).toEqual([{ atMs: at('2025-03-01T00:00:00Z'), value: 15 }]);
  });
});

describe('daily increments and gaps', () => {
  it('turns midnight counts into daily growth and marks unmeasurable days as gaps', () => {
    // Arrange: daily snapshots at midnight for 3 days, then a 4-day outage, then 2 more days.
    const s = snaps([
      ['2025-03-01T00:00:00Z', 0], ['2025-03-02T00:00:00Z', 5], ['2025-03-03T00:00:00Z', 12], ['2025-03-04T00:00:00Z', 20],
      ['2025-03-08T00:00:00Z', 60], ['2025-03-09T00:00:00Z', 70], ['2025-03-10T00:00:00Z', 75],
    ]);
    const firstDay = at('2025-03-01T00:00:00Z') / DAY;

    // Act
    const days = dailyIncrements(s, firstDay, 9);

    // Assert
    expect(days.map((d) => d?.value ?? null)).toEqual([5, 7, 8, null, null, null, null, 10, 5]);
    expect(gapRanges(firstDay, days.map((d) => d !== null))).toEqual([{ start: '2025-03-04', end: '2025-03-08' }]);
  });

  it('numbers weekdays from Sunday = 0', () => {
    expect(dayOfWeek(at('2025-03-03T00:00:00Z') / DAY)).toBe(1); // a Monday
  });
});

describe('interpolation covariance', () => {
  it('halves a day’s variance when snapshots are taken at noon (Brownian bridge)', () => {
    // Snapshots daily at 12:00: a midnight-to-midnight increment is half of two snapshot intervals,
    // so its variance is 0.5² + 0.5² = 0.5 day-units; the day-shock model gives the same here.
    const s = snaps([['2025-03-01T12:00:00Z', 0], ['2025-03-02T12:00:00Z', 10], ['2025-03-03T12:00:00Z', 20]]);
    const timeline = timelineOf(s);
    const shape = incrementShape(0.5, 1.5, timeline);
    expect(shape.withinDayVariance).toBeCloseTo(0.5, 12);
    expect(shape.shockDays.map((d, k) => [d - at('2025-03-01T00:00:00Z') / DAY, shape.shockWeights[k]])).toEqual([[0, 0.25], [1, 0.5], [2, 0.25]]);
    expect(dayShockVariance(shape)).toBeCloseTo(0.375, 12);
  });
});
