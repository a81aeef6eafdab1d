/**
 * The Verdict stack: one table (the shared definition), one least-privilege Lambda per job, EventBridge
 * Scheduler schedules from the shared schedule definitions, a token-protected HTTP API, a custom event
 * bus for `Verdict Reached`, two secrets (API token, source credentials) and the alarms and budget that
 * say when something is wrong. Everything is driven by the validated AppConfig.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Stage, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { API_FUNCTIONS, ROUTE_DEFINITIONS, type ApiFunction, type RouteDefinition } from '../functions/api/route-table';
import type { AppConfig, SourceName } from '../functions/shared/app-config';
import { withAccount } from '../functions/domain/accounts';
import { errorMessage, ValidationError } from '../functions/shared/errors';
import { EVENT_SOURCE } from '../functions/shared/event-names';
import { scheduledJobs, weeklyJobs, type WeeklyJob } from '../functions/shared/scheduled-jobs';
import { CITATION_SOURCES, collectorHandlerFor } from '../functions/sources/collector-entries';
import { TABLE_KEYS } from '../functions/store/table-definition';
import { JobSchedule } from './constructs/job-schedule';
import { dashboardBundlingExtras, mcpBundlingExtras } from './constructs/lambda-bundling';
import { OperationsAlerts } from './constructs/operations-alerts';
import { VerdictApi } from './constructs/verdict-api';
import { TABLE_ACCESS, VerdictFunction, type TableAccess, type VerdictFunctionProps } from './constructs/verdict-function';
import { PUBLIC_SOURCES } from '../functions/sources/credential-fields';

export interface VerdictStackProps extends StackProps {
  config: AppConfig;
  /** The API's routes; defaults to every route in functions/api/route-table. */
  routes?: readonly RouteDefinition[];
}

/** Sources whose runs take long, so they get more time: the citation sources (AI engines asked many prompts per run) and Stripe. */
const SLOW_SOURCES: readonly SourceName[] = [...CITATION_SOURCES, 'stripe'];

export class VerdictStack extends Stack {
  readonly table: TableV2;
  readonly apiToken: Secret;
  readonly sourceCredentials: Secret;
  readonly eventBus: EventBus;
  readonly deadLetters: Queue;
  readonly authorizerFn: VerdictFunction;
  /** The API's route groups, one function each (functions/api/route-table.ts says which serves which route). */
  readonly apiFns: Record<ApiFunction, VerdictFunction>;
  readonly mcpFn: VerdictFunction;
  readonly dashboardFn: VerdictFunction;
  readonly scorerFn: VerdictFunction;
  readonly digestFn: VerdictFunction;
  readonly collectorFns: Partial<Record<SourceName, VerdictFunction>> = {};
  readonly api: VerdictApi;
  readonly alerts: OperationsAlerts;

