/**
 * Fuzzing one layer out: real HTTP requests to the local server (the payload 2.0 event builder, the
 * authorizer, base64 bodies for binary content types, repeated query keys) — never a 5xx, never a hang.
 * The router's invariants (no write on rejection) are checked in-process by the fuzz-*-routes files.
 * POST /collect is left out here: through the real wiring it would call the real providers.
 */
import fc from 'fast-check';
import { ROUTES } from '../../functions/api/routes';
import type { LocalRuntime } from '../../functions/local/runtime';
import { startTestRuntime, TEST_TOKEN } from '../support/local-runtime';
import { FUZZ_SEED, fuzzRuns } from '../support/fuzz-runs';

const RUNS = fuzzRuns(1_500);
const routes = ROUTES.filter((r) => r.path !== '/collect');

const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('exp_abc', '%', '%ZZ', '..', 'x.follower_growth_rate', 'a'.repeat(3000)));
const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 });

const request = fc.record({
  route: fc.constantFrom(...routes.map((r) => ({ method: r.method, path: r.path, public: r.public === true }))),
  method: fc.option(fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'), { nil: undefined }),
  param: text,
  query: fc.array(fc.tuple(text, text), { maxLength: 5 }),
  headers: fc.dictionary(fc.constantFrom('accept', 'idempotency-key', 'mcp-protocol-version', 'x-forwarded-for', 'user-agent', 'x-custom'), latin1, { maxKeys: 3 }),
  contentType: fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'image/png', undefined),
  body: fc.option(fc.oneof(fc.json(), fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 })), { nil: undefined }),
  auth: fc.constantFrom('valid', 'valid', 'valid', 'none', 'wrong'),
});

let runtime: LocalRuntime;
beforeAll(async () => { runtime = await startTestRuntime(); });
afterAll(async () => { await runtime.close(); });

it(`answers ${RUNS} generated HTTP requests on every route without a 5xx`, async () => {
  const statuses = new Map<number, number>();

  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const method = r.method ?? r.route.method;
      const path = r.route.path.replace(/\{[^}]+\}/g, encodeURIComponent(r.param));
      const query = new URLSearchParams(r.query).toString();
      const headers: Record<string, string> = { ...r.headers };
      if (r.contentType) headers['content-type'] = r.contentType;
      if (r.auth === 'valid') headers.authorization = `Bearer ${TEST_TOKEN}`;
      if (r.auth === 'wrong') headers.authorization = `Bearer ${TEST_TOKEN.toUpperCase()}`;
      const withBody = r.body !== undefined && method !== 'GET';

      const res = await fetch(`${runtime.url}${path}${query ? `?${query}` : ''}`, {
        method, headers, ...(withBody && { body: typeof r.body === 'string' ? r.body : Buffer.from(r.body as Uint8Array) }), signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer();

      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status).toBeLessThan(500);
      // (Unless the URL parser normalised the path — `/experiments/..` is sent as `/`, the public dashboard.)
      const normalised = new URL(`${runtime.url}${path}`).pathname !== path;
      if (r.auth !== 'valid' && !r.route.public && !normalised) expect(res.status).toBe(401);
    }),
    { numRuns: RUNS, seed: FUZZ_SEED, endOnFailure: true },
  );

  expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
});
