/**
 * The stack's properties that matter, asserted one by one on a single synthesis with every feature on
 * (test/infra/synth.ts FULL_CONFIG): table, functions and their exact permissions, schedules, API,
 * secrets, events, alarms, budget, outputs.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Runtime, RuntimeFamily } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_FUNCTIONS } from '../../functions/api/route-table';
import { parseAppConfig } from '../../functions/shared/app-config';
import { scheduledJobs, toWeeklyCronExpression, weeklyJobs, type JobDefinition } from '../../functions/shared/scheduled-jobs';
import { toCronExpression } from '../../functions/shared/schedules';
import { createTableInput, TABLE_KEYS } from '../../functions/store/table-definition';
import { collectionMetrics, recordCollection } from '../../functions/jobs/collector-invocation';
import { EVENT_SOURCE } from '../../functions/shared/events';
import { COLLECTION_METRIC } from '../../lib/constructs/operations-alerts';
import { TABLE_ACCESS, type TableAccess, type VerdictFunction } from '../../lib/constructs/verdict-function';
import type { VerdictStack } from '../../lib/verdict-stack';
import { FULL_CONFIG, PUBLIC_ROUTE, ROUTES_WITH_PUBLIC, synthVerdict } from './synth';

type Json = Record<string, any>;

let stack: VerdictStack;
let template: Template;
let resources: Record<string, Json>;
const config = parseAppConfig(FULL_CONFIG);
const jobs: JobDefinition[] = [...scheduledJobs(config), ...weeklyJobs(config)];

beforeAll(() => {
  ({ stack } = synthVerdict({ verdict: FULL_CONFIG, routes: ROUTES_WITH_PUBLIC }));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, Json>;
});

const logicalId = (c: IConstruct): string => stack.getLogicalId((c.node.defaultChild ?? c) as CfnElement);
const ref = (c: IConstruct) => ({ Ref: logicalId(c) });
const arnOf = (c: IConstruct) => ({ 'Fn::GetAtt': [logicalId(c), 'Arn'] });
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Every (action, resource) pair the role's policies allow, as comparable strings. */
function grantsOf(roleLogicalId: string): string[] {
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => asArray(p.Properties.Roles).some((r: Json) => r.Ref === roleLogicalId))
    .flatMap(([, p]) => asArray(p.Properties.PolicyDocument.Statement as Json[]))
    .flatMap((s) => {
      expect(s.Effect).toBe('Allow');
      return asArray(s.Action as string).flatMap((a) => asArray(s.Resource).map((r) => `${a} on ${JSON.stringify(r)}`));
    })
    .sort();
}
const grant = (actions: readonly string[], on: unknown[]) => actions.flatMap((a) => on.map((r) => `${a} on ${JSON.stringify(r)}`));

describe('DynamoDB table', () => {
  it('is built from the shared table definition — the same keys and indexes dynalite gets', () => {
    const [[, table]] = ofType('AWS::DynamoDB::GlobalTable');
    const local = createTableInput('any');
    expect(table.Properties.KeySchema).toEqual(local.KeySchema);
    expect(new Set(table.Properties.AttributeDefinitions)).toEqual(new Set(local.AttributeDefinitions));
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
  });

  it('is on-demand, with point-in-time recovery, deletion protection, TTL and RETAIN', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: TABLE_KEYS.timeToLiveAttribute, Enabled: true },
        Replicas: [Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    });
  });
});

