/**
 * GET /openapi.json as independent clients read it: a real request to every route is answered with a
 * status the document lists for that operation and a body its schema accepts (checked by ajv, not by
 * our own zod schemas); Redocly's recommended lint rules pass; and openapi-typescript generates a client
 * whose types reach the fields the main routes return (tsc type-checks property access on them).
 * Everything runs offline.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ROUTES } from '../../../functions/api/routes';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { logger } from '../../../functions/shared/logger';
import { aCreateRequest } from '../../support/factories';
import { call, startTestRuntime, TEST_TOKEN, type TestResponse } from '../../support/local-runtime';
import { DAY, daysFromNow, importFollowerHistory, runScorer } from './api-helpers';

type Json = Record<string, any>;
let runtime: LocalRuntime;
let doc: Json;
const ids: Record<string, string> = {};
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  logger.setLogLevel('SILENT');
  runtime = await startTestRuntime({ loop: { targetActive: 0 } });
  await importFollowerHistory(runtime, 60, (t) => (t.getTime() > Date.now() - 26 * DAY && t.getTime() < Date.now() - 12 * DAY ? 20 : 10));
  const made = async (key: string, body: unknown, path = '/experiments') => {
    const res = await call(runtime, 'POST', path, { body });
    expect([key, res.status]).toEqual([key, 201]);
    ids[key] = res.body.id;
  };
  await made('concluded', aCreateRequest({ name: 'Daily thread', start: daysFromNow(-26), durationDays: 14 }));
  await made('running', aCreateRequest({ name: 'Still running', start: daysFromNow(-4), durationDays: 14 }));
  await made('planned', aCreateRequest({ name: 'Later', start: daysFromNow(20), durationDays: 14 }));
  await made('toDelete', aCreateRequest({ name: 'Never mind', start: daysFromNow(30), durationDays: 14 }));
  await made('backlog', { name: 'Idea', hypothesis: 'H', primaryMetric: 'x.follower_growth_rate' }, '/backlog');
  await made('toAbandon', { name: 'Idea 2', hypothesis: 'H', primaryMetric: 'x.replies_per_post' }, '/backlog');
  await made('switchback', aCreateRequest({ name: 'Replies at noon', start: today(), durationDays: 14, design: 'switchback', switchback: { seed: 4242 } }));
  await made('variants', aCreateRequest({ primaryMetric: 'x.engagement_rate', start: today(), durationDays: 28, design: 'post_variants', postVariants: { arms: ['raw', 'polished'], seed: 9 } }));
  expect((await runScorer(runtime)).scored).toContain(ids.concluded);
  doc = (await call(runtime, 'GET', '/openapi.json')).body;
});
afterAll(async () => {
  await runtime.close();
});

/** One real request per route (key: `METHOD /template`). */
const REQUESTS: Record<string, () => Promise<TestResponse>> = {
  'POST /experiments': () => call(runtime, 'POST', '/experiments', { body: aCreateRequest({ start: daysFromNow(40), durationDays: 14 }) }),
  'POST /experiments/plan': () => call(runtime, 'POST', '/experiments/plan', { body: aCreateRequest({ start: daysFromNow(1), durationDays: 14 }) }),
  'GET /experiments': () => call(runtime, 'GET', '/experiments?limit=2'),
  'GET /experiments/{id}': () => call(runtime, 'GET', `/experiments/${ids.running}`),
  'PATCH /experiments/{id}': () => call(runtime, 'PATCH', `/experiments/${ids.planned}`, { body: { name: 'Later, renamed' } }),
  'DELETE /experiments/{id}': () => call(runtime, 'DELETE', `/experiments/${ids.toDelete}`),
  'POST /experiments/{id}/start': () => call(runtime, 'POST', `/experiments/${ids.backlog}/start`, { body: {} }),
  'POST /experiments/{id}/extend': () => call(runtime, 'POST', `/experiments/${ids.running}/extend`, { body: { days: 7 } }),
  'POST /experiments/{id}/abandon': () => call(runtime, 'POST', `/experiments/${ids.toAbandon}/abandon`, { body: { reason: 'Channel closed' } }),
  'GET /experiments/{id}/verdict': () => call(runtime, 'GET', `/experiments/${ids.concluded}/verdict`),
  'GET /experiments/{id}/verdicts': () => call(runtime, 'GET', `/experiments/${ids.concluded}/verdicts`),
  'POST /experiments/{id}/rescore': () => call(runtime, 'POST', `/experiments/${ids.concluded}/rescore`, { body: {} }),
  'POST /backlog': () => call(runtime, 'POST', '/backlog', { body: { name: 'Another idea', hypothesis: 'H', primaryMetric: 'newsletter.open_rate', decision: { minLift: 0.1 } } }),
  'GET /backlog': () => call(runtime, 'GET', '/backlog'),
  'GET /log': () => call(runtime, 'GET', '/log'),
  'POST /observations': () => call(runtime, 'POST', '/observations', { body: { observations: [{ metric: 'x.followers', at: new Date().toISOString(), value: 2000, source: 'x' }] } }),
  'GET /metrics': () => call(runtime, 'GET', '/metrics'),
  'GET /metrics/{metric}': () => call(runtime, 'GET', '/metrics/x.follower_growth_rate?raw=1'),
  'POST /collect': () => call(runtime, 'POST', '/collect', { body: {} }),
  'GET /health': () => call(runtime, 'GET', '/health'),
  'GET /openapi.json': () => call(runtime, 'GET', '/openapi.json'),
  'GET /': () => call(runtime, 'GET', '/', { token: null }),
  'GET /assets/{file}': async () => {
    const page = await call(runtime, 'GET', '/', { token: null });
    return call(runtime, 'GET', /\/assets\/[^"']+\.js/.exec(page.text)![0], { token: null });
  },
  'GET /digest': () => call(runtime, 'GET', '/digest'),
  'GET /today': () => call(runtime, 'GET', '/today'),
  'POST /calendar/token': () => call(runtime, 'POST', '/calendar/token', { body: {} }),
  'GET /calendar.ics': async () => {
    const { token } = (await call(runtime, 'POST', '/calendar/token', { body: {} })).body;
    return call(runtime, 'GET', `/calendar.ics?token=${encodeURIComponent(token)}`, { token: null });
  },
  'POST /experiments/{id}/skips': () => call(runtime, 'POST', `/experiments/${ids.switchback}/skips`, { body: { date: today(), reason: 'travelling' } }),
  'POST /experiments/{id}/next-post': () => call(runtime, 'POST', `/experiments/${ids.variants}/next-post`, { body: {} }),
  'POST /experiments/{id}/posts/{postId}/arm': () => call(runtime, 'POST', `/experiments/${ids.variants}/posts/1866000000000000001/arm`, { body: { arm: 'polished' } }),
  'GET /.well-known/{document}': () => call(runtime, 'GET', '/.well-known/oauth-protected-resource', { token: null }),
  'GET /.well-known/{document}/{resource}': () => call(runtime, 'GET', '/.well-known/oauth-protected-resource/mcp', { token: null }),
  'POST /mcp': () => call(runtime, 'POST', '/mcp', {
    headers: { accept: 'application/json, text/event-stream' },
    body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'contract-test', version: '1' } } },
  }),
  'GET /mcp': () => call(runtime, 'GET', '/mcp'),
  'DELETE /mcp': () => call(runtime, 'DELETE', '/mcp'),
};

