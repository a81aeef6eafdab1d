/**
 * The local API server: each HTTP request becomes an API Gateway HTTP API payload 2.0 event, passes the
 * same authorizer the stack deploys, then reaches the same API handler the Lambda runs.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../api/http';

export interface LocalHttpServerOptions {
  port: number;
  host?: string;
  api: (event: HttpEvent) => Promise<HttpResult>;
  authorize: (event: Pick<APIGatewayRequestAuthorizerEventV2, 'headers'>) => Promise<APIGatewaySimpleAuthorizerResult>;
  /** Routes (method + path) served without the authorizer, as the stack configures them. */
  isPublic?: (method: string, path: string) => boolean;
  /** Largest accepted body (API Gateway's own limit is 10 MB). */
  maxBodyBytes?: number;
}

export interface LocalHttpServer { url: string; port: number; close(): Promise<void> }

/** Builds the payload 2.0 event API Gateway would send for this request. */
export function toPayloadV2(req: http.IncomingMessage, body: Buffer): HttpEvent {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  const isText = body.length === 0 || /json|text|xml|form-urlencoded/.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  const method = (req.method ?? 'GET').toUpperCase();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(body.length > 0 && { body: isText ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: !isText,
    requestContext: {
      accountId: 'local', apiId: 'local', domainName: headers.host ?? 'localhost', domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(), routeKey: '$default', stage: '$default', time: now.toUTCString(), timeEpoch: now.getTime(),
    },
  };
}

export async function startLocalHttpServer(options: LocalHttpServerOptions): Promise<LocalHttpServer> {
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      void (async () => {
        if (tooLarge) return send(res, { statusCode: 413, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'payload_too_large', message: 'Request body too large' } }) });
        const event = toPayloadV2(req, Buffer.concat(chunks));
        const method = event.requestContext.http.method;
        if (!(options.isPublic?.(method, event.rawPath) ?? false)) {
          const auth = await options.authorize({ headers: event.headers });
          // API Gateway answers an unauthorized request itself, with this body, before any Lambda runs.
          if (!auth.isAuthorized) return send(res, { statusCode: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }, body: JSON.stringify({ message: 'Unauthorized' }) });
        }
        send(res, await options.api(event));
      })().catch((err: unknown) => {
        send(res, { statusCode: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Internal Server Error' }) });
        console.error('local server error', err);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function send(res: http.ServerResponse, result: HttpResult): void {
  const body = result.body ?? '';
  res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
  res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}
