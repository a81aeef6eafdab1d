/**
 * One scheduled job: an EventBridge Scheduler schedule that fires at the job's slot boundaries (UTC) —
 * or, for a weekly job, at its wall-clock hour in its time zone — and passes the scheduled time in the
 * payload, so a retried or late delivery still lands in its own slot. Both retry layers give up within
 * one slot (a retry that arrives after the next slot started would only collide with it), and within
 * 6 hours for a weekly job; both end in the encrypted dead-letter queue:
 *   Scheduler → Lambda (delivery):  retries, max event age ≤ slot (≤ 24 h), then the DLQ
 *   Lambda async invoke (errors):   retries, max event age ≤ slot (≤ 6 h), then the DLQ
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { toWeeklyCronExpression, type JobDefinition } from '../../functions/shared/scheduled-jobs';
import { toCronExpression } from '../../functions/shared/schedules';
import type { VerdictFunction } from './verdict-function';

/** Scheduler's delivery retries; Lambda's async retries for a function error. */
export const SCHEDULER_RETRY_ATTEMPTS = 2;
export const ASYNC_RETRY_ATTEMPTS = 2;

/** A weekly job's deliveries and retries stop this long after its scheduled time. */
const WEEKLY_MAX_EVENT_AGE_MINUTES = 6 * 60;

/** The longest an event may wait for delivery or a retry: the slot, capped by what each service allows. */
export function maxEventAgeFor(job: JobDefinition, service: 'scheduler' | 'lambda'): Duration {
  const capMinutes = service === 'scheduler' ? 24 * 60 : 6 * 60;
  const slotMinutes = job.kind === 'digest' ? WEEKLY_MAX_EVENT_AGE_MINUTES : job.cadence.everyMinutes;
  return Duration.minutes(Math.min(slotMinutes, capMinutes));
}

/** The schedule expression: UTC slot boundaries, or the weekly hour in the job's own time zone. */
function expressionFor(job: JobDefinition): ScheduleExpression {
  return job.kind === 'digest'
    ? ScheduleExpression.expression(toWeeklyCronExpression(job), TimeZone.of(job.timeZone))
    : ScheduleExpression.expression(toCronExpression(job.cadence));
}

function describe(job: JobDefinition): string {
  return job.kind === 'digest'
    ? `Verdict ${job.id} weekly, ${job.day} ${job.hour}:00 ${job.timeZone}`
    : `Verdict ${job.id} every ${job.cadence.everyMinutes} minutes (UTC slots)`;
}

export interface JobScheduleProps {
  job: JobDefinition;
  target: VerdictFunction;
  deadLetters: IQueue;
  /**
   * Whether this schedule sets the function's async retry policy (default true). A function several
   * schedules share (a source's accounts) has one policy: set it from the schedule with the shortest slot.
   */
  configuresAsyncRetries?: boolean;
}

export class JobSchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, { job, target, deadLetters, configuresAsyncRetries = true }: JobScheduleProps) {
    super(scope, id);
    this.schedule = new Schedule(this, 'Schedule', {
      description: describe(job),
      schedule: expressionFor(job),
      target: new InvokeUnqualifiedFunction(target.fn, {
        input: ScheduleTargetInput.fromObject({
          scheduledTime: '<aws.scheduler.scheduled-time>',
          ...(job.kind === 'collector' && { source: job.source, ...(job.account !== undefined && { account: job.account }) }),
        }),
        retryAttempts: SCHEDULER_RETRY_ATTEMPTS,
        maxEventAge: maxEventAgeFor(job, 'scheduler'),
        deadLetterQueue: deadLetters,
      }),
    });
    if (configuresAsyncRetries) target.onAsyncFailure(deadLetters, { retryAttempts: ASYNC_RETRY_ATTEMPTS, maxEventAge: maxEventAgeFor(job, 'lambda') });
  }
}

/**
 * LambdaInvoke whose role may invoke the function's unqualified ARN only. CDK's grantInvoke adds
 * `<arn>:*` (every version and alias) — a wildcard the schedule never needs.
 */
class InvokeUnqualifiedFunction extends LambdaInvoke {
  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.targetArn] }));
  }
}
