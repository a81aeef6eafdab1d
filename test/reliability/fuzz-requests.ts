/**
 * Generated requests for the fuzz tests (fuzz-*.test.ts): for a route, a method (its own mostly),
 * path parameters, a query string, headers and a body — arbitrary values mixed with near-valid bodies
 * (a valid body with one field replaced, dropped or added), so validation is probed at its edges and
 * not only at "not JSON". `fuzzRoutes` runs them through the router and checks the two invariants:
 * never a 5xx, and a rejected request (4xx) leaves no item written.
 */
import fc from 'fast-check';
import { ROUTES } from '../../functions/api/routes';
import type { Route } from '../../functions/api/router';
import { anExperiment } from '../support/factories';
import { httpEvent, startCountedApi, type CountedApi } from './api-harness';
import { FUZZ_SEED, fuzzRuns } from '../support/fuzz-runs';

export interface FuzzRequest { routeKey: string; method: string; path: string; query: Record<string, string>; headers: Record<string, string>; contentType?: string; body?: string }

const DAY = 86_400_000;
const EXISTING_ID = 'exp_fuzzexisting';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** Valid bodies per route, the seeds of near-valid mutations. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /experiments': { name: 'Fuzzed', hypothesis: 'Validation holds at its edges', primaryMetric: 'x.follower_growth_rate', start: new Date(Date.now() + 30 * DAY).toISOString(), durationDays: 14 },
  'PATCH /experiments/{id}': { name: 'Renamed', decision: { minLift: 0.1 } },
  'POST /experiments/{id}/start': { start: new Date(Date.now() + DAY).toISOString() },
  'POST /experiments/{id}/abandon': { reason: 'fuzz' },
  'POST /backlog': { name: 'Idea', hypothesis: 'An idea worth testing', primaryMetric: 'x.follower_growth_rate', durationDays: 14 },
  'POST /observations': { observations: [{ metric: 'x.followers', at: '2026-11-01T06:00:00.000Z', value: 1200, source: 'csv' }] },
  'POST /collect': { source: 'x' },
  'POST /mcp': { jsonrpc: '2.0', id: 1, method: 'tools/list' },
};

const QUERY_KEYS = ['status', 'metric', 'limit', 'cursor', 'format', 'from', 'to', 'source', 'id', '__proto__', 'constructor'];
const HEADER_NAMES = ['content-type', 'idempotency-key', 'accept', 'mcp-protocol-version', 'mcp-session-id', 'content-length', 'x-forwarded-for', 'cookie'];

/** Well-formed cursors the server never issued: other partitions, keys outside the query, extra attributes. */
const forge = (cursor: unknown) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
const FORGED_CURSORS = [
  forge({ i: 'gsi2', k: { pk: 'OBS#x.followers', sk: '2026-11-01T06:00:00.000Z#', gsi2pk: 'OBS#x.followers', gsi2sk: 'x' } }),
  forge({ i: 'gsi1', k: { pk: 'EXP#exp_a', sk: 'EXPERIMENT', gsi1pk: 'STATUS#running', gsi1sk: '2026-11-01T00:00:00.000Z#exp_a' } }),
  forge({ i: 'gsi2', k: { pk: 'EXP#exp_a', sk: 'EXPERIMENT', gsi2pk: 'EXPERIMENTS', gsi2sk: 'zzz' } }),
  forge({ i: 'gsi2', k: { pk: 'EXP#exp_a', sk: 'EXPERIMENT', gsi2pk: 'EXPERIMENTS', gsi2sk: '2026-11-01T00:00:00.000Z#exp_a', gsi1pk: 'STATUS#running' } }),
  forge({ i: 'log', k: { pk: 'IDEMPOTENCY#k', sk: 'REQUEST', gsi1pk: 'LOG', gsi1sk: '2026' } }),
];

const weirdString = fc.oneof(
  fc.constantFrom(...FORGED_CURSORS),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', ' ', '-1', '0', '1e309', 'NaN', 'null', 'true', '[]', '{}', '%', '%E0%A4%A', '../../etc/passwd', '\u0000', 'exp_', `exp_${'a'.repeat(64)}`, 'a'.repeat(5000), 'x.follower_growth_rate', 'backlog', 'concluded', 'tsv', 'md', '2026-02-30', '9999-12-31T23:59:59Z'),
  fc.integer().map(String),
  fc.double().map(String),
);

const pathParam = fc.oneof(
  { weight: 3, arbitrary: fc.constant(EXISTING_ID) },
  { weight: 2, arbitrary: fc.stringMatching(/^exp_[a-z0-9]{1,12}$/) },
  { weight: 1, arbitrary: weirdString.map(encodeURIComponent) },
  { weight: 1, arbitrary: weirdString },
);

/** A valid body with one field replaced by any JSON value, removed, or joined by an unknown one. */
function nearValid(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.constantFrom(...keys).map((k) => { const copy = { ...valid }; delete copy[k]; return copy; }),
    fc.tuple(weirdString, fc.jsonValue()).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.constant(valid),
  );
}

