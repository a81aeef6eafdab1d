/**
 * Randomized designs through the local runtime: a switchback's schedule and today's assignment, a skip,
 * the calendar feed (its own read-only token, read by a real iCalendar parser), the scorer's switchback
 * verdict, and a post-variant experiment's draws and tags.
 */
import * as ical from 'node-ical';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { logger } from '../../../functions/shared/logger';
import { aCreateRequest } from '../../support/factories';
import { call, startTestRuntime, TEST_TOKEN } from '../../support/local-runtime';
import { DAY, daysFromNow, importFollowerHistory, runScorer } from './api-helpers';

let runtime: LocalRuntime;

beforeAll(async () => {
  logger.setLogLevel('SILENT');
  runtime = await startTestRuntime({ loop: { targetActive: 0 } });
});
afterAll(async () => {
  await runtime.close();
});

const today = () => new Date().toISOString().slice(0, 10);

async function createSwitchback(overrides: Record<string, unknown> = {}) {
  const res = await call(runtime, 'POST', '/experiments', {
    body: aCreateRequest({ name: 'Replies at noon', start: today(), durationDays: 14, design: 'switchback', switchback: { seed: 4242 }, ...overrides }),
  });
  expect(res.status).toBe(201);
  return res.body;
}

describe('switchback experiments', () => {
  it('stores a reproducible schedule and tells what to do today', async () => {
    const e = await createSwitchback();

    expect(e).toMatchObject({ design: 'switchback', status: 'running', switchback: { seed: 4242, blockDays: 1, washoutDays: 0, timeZone: 'UTC' } });
    expect(e.switchback.schedule).toHaveLength(14);

    const res = await call(runtime, 'GET', '/today');
    expect(res.status).toBe(200);
    const mine = res.body.assignments.find((a: { experimentId: string }) => a.experimentId === e.id);
    expect(mine).toMatchObject({ date: today(), arm: e.switchback.schedule[0].arm, day: 1, days: 14 });
    expect(mine.instruction).toMatch(mine.arm === 'treatment' ? /^Do it today/ : /^Control day/);
  });

  it('records a skipped day, and refuses a day that has not begun', async () => {
    const e = await createSwitchback();

    const skipped = await call(runtime, 'POST', `/experiments/${e.id}/skips`, { body: { date: today(), reason: 'travelling' } });
    expect(skipped.status).toBe(200);
    expect(skipped.body.switchback.skips).toEqual([expect.objectContaining({ date: today(), reason: 'travelling' })]);

    const future = await call(runtime, 'POST', `/experiments/${e.id}/skips`, { body: { date: new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10) } });
    expect(future.status).toBe(400);
  });

  it('refuses a skip on a before/after experiment', async () => {
    const ba = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ start: today() }) });
    const res = await call(runtime, 'POST', `/experiments/${ba.body.id}/skips`, { body: { date: today() } });
    expect(res.status).toBe(409);
  });
});

describe('two switchbacks on one metric', () => {
  it('draws the second one balanced within the arms of the one already running', async () => {
    const metric = { primaryMetric: 'bluesky.follower_growth_rate' };
    const first = await createSwitchback({ ...metric, name: 'Replies at noon on Bluesky', durationDays: 28, switchback: { seed: 11 } });
    const second = await createSwitchback({ ...metric, name: 'Evening thread on Bluesky', durationDays: 28, switchback: { seed: 12 } });

    expect(first.switchback.balancedAgainst).toBeUndefined();
    const firstArms = first.switchback.schedule.map((d: { arm: string }) => (d.arm === 'treatment' ? 'T' : 'C')).join('');
    expect(second.switchback.balancedAgainst).toEqual([{ experimentId: first.id, arms: firstArms }]);
    const both = second.switchback.schedule.filter((d: { arm: string }, i: number) => d.arm === 'treatment' && firstArms[i] === 'T').length;
    expect(both).toBe(7);

    // A switchback started from the backlog is drawn against both.
    const idea = await call(runtime, 'POST', '/backlog', {
      body: { name: 'Morning poll on Bluesky', hypothesis: 'A poll grows followers', primaryMetric: 'bluesky.follower_growth_rate', durationDays: 28, design: 'switchback', switchback: { seed: 13 } },
    });
    expect(idea.status).toBe(201);
    const started = await call(runtime, 'POST', `/experiments/${idea.body.id}/start`, { body: {} });
    expect(started.status).toBe(200);
    expect(started.body.switchback.balancedAgainst.map((b: { experimentId: string }) => b.experimentId).sort()).toEqual([first.id, second.id].sort());
  });
});

