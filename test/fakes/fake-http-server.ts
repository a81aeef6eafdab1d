/**
 * A local fake HTTP server on 127.0.0.1 (port 0) for contract and fault-injection tests: routes by
 * method and path pattern (`/2/users/:id/tweets`), each answering with a configurable status, body,
 * headers and delay — or a sequence of answers (the last one repeats), or a function of the request.
 * Every request is recorded. Provider fakes (x-fake.ts, beehiiv-fake.ts, …) pre-install the
 * documented happy-path bodies; tests override single routes for faults.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeResponse {
  /** Default 200. */
  status?: number;
  /** Objects are sent as JSON (application/json unless headers say otherwise); strings as they are. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
  /** Drop the connection without answering (network errors). */
  destroy?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  /** Values of the route pattern's `:name` segments. */
  params: Record<string, string>;
}

export type FakeHandler = FakeResponse | readonly FakeResponse[] | ((req: RecordedRequest) => FakeResponse | Promise<FakeResponse>);

interface Route { method: string; pattern: string; segments: string[]; handler: FakeHandler; calls: number }

export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private routes: Route[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(private readonly server: http.Server, readonly url: string) {}

  static async start(): Promise<FakeServer> {
    let fake: FakeServer | undefined;
    const server = http.createServer((req, res) => { void fake?.handle(req, res); });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    fake = new FakeServer(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  /** Installs (or replaces) the handler for `method pattern`. */
  route(method: string, pattern: string, handler: FakeHandler): this {
    const m = method.toUpperCase();
    // `:id` and `:publicationId` are the same route: the newest handler replaces the older one.
    const shape = normalise(pattern);
    this.routes = this.routes.filter((r) => !(r.method === m && normalise(r.pattern) === shape));
    this.routes.push({ method: m, pattern, segments: split(pattern), handler, calls: 0 });
    return this;
  }

  /** Recorded requests that matched `method pattern`. */
  requestsTo(method: string, pattern: string): RecordedRequest[] {
    const segments = split(pattern);
    return this.requests.filter((r) => r.method === method.toUpperCase() && match(segments, split(r.path)) !== undefined);
  }

  /** Removes every route and recorded request (provider fakes re-install their happy path after this). */
  clear(): this {
    this.routes = [];
    this.requests.length = 0;
    return this;
  }

  /** Forgets recorded requests and restarts every sequence. */
  resetRequests(): void {
    this.requests.length = 0;
    for (const r of this.routes) r.calls = 0;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = {
      method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, query: url.searchParams, headers: req.headers, body, params: {},
    };
    try { recorded.json = body ? JSON.parse(body) : undefined; } catch { /* not JSON */ }
    this.requests.push(recorded);

    const found = this.routes
      .map((route) => ({ route, params: route.method === recorded.method ? match(route.segments, split(recorded.path)) : undefined }))
      .find((r) => r.params !== undefined);
    if (!found) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'no fake route', method: recorded.method, path: recorded.path }));
      return;
    }
    recorded.params = found.params ?? {};
    const handler = found.route.handler;
    const call = found.route.calls++;
    const response: FakeResponse = typeof handler === 'function'
      ? await handler(recorded)
      : Array.isArray(handler) ? handler[Math.min(call, handler.length - 1)] : (handler as FakeResponse);

    const send = () => {
      if (response.destroy) { req.socket.destroy(); return; }
      const isJson = response.body !== undefined && typeof response.body !== 'string' && !Buffer.isBuffer(response.body);
      const payload = response.body === undefined ? '' : isJson ? JSON.stringify(response.body) : (response.body as string | Buffer);
      res.writeHead(response.status ?? 200, {
        ...(isJson ? { 'content-type': 'application/json' } : response.body !== undefined ? { 'content-type': 'text/plain' } : {}),
        ...response.headers,
      });
      res.end(payload);
    };
    if (response.delayMs) {
      const timer = setTimeout(() => { this.timers.delete(timer); if (!res.destroyed) send(); }, response.delayMs);
      this.timers.add(timer);
    } else {
      send();
    }
  }
}

function normalise(pattern: string): string {
  return split(pattern).map((s) => (s.startsWith(':') ? ':' : s)).join('/');
}

function split(path: string): string[] {
  return path.split('/').filter(Boolean).map(decodeURIComponent);
}

function match(pattern: string[], path: string[]): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = path[i];
    else if (pattern[i] !== path[i]) return undefined;
  }
  return params;
}

/** Starts a fake server for the duration of a test file (beforeAll/afterAll). */
export function useFakeServer(install: (server: FakeServer) => void = () => {}): { readonly server: FakeServer } {
  const holder: { server?: FakeServer } = {};
  beforeAll(async () => {
    holder.server = await FakeServer.start();
    install(holder.server);
  });
  afterAll(async () => { await holder.server?.close(); });
  return {
    get server() {
      if (!holder.server) throw new Error('fake server not started yet (use it inside a test)');
      return holder.server;
    },
  };
}