describe('Lambda functions', () => {
  const newestNodeRuntime = () => Object.values(Runtime)
    .filter((r): r is Runtime => r instanceof Runtime && r.family === RuntimeFamily.NODEJS && !r.isVariable)
    .map((r) => ({ name: r.name, version: Number(/^nodejs(\d+)/.exec(r.name)?.[1] ?? 0) }))
    .sort((a, b) => b.version - a.version)[0].name;

  it('exist once per job: authorizer, one per API route group, dashboard, MCP, scorer, digest and one collector per enabled source', () => {
    expect(stack.functions().map(([name]) => name).sort()).toEqual([
      'api-experiments', 'api-imports', 'api-plans', 'api-readouts', 'api-reads', 'authorizer',
      'collector-bluesky', 'collector-perplexity', 'collector-stripe', 'collector-x', 'dashboard', 'digest', 'mcp', 'scorer',
    ]);
    template.resourceCountIs('AWS::Lambda::Function', 14);
  });

  it('builds the Stripe, X and answer-engine collectors from their own entries (out of the shared collector), with a slow source\'s timeout', () => {
    const collectors = stack.functions().filter(([name]) => name.startsWith('collector-'));

    expect(collectors.map(([name, f]) => [name, f.handler])).toEqual(expect.arrayContaining([['collector-stripe', 'collector-stripe'], ['collector-x', 'collector-x'], ['collector-perplexity', 'collector-citations'], ['collector-bluesky', 'collector']]));
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('Collects stripe metrics'), Timeout: 300 });
  });

  it('all run the newest Node.js runtime in aws-cdk-lib on arm64, with source maps enabled', () => {
    for (const [, f] of stack.functions()) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.absent(),
        Handler: 'index.handler',
        Runtime: newestNodeRuntime(),
        Architectures: ['arm64'],
        Role: arnOf(f.role),
        Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
        LoggingConfig: { LogGroup: ref(f.logGroup) },
      });
    }
  });

  it('each log to their own log group with the configured retention', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', stack.functions().length); // no API access logs (test/infra/flood-cost.test.ts)
    for (const [, f] of stack.functions()) {
      expect(resources[logicalId(f.logGroup)].Properties.RetentionInDays).toBe(14);
    }
  });

  it.each<[string, number, number]>([
    ['authorizer', 5, 128], ...API_FUNCTIONS.map((name): [string, number, number] => [name, 15, 512]), ['dashboard', 5, 128], ['scorer', 300, 1024], ['digest', 60, 256],
    ['collector-x', 60, 256], ['collector-bluesky', 60, 256], ['collector-perplexity', 300, 256],
  ])('%s has its own timeout (%i s) and memory (%i MB)', (name, timeout, memory) => {
    const f = fnNamed(name);
    expect(resources[logicalId(f.fn)].Properties).toMatchObject({ Timeout: timeout, MemorySize: memory });
  });

  it('have roles without managed policies, trusted by Lambda only', () => {
    for (const [, f] of stack.functions()) {
      const role = resources[logicalId(f.role)];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ]);
    }
  });
});

