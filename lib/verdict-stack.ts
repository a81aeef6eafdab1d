/**
 * The Verdict stack: one table, one Lambda per job (collectors, scorer, API, authorizer), EventBridge
 * Scheduler schedules from the shared schedule definitions, and an HTTP API whose every route needs the token.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ROUTES } from '../functions/api/routes';
import type { AppConfig } from '../functions/shared/app-config';
import { scheduledJobs } from '../functions/shared/scheduled-jobs';
import { toCronExpression } from '../functions/shared/schedules';
import { TABLE_KEYS } from '../functions/store/table-definition';
import { VerdictFunction } from './constructs/verdict-function';

export interface VerdictStackProps extends StackProps { config: AppConfig }

export class VerdictStack extends Stack {
  constructor(scope: Construct, id: string, props: VerdictStackProps) {
    super(scope, id, props);
    const { config } = props;

    const table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: TABLE_KEYS.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: TABLE_KEYS.indexes.map((i) => ({
        indexName: i.indexName,
        partitionKey: { name: i.partitionKey, type: AttributeType.STRING },
        sortKey: { name: i.sortKey, type: AttributeType.STRING },
      })),
    });

    const apiToken = new Secret(this, 'ApiToken', {
      description: 'Verdict API bearer token (generated at deploy)',
      generateSecretString: { passwordLength: 43, excludePunctuation: true, includeSpace: false },
    });
    const sourceCredentials = new Secret(this, 'SourceCredentials', {
      description: 'Verdict source credentials: JSON { "<source>": { field: value } }; fill with `verdict secrets set`',
      // Created without real values: the template carries only a generated placeholder key the code ignores.
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: '_placeholder', excludePunctuation: true },
    });

    const authorizerFn = new VerdictFunction(this, 'Authorizer', {
      handler: 'authorizer', description: 'Checks the API bearer token', config, timeout: Duration.seconds(5), memorySize: 256,
    }).readSecret(apiToken, 'API_TOKEN_SECRET_ARN');

    const apiFn = new VerdictFunction(this, 'Api', {
      handler: 'api', description: 'Verdict HTTP API', config, timeout: Duration.seconds(15), memorySize: 512,
    }).useTable(table, 'readWrite');

    const scorerFn = new VerdictFunction(this, 'Scorer', {
      handler: 'scorer', description: 'Scores experiments whose window ended', config, timeout: Duration.minutes(5), memorySize: 1024,
    }).useTable(table, 'readWrite');

    const deadLetters = new Queue(this, 'ScheduleDeadLetters', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });

    for (const job of scheduledJobs(config)) {
      const target = job.kind === 'scorer'
        ? scorerFn
        : new VerdictFunction(this, `Collector-${job.source}`, {
          handler: 'collector', description: `Collects ${job.source} metrics`, config,
          timeout: Duration.seconds(job.source === 'perplexity' || job.source === 'openai' ? 300 : 60), memorySize: 256,
          environment: { SOURCE_NAME: job.source },
        }).useTable(table, 'readWrite').readSecret(sourceCredentials, 'SOURCE_SECRET_ARN');
      const slotMinutes = job.cadence.everyMinutes;
      new Schedule(this, `Schedule-${job.id}`, {
        description: `Verdict ${job.id} every ${slotMinutes} minutes`,
        schedule: ScheduleExpression.expression(toCronExpression(job.cadence)),
        target: new LambdaInvoke(target.fn, {
          input: ScheduleTargetInput.fromObject({ scheduledTime: '<aws.scheduler.scheduled-time>', ...(job.kind === 'collector' && { source: job.source }) }),
          retryAttempts: 2,
          // A retry after the next slot started would only collide with it.
          maxEventAge: Duration.minutes(Math.min(slotMinutes, 60 * 24)),
          deadLetterQueue: deadLetters,
        }),
      });
    }

    const authorizer = new HttpLambdaAuthorizer('TokenAuthorizer', authorizerFn.fn, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: Duration.minutes(5),
    });
    const api = new HttpApi(this, 'HttpApi', { description: 'Verdict API', defaultAuthorizer: authorizer });
    const integration = new HttpLambdaIntegration('ApiIntegration', apiFn.fn);
    for (const route of ROUTES) {
      api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }

    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint, description: 'Verdict API base URL' });
    new CfnOutput(this, 'ApiTokenSecretName', { value: apiToken.secretName, description: 'aws secretsmanager get-secret-value --secret-id <this> reads the API token' });
    new CfnOutput(this, 'SourceCredentialsSecretName', { value: sourceCredentials.secretName, description: 'Secret holding source credentials (JSON)' });
  }
}
