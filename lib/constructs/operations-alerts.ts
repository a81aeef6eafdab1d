/**
 * Where the stack says something is wrong: one SNS topic (optional email subscription), CloudWatch
 * alarms on it — function errors, dead letters waiting, a source with no successful collection in two
 * consecutive slots — and an AWS Budgets alert on the account's monthly cost.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * The metric the collector handlers write in Embedded Metric Format (functions/jobs/collector-invocation.ts,
 * recordCollection): 1 per slot that yielded data, 0 otherwise. test/infra ties the two together.
 */
export const COLLECTION_METRIC = { namespace: 'Verdict', metricName: 'CollectionSucceeded', dimension: 'Source' } as const;

export interface OperationsAlertsProps {
  email?: string;
  budget: { monthlyUsd: number; alertAtPercent: number };
}

export class OperationsAlerts extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: OperationsAlertsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.prefix = stack.stackName;
    // Not KMS-encrypted: CloudWatch and Budgets can publish to an encrypted topic only with a customer-managed
    // key ($1/month, the whole budget of this stack); messages carry alarm names and states, no data.
    this.topic = new Topic(this, 'Topic', { displayName: 'Verdict alerts', enforceSSL: true });
    // A topic policy replaces SNS's default one, so the two publishing services are named explicitly,
    // each limited to this account's alarms and budgets.
    this.topic.addToResourcePolicy(new PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }));
    this.topic.addToResourcePolicy(new PolicyStatement({
      sid: 'BudgetsPublish',
      principals: [new ServicePrincipal('budgets.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:budgets::${stack.account}:*` },
      },
    }));
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));

    const budget = new CfnBudget(this, 'MonthlyCost', {
      budget: {
        budgetName: `${this.prefix}-monthly-cost`,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.budget.monthlyUsd, unit: 'USD' },
      },
      notificationsWithSubscribers: [
        budgetAlert('ACTUAL', props.budget.alertAtPercent, this.topic.topicArn),
        budgetAlert('FORECASTED', 100, this.topic.topicArn),
      ],
    });
    // Budgets checks it may publish when the budget is created: the topic policy must exist first. (On the
    // policy alone: the Ref to the topic already orders the topic itself — cfn-lint W3005.)
    budget.node.addDependency(this.topic.node.findChild('Policy'));
  }

  /** Any error in a 5-minute window (a thrown handler, a timeout, an out-of-memory). */
  alarmOnErrors(id: string, fn: IFunction, what: string): Alarm {
    return this.alarm(id, {
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      description: `${what} failed at least once in 5 minutes; see its log group.`,
    });
  }

  /** Any message in the dead-letter queue: a schedule or an asynchronous invocation gave up. */
  alarmOnDeadLetters(id: string, queue: IQueue): Alarm {
    return this.alarm(id, {
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      description: 'A scheduled job gave up after its retries; the dead-letter queue holds the event.',
    });
  }

  /**
   * No successful collection of `source` in 2 consecutive slots. Missing data counts as a miss: a
   * collector that never ran (or threw before reporting) emits nothing.
   */
  /** `source`: a source name, or `source@account` for a configured account (the metric line's Source). */
  alarmOnMissedCollections(id: string, source: string, slotMinutes: number): Alarm {
    return this.alarm(id, {
      metric: new Metric({
        namespace: COLLECTION_METRIC.namespace,
        metricName: COLLECTION_METRIC.metricName,
        dimensionsMap: { [COLLECTION_METRIC.dimension]: source },
        statistic: 'Sum',
        period: Duration.minutes(slotMinutes),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.BREACHING,
      description: `No successful ${source} collection in 2 consecutive ${slotMinutes}-minute slots (failed, paused, not configured or not run). GET /health shows the last runs.`,
    });
  }

  private alarm(id: string, options: {
    metric: IMetric; threshold: number; comparisonOperator: ComparisonOperator; evaluationPeriods: number;
    datapointsToAlarm?: number; treatMissingData: TreatMissingData; description: string;
  }): Alarm {
    const { description, ...rest } = options;
    const alarm = new Alarm(this, id, { ...rest, alarmName: `${this.prefix}-${id}`, alarmDescription: description, actionsEnabled: true });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }
}

function budgetAlert(type: 'ACTUAL' | 'FORECASTED', percent: number, topicArn: string): CfnBudget.NotificationWithSubscribersProperty {
  return {
    notification: { notificationType: type, comparisonOperator: 'GREATER_THAN', threshold: percent, thresholdType: 'PERCENTAGE' },
    subscribers: [{ subscriptionType: 'SNS', address: topicArn }],
  };
}
