/**
 * One scheduled job: an EventBridge Scheduler schedule that fires at the job's slot boundaries (UTC) and
 * passes the scheduled time in the payload, so a retried or late delivery still lands in its own slot.
 * Both retry layers give up within one slot — a retry that arrives after the next slot started would
 * only collide with it — and both end in the encrypted dead-letter queue:
 *   Scheduler → Lambda (delivery):  retries, max event age ≤ slot (≤ 24 h), then the DLQ
 *   Lambda async invoke (errors):   retries, max event age ≤ slot (≤ 6 h), then the DLQ
 */
import { Duration } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ScheduledJob } from '../../functions/shared/scheduled-jobs';
import { toCronExpression } from '../../functions/shared/schedules';
import type { VerdictFunction } from './verdict-function';

/** Scheduler's delivery retries; Lambda's async retries for a function error. */
export const SCHEDULER_RETRY_ATTEMPTS = 2;
export const ASYNC_RETRY_ATTEMPTS = 2;

/** The longest an event may wait for delivery or a retry: the slot, capped by what each service allows. */
export function maxEventAgeFor(job: ScheduledJob, service: 'scheduler' | 'lambda'): Duration {
  const capMinutes = service === 'scheduler' ? 24 * 60 : 6 * 60;
  return Duration.minutes(Math.min(job.cadence.everyMinutes, capMinutes));
}

export interface JobScheduleProps {
  job: ScheduledJob;
  target: VerdictFunction;
  deadLetters: IQueue;
}

export class JobSchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, { job, target, deadLetters }: JobScheduleProps) {
    super(scope, id);
    this.schedule = new Schedule(this, 'Schedule', {
      description: `Verdict ${job.id} every ${job.cadence.everyMinutes} minutes (UTC slots)`,
      schedule: ScheduleExpression.expression(toCronExpression(job.cadence)),
      target: new InvokeUnqualifiedFunction(target.fn, {
        input: ScheduleTargetInput.fromObject({
          scheduledTime: '<aws.scheduler.scheduled-time>',
          ...(job.kind === 'collector' && { source: job.source }),
        }),
        retryAttempts: SCHEDULER_RETRY_ATTEMPTS,
        maxEventAge: maxEventAgeFor(job, 'scheduler'),
        deadLetterQueue: deadLetters,
      }),
    });
    target.onAsyncFailure(deadLetters, { retryAttempts: ASYNC_RETRY_ATTEMPTS, maxEventAge: maxEventAgeFor(job, 'lambda') });
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