const observationsBody = fc.record({
  observations: fc.array(fc.record({
    metric: fc.oneof(fc.constantFrom('x.followers', 'newsletter.subscribers', 'bluesky.followers', 'x.post'), weirdString),
    at: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), weirdString),
    value: fc.oneof(fc.integer(), fc.double(), weirdString, fc.constant(null)),
    source: fc.oneof(fc.constant('csv'), weirdString),
  }, { requiredKeys: [] }), { maxLength: 6 }),
}, { requiredKeys: [] });

function bodyFor(routeKey: string): fc.Arbitrary<string | undefined> {
  const valid = VALID_BODIES[routeKey];
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.json() },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)) }, // truncated JSON
    { weight: valid ? 4 : 1, arbitrary: (valid ? nearValid(valid) : fc.jsonValue()).map((v) => JSON.stringify(v)) },
    { weight: routeKey === 'POST /observations' ? 4 : 0, arbitrary: observationsBody.map((v) => JSON.stringify(v)) },
  );
}

/** Header values as an HTTP server hands them over: Latin-1 text without control characters. */
const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 80 }),
  fc.constantFrom('', '-1', 'x.follower_growth_rate', 'application/json', 'text/event-stream', '2025-06-18', 'a'.repeat(2000)),
);

/** Requests for one route: its method mostly, any method sometimes; params, query, headers and body generated. */
function requestFor(route: Route): fc.Arbitrary<FuzzRequest> {
  const routeKey = `${route.method} ${route.path}`;
  return fc.record({
    routeKey: fc.constant(routeKey),
    method: fc.oneof({ weight: 5, arbitrary: fc.constant(route.method as string) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
    path: fc.array(pathParam, { minLength: 3, maxLength: 3 }).map(([id, metric, file]) => route.path.replace('{id}', id).replace('{metric}', metric).replace('{file}', file)),
    query: fc.dictionary(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ minLength: 1 })), weirdString, { maxKeys: 4 }),
    headers: fc.dictionary(fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/)), headerValue, { maxKeys: 4 }),
    contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined),
    body: bodyFor(routeKey),
  });
}


/**
 * Sends `runs` generated requests spread over `routes` (each route's arbitrary built once) and
 * asserts the invariants; returns the status histogram.
 */
export async function fuzzRoutes(api: CountedApi, routes: readonly Route[], runs: number): Promise<Map<number, number>> {
  const seen = new Set<string>();
  const statuses = new Map<number, number>();
  const request = fc.oneof(...routes.map(requestFor));
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const headers = { ...r.headers, ...(r.contentType && { 'content-type': r.contentType }) };
      const { result: res, itemsLeftWritten } = await api.stores.counter.during(() => api.send(httpEvent(r.method, r.path, { query: r.query, headers, body: r.body })));
      seen.add(r.routeKey);
      const status = res.statusCode ?? 0;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect(status).toBeLessThan(500);
      // An Idempotency-Key claim may be put and released again; nothing may stay.
      if (status >= 400) expect(itemsLeftWritten).toEqual([]);
    }),
    { numRuns: runs, seed: FUZZ_SEED, endOnFailure: true },
  );
  expect([...seen].sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  expect(api.loggedErrors).toEqual([]);
  expect(api.stores.counter.scans).toBe(0);
  return statuses;
}

/** Starts the counted API with the experiment that generated `{id}`s most often name. */
export async function startFuzzApi(): Promise<CountedApi> {
  const api = await startCountedApi();
  await api.stores.experiments.create(anExperiment({ id: EXISTING_ID, status: 'planned', start: new Date(Date.now() + 20 * DAY).toISOString(), end: new Date(Date.now() + 34 * DAY).toISOString() }));
  return api;
}

/** The routes split four ways (every route in exactly one part), so each fuzz file stays short. */
export const ROUTE_PARTS = {
  experimentWrites: ROUTES.filter((r) => r.path.startsWith('/experiments') && r.method !== 'GET'),
  experimentReads: ROUTES.filter((r) => r.path.startsWith('/experiments') && r.method === 'GET'),
  otherWrites: ROUTES.filter((r) => !r.path.startsWith('/experiments') && r.method !== 'GET'),
  otherReads: ROUTES.filter((r) => !r.path.startsWith('/experiments') && r.method === 'GET'),
};

/**
 * Generated requests per part, weighted so each file takes about the same time (reads cost DynamoDB
 * round trips; most rejected writes cost none) — with ALL_ROUTES_RUNS, 10,000 bodies, query strings and
 * header sets in all.
 */
export const RUNS_PER_PART: Record<keyof typeof ROUTE_PARTS, number> = {
  experimentWrites: fuzzRuns(3_000), experimentReads: fuzzRuns(1_900), otherWrites: fuzzRuns(1_900), otherReads: fuzzRuns(1_200),
};

/** Requests spread over every route at once (fuzz-all-routes.test.ts), so parts interleave on one table. */
export const ALL_ROUTES_RUNS = fuzzRuns(2_000);
