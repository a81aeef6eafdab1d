/**
 * The CLI's HTTP transport: the part of fetch the API client uses, over node:http / node:https. Node 20's
 * fetch (undici) adds about 30 ms to load and holds the process another 150–250 ms at exit, which a
 * command run dozens of times a day should not pay. Connection errors carry the socket error as `cause`,
 * as fetch's do.
 */
import type { IncomingMessage } from 'node:http';

export interface HttpResponse {
  ok: boolean;
  status: number;
  statusText: string;
  /** The content-type header ('' when absent). */
  contentType: string;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface HttpRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export type HttpFetch = (url: string, init: HttpRequestInit) => Promise<HttpResponse>;

export const httpFetch: HttpFetch = (url, init) => new Promise((resolve, reject) => {
  const target = new URL(url);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- TLS loads only for an https API
  const transport = (target.protocol === 'https:' ? require('node:https') : require('node:http')) as typeof import('node:http');
  const headers = { ...init.headers, ...(init.body !== undefined && { 'content-length': String(Buffer.byteLength(init.body)) }) };
  const req = transport.request(target, { method: init.method, headers, signal: init.signal }, (res: IncomingMessage) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('error', (err) => reject(Object.assign(new Error('network error'), { cause: err })));
    res.once('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = res.statusCode ?? 0;
      resolve({
        ok: status >= 200 && status < 300,
        status,
        statusText: res.statusMessage ?? '',
        contentType: String(res.headers['content-type'] ?? ''),
        text: async () => text,
        json: async () => JSON.parse(text) as unknown,
      });
    });
  });
  req.once('error', (err: NodeJS.ErrnoException) => {
    if (err.name === 'AbortError') reject(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
    else reject(Object.assign(new Error(err.message), { cause: err }));
  });
  req.end(init.body);
});
