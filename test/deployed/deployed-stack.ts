/**
 * The deployed stack, run on this machine the way AWS runs it: the app synthesized once with real
 * esbuild bundles; the template's table created in dynalite from its own AWS::DynamoDB::GlobalTable
 * properties; its secrets, topic, queue and event bus created in moto; every AWS::Lambda::Function's
 * bundle loaded from cdk.out in a Node process of its own, with exactly the template's environment
 * (intrinsics resolved to the emulated names and ARNs) plus what the Lambda service itself sets; and
 * API Gateway's routing and authorizer wiring read from the template's ApiGatewayV2 resources.
 *
 * The HTTP API itself is played by the harness on a loopback port (`front`): the template's API endpoint
 * (the Api's GetAtt ApiEndpoint, which the MCP function's tools call) resolves to it, as the table's name
 * resolves to dynalite's table.
 *
 * Harness-only additions to a function's environment, each the offline stand-in for AWS itself:
 * AWS_ENDPOINT_URL_* (the recording AWS endpoint), HTTPS_PROXY + NODE_EXTRA_CA_CERTS (egress to the
 * local provider fakes only), NODE_PATH (the SDK the Node.js runtime provides, and nothing else).
 */
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDynalite, type LocalDynamo } from '../../functions/local/dynalite';
import type { VerdictStack } from '../../lib/verdict-stack';
import { synthVerdict } from '../infra/synth';
import { startAwsEndpoint, type AwsCall, type AwsEndpoint } from './aws-endpoint';
import { startEgressProxy, type EgressProxy } from './egress-proxy';
import { startMoto, type MotoServer } from './moto-server';
import { ACCOUNT, arnOf, REGION, TemplateResolver, type CfnTemplate, type Json } from './template';

const ROOT = resolve(__dirname, '..', '..');

export interface DeployedFunction {
  logicalId: string;
  /** The stack's short name (api, authorizer, collector-bluesky, …). */
  name: string;
  physicalName: string;
  arn: string;
  roleLogicalId: string;
  assetDir: string;
  timeoutSeconds: number;
  memorySize: number;
  /** Exactly what the template's Environment.Variables resolve to. */
  templateEnvironment: Record<string, string>;
}

export interface Invocation { ok: boolean; result?: any; error?: { errorType: string; errorMessage: string; phase?: string } }

export interface HttpAnswer { statusCode: number; headers: Record<string, string>; body: string; json: any; servedBy?: string }

/** One execution environment of a function: a Node process that loaded its bundle; invocations one at a time. */
class ExecutionEnvironment {
  private child?: ChildProcess;
  private ready?: Promise<void>;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<string, (inv: Invocation) => void>();
  output = '';
  invocations = 0;
  coldStarts = 0;

  constructor(private readonly fn: DeployedFunction, private readonly env: Record<string, string>) {}

