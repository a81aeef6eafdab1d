/**
 * Verdicts, rescore history, the research log (JSON, TSV, markdown), metric series for charts, the
 * interim readout, collect-now and the generated OpenAPI document — through the local HTTP server.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import * as z from '../../../functions/domain/zod-mini';
import { ROUTES } from '../../../functions/api/routes';
import { CreateExperimentSchema } from '../../../functions/domain/experiment';
import { TSV_COLUMNS } from '../../../functions/domain/research-log';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { logger } from '../../../functions/shared/logger';
import { aCreateRequest } from '../../support/factories';
import { call, startTestRuntime } from '../../support/local-runtime';
import { DAY, daysFromNow, importFollowerHistory, runScorer } from './api-helpers';

const eventBridge = mockClient(EventBridgeClient);
let runtime: LocalRuntime;
let concluded: { id: string };
let running: { id: string };

beforeAll(async () => {
  logger.setLogLevel('SILENT');
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
  runtime = await startTestRuntime({ loop: { targetActive: 0 } }, { eventBusName: 'verdict-test-bus' });
  await importFollowerHistory(runtime, 60, (t) => (t.getTime() > Date.now() - 26 * DAY && t.getTime() < Date.now() - 12 * DAY ? 20 : 10));
  concluded = (await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'Daily thread', start: daysFromNow(-26), durationDays: 14 }) })).body;
  const older = (await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'Older test', primaryMetric: 'newsletter.subscriber_growth_rate', start: daysFromNow(-50), durationDays: 14 }) })).body;
  running = (await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'Still running', start: daysFromNow(-4), durationDays: 14 }) })).body;
  const scored = await runScorer(runtime);
  expect(scored.scored.sort()).toEqual([concluded.id, older.id].sort());
});
afterAll(async () => {
  await runtime.close();
});

describe('verdicts', () => {
  it('concludes an ended experiment with one verdict, announced as Verdict Reached', async () => {
    const res = await call(runtime, 'GET', `/experiments/${concluded.id}/verdict`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ experimentId: concluded.id, metric: 'x.follower_growth_rate', decision: expect.stringMatching(/keep|discard/) });
    const shown = await call(runtime, 'GET', `/experiments/${concluded.id}`);
    expect(shown.body).toMatchObject({ status: 'concluded', verdict: { scoredAt: res.body.scoredAt } });
    const details = eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries![0]);
    expect(details).toEqual(expect.arrayContaining([expect.objectContaining({ DetailType: 'Verdict Reached', Source: 'verdict', Detail: expect.stringContaining(concluded.id) })]));
  });

  it('shows an interim readout, labelled not a verdict, while running', async () => {
    const res = await call(runtime, 'GET', `/experiments/${running.id}`);

    expect(res.body.status).toBe('running');
    expect(res.body.interim).toMatchObject({ notAVerdict: true, daysElapsed: 4, daysLeft: 10, leaning: expect.stringMatching(/keep|discard/) });
    expect(res.body.verdict).toBeUndefined();
  });

  it('has no leaning on day 0: leaning null, the reason insufficient data, the summary saying so', async () => {
    const dayZero = (await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'Day zero', primaryMetric: 'bluesky.follower_growth_rate', start: daysFromNow(0), durationDays: 14 }) })).body;

    const res = await call(runtime, 'GET', `/experiments/${dayZero.id}`);
    await call(runtime, 'POST', `/experiments/${dayZero.id}/abandon`, { body: { reason: 'test done' } });

    expect(res.body.status).toBe('running');
    expect(res.body.interim).toMatchObject({ notAVerdict: true, daysElapsed: 0, leaning: null, leaningReason: 'insufficient_data' });
    expect(res.body.interim.summary).toMatch(/No leaning yet\.$/);
  });

  it('rescores on request, keeping the history newest first', async () => {
    const first = (await call(runtime, 'GET', `/experiments/${concluded.id}/verdict`)).body;

    const res = await call(runtime, 'POST', `/experiments/${concluded.id}/rescore`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ previous: { scoredAt: first.scoredAt }, decisionChanged: expect.any(Boolean) });
    expect(res.body.verdict.scoredAt > first.scoredAt).toBe(true);
    const history = await call(runtime, 'GET', `/experiments/${concluded.id}/verdicts`);
    expect(history.body.items.map((v: { scoredAt: string }) => v.scoredAt)).toEqual([res.body.verdict.scoredAt, first.scoredAt]);
    expect((await call(runtime, 'GET', `/experiments/${concluded.id}/verdict`)).body.scoredAt).toBe(res.body.verdict.scoredAt);
    const rescoreEvent = eventBridge.commandCalls(PutEventsCommand).map((c) => JSON.parse(c.args[0].input.Entries![0].Detail!)).find((d) => d.rescore === true);
    expect(rescoreEvent).toMatchObject({ experimentId: concluded.id });
  });
});

describe('GET /log', () => {
  it('lists every concluded experiment newest first as JSON', async () => {
    const res = await call(runtime, 'GET', '/log');

    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { name: string }) => r.name)).toEqual(['Daily thread', 'Older test']);
    expect(res.body.items[0]).toMatchObject({
      id: concluded.id, primaryMetric: 'x.follower_growth_rate', window: { start: expect.any(String), end: expect.any(String) },
      decision: expect.any(String), reason: expect.any(String), description: expect.any(String),
      effect: expect.objectContaining({ absolute: expect.anything() }),
    });
  });

  it('renders TSV for spreadsheets', async () => {
    const res = await call(runtime, 'GET', '/log?format=tsv');

    expect(res.headers.get('content-type')).toMatch(/^text\/tab-separated-values/);
    const lines = res.text.trimEnd().split('\n');
    expect(lines[0]).toBe(TSV_COLUMNS.join('\t'));
    expect(lines).toHaveLength(3);
    expect(lines[1].split('\t')[1]).toBe(concluded.id);
  });

  it('renders a markdown table', async () => {
    const res = await call(runtime, 'GET', '/log?format=md');
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(res.text.split('\n')[0]).toMatch(/^\| Concluded \| Experiment/);
    expect(res.text).toContain('Daily thread');
  });

  it('rejects an unknown format with 400', async () => {
    expect((await call(runtime, 'GET', '/log?format=xml')).status).toBe(400);
  });
});

describe('GET /metrics/{metric}', () => {
  it('returns one value per UTC day in the range', async () => {
    const res = await call(runtime, 'GET', `/metrics/x.follower_growth_rate?from=${daysFromNow(-30).slice(0, 10)}&to=${daysFromNow(-2).slice(0, 10)}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ metric: 'x.follower_growth_rate', unit: 'followers/day' });
    expect(res.body.series).toHaveLength(28);
    expect(res.body.series[0]).toEqual({ date: daysFromNow(-30).slice(0, 10), value: expect.any(Number) });
    expect(res.body.observations).toBeUndefined();
  });

  it('adds the raw observations with ?raw=1', async () => {
    const res = await call(runtime, 'GET', `/metrics/x.follower_growth_rate?from=${daysFromNow(-3)}&raw=1`);
    expect(res.body.observations.length).toBeGreaterThan(8);
    expect(res.body.observations[0]).toMatchObject({ metric: 'x.followers', value: expect.any(Number) });
  });

  it.each([
    ['an unknown metric', '/metrics/x.vibes'],
    ['to before from', `/metrics/x.follower_growth_rate?from=${daysFromNow(-1)}&to=${daysFromNow(-5)}`],
    ['a range over 400 days', `/metrics/x.follower_growth_rate?from=${daysFromNow(-500)}`],
    ['a bad date', '/metrics/x.follower_growth_rate?from=last-week'],
  ])('rejects %s with 400', async (_case, path) => {
    expect((await call(runtime, 'GET', path)).status).toBe(400);
  });
});

describe('POST /collect', () => {
  it('runs every enabled source now and reports each run', async () => {
    const res = await call(runtime, 'POST', '/collect', { body: {} });

    expect(res.status).toBe(200);
    expect(res.body.runs).toEqual([expect.objectContaining({ source: 'x', outcome: 'not_configured' })]);
    const health = await call(runtime, 'GET', '/health');
    expect(health.body.sources[0]).toMatchObject({ source: 'x', lastRun: { outcome: 'not_configured' }, nextSlot: expect.any(String), pausedUntil: null });
  });

  it.each([
    ['a source that is not enabled', { source: 'beehiiv' }],
    ['an unknown source', { source: 'myspace' }],
  ])('rejects %s with 400', async (_case, body) => {
    const res = await call(runtime, 'POST', '/collect', { body });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe('source');
  });
});

describe('GET /openapi.json', () => {
  it('describes every route, with request schemas generated from the validating zod schemas', async () => {
    const res = await call(runtime, 'GET', '/openapi.json');

    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const route of ROUTES) expect(res.body.paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
    const create = res.body.paths['/experiments'].post;
    const generated = z.toJSONSchema(CreateExperimentSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete generated.$schema;
    expect(create.requestBody.content['application/json'].schema).toEqual(generated);
    expect(create.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    const list = res.body.paths['/experiments'].get;
    expect(list.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'status', in: 'query', schema: expect.objectContaining({ enum: ['backlog', 'planned', 'running', 'concluded', 'abandoned'] }) })]));
    expect(res.body.paths['/experiments/{id}/abandon'].post.responses['409']).toBeDefined();
    expect(res.body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
