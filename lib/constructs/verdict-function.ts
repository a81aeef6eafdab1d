/**
 * The project's Lambda function: newest Node.js runtime in aws-cdk-lib, arm64, esbuild-bundled and
 * minified with source maps, an explicit log group with retention, and the deployment's config inlined
 * at bundle time (it holds no secrets).
 *
 * Least privilege: each function gets its own role that starts with nothing but writing to its own log
 * group (no AWSLambdaBasicExecutionRole). Every other permission comes from one helper below that sets
 * the env var and the grant together, naming the exact actions and resource ARNs.
 */
import { Duration, Lazy, RemovalPolicy, Stack, type CfnResource } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, type DestinationConfig, type IDestination, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { AppConfig } from '../../functions/shared/app-config';
import { TABLE_KEYS } from '../../functions/store/table-definition';
import { lambdaBundling } from './lambda-bundling';

const GET = 'dynamodb:GetItem';
const BATCH_GET = 'dynamodb:BatchGetItem';
const QUERY = 'dynamodb:Query';
const PUT = 'dynamodb:PutItem';
const BATCH_WRITE = 'dynamodb:BatchWriteItem';
const UPDATE = 'dynamodb:UpdateItem';
const DELETE = 'dynamodb:DeleteItem';
type IndexName = (typeof TABLE_KEYS.indexes)[number]['indexName'];

/** What one function may do on the table: item actions, and the indexes it queries. */
export interface TableAccess { actions: readonly string[]; indexes: readonly IndexName[] }

/**
 * DynamoDB access per job — exactly the commands its code paths in functions/store issue, no Scan, no
 * table administration; Query alone reaches an index, and only the indexes the job reads. test/infra
 * checks the lists together against the store's code (a new command fails a test, not in AWS), and the
 * deployed-stack harness (test/deployed) proves each grant by use.
 */
export const TABLE_ACCESS = {
  /**
   * The API's route groups (functions/api/route-table.ts), each only what its routes issue. Every group
   * with POST routes also writes and deletes Idempotency-Key records (Put, Get, and Delete when a keyed
   * request fails).
   */
  /** List (gsi2; by status gsi1), read, change (conditional Put), delete unstarted; verdicts and their history; the switchback feed token. */
  apiExperiments: { actions: [GET, QUERY, PUT, DELETE], indexes: ['gsi1', 'gsi2'] },
  /** Plans read the metric's observations and the experiments beside it (gsi1); creates and changes are conditional Puts. */
  apiPlans: { actions: [GET, QUERY, PUT, DELETE], indexes: ['gsi1'] },
  /** Interim readouts and rescores read observations and verdicts; a rescore Puts the verdict, its history and log row; the digest reads the week (gsi1, gsi2, BatchGet). */
  apiReadouts: { actions: [GET, BATCH_GET, QUERY, PUT, DELETE], indexes: ['gsi1', 'gsi2'] },
  /** Read only: the research log and the experiment counts (gsi1), metric series and daily roll-ups, job and collection runs. */
  apiReads: { actions: [GET, QUERY], indexes: ['gsi1'] },
  /** Imports: which observations are new (BatchGet), the observations (BatchWrite) and their daily roll-ups (Update, conditional Put). */
  apiImports: { actions: [GET, BATCH_GET, PUT, BATCH_WRITE, UPDATE, DELETE], indexes: [] },
  /**
   * Due and planned experiments by status (gsi1), observations (Query), the verdict claim (Update),
   * verdicts and job runs (Put); once per table, the research-log backfill of older verdicts (BatchGet, Update)
   * and the daily roll-ups of older snapshots (Query, Update).
   */
  scorer: { actions: [GET, BATCH_GET, QUERY, PUT, UPDATE], indexes: ['gsi1'] },
  /** The week's experiments by status (gsi1) and verdicts (gsi2), sources' last runs (Query), the week's claim (Get/Put). */
  digest: { actions: [GET, BATCH_GET, QUERY, PUT], indexes: ['gsi1', 'gsi2'] },
  /** Pause state and runs (Get/Put), the slot's observations (BatchWrite) and their daily roll-ups (Update). */
  collector: { actions: [GET, PUT, BATCH_WRITE, UPDATE], indexes: [] },
  /** A collector that pays per answer (perplexity, openai): also the month's spend (Query runs, Update the reserved counter). */
  citationCollector: { actions: [GET, PUT, BATCH_WRITE, QUERY, UPDATE], indexes: [] },
} as const satisfies Record<string, TableAccess>;

export interface VerdictFunctionProps {
  /** File under functions/handlers/, without extension. */
  handler: string;
  description: string;
  config: AppConfig;
  timeout: Duration;
  memorySize: number;
  logRetention: RetentionDays;
  environment?: Record<string, string>;
  /** Concurrent executions reserved for (and the most allowed to) this function; default: none reserved. */
  reservedConcurrentExecutions?: number;
  /**
   * Files esbuild injects into this function's bundle: their exports replace the globals of the same
   * name (for values too large for a `define` on esbuild's command line).
   */
  inject?: string[];
  /** Modules left out of this function's bundle besides the AWS SDK (only for code paths Lambda never runs). */
  extraExternalModules?: string[];
  /** Commands run around esbuild (e.g. files copied beside the bundle). */
  commandHooks?: ICommandHooks;
}