/** Error answers every client must be able to read, each against the operation's documented status. */
const ERROR_REQUESTS: [string, () => Promise<TestResponse>][] = [
  ['GET /experiments/{id}', () => call(runtime, 'GET', '/experiments/exp_nothere')],
  ['GET /experiments/{id}', () => call(runtime, 'GET', '/experiments/not-an-id')],
  ['GET /experiments', () => call(runtime, 'GET', '/experiments', { token: 'wrong-token' })],
  ['GET /health', () => call(runtime, 'GET', '/health?foo=1')],
  ['GET /calendar.ics', () => call(runtime, 'GET', '/calendar.ics?token=not-the-feed-token', { token: null })],
  ['DELETE /experiments/{id}', () => call(runtime, 'DELETE', `/experiments/${ids.running}`)],
  ['POST /experiments/{id}/rescore', () => call(runtime, 'POST', `/experiments/${ids.running}/rescore`, { body: {} })],
  ['POST /backlog', () => call(runtime, 'POST', '/backlog', { body: { name: 'x', hypothesis: 'h', primaryMetric: 'x.follower_growth_rate', decision: { minLift: 10 } } })],
  ['POST /observations', () => call(runtime, 'POST', '/observations', { body: `{"observations":"${'x'.repeat(10 * 1024 * 1024 + 10)}"}` })],
];

/** The document's schema with every `#/components/schemas/…` reference inlined (ajv then needs no document context). */
function inline(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(inline);
  if (!schema || typeof schema !== 'object') return schema;
  const ref = (schema as Json).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) return inline(doc.components.schemas[ref.slice('#/components/schemas/'.length)]);
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inline(v)]));
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

function checkAgainstDocument(routeKey: string, res: TestResponse): void {
  const [method, path] = routeKey.split(' ');
  const operation = doc.paths[path]?.[method.toLowerCase()];
  expect([routeKey, operation === undefined]).toEqual([routeKey, false]);
  const documented = operation.responses[String(res.status)];
  expect([routeKey, res.status, documented !== undefined]).toEqual([routeKey, res.status, true]);
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0];
  if (res.status === 204 || res.status === 202) return;
  const types = Object.keys(documented.content ?? {});
  expect([routeKey, res.status, types.some((t) => contentType.startsWith(t))]).toEqual([routeKey, res.status, true]);
  if (contentType !== 'application/json') return;
  const validate = ajv.compile(inline(documented.content['application/json'].schema) as object);
  const valid = validate(res.body);
  expect([routeKey, res.status, valid ? [] : validate.errors?.slice(0, 5)]).toEqual([routeKey, res.status, []]);
}

