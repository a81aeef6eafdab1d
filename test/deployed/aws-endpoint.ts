/**
 * The one AWS endpoint the functions under test see (every AWS_ENDPOINT_URL_* points here): it reads
 * each request's SigV4 credential scope (who calls — each function signs with its own access key id —
 * and which service), works out the IAM action and resource ARNs of the call, records them, and
 * forwards the request unchanged: DynamoDB to dynalite, Lambda Invoke to the harness's own invoke
 * handler, everything else to moto's server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { arnOf, type Json } from './template';

export interface AwsCall {
  /** The caller's access key id: the function's logical id. */
  caller: string;
  /** IAM action, e.g. `dynamodb:PutItem`. */
  action: string;
  /** Resource ARN the action is evaluated on. */
  resource: string;
  /** Condition keys of the request (e.g. `events:source`). */
  context: Record<string, string>;
  status?: number;
}

export type InvokeHandler = (functionName: string, payload: unknown, invocationType: string) => Promise<{ payload: unknown; functionError?: string }>;

export interface AwsEndpoint {
  url: string;
  calls: AwsCall[];
  close(): Promise<void>;
}

const TARGET_SERVICES: Record<string, string> = {
  DynamoDB_20120810: 'dynamodb',
  secretsmanager: 'secretsmanager',
  AWSEvents: 'events',
  AmazonSQS: 'sqs',
  AmazonSimpleNotificationService: 'sns',
};

/** Which IAM actions and resources one API request is, from its target/path and body. */
export function iamCallsOf(service: string, operation: string, body: Json, region: string): Omit<AwsCall, 'caller'>[] {
  const table = (name: string) => (name.startsWith('arn:') ? name : arnOf('dynamodb', `table/${name}`, region));
  switch (service) {
    case 'dynamodb': {
      if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
        return Object.keys(body.RequestItems ?? {}).map((name) => ({ action: `dynamodb:${operation}`, resource: table(name), context: {} }));
      }
      if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
        const actions: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };
        return (body.TransactItems as Json[] ?? []).flatMap((item) => Object.entries(item).map(([kind, spec]) => ({ action: `dynamodb:${actions[kind] ?? kind}`, resource: table((spec as Json).TableName), context: {} })));
      }
      const resource = body.IndexName ? `${table(body.TableName)}/index/${body.IndexName}` : table(body.TableName);
      return [{ action: `dynamodb:${operation}`, resource, context: {} }];
    }
    case 'secretsmanager':
      return [{ action: `secretsmanager:${operation}`, resource: String(body.SecretId), context: {} }];
    case 'events':
      if (operation === 'PutEvents') {
        return (body.Entries as Json[] ?? []).map((e) => {
          const bus = String(e.EventBusName ?? 'default');
          return { action: 'events:PutEvents', resource: bus.startsWith('arn:') ? bus : arnOf('events', `event-bus/${bus}`, region), context: { 'events:source': String(e.Source) } };
        });
      }
      return [{ action: `events:${operation}`, resource: '*', context: {} }];
    case 'sns':
      return [{ action: `sns:${operation}`, resource: String(body.TopicArn ?? '*'), context: {} }];
    case 'sqs': {
      const url = String(body.QueueUrl ?? '');
      const name = url.split('/').pop() ?? '';
      return [{ action: `sqs:${operation}`, resource: arnOf('sqs', name, region), context: {} }];
    }
    default:
      return [{ action: `${service}:${operation}`, resource: '*', context: {} }];
  }
}

function scopeOf(req: http.IncomingMessage): { accessKey: string; region: string; service: string } | undefined {
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
  return m ? { accessKey: m[1], region: m[2], service: m[3] } : undefined;
}

function parseBody(req: http.IncomingMessage, raw: string): Json {
  if (!raw) return {};
  if (String(req.headers['content-type']).includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try { return JSON.parse(raw) as Json; } catch { return {}; }
}

export async function startAwsEndpoint(options: { dynamodb: string; moto: string; invoke: InvokeHandler; isCaller: (accessKey: string) => boolean }): Promise<AwsEndpoint> {
  const calls: AwsCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString('utf8');
        const scope = scopeOf(req);
        const body = parseBody(req, text);
        const target = String(req.headers['x-amz-target'] ?? '');
        const [prefix, op] = target.split('.');
        const service = scope?.service === 'execute-api' ? 'execute-api' : (TARGET_SERVICES[prefix] ?? scope?.service ?? 'unknown');
        const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
        const operation = op ?? (invoke ? 'InvokeFunction' : String(body.Action ?? 'unknown'));
        const recorded = scope && options.isCaller(scope.accessKey)
          ? (invoke
            ? [{ action: 'lambda:InvokeFunction', resource: decodeURIComponent(invoke[1]).startsWith('arn:') ? decodeURIComponent(invoke[1]) : arnOf('lambda', `function:${decodeURIComponent(invoke[1])}`, scope.region), context: {} }]
            : iamCallsOf(service, operation, body, scope.region)).map((c) => ({ ...c, caller: scope.accessKey }))
          : [];
        calls.push(...recorded);

        if (invoke) {
          const name = decodeURIComponent(invoke[1]).split(':').pop()!;
          let payload: unknown;
          try { payload = text ? JSON.parse(text) : {}; } catch { payload = text; }
          const out = await options.invoke(name, payload, String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse'));
          const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' };
          if (out.functionError) headers['x-amz-function-error'] = out.functionError;
          res.writeHead(200, headers);
          res.end(JSON.stringify(out.payload ?? null));
          for (const c of recorded) c.status = 200;
          return;
        }
        const upstream = new URL(service === 'dynamodb' ? options.dynamodb : options.moto);
        const forwarded = http.request({
          host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
          headers: { ...req.headers, host: upstream.host },
        }, (up) => {
          for (const c of recorded) c.status = up.statusCode;
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        forwarded.on('error', (err) => { res.writeHead(502); res.end(String(err)); });
        forwarded.end(raw);
      })().catch((err: unknown) => { res.writeHead(500); res.end(String(err)); });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