describe('least privilege, per function', () => {
  /** Item actions on the table; Query, the one action that reads an index, on the job's indexes by name. */
  const table = (access: TableAccess) => [
    ...grant(access.actions, [arnOf(stack.table)]),
    ...grant(['dynamodb:Query'], access.indexes.map((i) => ({ 'Fn::Join': ['', [arnOf(stack.table), `/index/${i}`]] }))),
  ];
  const logs = (f: VerdictFunction) => grant(['logs:CreateLogStream', 'logs:PutLogEvents'], [arnOf(f.logGroup)]);
  const expected: Record<string, () => string[]> = {
    authorizer: () => [...logs(stack.authorizerFn), ...grant(['secretsmanager:GetSecretValue'], [ref(stack.apiToken)])],
    // The API's route groups: each its own table access; the bus only where a route publishes; no source credentials.
    'api-experiments': () => [...logs(stack.apiFns['api-experiments']), ...table(TABLE_ACCESS.apiExperiments)],
    'api-plans': () => [...logs(stack.apiFns['api-plans']), ...table(TABLE_ACCESS.apiPlans), ...grant(['events:PutEvents'], [arnOf(stack.eventBus)])],
    'api-readouts': () => [...logs(stack.apiFns['api-readouts']), ...table(TABLE_ACCESS.apiReadouts), ...grant(['events:PutEvents'], [arnOf(stack.eventBus)])],
    'api-reads': () => [...logs(stack.apiFns['api-reads']), ...table(TABLE_ACCESS.apiReads)],
    // POST /collect invokes the collectors.
    'api-imports': () => [
      ...logs(stack.apiFns['api-imports']), ...table(TABLE_ACCESS.apiImports),
      ...grant(['lambda:InvokeFunction'], Object.values(stack.collectorFns).map((f) => arnOf(f!.fn))),
    ],
    // The MCP tools call the API over HTTPS with the caller's token: no table, bus or secret of its own.
    mcp: () => [...logs(stack.mcpFn)],
    scorer: () => [
      ...logs(stack.scorerFn), ...table(TABLE_ACCESS.scorer), ...grant(['events:PutEvents'], [arnOf(stack.eventBus)]),
      ...grant(['sqs:SendMessage'], [arnOf(stack.deadLetters)]),
    ],
    // The digest reads the chat webhook URL from the source-credentials secret and mails through the alert topic.
    digest: () => [
      ...logs(stack.digestFn), ...table(TABLE_ACCESS.digest), ...grant(['events:PutEvents'], [arnOf(stack.eventBus)]),
      ...grant(['secretsmanager:GetSecretValue'], [ref(stack.sourceCredentials)]), ...grant(['sns:Publish'], [ref(stack.alerts.topic)]),
      ...grant(['sqs:SendMessage'], [arnOf(stack.deadLetters)]),
    ],
    // Bluesky's public API needs no credentials, so its collector gets no secret; answer engines also track their spend.
    ...Object.fromEntries(([['x', TABLE_ACCESS.collector, true], ['bluesky', TABLE_ACCESS.collector, false], ['perplexity', TABLE_ACCESS.citationCollector, true]] as const).map(([s, access, secret]) => [`collector-${s}`, () => [
      ...logs(fnNamed(`collector-${s}`)), ...table(access),
      ...(secret ? grant(['secretsmanager:GetSecretValue'], [ref(stack.sourceCredentials)]) : []), ...grant(['sqs:SendMessage'], [arnOf(stack.deadLetters)]),
    ]])),
  };

  it.each(Object.keys(expected))('%s may do exactly what it needs, on exactly its resources', (name) => {
    expect(grantsOf(logicalId(fnNamed(name).role))).toEqual(expected[name]().sort());
  });

  it('the scorer, the API functions that publish and the digest may put events of Verdict\'s own source only', () => {
    for (const f of [stack.scorerFn, stack.apiFns['api-plans'], stack.apiFns['api-readouts'], stack.digestFn]) {
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, p]) => asArray(p.Properties.Roles).some((r: Json) => r.Ref === logicalId(f.role)))
        .flatMap(([, p]) => asArray(p.Properties.PolicyDocument.Statement as Json[]))
        .filter((st) => st.Action === 'events:PutEvents');
      expect(statements).toEqual([expect.objectContaining({ Condition: { StringEquals: { 'events:source': EVENT_SOURCE } } })]);
    }
  });

  it('no policy in the stack uses a wildcard action or resource', () => {
    const text = JSON.stringify(ofType('AWS::IAM::Policy').map(([, p]) => p.Properties.PolicyDocument));
    expect(text).not.toMatch(/"(Resource|Action)":"\*"|:\*"|\/\*"/);
  });

  it('the jobs\' item actions together cover exactly the commands functions/store issues', () => {
    const storeDir = join(__dirname, '..', '..', 'functions', 'store');
    const commands = new Set(readdirSync(storeDir).filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join(storeDir, f), 'utf8').matchAll(/new (\w+)Command\(/g)].map((m) => m[1])));
    const ACTION_OF: Record<string, string> = {
      Get: 'dynamodb:GetItem', Put: 'dynamodb:PutItem', Query: 'dynamodb:Query', BatchWrite: 'dynamodb:BatchWriteItem',
      BatchGet: 'dynamodb:BatchGetItem', Update: 'dynamodb:UpdateItem', Delete: 'dynamodb:DeleteItem', Scan: 'dynamodb:Scan',
      TransactWrite: 'dynamodb:ConditionCheckItem', TransactGet: 'dynamodb:GetItem',
    };
    const needed = [...commands].map((c) => ACTION_OF[c] ?? `unmapped command ${c}Command: add it to TABLE_ACCESS and here`);
    expect(new Set(Object.values(TABLE_ACCESS).flatMap((a) => a.actions))).toEqual(new Set(needed));
    // Deleting (an unstarted experiment, a failed request's idempotency claim) is for the API functions with POST or DELETE routes alone.
    const deleters = Object.entries(TABLE_ACCESS).filter(([, access]) => (access.actions as readonly string[]).includes('dynamodb:DeleteItem')).map(([job]) => job);
    expect(deleters.sort()).toEqual(['apiExperiments', 'apiImports', 'apiPlans', 'apiReadouts']);
    expect(TABLE_ACCESS.apiReads.actions).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
  });

  it('each schedule\'s role may only invoke its own function and dead-letter its events', () => {
    const scheduleRoles = ofType('AWS::Scheduler::Schedule').map(([, s]) => s.Properties.Target);
    expect(scheduleRoles).toHaveLength(jobs.length);
    for (const target of scheduleRoles) {
      const roleId = target.RoleArn['Fn::GetAtt'][0] as string;
      expect(grantsOf(roleId)).toEqual([
        `lambda:InvokeFunction on ${JSON.stringify(target.Arn)}`,
        ...grant(['sqs:SendMessage'], [arnOf(stack.deadLetters)]),
      ].sort());
      expect(resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: expect.objectContaining({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }) },
      })]);
    }
  });
});