  constructor(scope: Construct, id: string, props: VerdictStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = config.logs.retentionDays as RetentionDays;

    // The same keys and indexes dynalite gets from createTableInput (functions/store/table-definition.ts).
    this.table = new TableV2(this, 'Table', {
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

    this.apiToken = new Secret(this, 'ApiToken', {
      description: 'Verdict API bearer token, generated at deploy',
      generateSecretString: { passwordLength: 43, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.apiToken.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The API token is held by its one user\'s clients (curl, dashboard); automatic rotation would lock them '
        + 'out without notice. Rotate on demand with `aws secretsmanager put-secret-value` (README "Deploy").',
    });
    this.sourceCredentials = new Secret(this, 'SourceCredentials', {
      description: 'Verdict source credentials: JSON { "<source>": { "<field>": "<value>" } }; fill with `verdict secrets set`',
      // Created empty; the values never pass through the template.
      secretObjectValue: {},
    });
    Validations.of(this.sourceCredentials.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Holds third-party API keys (X, newsletter platforms, AI engines) that only their providers can issue; '
        + 'Secrets Manager has no rotation function for them. Replaced by the owner with `verdict secrets set`.',
    });

    this.eventBus = new EventBus(this, 'Events', { description: 'Verdict events (Verdict Reached); add rules to route them anywhere' });

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the schedules and of the functions\' async invocations '
        + '(a target cdk-nag does not recognise); a DLQ of a DLQ would only move the same messages again.',
    });

    const fn = (id: string, handler: string, description: string, timeout: Duration, memorySize: number, extra: Pick<VerdictFunctionProps, 'environment' | 'inject' | 'extraExternalModules' | 'commandHooks' | 'reservedConcurrentExecutions'> = {}) =>
      new VerdictFunction(this, id, { handler, description, config, timeout, memorySize, logRetention, ...extra });

    // Timeouts and memory per job: the authorizer is one hash comparison (secret cached); the API's ceiling
    // is API Gateway's 30 s; the scorer walks every experiment due; collectors wait on upstream APIs.
    // The authorizer is what a flood of random tokens reaches: reserved concurrency (api.authorizerConcurrency)
    // and its 1 s delay before a denial cap what that flood can cost (README "What a flood costs").
    this.authorizerFn = fn('Authorizer', 'authorizer', 'Checks the API bearer token', Duration.seconds(5), 128,
      { ...(config.api.authorizerConcurrency !== false && { reservedConcurrentExecutions: config.api.authorizerConcurrency }) })
      .readSecret(this.apiToken, 'API_TOKEN_SECRET_ARN');
    // The API in route groups, so each function carries only what its routes need (the planner, the scorer);
    // each gets the table actions its routes issue, the bus only where a route publishes, and only
    // api-imports may invoke the collectors (POST /collect, below); no API function reads source credentials.
    const api = (id: string, name: ApiFunction, description: string, access: TableAccess) =>
      fn(id, name, description, Duration.seconds(15), 512).useTable(this.table, access);
    this.apiFns = {
      'api-experiments': api('ApiExperiments', 'api-experiments', 'Verdict API: experiments, verdicts, switchback schedules', TABLE_ACCESS.apiExperiments),
      'api-plans': api('ApiPlans', 'api-plans', 'Verdict API: plan, create, change and start experiments; the backlog', TABLE_ACCESS.apiPlans)
        .publishEvents(this.eventBus, EVENT_SOURCE),
      'api-readouts': api('ApiReadouts', 'api-readouts', 'Verdict API: interim readouts, rescore, the digest', TABLE_ACCESS.apiReadouts)
        .publishEvents(this.eventBus, EVENT_SOURCE),
      'api-reads': api('ApiReads', 'api-reads', 'Verdict API: research log, metrics, health (read only)', TABLE_ACCESS.apiReads),
      'api-imports': api('ApiImports', 'api-imports', 'Verdict API: observation imports and collect-now', TABLE_ACCESS.apiImports),
    };
    // GET / and /assets/{file}: the dashboard's packed page and assets, in a function of their own so the API carries none of it.
    this.dashboardFn = fn('Dashboard', 'dashboard', 'Serves the dashboard page and its assets (public)', Duration.seconds(5), 128, dashboardBundling(this));
    // POST /mcp (functions/mcp/protocol.ts) and GET /openapi.json: the API's routes as MCP tools, each call sent to the API
    // itself over HTTPS with the caller's own token (API_URL, set below), so this function has no table, bus or secret access;
    // its tools and the OpenAPI document are built at synth from the routes (mcpBundling).
    this.mcpFn = fn('Mcp', 'mcp', 'Verdict MCP endpoint (POST /mcp)', Duration.seconds(15), 512, mcpBundling(this));
    this.scorerFn = fn('Scorer', 'scorer', 'Scores experiments whose window ended', Duration.minutes(5), 1024)
      .useTable(this.table, TABLE_ACCESS.scorer)
      .publishEvents(this.eventBus, EVENT_SOURCE);

    this.alerts = new OperationsAlerts(this, 'Alerts', { email: config.alarms.email, budget: config.budget });
    // The weekly digest goes out as an event, to the alert topic's email subscribers, and to the chat
    // webhook kept in the source-credentials secret (digest.webhookUrl).
    this.digestFn = fn('Digest', 'digest', 'Sends the weekly digest', Duration.minutes(1), 256)
      .useTable(this.table, TABLE_ACCESS.digest)
      .readSecret(this.sourceCredentials, 'SOURCE_SECRET_ARN')
      .publishEvents(this.eventBus, EVENT_SOURCE)
      .publishTo(this.alerts.topic, 'ALARM_TOPIC_ARN');
    for (const job of weeklyJobsOf(config)) new JobSchedule(this, `Schedule-${job.id}`, { job, target: this.digestFn, deadLetters: this.deadLetters });

    const jobs = scheduledJobs(config);
    // A source's accounts share its function: the account with the shortest slot sets its async retry policy.
    const shortestOf = (source: string) => Math.min(...jobs.filter((j) => j.kind === 'collector' && j.source === source).map((j) => j.cadence.everyMinutes));
    const asyncRetriesSet = new Set<string>();
    for (const job of jobs) {
      let target: VerdictFunction;
      let configuresAsyncRetries = true;
      if (job.kind === 'scorer') {
        target = this.scorerFn;
      } else {
        // One function per source; each account of it has its own schedule (naming the account) and alarm.
        target = this.collectorFns[job.source] ?? fn(`Collector-${job.source}`, collectorHandlerFor(job.source), `Collects ${job.source} metrics`,
          Duration.seconds(SLOW_SOURCES.includes(job.source) ? 300 : 60), 256, { environment: { SOURCE_NAME: job.source } })
          .useTable(this.table, CITATION_SOURCES.includes(job.source) ? TABLE_ACCESS.citationCollector : TABLE_ACCESS.collector);
        // A public source (Bluesky) reads no credentials: its function gets neither the secret's ARN nor the grant.
        if (!this.collectorFns[job.source] && !PUBLIC_SOURCES.includes(job.source)) target.readSecret(this.sourceCredentials, 'SOURCE_SECRET_ARN');
        this.collectorFns[job.source] = target;
        const name = withAccount(job.source, job.account);
        this.alerts.alarmOnMissedCollections(`collection-missed-${name.replace('@', '-at-')}`, name, job.cadence.everyMinutes);
        configuresAsyncRetries = !asyncRetriesSet.has(job.source) && job.cadence.everyMinutes === shortestOf(job.source);
        if (configuresAsyncRetries) asyncRetriesSet.add(job.source);
      }
      // Construct ids become schedule and alarm names, which take no `@`.
      new JobSchedule(this, `Schedule-${job.id.replace('@', '-at-')}`, { job, target, deadLetters: this.deadLetters, configuresAsyncRetries });
    }

    this.apiFns['api-imports'].invokeCollectors(this.collectorFns);

    this.api = new VerdictApi(this, 'HttpApi', {
      routes: props.routes ?? ROUTE_DEFINITIONS,
      handlers: { ...mapApiFunctions((name) => this.apiFns[name].fn), mcp: this.mcpFn.fn, dashboard: this.dashboardFn.fn },
      authorizer: this.authorizerFn.fn,
      allowedOrigins: config.dashboard.allowedOrigins,
      readRatePerSecond: config.api.readRatePerSecond,
      writeRatePerSecond: config.api.writeRatePerSecond,
    });
    // The MCP tools' calls go to this API (the endpoint's GetAtt: the function depends on the Api resource, which depends on no function).
    this.mcpFn.fn.addEnvironment('API_URL', this.api.url);

    for (const [name, f] of this.functions()) this.alerts.alarmOnErrors(`errors-${name}`, f.fn, `The ${name} function`);
    this.alerts.alarmOnDeadLetters('dead-letters', this.deadLetters);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Verdict API base URL' });
    new CfnOutput(this, 'DashboardUrl', { value: `${this.api.url}/`, description: 'Verdict dashboard (served by the dashboard function)' });
    new CfnOutput(this, 'ApiTokenSecretName', { value: this.apiToken.secretName, description: 'aws secretsmanager get-secret-value --secret-id <this> prints the API token' });
    new CfnOutput(this, 'SourceCredentialsSecretName', { value: this.sourceCredentials.secretName, description: 'VERDICT_SOURCE_SECRET for `verdict secrets set`' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'Kept on `cdk destroy` (RETAIN, deletion protection on)' });
    new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName, description: 'Custom bus carrying Verdict Reached events' });
  }

  /** Every function of the stack, by a short name. */
  functions(): [string, VerdictFunction][] {
    return [
      ['authorizer', this.authorizerFn],
      ...API_FUNCTIONS.map((name): [string, VerdictFunction] => [name, this.apiFns[name]]),
      ['mcp', this.mcpFn],
      ['dashboard', this.dashboardFn],
      ['scorer', this.scorerFn],
      ['digest', this.digestFn],
      ...Object.entries(this.collectorFns).map(([source, f]): [string, VerdictFunction] => [`collector-${source}`, f]),
    ];
  }
}

