/**
 * The lifecycle and the self-filling loop through the local runtime: backlog → start, abandon, illegal
 * transitions (409 with a reason), and the scheduler auto-starting backlog items by ICE while skipping a
 * metric already under test — publishing `Experiment Started` on the (mocked) EventBridge bus.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { logger } from '../../../functions/shared/logger';
import { aCreateRequest } from '../../support/factories';
import { call, startTestRuntime } from '../../support/local-runtime';
import { DAY, daysFromNow, runScorer } from './api-helpers';

const eventBridge = mockClient(EventBridgeClient);
let runtime: LocalRuntime;

beforeAll(async () => {
  logger.setLogLevel('SILENT');
  runtime = await startTestRuntime({ loop: { targetActive: 3 } }, { eventBusName: 'verdict-test-bus' });
});
afterAll(async () => {
  await runtime.close();
});
beforeEach(() => {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'evt-1' }] });
});

/** Every event sent to the bus since the last reset, as { detailType, detail }. */
function publishedEvents(): { busName?: string; source?: string; detailType?: string; detail: Record<string, unknown> }[] {
  return eventBridge.commandCalls(PutEventsCommand).flatMap((c) => (c.args[0].input.Entries ?? []).map((e) => ({
    busName: e.EventBusName, source: e.Source, detailType: e.DetailType, detail: JSON.parse(e.Detail ?? '{}') as Record<string, unknown>,
  })));
}

const addToBacklog = async (name: string, primaryMetric: string, iceScore?: { impact: number; confidence: number; ease: number }, durationDays = 14) => {
  const res = await call(runtime, 'POST', '/backlog', { body: { name, hypothesis: `${name} helps`, primaryMetric, durationDays, ...(iceScore && { iceScore }) } });
  expect(res.status).toBe(201);
  return res.body;
};
const statusOf = async (id: string) => (await call(runtime, 'GET', `/experiments/${id}`)).body.status as string;

describe('the loop', () => {
  const ids: Record<string, string> = {};

  it('adds backlog items without a window', async () => {
    const running = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'already running', primaryMetric: 'x.follower_growth_rate', start: daysFromNow(-2), durationDays: 14 }) });
    ids.running = running.body.id;
    ids.blocked = (await addToBacklog('blocked: same metric as the running one', 'x.follower_growth_rate', { impact: 10, confidence: 10, ease: 10 })).id;
    ids.openRate = (await addToBacklog('subject lines', 'newsletter.open_rate', { impact: 8, confidence: 8, ease: 8 }, 21)).id;
    ids.openRate2 = (await addToBacklog('preheaders', 'newsletter.open_rate', { impact: 7, confidence: 7, ease: 7 })).id;
    ids.clickRate = (await addToBacklog('button copy', 'newsletter.click_rate', { impact: 2, confidence: 2, ease: 2 })).id;
    ids.unscored = (await addToBacklog('unscored idea', 'bluesky.follower_growth_rate')).id;

    const item = await call(runtime, 'GET', `/experiments/${ids.openRate}`);
    expect(item.body).toMatchObject({ status: 'backlog', durationDays: 21 });
    expect(item.body.start).toBeUndefined();
  });

  it('shows the backlog in start order with what holds items back', async () => {
    const res = await call(runtime, 'GET', '/backlog');

    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { experiment: { id: string } }) => i.experiment.id)).toEqual([ids.blocked, ids.openRate, ids.openRate2, ids.clickRate, ids.unscored]);
    expect(res.body.items[0]).toMatchObject({ rank: 1, ice: 1000, startsNext: false, blockedBy: { experimentId: ids.running, metric: 'x.follower_growth_rate' } });
    expect(res.body.items[1]).toMatchObject({ rank: 2, ice: 512, startsNext: true });
    expect(res.body.items[2]).toMatchObject({ startsNext: false, blockedBy: { experimentId: ids.openRate } });
    expect(res.body.items[3]).toMatchObject({ startsNext: true });
    expect(res.body.loop).toMatchObject({ running: 1, target: 3, state: 'ready' });
  });

  it('starts the highest-ICE items whose metric is free when the scheduler runs, and announces them', async () => {
    const before = Date.now();

    const result = await runScorer(runtime);

    expect(result.loop).toMatchObject({ started: [ids.openRate, ids.clickRate], running: 3, target: 3, state: 'full' });
    const started = (await call(runtime, 'GET', `/experiments/${ids.openRate}`)).body;
    expect(started).toMatchObject({ status: 'running', startedBy: 'loop' });
    expect(Date.parse(started.start)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(started.end) - Date.parse(started.start)).toBe(21 * DAY);
    expect(await statusOf(ids.blocked)).toBe('backlog');
    expect(await statusOf(ids.openRate2)).toBe('backlog');
    expect(publishedEvents()).toEqual([
      { busName: 'verdict-test-bus', source: 'verdict', detailType: 'Experiment Started', detail: expect.objectContaining({ experimentId: ids.openRate, startedBy: 'loop', primaryMetric: 'newsletter.open_rate' }) },
      { busName: 'verdict-test-bus', source: 'verdict', detailType: 'Experiment Started', detail: expect.objectContaining({ experimentId: ids.clickRate, startedBy: 'loop' }) },
    ]);
  });

  it('reports a full loop in GET /health', async () => {
    const res = await call(runtime, 'GET', '/health');
    expect(res.body.experiments).toEqual({ running: 3, target: 3 });
    expect(res.body.loop).toMatchObject({ running: 3, target: 3, backlog: 3, state: 'full', backlogEmpty: false });
    expect(res.body.scorer.lastRun).toMatchObject({ job: 'scorer', outcome: 'ok', details: expect.objectContaining({ started: 2, loopState: 'full' }) });
  });

  it('starts nothing while the loop is full', async () => {
    const result = await runScorer(runtime);
    expect(result.loop?.started).toEqual([]);
    expect(publishedEvents()).toEqual([]);
  });

  it('refills when an experiment is abandoned: the freed metric lets the top item start', async () => {
    const abandoned = await call(runtime, 'POST', `/experiments/${ids.running}/abandon`, { body: { reason: 'the account was suspended' } });
    expect(abandoned.status).toBe(200);
    expect(abandoned.body).toMatchObject({ status: 'abandoned', abandonReason: 'the account was suspended', abandonedAt: expect.any(String) });

    const result = await runScorer(runtime);

    expect(result.loop?.started).toEqual([ids.blocked]);
    expect(await statusOf(ids.running)).toBe('abandoned');
  });

  it('says so in GET /health when the backlog is empty and fewer than the target run', async () => {
    for (const id of [ids.openRate2, ids.unscored]) expect((await call(runtime, 'DELETE', `/experiments/${id}`)).status).toBe(204);
    expect((await call(runtime, 'POST', `/experiments/${ids.clickRate}/abandon`)).status).toBe(200);

    const res = await call(runtime, 'GET', '/health');

    expect(res.body.loop).toMatchObject({ running: 2, target: 3, backlog: 0, state: 'backlog_empty', backlogEmpty: true, message: expect.stringMatching(/backlog is empty/) });
  });
});