describe('schedules', () => {
  const targetOf = (job: JobDefinition): VerdictFunction =>
    job.kind === 'scorer' ? stack.scorerFn : job.kind === 'digest' ? stack.digestFn : stack.collectorFns[job.source]!;
  const scheduleOf = (job: JobDefinition): Json => {
    const hits = ofType('AWS::Scheduler::Schedule').filter(([, s]) => JSON.stringify(s.Properties.Target.Arn) === JSON.stringify(arnOf(targetOf(job).fn)));
    expect(hits).toHaveLength(1);
    return hits[0][1];
  };
  /** How late a delivery or retry may still run: one slot, and 6 hours for the weekly digest. */
  const slotSeconds = (job: JobDefinition) => (job.kind === 'digest' ? 6 * 3600 : job.cadence.everyMinutes * 60);

  it('one EventBridge Scheduler schedule per job, with the scheduled time in the payload', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', jobs.length);
    template.resourceCountIs('AWS::Events::Rule', 0);
    for (const job of jobs) {
      expect(scheduleOf(job).Properties).toMatchObject({
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>', ...(job.kind === 'collector' && { source: job.source }) }),
        },
      });
    }
  });

  it('slot jobs fire on the shared UTC slot cron; the digest at its hour in its own time zone', () => {
    for (const job of jobs) {
      expect(scheduleOf(job).Properties).toMatchObject(job.kind === 'digest'
        ? { ScheduleExpression: toWeeklyCronExpression(job), ScheduleExpressionTimezone: 'Europe/Berlin' }
        : { ScheduleExpression: toCronExpression(job.cadence), ScheduleExpressionTimezone: 'Etc/UTC' });
    }
    expect(scheduleOf(jobs.find((j) => j.kind === 'digest')!).Properties.ScheduleExpression).toBe('cron(0 9 ? * MON *)');
  });

  it('retry no longer than one slot, then send the event to the encrypted dead-letter queue', () => {
    for (const job of jobs) {
      const target = scheduleOf(job).Properties.Target;
      expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(target.RetryPolicy.MaximumEventAgeInSeconds).toBeLessThanOrEqual(slotSeconds(job));
      expect(target.RetryPolicy.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(target.DeadLetterConfig).toEqual({ Arn: arnOf(stack.deadLetters) });
    }
    expect(resources[logicalId(stack.deadLetters)].Properties).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it('each scheduled function has an async invoke config: retries, max age within the slot, failures to the DLQ', () => {
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', jobs.length);
    for (const job of jobs) {
      const [[, invokeConfig]] = ofType('AWS::Lambda::EventInvokeConfig').filter(([, c]) => c.Properties.FunctionName.Ref === logicalId(targetOf(job).fn));
      expect(invokeConfig.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: arnOf(stack.deadLetters) } },
      });
      expect(invokeConfig.Properties.MaximumEventAgeInSeconds).toBe(Math.min(slotSeconds(job), 6 * 3600));
    }
  });

  it('the dead-letter queue refuses unencrypted transport', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(stack.deadLetters)],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('HTTP API', () => {
  const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

  it('has one route per entry in functions/api/route-table, each behind the token authorizer unless public', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES_WITH_PUBLIC.length);
    const [[authId]] = ofType('AWS::ApiGatewayV2::Authorizer');
    for (const route of ROUTES_WITH_PUBLIC) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', route.public
        ? { RouteKey: routeKey(route), AuthorizationType: 'NONE', AuthorizerId: Match.absent() }
        : { RouteKey: routeKey(route), AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authId } });
    }
  });

  it('sends each route to the function the route table names (POST /mcp and GET /openapi.json to the MCP function)', () => {
    const integrationOf = (fn: VerdictFunction) => {
      const [[id]] = ofType('AWS::ApiGatewayV2::Integration').filter(([, i]) => JSON.stringify(i.Properties.IntegrationUri).includes(logicalId(fn.fn)));
      return { 'Fn::Join': ['', ['integrations/', { Ref: id }]] };
    };
    const fnOf = (name: string) => stack.functions().find(([n]) => n === name)![1];
    for (const route of ROUTES_WITH_PUBLIC) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey(route), Target: integrationOf(fnOf(route.servedBy)) });
    }
    expect(ROUTES_WITH_PUBLIC.filter((r) => r.servedBy === 'mcp').map(routeKey).sort()).toEqual(['DELETE /mcp', 'GET /mcp', 'GET /openapi.json', 'POST /mcp']);
    expect(new Set(ROUTES_WITH_PUBLIC.map((r) => r.servedBy))).toEqual(new Set([...API_FUNCTIONS, 'mcp', 'dashboard']));
  });

  it('points the MCP function\'s tools at this stack\'s own HTTP API (its endpoint, not a URL of its own), with no circular dependency', () => {
    const [[apiId]] = ofType('AWS::ApiGatewayV2::Api');
    const mcp = template.toJSON().Resources[logicalId(stack.mcpFn.fn)] as Json;

    expect(mcp.Properties.Environment.Variables.API_URL).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
    // The Api resource depends on no function (its routes and integrations do), so the function may depend on it.
    expect(JSON.stringify(template.toJSON().Resources[apiId])).not.toContain(logicalId(stack.mcpFn.fn));
  });

  it('serves only the routes declared public without a token', () => {
    const publicKeys = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.AuthorizationType !== 'CUSTOM').map(([, r]) => r.Properties.RouteKey);
    expect(publicKeys.sort()).toEqual(ROUTES_WITH_PUBLIC.filter((r) => r.public).map(routeKey).sort());
    expect(publicKeys).toContain(routeKey(PUBLIC_ROUTE));
  });

  it('checks the Authorization header with the authorizer function and caches its answers', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 240,
      AuthorizerUri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([arnOf(stack.authorizerFn.fn)])] }),
    });
  });

  it('throttles every route: reads at the read rate, writes at the write rate, public routes at 0.05/s', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.StageName).toBe('$default');
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 });
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(ROUTES_WITH_PUBLIC.map(routeKey).sort());
    for (const route of ROUTES_WITH_PUBLIC) {
      expect(stage.Properties.RouteSettings[routeKey(route)]).toEqual(route.public ? { ThrottlingRateLimit: 0.05, ThrottlingBurstLimit: 10 } : route.method === 'GET'
        ? { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }
        : { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 });
    }
  });

  it('creates the stage after the routes its settings name', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage');
    const routeIds = ofType('AWS::ApiGatewayV2::Route').map(([id]) => id);
    expect(stage.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('allows CORS only from the configured dashboard origin', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://dashboard.example.com'], AllowHeaders: Match.arrayWith(['authorization']) }),
    });
  });
});

