/** Switchback schedules: reproducible from the seed, balanced across weekdays, washout after switches, skips. */
import { CreateExperimentSchema, newExperiment, startExperiment, BacklogItemSchema, newBacklogItem } from '../../../functions/domain/experiment';
import {
  assignmentAt, drawSchedule, localDateOf, nearestLocalMidnight, recordSkip, scheduleCounts, weekdayOf, windowDates,
} from '../../../functions/domain/switchback';
import { aCreateRequest } from '../../support/factories';

const DATES = windowDates('2026-12-07T00:00:00.000Z', 28, 'UTC');

describe('drawSchedule', () => {
  it('draws the same schedule from the same seed and a different one from another seed', () => {
    const a = drawSchedule(DATES, { blockDays: 1, washoutDays: 0, seed: 42 });
    const b = drawSchedule(DATES, { blockDays: 1, washoutDays: 0, seed: 42 });
    const c = drawSchedule(DATES, { blockDays: 1, washoutDays: 0, seed: 43 });

    expect(b).toEqual(a);
    expect(c.map((d) => d.arm)).not.toEqual(a.map((d) => d.arm));
  });

  it('treats every weekday exactly twice in four weeks of daily switching', () => {
    for (const seed of [1, 2, 3, 99, 12345]) {
      const schedule = drawSchedule(DATES, { blockDays: 1, washoutDays: 0, seed });
      for (let w = 0; w < 7; w++) {
        expect(schedule.filter((d) => weekdayOf(d.date) === w && d.arm === 'treatment')).toHaveLength(2);
      }
    }
  });

  it('pairs blocks so that treatment and control get the same number of blocks', () => {
    const schedule = drawSchedule(DATES, { blockDays: 3, washoutDays: 1, seed: 7 });
    const blocks = Array.from({ length: 9 }, (_, b) => schedule[b * 3].arm);
    for (let b = 0; b < 8; b += 2) expect(blocks[b]).not.toBe(blocks[b + 1]);
    // Each block's days share an arm.
    schedule.forEach((d, i) => expect(d.arm).toBe(schedule[Math.floor(i / 3) * 3].arm));
  });

  it('marks the first washout days of a block whose arm differs from the block before', () => {
    const schedule = drawSchedule(DATES, { blockDays: 4, washoutDays: 2, seed: 11 });
    for (let b = 1; b < 7; b++) {
      const switched = schedule[b * 4].arm !== schedule[(b - 1) * 4].arm;
      expect(schedule.slice(b * 4, b * 4 + 4).map((d) => d.washout === true)).toEqual(switched ? [true, true, false, false] : [false, false, false, false]);
    }
    expect(schedule.slice(0, 4).some((d) => d.washout)).toBe(false);
    expect(scheduleCounts(schedule).washout).toBe(schedule.filter((d) => d.washout).length);
  });
});

describe('switchback experiments', () => {
  it('stores the seed and the schedule, starting at the local midnight nearest the start', () => {
    const input = CreateExperimentSchema.parse(aCreateRequest({
      start: '2026-12-07', durationDays: 28, design: 'switchback', switchback: { seed: 42, timeZone: 'America/New_York' },
    }));
    const e = newExperiment(input, 'exp_sb', new Date('2026-12-01T00:00:00Z'));

    expect(e.design).toBe('switchback');
    expect(e.start).toBe('2026-12-07T05:00:00.000Z');
    expect(e.end).toBe('2027-01-04T05:00:00.000Z');
    expect(e.switchback).toMatchObject({ seed: 42, blockDays: 1, washoutDays: 0, timeZone: 'America/New_York' });
    expect(e.switchback!.schedule).toHaveLength(28);
    expect(e.switchback!.schedule[0].date).toBe('2026-12-07');
    expect(e.switchback!.schedule).toEqual(drawSchedule(windowDates(e.start!, 28, 'America/New_York'), { blockDays: 1, washoutDays: 0, seed: 42 }));
  });

  it('rejects a switchback on a per-post metric, a washout as long as the block and a baseline', () => {
    const parsed = CreateExperimentSchema.safeParse(aCreateRequest({
      primaryMetric: 'x.engagement_rate', design: 'switchback', switchback: { blockDays: 2, washoutDays: 2 },
      baseline: { start: '2026-10-01', end: '2026-10-20' },
    }));

    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['baseline', 'primaryMetric', 'switchback.washoutDays']);
  });

  it('draws a backlog switchback\'s schedule when the loop starts it', () => {
    const item = newBacklogItem(BacklogItemSchema.parse({
      name: 'Replies at noon', hypothesis: 'h', primaryMetric: 'x.follower_growth_rate', design: 'switchback', durationDays: 14,
    }), 'exp_b', new Date('2026-12-01T00:00:00Z'), { seed: 5, timeZone: 'UTC' });
    expect(item.switchback!.schedule).toEqual([]);

    const outcome = startExperiment(item, new Date('2026-12-01T10:00:00Z'), { by: 'loop' });
    if (outcome.kind !== 'ok') throw new Error(outcome.kind);

    expect(outcome.experiment.start).toBe('2026-12-01T00:00:00.000Z');
    expect(outcome.experiment.switchback!.schedule.map((d) => d.date)).toEqual(windowDates('2026-12-01T00:00:00Z', 14, 'UTC'));
  });
});

describe('today and skips', () => {
  const design = { blockDays: 1, washoutDays: 0, seed: 3, timeZone: 'Europe/Berlin', schedule: drawSchedule(windowDates('2026-12-06T23:00:00Z', 14, 'Europe/Berlin'), { blockDays: 1, washoutDays: 0, seed: 3 }) };

  it('finds the day containing an instant by the local calendar', () => {
    const late = assignmentAt(design, new Date('2026-12-07T23:30:00Z'));

    expect(late?.date).toBe('2026-12-08');
    expect(late?.start).toBe('2026-12-07T23:00:00.000Z');
    expect(assignmentAt(design, new Date('2026-12-30T12:00:00Z'))).toBeUndefined();
  });

  it('records a skip for a day that has begun, replaces it when recorded again, and refuses future days', () => {
    const now = new Date('2026-12-09T12:00:00Z');
    const once = recordSkip(design, '2026-12-08', 'travelling', now);
    if (!once.ok) throw new Error(once.message);
    const again = recordSkip(once.design, '2026-12-08', 'sick', now);
    if (!again.ok) throw new Error(again.message);

    expect(again.design.skips).toEqual([{ date: '2026-12-08', reason: 'sick', recordedAt: now.toISOString() }]);
    expect(recordSkip(design, '2026-12-12', undefined, now)).toMatchObject({ ok: false });
    expect(recordSkip(design, '2027-02-01', undefined, now)).toMatchObject({ ok: false });
  });

  it('rounds a plain-date start to that date\'s local midnight', () => {
    expect(localDateOf(nearestLocalMidnight('2026-12-07T00:00:00.000Z', 'America/Los_Angeles'), 'America/Los_Angeles')).toBe('2026-12-07');
    expect(localDateOf(nearestLocalMidnight('2026-12-07T00:00:00.000Z', 'Asia/Tokyo'), 'Asia/Tokyo')).toBe('2026-12-07');
  });
});