  invoke(event: unknown): Promise<Invocation> {
    const run = this.queue.then(() => this.invokeNow(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private start(): Promise<void> {
    this.coldStarts++;
    const child = fork(join(__dirname, 'lambda-runner.cjs'), [join(this.fn.assetDir, 'index.js'), this.fn.physicalName, String(this.fn.timeoutSeconds), String(this.fn.memorySize)], {
      cwd: this.fn.assetDir, env: this.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [],
    });
    this.child = child;
    const keep = (c: Buffer) => { this.output = (this.output + c.toString()).slice(-20_000); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (m: { ready?: boolean; id?: string } & Invocation) => {
      if (m.id) { this.pending.get(m.id)?.(m); this.pending.delete(m.id); }
    });
    child.once('exit', (code, signal) => {
      this.child = undefined;
      this.ready = undefined;
      for (const [id, done] of this.pending) done({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: `exited (${code ?? signal}): ${this.output.slice(-2000)}` } });
      this.pending.clear();
    });
    return new Promise<void>((resolveReady, reject) => {
      child.once('message', (m: { ready?: boolean }) => (m.ready ? resolveReady() : reject(new Error('runner did not report ready'))));
      child.once('error', reject);
    });
  }

  private async invokeNow(event: unknown): Promise<Invocation> {
    this.ready ??= this.start();
    await this.ready;
    this.invocations++;
    const id = randomUUID();
    // Generous: a loaded machine is slow, and the harness measures behaviour, not speed.
    const limitMs = Math.max(120, this.fn.timeoutSeconds * 4) * 1000;
    return new Promise<Invocation>((done) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        done({ ok: false, error: { errorType: 'Sandbox.Timedout', errorMessage: `no answer within ${limitMs} ms: ${this.output.slice(-2000)}` } });
        this.child?.kill('SIGKILL');
      }, limitMs);
      this.pending.set(id, (inv) => { clearTimeout(timer); done(inv); });
      this.child!.send({ id, event });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

export interface DeployedStackOptions {
  /** context.verdict for the synthesis. */
  verdict: unknown;
  /** Provider host → local fake base URL, reachable through the functions' egress proxy. */
  egress: Record<string, string>;
  /** Initial secret values, by which secret of the stack. */
  secrets: { apiToken: string; sourceCredentials: Record<string, unknown> };
}

export class DeployedStack {
  readonly functions = new Map<string, DeployedFunction>();
  private readonly environments = new Map<string, ExecutionEnvironment>();
  /** Each function's process environment: the template's variables, the Lambda service's, and the harness endpoints. */
  private readonly executionEnvironments = new Map<string, Record<string, string>>();
  private tempDirs: string[] = [];
  private dynamo?: LocalDynamo;
  private moto?: MotoServer;
  private endpoint?: AwsEndpoint;
  egress?: EgressProxy;
  /** The HTTP API as an HTTP server on a free loopback port (see http()), and every request it was sent. */
  front?: { url: string; requests: { method: string; path: string; headers: Record<string, string> }[]; close(): Promise<void> };
  resolver!: TemplateResolver;
  stack!: VerdictStack;
  template!: CfnTemplate;
  /** Clients of the harness itself (seeding, checking): they go to the emulators directly, unrecorded. */
  admin!: { dynamodb: DynamoDBClient; secrets: SecretsManagerClient; sns: SNSClient; events: EventBridgeClient; dynamoEndpoint: string; motoEndpoint: string };
  tableName = '';
  apiTokenSecretArn = '';
  topicArn = '';
  eventBusName = '';

  static async start(options: DeployedStackOptions): Promise<DeployedStack> {
    const deployed = new DeployedStack();
    try {
      await deployed.boot(options);
    } catch (err) {
      await deployed.close();
      throw err;
    }
    return deployed;
  }

  /** Every AWS API call a function made, with the IAM action and resource it is evaluated as. */
  get calls(): AwsCall[] {
    return this.endpoint?.calls ?? [];
  }

  private async boot(options: DeployedStackOptions): Promise<void> {
    const { app, stack } = synthVerdict({ verdict: options.verdict, bundle: true });
    this.stack = stack;
    const assembly = app.synth();
    this.tempDirs.push(assembly.directory);
    this.template = assembly.getStackArtifact(stack.artifactId).template as CfnTemplate;
    const resolver = new TemplateResolver(this.template);
    this.resolver = resolver;

    [this.dynamo, this.moto, this.egress, this.front] = await Promise.all([startDynalite(), startMoto(), startEgressProxy(options.egress), httpFront(this)]);
    const credentials = { accessKeyId: 'harness', secretAccessKey: 'harness' };
    const direct = (endpoint: string) => ({ endpoint, region: REGION, credentials });
    this.admin = {
      dynamodb: new DynamoDBClient(direct(this.dynamo.endpoint)),
      secrets: new SecretsManagerClient(direct(this.moto.url)),
      sns: new SNSClient(direct(this.moto.url)),
      events: new EventBridgeClient(direct(this.moto.url)),
      dynamoEndpoint: this.dynamo.endpoint,
      motoEndpoint: this.moto.url,
    };
    await this.createResources(options);

    const callers = new Set(this.functions.keys());
    this.endpoint = await startAwsEndpoint({
      dynamodb: this.dynamo.endpoint, moto: this.moto.url, isCaller: (key) => callers.has(key),
      invoke: async (name, payload) => {
        const fn = [...this.functions.values()].find((f) => f.physicalName === name);
        if (!fn) return { payload: { errorType: 'ResourceNotFoundException', errorMessage: `Function not found: ${name}` }, functionError: 'Unhandled' };
        const out = await this.invoke(fn.name, payload);
        return out.ok ? { payload: out.result } : { payload: out.error, functionError: 'Unhandled' };
      },
    });

    // The SDK the Node.js runtime provides (the bundles leave @aws-sdk/* external), and nothing else.
    const sdkDir = mkdtempSync(join(tmpdir(), 'verdict-runtime-sdk-'));
    this.tempDirs.push(sdkDir);
    mkdirSync(join(sdkDir, 'node_modules'));
    symlinkSync(join(ROOT, 'node_modules', '@aws-sdk'), join(sdkDir, 'node_modules', '@aws-sdk'), 'dir');
    for (const fn of this.functions.values()) {
      this.environments.set(fn.name, new ExecutionEnvironment(fn, this.executionEnvironments.set(fn.name, {
        ...fn.templateEnvironment,
        ...lambdaServiceEnvironment(fn),
        AWS_ACCESS_KEY_ID: fn.logicalId,
        NODE_PATH: join(sdkDir, 'node_modules'),
        AWS_ENDPOINT_URL_DYNAMODB: this.endpoint.url,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: this.endpoint.url,
        AWS_ENDPOINT_URL_SNS: this.endpoint.url,
        AWS_ENDPOINT_URL_SQS: this.endpoint.url,
        AWS_ENDPOINT_URL_EVENTBRIDGE: this.endpoint.url,
        AWS_ENDPOINT_URL_LAMBDA: this.endpoint.url,
        HTTPS_PROXY: this.egress!.url,
        NODE_EXTRA_CA_CERTS: this.egress!.caFile,
      }).get(fn.name)!));
    }
  }

  /** Creates what the functions and policies reference, from the template's own properties. */
  private async createResources(options: DeployedStackOptions): Promise<void> {
    const r = this.resolver;
    const idOf = (c: { node: { defaultChild?: unknown } }) => this.stack.getLogicalId(c.node.defaultChild as never);
    for (const [id, res] of Object.entries(this.template.Resources)) {
      const props = res.Properties ?? {};
      switch (res.Type) {
        case 'AWS::DynamoDB::GlobalTable': {
          const name = `Verdict-${id}`;
          const input: CreateTableCommandInput = {
            TableName: name,
            BillingMode: props.BillingMode,
            KeySchema: props.KeySchema,
            AttributeDefinitions: props.AttributeDefinitions,
            GlobalSecondaryIndexes: (props.GlobalSecondaryIndexes as Json[] | undefined)?.map((g) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection })),
          };
          await this.admin.dynamodb.send(new CreateTableCommand(input));
          const arn = arnOf('dynamodb', `table/${name}`);
          r.define(id, { ref: name, attributes: { Arn: arn, StreamArn: `${arn}/stream/harness` } });
          this.tableName = name;
          break;
        }
        case 'AWS::SecretsManager::Secret': {
          const value = id === idOf(this.stack.apiToken) ? options.secrets.apiToken
            : id === idOf(this.stack.sourceCredentials) ? JSON.stringify(options.secrets.sourceCredentials)
            : 'unused';
          const out = await this.admin.secrets.send(new CreateSecretCommand({ Name: `Verdict-${id}`, SecretString: value }));
          r.define(id, { ref: out.ARN!, attributes: { Id: out.ARN! } });
          if (id === idOf(this.stack.apiToken)) this.apiTokenSecretArn = out.ARN!;
          break;
        }
        case 'AWS::Events::EventBus': {
          const name = String(r.resolve(props.Name));
          const out = await this.admin.events.send(new CreateEventBusCommand({ Name: name }));
          r.define(id, { ref: name, attributes: { Arn: out.EventBusArn!, Name: name } });
          this.eventBusName = name;
          break;
        }
        case 'AWS::SNS::Topic': {
          const out = await this.admin.sns.send(new CreateTopicCommand({ Name: `Verdict-${id}` }));
          r.define(id, { ref: out.TopicArn!, attributes: { TopicArn: out.TopicArn!, TopicName: `Verdict-${id}` } });
          this.topicArn = out.TopicArn!;
          break;
        }
        case 'AWS::SQS::Queue': {
          // Only the Lambda service writes to the dead-letter queue (async-invoke destination): named, not created.
          const url = `${this.moto!.url}/${ACCOUNT}/Verdict-${id}`;
          r.define(id, { ref: url, attributes: { Arn: arnOf('sqs', `Verdict-${id}`), QueueName: `Verdict-${id}`, QueueUrl: url } });
          break;
        }
        case 'AWS::Lambda::Function':
          r.define(id, { ref: `Verdict-${id}`, attributes: { Arn: arnOf('lambda', `function:Verdict-${id}`) } });
          break;
        case 'AWS::IAM::Role':
          r.define(id, { ref: `Verdict-${id}`, attributes: { Arn: `arn:aws:iam::${ACCOUNT}:role/Verdict-${id}`, RoleId: id } });
          break;
        case 'AWS::Logs::LogGroup':
          r.define(id, { ref: `/verdict/${id}`, attributes: { Arn: arnOf('logs', `log-group:/verdict/${id}:*`) } });
          break;
        case 'AWS::ApiGatewayV2::Api':
          // The harness plays API Gateway itself: the API's endpoint is its loopback front.
          r.define(id, { ref: id, attributes: { ApiEndpoint: this.front!.url, ApiId: id } });
          break;
        default:
          // Schedules, alarms, API Gateway's routes and stage…: referenced by logical id only.
          r.define(id, { ref: id, attributes: { Arn: arnOf('harness', id), ApiEndpoint: `https://${id}.execute-api.${REGION}.amazonaws.com`, ApiId: id } });
      }
    }
    for (const [name, f] of this.stack.functions()) {
      const logicalId = idOf(f.fn);
      const props = this.template.Resources[logicalId].Properties!;
      const assetPath = this.template.Resources[logicalId].Metadata?.['aws:asset:path'] as string | undefined
        ?? `asset.${String((props.Code as Json).S3Key).replace(/\.zip$/, '')}`;
      this.functions.set(logicalId, {
        logicalId, name,
        physicalName: `Verdict-${logicalId}`,
        arn: arnOf('lambda', `function:Verdict-${logicalId}`),
        roleLogicalId: (props.Role as Json)['Fn::GetAtt'][0] as string,
        assetDir: join(this.tempDirs[0], assetPath),
        timeoutSeconds: Number(props.Timeout ?? 3),
        memorySize: Number(props.MemorySize ?? 128),
        templateEnvironment: r.resolve((props.Environment as Json | undefined)?.Variables ?? {}) as Record<string, string>,
      });
    }
  }

  /** The stack's functions by short name (api, authorizer, collector-beehiiv, …). */
  functionNames(): string[] {
    return [...this.functions.values()].map((f) => f.name);
  }

  /** The exact environment `name`'s process runs with (for a fresh process of its own, e.g. the cold-init bench). */
  processEnvironmentOf(name: string): Record<string, string> {
    return { ...this.executionEnvironments.get(this.fn(name).name)! };
  }

  fn(name: string): DeployedFunction {
    const f = [...this.functions.values()].find((x) => x.name === name);
    if (!f) throw new Error(`No function ${name}; the stack has ${[...this.functions.values()].map((x) => x.name).join(', ')}`);
    return f;
  }

  /** Invokes a function by its short name, in its (warm after the first call) execution environment. */
  invoke(name: string, event: unknown): Promise<Invocation> {
    return this.environments.get(this.fn(name).name)!.invoke(event);
  }

  /** Cold starts and invocations per function, and its captured output (for failure messages). */
  environmentOf(name: string): { coldStarts: number; invocations: number; output: string } {
    return this.environments.get(name)!;
  }

  /** The input the template's EventBridge Scheduler schedule gives `name`, at `scheduledTime` (as Scheduler formats it). */
  scheduleInput(name: string, scheduledTime: Date): unknown {
    const fn = this.fn(name);
    const schedules = this.resolver.ofType('AWS::Scheduler::Schedule')
      .map(([, s]) => s.Properties!.Target as Json)
      .filter((t) => this.resolver.resolve(t.Arn) === fn.arn);
    if (schedules.length === 0) throw new Error(`No schedule targets ${name}`);
    const time = scheduledTime.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return JSON.parse(String(schedules[0].Input).replaceAll('<aws.scheduler.scheduled-time>', time));
  }

  /**
   * One HTTP request as the stack's HTTP API serves it: the route from the template's routes, the
   * token authorizer when the route has one (payload 2.0, simple responses; no identity → 401,
   * denied → 403), then the route's integration function with the payload 2.0 event.
   */
  async http(method: string, path: string, options: { headers?: Record<string, string>; body?: unknown } = {}): Promise<HttpAnswer> {
    const r = this.resolver;
    const [pathOnly, query = ''] = path.split('?');
    const routes = r.ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties!);
    const match = routes
      .map((route) => ({ route, key: String(route.RouteKey), params: matchRoute(String(route.RouteKey), method, pathOnly) }))
      .find((m) => m.params !== undefined);
    if (!match) return answer(404, { message: 'Not Found' });
    const headers: Record<string, string> = Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const requestContext = {
      accountId: ACCOUNT, apiId: 'harness', domainName: 'harness.execute-api.us-east-1.amazonaws.com', domainPrefix: 'harness',
      http: { method, path: pathOnly, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: headers['user-agent'] ?? 'harness' },
      requestId: randomUUID(), routeKey: match.key, stage: '$default', time: new Date().toUTCString(), timeEpoch: Date.now(),
    };
    const queryStringParameters = query ? Object.fromEntries(new URLSearchParams(query)) : undefined;
    if (match.route.AuthorizationType === 'CUSTOM') {
      const authorizer = r.resource(String(r.resolve(match.route.AuthorizerId))).Properties!;
      const identity = (authorizer.IdentitySource as string[]).map((s) => headers[s.replace('$request.header.', '').toLowerCase()]);
      if (identity.some((v) => v === undefined || v === '')) return answer(401, { message: 'Unauthorized' });
      const authorizerArn = /functions\/(arn:[^/]+)\/invocations/.exec(String(r.resolve(authorizer.AuthorizerUri)))?.[1];
      const authFn = [...this.functions.values()].find((f) => f.arn === authorizerArn)!;
      const decision = await this.invoke(authFn.name, {
        version: '2.0', type: 'REQUEST', routeArn: arnOf('execute-api', `harness/$default/${method}${pathOnly}`), identitySource: identity,
        routeKey: match.key, rawPath: pathOnly, rawQueryString: query, headers, ...(queryStringParameters && { queryStringParameters }),
        requestContext, pathParameters: match.params,
      });
      if (!decision.ok) return answer(500, { message: 'Internal Server Error' });
      if (decision.result?.isAuthorized !== true) return answer(403, { message: 'Forbidden' });
    }
    const integrationId = String(r.resolve(match.route.Target)).replace(/^integrations\//, '');
    const integration = r.resource(integrationId).Properties!;
    const target = [...this.functions.values()].find((f) => f.arn === r.resolve(integration.IntegrationUri))!;
    const out = await this.invoke(target.name, {
      version: integration.PayloadFormatVersion, routeKey: match.key, rawPath: pathOnly, rawQueryString: query, headers,
      ...(queryStringParameters && { queryStringParameters }),
      requestContext: { ...requestContext, ...(match.route.AuthorizationType === 'CUSTOM' && { authorizer: { lambda: null } }) },
      ...(Object.keys(match.params!).length > 0 && { pathParameters: match.params }),
      ...(body !== undefined && { body }), isBase64Encoded: false,
    });
    if (!out.ok) return { ...answer(500, { message: 'Internal Server Error' }), servedBy: target.name };
    const result = out.result as { statusCode?: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean };
    const text = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64').toString('utf8') : result.body ?? '';
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { statusCode: result.statusCode ?? 200, headers: result.headers ?? {}, body: text, json, servedBy: target.name };
  }

  async close(): Promise<void> {
    await Promise.all([...this.environments.values()].map((e) => e.stop()));
    await this.front?.close();
    await this.endpoint?.close();
    await this.egress?.close();
    await this.moto?.stop();
    await this.dynamo?.close();
    if (this.admin) for (const c of [this.admin.dynamodb, this.admin.secrets, this.admin.sns, this.admin.events]) c.destroy();
    for (const dir of this.tempDirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** `stack`'s routes and authorizer (DeployedStack.http) as an HTTP server on a free loopback port, recording each request. */
async function httpFront(stack: DeployedStack): Promise<NonNullable<DeployedStack['front']>> {
  const requests: { method: string; path: string; headers: Record<string, string> }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers });
      stack.http(req.method ?? 'GET', req.url ?? '/', { headers, ...(body !== '' && { body }) }).then((answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        res.end(answer.body);
      }, (err: Error) => { res.writeHead(502); res.end(err.message); });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** What the Lambda service sets in every function's environment (its reserved variables). */
function lambdaServiceEnvironment(fn: DeployedFunction): Record<string, string> {
  return {
    AWS_REGION: REGION, AWS_DEFAULT_REGION: REGION,
    AWS_LAMBDA_FUNCTION_NAME: fn.physicalName, AWS_LAMBDA_FUNCTION_VERSION: '$LATEST', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.physicalName}`, AWS_LAMBDA_LOG_STREAM_NAME: 'harness', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_SECRET_ACCESS_KEY: 'harness-secret', AWS_SESSION_TOKEN: 'harness-session',
    LAMBDA_TASK_ROOT: fn.assetDir, LAMBDA_RUNTIME_DIR: '/var/runtime', TZ: ':UTC', LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  };
}

/** Path parameters when `routeKey` (`GET /experiments/{id}`) serves `method path`, else undefined. */
function matchRoute(routeKey: string, method: string, path: string): Record<string, string> | undefined {
  const [routeMethod, template] = routeKey.split(' ');
  if (routeMethod !== method && routeMethod !== 'ANY') return undefined;
  const names: string[] = [];
  const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\+?\\?\}/g, (_m, n: string) => { names.push(n); return '([^/]+)'; })}$`);
  const m = pattern.exec(path);
  if (!m) return undefined;
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
}

function answer(statusCode: number, body: unknown): HttpAnswer {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), json: body };
}