describe('secrets', () => {
  it('the API token is generated at deploy, long and unguessable', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 43, ExcludePunctuation: true }),
      SecretString: Match.absent(),
    });
  });

  it('the source credentials secret is created empty, as a JSON object', () => {
    expect(resources[logicalId(stack.sourceCredentials)].Properties.SecretString).toBe('{}');
  });

  it('functions get secret ARNs, never values, and only the functions that read them (collectors of non-public sources, the digest for its webhook)', () => {
    const env = (f: VerdictFunction) => resources[logicalId(f.fn)].Properties.Environment.Variables as Json;
    expect(env(stack.authorizerFn).API_TOKEN_SECRET_ARN).toEqual(ref(stack.apiToken));
    for (const f of Object.values(stack.apiFns)) expect(env(f).SOURCE_SECRET_ARN).toBeUndefined();
    expect(env(stack.apiFns['api-imports']).COLLECTOR_FUNCTIONS).toBeDefined();
    expect(Object.entries(stack.apiFns).filter(([, f]) => env(f).COLLECTOR_FUNCTIONS !== undefined).map(([name]) => name)).toEqual(['api-imports']);
    expect(env(stack.collectorFns.bluesky!).SOURCE_SECRET_ARN).toBeUndefined();
    for (const f of [stack.digestFn, stack.collectorFns.x, stack.collectorFns.perplexity] as VerdictFunction[]) {
      expect(env(f).SOURCE_SECRET_ARN).toEqual(ref(stack.sourceCredentials));
      expect(env(f).API_TOKEN_SECRET_ARN).toBeUndefined();
    }
    expect(env(stack.scorerFn).SOURCE_SECRET_ARN).toBeUndefined();
    expect(env(stack.scorerFn).API_TOKEN_SECRET_ARN).toBeUndefined();
    expect(env(stack.authorizerFn).SOURCE_SECRET_ARN).toBeUndefined();
  });
});