/** `make` of every API function, by name. */
function mapApiFunctions<T>(make: (name: ApiFunction) => T): Record<ApiFunction, T> {
  return Object.fromEntries(API_FUNCTIONS.map((name) => [name, make(name)])) as Record<ApiFunction, T>;
}

/** The weekly jobs; an unknown digest time zone is a config error like any other. */
function weeklyJobsOf(config: AppConfig): WeeklyJob[] {
  try {
    return weeklyJobs(config);
  } catch (err) {
    const message = errorMessage(err);
    throw new ValidationError(`Invalid Verdict config (cdk.json context.verdict): ${message}`, [{ path: 'digest.timeZone', message }]);
  }
}

/**
 * The dashboard function's extra bundling (the dashboard assets injected, esbuild left out; see
 * lambda-bundling.ts), written into this synth's output directory. Skipped when this synth does not
 * bundle (`cdk synth --exclusively` of another stack, fast tests).
 */
function dashboardBundling(stack: Stack): Pick<VerdictFunctionProps, 'inject' | 'extraExternalModules'> {
  if (!stack.bundlingRequired) return {};
  return dashboardBundlingExtras(Stage.of(stack)!.outdir);
}

/** The MCP function's extra bundling (its pack of tools and OpenAPI document beside the bundle; see lambda-bundling.ts), skipped like the dashboard's. */
function mcpBundling(stack: Stack): Pick<VerdictFunctionProps, 'commandHooks'> {
  if (!stack.bundlingRequired) return {};
  return mcpBundlingExtras(Stage.of(stack)!.outdir);
}
