/** The digest's schedule: the weekly job definition, its EventBridge cron and the local scheduler's timing. */
import { startLocalScheduler } from '../../../functions/local/scheduler';
import { parseAppConfig } from '../../../functions/shared/app-config';
import { toWeeklyCronExpression, weeklyJobs } from '../../../functions/shared/scheduled-jobs';

describe('the weekly digest job', () => {
  it('defaults to Friday 16:00 UTC', () => {
    const [job] = weeklyJobs(parseAppConfig({}));
    expect(job).toEqual({ id: 'digest', kind: 'digest', day: 'FRI', hour: 16, timeZone: 'UTC' });
    expect(toWeeklyCronExpression(job)).toBe('cron(0 16 ? * FRI *)');
  });

  it('follows the configured day, hour and time zone', () => {
    const [job] = weeklyJobs(parseAppConfig({ digest: { day: 'MON', hour: 8, timeZone: 'America/New_York' } }));
    expect(job).toMatchObject({ day: 'MON', hour: 8, timeZone: 'America/New_York' });
    expect(toWeeklyCronExpression(job)).toBe('cron(0 8 ? * MON *)');
  });

  it('fails loudly, naming the field, for a time zone that does not exist', () => {
    expect(() => weeklyJobs(parseAppConfig({ digest: { timeZone: 'Mars/Olympus_Mons' } }))).toThrow('digest.timeZone: unknown time zone Mars/Olympus_Mons');
  });

  it('is armed by the local scheduler for the next digest time in its zone', () => {
    const [job] = weeklyJobs(parseAppConfig({ digest: { day: 'FRI', hour: 16, timeZone: 'Europe/Berlin' } }));
    const scheduler = startLocalScheduler([job], async () => {}, { warn: () => {} }, () => new Date('2026-11-28T06:00:00.000Z'));
    try {
      expect(scheduler.nextRuns()).toEqual([{ job: 'digest', at: '2026-12-04T15:00:00.000Z' }]);
    } finally {
      scheduler.stop();
    }
  });
});