describe('events', () => {
  it('a custom bus receives Verdict events; the scorer, the API functions that publish and the digest know its name', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    for (const f of [stack.scorerFn, stack.apiFns['api-plans'], stack.apiFns['api-readouts'], stack.digestFn]) {
      expect(resources[logicalId(f.fn)].Properties.Environment.Variables.EVENT_BUS_NAME).toEqual(ref(stack.eventBus));
    }
    for (const f of [stack.authorizerFn, stack.collectorFns.x!, stack.apiFns['api-experiments'], stack.apiFns['api-reads'], stack.apiFns['api-imports']]) {
      expect(resources[logicalId(f.fn)].Properties.Environment.Variables.EVENT_BUS_NAME).toBeUndefined();
    }
  });
});

describe('alarms and budget', () => {
  const topic = () => ref(stack.alerts.topic);

  it('alarm on any error of each function, notifying the topic on alarm and recovery', () => {
    for (const [, f] of stack.functions()) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: ref(f.fn) }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic()],
        OKActions: [topic()],
      });
    }
  });

  it('alarm when the dead-letter queue holds anything', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack.deadLetters), 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topic()],
    });
  });

  it.each([['x', 360], ['bluesky', 15], ['perplexity', 1440]])('alarm when %s has no successful collection in 2 consecutive %i-minute slots', (source, slot) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: COLLECTION_METRIC.namespace,
      MetricName: COLLECTION_METRIC.metricName,
      Dimensions: [{ Name: COLLECTION_METRIC.dimension, Value: source }],
      Statistic: 'Sum',
      Period: slot * 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [topic()],
    });
  });

  it('the missed-collection alarm watches the metric the collector handler emits', () => {
    // What the collector's Powertools Metrics prints: one EMF line on stdout per slot.
    const emitted = (outcome: 'ok' | 'partial' | 'failed' | 'not_configured') => {
      const printed: string[] = [];
      const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { printed.push(String(chunk)); return true; });
      try {
        recordCollection(collectionMetrics(), { source: 'x', outcome });
      } finally {
        write.mockRestore();
      }
      expect(printed).toHaveLength(1);
      return JSON.parse(printed[0]);
    };
    const line = emitted('ok');
    const directive = line._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe(COLLECTION_METRIC.namespace);
    expect(directive.Dimensions).toEqual([[COLLECTION_METRIC.dimension]]);
    expect(directive.Metrics).toEqual([{ Name: COLLECTION_METRIC.metricName, Unit: 'Count' }]);
    expect(line[COLLECTION_METRIC.dimension]).toBe('x');
    expect([emitted('ok'), emitted('partial'), emitted('failed'), emitted('not_configured')].map((l) => l[COLLECTION_METRIC.metricName])).toEqual([1, 1, 0, 0]);
  });

  it('has no more alarms than those (each standard alarm is billed)', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', stack.functions().length + 1 + 4);
  });

  it('the topic enforces TLS, lets only this account\'s CloudWatch alarms and budgets publish, and emails the owner', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'owner@example.com', TopicArn: topic() });
    const [[, policy]] = ofType('AWS::SNS::TopicPolicy');
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }) }),
      expect.objectContaining({ Principal: { Service: 'budgets.amazonaws.com' }, Action: 'sns:Publish', Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }) }),
    ]));
    expect(statements.filter((s) => s.Effect === 'Allow').every((s) => s.Principal.Service && s.Condition)).toBe(true);
  });

  it('a monthly cost budget alerts the topic at the configured percentage', () => {
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 3, Unit: 'USD' }, BudgetName: Match.anyValue() },
      NotificationsWithSubscribers: Match.arrayWith([{
        Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 90, ThresholdType: 'PERCENTAGE' },
        Subscribers: [{ SubscriptionType: 'SNS', Address: topic() }],
      }]),
    });
    const [[, budget]] = ofType('AWS::Budgets::Budget');
    expect(budget.DependsOn).toEqual(expect.arrayContaining([logicalId(stack.alerts.topic.node.findChild('Policy'))]));
  });
});

describe('outputs', () => {
  it('give the API URL, the dashboard URL, the secret names and the retained table\'s name', () => {
    const outputs = template.toJSON().Outputs as Json;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'DashboardUrl', 'ApiTokenSecretName', 'SourceCredentialsSecretName']));
    expect(outputs.ApiUrl.Value).toEqual({ 'Fn::GetAtt': [logicalId(stack.api.api), 'ApiEndpoint'] });
    expect(outputs.DashboardUrl.Value).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack.api.api), 'ApiEndpoint'] }, '/']] });
    expect(JSON.stringify(outputs.ApiTokenSecretName.Value)).toContain(logicalId(stack.apiToken));
    expect(JSON.stringify(outputs.SourceCredentialsSecretName.Value)).toContain(logicalId(stack.sourceCredentials));
    expect(outputs.TableName.Value).toEqual(ref(stack.table));
  });
});

function fnNamed(name: string): VerdictFunction {
  const hit = stack.functions().find(([n]) => n === name);
  if (!hit) throw new Error(`no function ${name}`);
  return hit[1];
}