export class VerdictFunction extends Construct {
  /** The entry point's file under functions/handlers/ (it declares the environment this function gets). */
  readonly handler: string;
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: VerdictFunctionProps) {
    super(scope, id);
    this.handler = props.handler;
    // Logs are diagnostics, not records: they go with the stack.
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Verdict ${props.handler}: ${props.description}`,
    });
    // The log group ARN ends in ':*', which covers its log streams and nothing else.
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }));

    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(__dirname, '..', '..', 'functions', 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      ...(props.reservedConcurrentExecutions !== undefined && { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      role: this.role,
      logGroup: this.logGroup,
      // Exactly what the handler declares (functions/shared/function-env.ts): the base here, the rest from the helpers below.
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: bundlingFor(props),
    });
    // CDK makes the function depend on its whole role. The GetAtt on the role already orders the role
    // itself (cfn-lint W3005), so only the policy stays: permissions in place before the first invocation.
    const policy = this.role.node.findChild('DefaultPolicy').node.defaultChild as CfnResource;
    (this.fn.node.defaultChild as CfnResource).addOverride('DependsOn', [Lazy.string({ produce: () => Stack.of(this).getLogicalId(policy) })]);
  }

  /** Item-level access to the table, Query on the named indexes (never `index/*`); TABLE_NAME carries the name. */
  useTable(table: ITableV2, access: TableAccess): this {
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...access.actions], resources: [table.tableArn] }));
    if (access.indexes.length > 0) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: [QUERY], resources: access.indexes.map((i) => `${table.tableArn}/index/${i}`) }));
    }
    return this;
  }

  /** GetSecretValue on one secret; the function gets its ARN in `envVar` — never its value. */
  readSecret(secret: ISecret, envVar: 'SOURCE_SECRET_ARN' | 'API_TOKEN_SECRET_ARN'): this {
    this.fn.addEnvironment(envVar, secret.secretArn);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
    return this;
  }

  /** PutEvents on one bus, for events whose source is `source` only; EVENT_BUS_NAME carries the bus name. */
  publishEvents(bus: IEventBus, source: string): this {
    this.fn.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    this.role.addToPrincipalPolicy(new PolicyStatement({
      actions: ['events:PutEvents'],
      resources: [bus.eventBusArn],
      conditions: { StringEquals: { 'events:source': source } },
    }));
    return this;
  }

  /**
   * Synchronous invoke of the given collector functions only (collect-now, from api-imports); their names go in
   * COLLECTOR_FUNCTIONS as `{ "<source>": "<function name>" }`.
   */
  invokeCollectors(collectors: Partial<Record<string, VerdictFunction>>): this {
    const entries = Object.entries(collectors).filter((e): e is [string, VerdictFunction] => e[1] !== undefined);
    // Always set (`{}` without collectors): api-imports requires it, and a grant on nothing is no grant.
    this.fn.addEnvironment('COLLECTOR_FUNCTIONS', Stack.of(this).toJsonString(Object.fromEntries(entries.map(([source, f]) => [source, f.fn.functionName]))));
    if (entries.length === 0) return this;
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: entries.map(([, f]) => f.fn.functionArn) }));
    return this;
  }

  /** Publish to one SNS topic; `envVar` carries its ARN. */
  publishTo(topic: ITopic, envVar: 'ALARM_TOPIC_ARN'): this {
    this.fn.addEnvironment(envVar, topic.topicArn);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    return this;
  }

  /**
   * How Lambda handles a failed asynchronous invocation (the schedules invoke asynchronously): retry
   * `retryAttempts` times while the event is younger than `maxEventAge`, then send the invocation record
   * to `deadLetters` (SendMessage only).
   */
  onAsyncFailure(deadLetters: IQueue, options: { retryAttempts: number; maxEventAge: Duration }): this {
    this.fn.configureAsyncInvoke({ ...options, onFailure: new SendOnlyQueueDestination(deadLetters) });
    return this;
  }
}

/** An on-failure destination granting only sqs:SendMessage (CDK's SqsDestination also grants GetQueue*). */
class SendOnlyQueueDestination implements IDestination {
  constructor(private readonly queue: IQueue) {}

  bind(_scope: Construct, fn: IFunction): DestinationConfig {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    return { destination: this.queue.queueArn };
  }
}

function bundlingFor(props: VerdictFunctionProps) {
  const base = lambdaBundling(props.config);
  return {
    ...base,
    ...(props.inject && { inject: props.inject }),
    ...(props.extraExternalModules && { externalModules: [...base.externalModules, ...props.extraExternalModules] }),
    ...(props.commandHooks && { commandHooks: props.commandHooks }),
  };
}
