/**
 * The local server before the API sees a request: authentication before any body is read, the size
 * limit enforced while reading (a 300 MB upload is not read whole), paths that are not URLs (`//`),
 * and every error it answers itself in the API's one envelope with a request id.
 */
import http from 'node:http';
import net from 'node:net';
import type { LocalRuntime } from '../../functions/local/runtime';
import { startLocalHttpServer, type LocalHttpServer } from '../../functions/local/http-server';
import { call, startTestRuntime, TEST_TOKEN } from '../support/local-runtime';

const LIMIT = 1024 * 1024;
const ENVELOPE = { error: { code: expect.any(String), message: expect.any(String), requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) } };

/** POSTs a body declared as `declaredBytes` and streams it until the server answers; says how much was sent. */
function upload(url: string, headers: Record<string, string>, declaredBytes: number | undefined): Promise<{ status: number; body: any; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers, ...(declaredBytes !== undefined && { 'content-length': String(declaredBytes) }) } }, (res) => {
      answered = true;
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text), sentBytes: sent }));
    });
    req.on('error', (err) => { if (!answered) reject(err); });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const total = declaredBytes ?? 300 * 1024 * 1024;
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) { req.once('drain', pump); return; }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('the local server in front of the API', () => {
  let server: LocalHttpServer;
  const apiCalls: string[] = [];
  const logged: unknown[] = [];
  beforeAll(async () => {
    server = await startLocalHttpServer({
      port: 0, maxBodyBytes: LIMIT,
      api: async (e) => { apiCalls.push(e.rawPath); if (e.rawPath === '/boom') throw new Error('secret detail'); return { statusCode: 200, body: 'ok' }; },
      authorize: async (e) => ({ isAuthorized: e.headers?.authorization === 'Bearer good' }),
      log: { error: (message, extra) => { logged.push({ message, extra }); } },
    });
  });
  afterAll(async () => { await server.close(); });

  it('answers an unauthenticated 300 MB upload with a 401 envelope before reading its body', async () => {
    const res = await upload(`${server.url}/observations`, { authorization: 'Bearer wrong' }, 300 * 1024 * 1024);

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { ...ENVELOPE.error, code: 'unauthorized' } });
    expect(res.sentBytes).toBeLessThan(64 * 1024 * 1024);
    expect(apiCalls).not.toContain('/observations');
  });

  it('refuses a declared length over the limit with a 413 envelope without reading it', async () => {
    const res = await upload(`${server.url}/observations`, { authorization: 'Bearer good' }, 300 * 1024 * 1024);

    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { ...ENVELOPE.error, code: 'payload_too_large' } });
    expect(res.sentBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('stops reading a chunked body at the limit', async () => {
    const res = await upload(`${server.url}/observations`, { authorization: 'Bearer good', 'transfer-encoding': 'chunked' }, undefined);

    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(res.sentBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('answers a request Node cannot parse with a 400 envelope carrying a request id', async () => {
    const { port } = new URL(server.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\nBad Header Name: y\r\n\r\n'));
      let text = '';
      socket.on('data', (c) => { text += c; });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });

    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({ error: { ...ENVELOPE.error, code: 'validation_failed', details: { issues: [{ path: '(request)', message: expect.any(String) }] } } });
  });

  it('answers a failure of the API call itself through the mapper: generic 500 with a request id, detail only in the log', async () => {
    const res = await fetch(`${server.url}/boom`, { headers: { authorization: 'Bearer good' } });
    const body = (await res.json()) as { error: { requestId: string } };

    expect(res.status).toBe(500);
    expect(body).toEqual({ error: { ...ENVELOPE.error, code: 'internal_error' } });
    expect(JSON.stringify(body)).not.toContain('secret detail');
    expect(JSON.stringify(logged)).toContain(body.error.requestId);
  });
});

describe('the local runtime', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => { runtime = await startTestRuntime(); });
  afterAll(async () => { await runtime.close(); });

  it('answers GET // (once a 500 with a stack trace) as the dashboard page it spells', async () => {
    const res = await fetch(`${runtime.url}//`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it.each(['//evil.example/x', '///experiments', '/%zz'])('answers GET %s with a 404 envelope, not a 500', async (path) => {
    const res = await fetch(`${runtime.url}${path}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { ...ENVELOPE.error, code: 'not_found' } });
  });

  it('answers a missing or wrong token with the unauthorized envelope and WWW-Authenticate: Bearer', async () => {
    for (const token of [null, 'wrong-token']) {
      const res = await call(runtime, 'GET', '/experiments', { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.body).toEqual({ error: { ...ENVELOPE.error, code: 'unauthorized' } });
    }
  });
});