describe('lifecycle transitions', () => {
  it('starts a backlog item on request, now or at a planned time', async () => {
    const now = await addToBacklog('start me', 'citations.citation_rate');
    const later = await addToBacklog('plan me', 'citations.mention_rate');

    const started = await call(runtime, 'POST', `/experiments/${now.id}/start`);
    const planned = await call(runtime, 'POST', `/experiments/${later.id}/start`, { body: { start: daysFromNow(7) } });

    expect(started.body).toMatchObject({ status: 'running', startedBy: 'user' });
    expect(planned.body.status).toBe('planned');
    expect(publishedEvents().map((e) => e.detail.experimentId)).toEqual([now.id]);
  });

  it('promotes a planned experiment to running once its start passes', async () => {
    const soon = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'starts in a second', primaryMetric: 'x.replies_per_post', start: new Date(Date.now() + 1200).toISOString(), durationDays: 7 }) });
    expect(soon.body.status).toBe('planned');
    await new Promise((r) => setTimeout(r, 1500));

    const result = await runScorer(runtime);

    expect(result.loop?.promoted).toContain(soon.body.id);
    expect(await statusOf(soon.body.id)).toBe('running');
    expect(publishedEvents()).toEqual(expect.arrayContaining([expect.objectContaining({ detailType: 'Experiment Started', detail: expect.objectContaining({ experimentId: soon.body.id }) })]));
  });

  it.each([
    ['start a running experiment', 'running', 'start', /already scheduled/],
    ['abandon an abandoned experiment', 'abandoned', 'abandon', /abandoned, which is final/],
    ['start an abandoned experiment', 'abandoned', 'start', /abandoned, which is final/],
    ['rescore an experiment that is not concluded', 'running', 'rescore', /only concluded experiments/],
  ])('answers 409 with a reason to %s', async (_case, status, action, reason) => {
    const created = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ primaryMetric: 'x.engagement_rate', start: daysFromNow(-1) }) });
    if (status === 'abandoned') await call(runtime, 'POST', `/experiments/${created.body.id}/abandon`);

    const res = await call(runtime, 'POST', `/experiments/${created.body.id}/${action}`);

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(reason), requestId: expect.any(String) });
  });

  it('refuses to abandon a running experiment whose window has ended: its verdict is due', async () => {
    const ended = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ primaryMetric: 'newsletter.subscriber_growth_rate', start: daysFromNow(-20), durationDays: 14 }) });
    const res = await call(runtime, 'POST', `/experiments/${ended.body.id}/abandon`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/verdict is due/);
  });

  it('never scores an abandoned experiment', async () => {
    const created = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ primaryMetric: 'bluesky.follower_growth_rate', start: daysFromNow(-3), durationDays: 7 }) });
    await call(runtime, 'POST', `/experiments/${created.body.id}/abandon`);

    await runScorer(runtime);

    expect((await call(runtime, 'GET', `/experiments/${created.body.id}/verdict`)).status).toBe(404);
    expect(await statusOf(created.body.id)).toBe('abandoned');
  });

  it('adds learnings after the verdict only', async () => {
    const running = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ primaryMetric: 'x.follower_growth_per_post', start: daysFromNow(-1) }) });
    const early = await call(runtime, 'PATCH', `/experiments/${running.body.id}`, { body: { learnings: 'too early' } });
    expect(early.status).toBe(409);
    await call(runtime, 'POST', `/experiments/${running.body.id}/abandon`);
    const after = await call(runtime, 'PATCH', `/experiments/${running.body.id}`, { body: { learnings: 'The channel died; retry next quarter.' } });
    expect(after.status).toBe(200);
    expect(after.body.learnings).toBe('The channel died; retry next quarter.');
  });

  it('still starts an experiment when EventBridge rejects the event (the event is logged as lost)', async () => {
    eventBridge.on(PutEventsCommand).rejects(new Error('throttled'));
    const item = await addToBacklog('bus is down', 'newsletter.subscriber_growth_rate');

    const res = await call(runtime, 'POST', `/experiments/${item.id}/start`);

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('running');
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('answers 404 for a lifecycle action on an unknown experiment', async () => {
    for (const action of ['start', 'abandon', 'rescore']) {
      expect((await call(runtime, 'POST', `/experiments/exp_missing/${action}`)).status).toBe(404);
    }
  });
});