describe('every route against GET /openapi.json', () => {
  it('has one real request here per route the API serves (a new route needs one)', () => {
    expect(Object.keys(REQUESTS).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('answers each with a documented status and a body its documented schema accepts', async () => {
    for (const [routeKey, request] of Object.entries(REQUESTS)) checkAgainstDocument(routeKey, await request());
  });

  it('answers errors with documented statuses in the documented envelope', async () => {
    for (const [routeKey, request] of ERROR_REQUESTS) {
      const res = await request();
      expect(res.status).toBeGreaterThanOrEqual(400);
      checkAgainstDocument(routeKey, res);
    }
  });

  it('documents every JSON success with a real schema, every operation with a description, and the license', () => {
    const bare: string[] = [];
    for (const [path, operations] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(operations)) {
        expect([path, method, typeof op.description]).toEqual([path, method, 'string']);
        for (const [status, response] of Object.entries<Json>(op.responses)) {
          const schema = response.content?.['application/json']?.schema;
          if (schema && JSON.stringify(schema) === '{"type":"object"}') bare.push(`${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
    expect(bare).toEqual([]);
    expect(doc.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
  });
});

describe('Redocly lint (recommended rules)', () => {
  it('finds no problem but the 2xx-less operations that exist to say "no" (GET/DELETE /mcp, /.well-known)', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });

    const alwaysRefusing = new Set(ROUTES.filter((r) => (r.doc?.success.status ?? 200) >= 400).map((r) => `#/paths/${r.path.replace(/\//g, '~1')}/${r.method.toLowerCase()}/responses`));
    const found = problems.filter((p) => !(p.ruleId === 'operation-2xx-response' && alwaysRefusing.has(p.location[0]?.pointer ?? '')));
    expect(found.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
  });
});

describe('a client generated by openapi-typescript', () => {
  it('types the main routes\' responses so property access type-checks (and a typo does not)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-openapi-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
      const root = resolve(__dirname, '../../..');
      execFileSync(process.execPath, [join(root, 'node_modules/openapi-typescript/bin/cli.js'), join(dir, 'openapi.json'), '-o', join(dir, 'api.d.ts')], { stdio: 'pipe' });
      writeFileSync(join(dir, 'check.ts'), `
import type { paths } from './api';
type Ok<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer B } } } } ? B : never;

declare const experiment: Ok<'/experiments/{id}', 'get'>;
const id: string = experiment.id;
const status: 'backlog' | 'planned' | 'running' | 'concluded' | 'abandoned' = experiment.status;
const minLift: number = experiment.decision.minLift;
const interimDaysLeft: number | undefined = experiment.interim?.daysLeft;
const lift: number | null | undefined = experiment.verdict?.effect.relative;

declare const verdict: Ok<'/experiments/{id}/verdict', 'get'>;
const decision: 'keep' | 'discard' = verdict.decision;
const low: number | undefined = verdict.effect.relativeInterval?.lower;

declare const list: Ok<'/experiments', 'get'>;
const first: string | undefined = list.items[0]?.name;
declare const created: Ok<'/experiments', 'post', 201>;
const createdAt: string = created.createdAt;
declare const log: Ok<'/log', 'get'>;
const reason: string | undefined = log.items[0]?.reason;
declare const metrics: Ok<'/metrics', 'get'>;
const unit: string | undefined = metrics.items[0]?.unit;
declare const series: Ok<'/metrics/{metric}', 'get'>;
const value: number | null | undefined = series.series[0]?.value;
declare const health: Ok<'/health', 'get'>;
const outcome: string | undefined = health.sources[0]?.lastRun?.outcome;
declare const rescored: Ok<'/experiments/{id}/rescore', 'post'>;
const changed: boolean = rescored.decisionChanged;
declare const failure: paths['/experiments/{id}']['get']['responses'][404]['content']['application/json'];
const requestId: string = failure.error.requestId;

// @ts-expect-error a misspelt field is an error, so the types above are not 'any' or '{}'
experiment.hypotesis;
export { id, status, minLift, interimDaysLeft, lift, decision, low, first, createdAt, reason, unit, value, outcome, changed, requestId };
`);
      const tsc = join(root, 'node_modules/typescript/bin/tsc');
      const out = (() => {
        try {
          execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'commonjs', join(dir, 'check.ts')], { stdio: 'pipe' });
          return '';
        } catch (err) {
          return String((err as { stdout?: Buffer }).stdout ?? err);
        }
      })();
      expect(out).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
