/**
 * The local API server: each HTTP request becomes an API Gateway HTTP API payload 2.0 event, passes the
 * same authorizer the stack deploys, then reaches the same API handler the Lambda runs.
 *
 * Before a byte of the body is read, the request is authenticated (unless its route is public) and its
 * declared length checked; a body that grows past the limit stops being read there. Every error the
 * server answers itself (401, 413, 500) goes through the API's one error mapper, with a request id.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { errorResponse } from '../api/error-response';
import { toHttpResult, type HttpEvent, type HttpResult } from '../api/http';
import { AppError, UnauthorizedError, ValidationError } from '../shared/errors';

export interface LocalHttpServerOptions {
  port: number;
  host?: string;
  api: (event: HttpEvent) => Promise<HttpResult>;
  authorize: (event: Pick<APIGatewayRequestAuthorizerEventV2, 'headers'>) => Promise<APIGatewaySimpleAuthorizerResult>;
  /** Routes (method + path) served without the authorizer, as the stack configures them. */
  isPublic?: (method: string, path: string) => boolean;
  /** Largest accepted body (API Gateway's own limit is 10 MB). */
  maxBodyBytes?: number;
  /** Where failures of the server itself are logged (default: stderr). */
  log?: { error(message: string, extra?: Record<string, unknown>): void };
}

export interface LocalHttpServer { url: string; port: number; close(): Promise<void> }

class PayloadTooLargeError extends AppError {
  constructor(maxBytes: number) { super('payload_too_large', `Request body too large: at most ${maxBytes} bytes`); }
}

/** Path and query of a request target, read as text: `//`, `//host/x` or `/%zz` are paths here, never URLs to resolve. */
function splitTarget(target: string): { path: string; rawQuery: string } {
  const q = target.indexOf('?');
  const path = (q === -1 ? target : target.slice(0, q)).split('#')[0] || '/';
  return { path: path.startsWith('/') ? path : `/${path}`, rawQuery: q === -1 ? '' : target.slice(q + 1).split('#')[0] };
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  return headers;
}

/** Builds the payload 2.0 event API Gateway would send for this request. */
export function toPayloadV2(req: http.IncomingMessage, body: Buffer, requestId: string = randomUUID()): HttpEvent {
  return payloadV2Of(req, body, requestId, splitTarget(req.url ?? '/'), headersOf(req));
}

/** The event from the request's target and headers as the server already read them (once per request). */
function payloadV2Of(req: http.IncomingMessage, body: Buffer, requestId: string, target: { path: string; rawQuery: string }, headers: Record<string, string>): HttpEvent {
  const { path, rawQuery } = target;
  const query: Record<string, string> = {};
  if (rawQuery !== '') {
    const params = new URLSearchParams(rawQuery);
    for (const key of new Set(params.keys())) query[key] = params.getAll(key).join(',');
  }
  const isText = body.length === 0 || /json|text|xml|form-urlencoded/.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  const method = (req.method ?? 'GET').toUpperCase();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: rawQuery,
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(body.length > 0 && { body: isText ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: !isText,
    requestContext: {
      accountId: 'local', apiId: 'local', domainName: headers.host ?? 'localhost', domainPrefix: 'local',
      http: { method, path, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId, routeKey: '$default', stage: '$default', time: now.toUTCString(), timeEpoch: now.getTime(),
    },
  };
}

export async function startLocalHttpServer(options: LocalHttpServerOptions): Promise<LocalHttpServer> {
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const log = options.log ?? { error: (message: string, extra?: Record<string, unknown>) => console.error(message, extra) };

  /** Answers `err` through the API's error mapper; a request whose body was not read closes its connection. */
  const fail = (res: http.ServerResponse, err: unknown, requestId: string, unreadBody: boolean) => {
    const result = toHttpResult(errorResponse(err, requestId, log));
    if (err instanceof UnauthorizedError) result.headers = { ...result.headers, 'www-authenticate': 'Bearer' };
    send(res, result, unreadBody);
  };

  async function serve(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    // The target and headers are read once: the authorizer and the event share them (neither changes them).
    const target = splitTarget(req.url ?? '/');
    const headers = headersOf(req);
    const declared = Number(req.headers['content-length'] ?? 0);
    const hasBody = declared > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!(options.isPublic?.(method, target.path) ?? false)) {
      const auth = await options.authorize({ headers });
      if (!auth.isAuthorized) return fail(res, new UnauthorizedError(), requestId, hasBody);
    }
    if (declared > maxBody) return fail(res, new PayloadTooLargeError(maxBody), requestId, true);
    // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3): no stream to wait for.
    const body = hasBody ? await readBody(req, maxBody) : NO_BODY;
    if (body === undefined) return fail(res, new PayloadTooLargeError(maxBody), requestId, true);
    send(res, await options.api(payloadV2Of(req, body, requestId, target, headers)), false);
  }

  const server = http.createServer((req, res) => {
    const requestId = randomUUID();
    serve(req, res, requestId).catch((err: unknown) => fail(res, err, requestId, true));
  });
  // A request Node cannot even parse (a bad header, a malformed request line) gets the envelope too.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') { socket.destroy(); return; }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const result = toHttpResult(errorResponse(
      tooLarge ? new AppError('payload_too_large', 'Request headers too large') : new ValidationError('Malformed HTTP request', [{ path: '(request)', message: err.code ?? 'unparseable' }]),
      randomUUID(), log,
    ));
    const head = [`HTTP/1.1 ${result.statusCode} ${http.STATUS_CODES[result.statusCode ?? 400]}`, ...Object.entries(result.headers ?? {}).map(([k, v]) => `${k}: ${String(v)}`), 'connection: close'];
    socket.end(`${head.join('\r\n')}\r\n\r\n${result.body ?? ''}`);
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

const NO_BODY = Buffer.alloc(0);

/** The body, or undefined as soon as it grows past `maxBytes` (reading stops there). */
function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
      } else {
        chunks.push(c);
      }
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Writes `result`; `closeAfter` ends the connection too (a body left unread must not be parsed as the next request). */
function send(res: http.ServerResponse, result: HttpResult, closeAfter: boolean): void {
  if (res.headersSent) { res.destroy(); return; }
  const body = result.body ?? '';
  res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>), ...(closeAfter && { connection: 'close' }) });
  res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}