describe('the calendar feed', () => {
  it('serves every scheduled day as an all-day event to its own token, readable by an iCalendar parser', async () => {
    const e = await createSwitchback({ name: 'Build-in-public thread, daily; "raw"' });
    const created = await call(runtime, 'POST', '/calendar/token', { body: {} });
    expect(created.status).toBe(201);
    const { token, url } = created.body as { token: string; url: string };
    expect(url).toBe(`${runtime.url}/calendar.ics?token=${encodeURIComponent(token)}`);

    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const parsed = ical.sync.parseICS(await feed.text());
    const events = Object.values(parsed).filter((c) => c?.type === 'VEVENT').map((c) => c as ical.VEvent).filter((ev) => ev.uid.startsWith(e.id));

    expect(events).toHaveLength(14);
    const first = events.find((ev) => ev.uid === `${e.id}-${today().replace(/-/g, '')}@verdict`)!;
    expect(first.datetype).toBe('date');
    expect(first.summary).toBe(e.switchback.schedule[0].arm === 'treatment' ? `Do: ${e.name}` : `Control day: no “${e.name}”`);
    const treatmentDays = events.filter((ev) => String(ev.summary).startsWith('Do:')).length;
    expect(treatmentDays).toBe(e.switchback.schedule.filter((d: { arm: string }) => d.arm === 'treatment').length);
  });

  it('refuses the API token, a wrong token and a revoked one, and the feed token opens nothing else', async () => {
    const first = (await call(runtime, 'POST', '/calendar/token', { body: {} })).body.token as string;
    const second = (await call(runtime, 'POST', '/calendar/token', { body: {} })).body.token as string;

    for (const token of [TEST_TOKEN, 'vcal_wrong', first]) {
      expect((await fetch(`${runtime.url}/calendar.ics?token=${encodeURIComponent(token)}`)).status).toBe(401);
    }
    expect((await fetch(`${runtime.url}/calendar.ics`)).status).toBe(401);
    expect((await fetch(`${runtime.url}/calendar.ics?token=${second}`)).status).toBe(200);
    expect((await call(runtime, 'GET', '/experiments', { token: second })).status).toBe(401);
    expect((await call(runtime, 'GET', `/today?token=${second}`, { token: null })).status).toBe(401);
  });
});

describe('extending a switchback', () => {
  it('schedules the added days from the stored seed and stores them', async () => {
    const e = await createSwitchback({ name: 'Longer replies at noon', switchback: { seed: 777 } });

    const res = await call(runtime, 'POST', `/experiments/${e.id}/extend`, { body: { days: 7 } });

    expect(res.status).toBe(200);
    expect(res.body.durationDays).toBe(21);
    expect(res.body.switchback.schedule).toHaveLength(21);
    expect(res.body.switchback.schedule.slice(0, 14)).toEqual(e.switchback.schedule);
    expect(res.body.switchback.stretches).toEqual([{ from: 14, seed: expect.any(Number) }]);
    const stored = await call(runtime, 'GET', `/experiments/${e.id}`);
    expect(stored.body.switchback.schedule).toEqual(res.body.switchback.schedule);
  });
});

describe('planning a switchback', () => {
  it('plans the switchback\'s own power beside the before/after power of the same account', async () => {
    // Snapshots at fixed UTC hours: how much a switch is blurred depends on where midnight falls between
    // two snapshots, so snapshots at the hour the test happens to run would make the figures depend on it.
    await importFollowerHistory(runtime, 40, () => 10, { atUtcMidnights: true });
    const res = await call(runtime, 'POST', '/experiments/plan', { body: aCreateRequest({ start: today(), durationDays: 28, design: 'switchback' }) });

    expect(res.status).toBe(200);
    expect(res.body.switchback).toMatchObject({ windowDays: 28, blockDays: 1, washoutDays: 0, beforeAfter: { powerAtTarget: expect.any(Number) } });
    // The imported history grows by exactly 10 a day; the switchback plan still counts Poisson noise
    // (no count varies less), so it promises high power for +50 %, never certainty.
    expect(res.body.switchback.powerAtTarget).toBeGreaterThan(0.9);
    expect(res.body.switchback.powerAtTarget).toBeLessThan(0.99);
    expect(res.body.switchback.gain).toMatch(/switching daily vs \d+ % before\/after/);
    expect(res.body.switchback.proposed).toMatchObject({ reachesTarget: true, sentence: expect.stringMatching(/^A \d+-day switchback reaches \d+ % power for \+50 %\.$/) });
    expect(res.body.switchback.proposed.windowDays).toBeLessThanOrEqual(42);
  });
});

describe('scoring a switchback', () => {
  it('records its verdict once through the scorer, with the randomization test behind it', async () => {
    await importFollowerHistory(runtime, 40, () => 10, { atUtcMidnights: true }); // the planning test's history again
    const e = await createSwitchback({ start: daysFromNow(-31).slice(0, 10), durationDays: 28 });

    const run = await runScorer(runtime);
    expect(run.scored).toContain(e.id);
    const verdict = await call(runtime, 'GET', `/experiments/${e.id}/verdict`);

    expect(verdict.body).toMatchObject({ design: 'switchback', method: 'switchback_randomization', decision: 'discard' });
    expect(verdict.body.switchback.randomization.permutations).toBeGreaterThan(1000);
    expect((await runScorer(runtime)).scored).not.toContain(e.id);
  });
});

describe('post-variant experiments', () => {
  it('draws balanced arms for the next posts and tags a post by hand', async () => {
    const created = await call(runtime, 'POST', '/experiments', {
      body: aCreateRequest({ primaryMetric: 'x.engagement_rate', start: today(), durationDays: 28, design: 'post_variants', postVariants: { arms: ['raw', 'polished'], seed: 9 } }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const draws: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await call(runtime, 'POST', `/experiments/${id}/next-post`, { body: {} });
      expect(res.status).toBe(200);
      expect(res.body.marker).toBe(`#v-${res.body.arm}`);
      draws.push(res.body.arm);
    }
    expect(draws.filter((a) => a === 'raw')).toHaveLength(2);

    const tagged = await call(runtime, 'POST', `/experiments/${id}/posts/1866000000000000001/arm`, { body: { arm: 'polished' } });
    expect(tagged.body.postVariants).toMatchObject({ draws: 4, taggedPosts: { '1866000000000000001': 'polished' } });
    expect((await call(runtime, 'POST', `/experiments/${id}/posts/1866000000000000001/arm`, { body: { arm: 'shiny' } })).status).toBe(400);
  });

  it('refuses post variants on a per-day metric', async () => {
    const res = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ design: 'post_variants', postVariants: { arms: ['a', 'b'] } }) });
    expect(res.status).toBe(400);
  });
});
