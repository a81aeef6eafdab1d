/**
 * Planning through the local HTTP server: POST /experiments/plan stores nothing and says what the
 * window can detect from the metric's own history; create and start store the plan with its warnings,
 * and a PATCH to the window or the loop starting a backlog item plans again.
 */
import { planFor } from '../../../functions/jobs/plan-experiment';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { parseAppConfig } from '../../../functions/shared/app-config';
import { aCreateRequest, followerSnapshots } from '../../support/factories';
import { call, startTestRuntime } from '../../support/local-runtime';
import { daysFromNow, importFollowerHistory, runScorer } from './api-helpers';

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
  // Eight weeks of a small account: about 2 new followers a day (alternating 1 and 3).
  await importFollowerHistory(runtime, 56, (t) => (t.getUTCDate() % 2 === 0 ? 1 : 3));
});
afterAll(async () => { await runtime.close(); });

describe('POST /experiments/plan', () => {
  it('says what the window can detect from the history and stores nothing', async () => {
    const before = await call(runtime, 'GET', '/experiments');

    const res = await call(runtime, 'POST', '/experiments/plan', { body: aCreateRequest({ start: daysFromNow(0), durationDays: 14 }) });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ metric: 'x.follower_growth_rate', windowDays: 14, targetLift: 0.5, assumed: false });
    expect(res.body.historyDays).toBeGreaterThanOrEqual(55);
    expect(res.body.expectedLevel).toBeGreaterThan(1.5);
    expect(res.body.expectedLevel).toBeLessThan(2.5);
    expect(res.body.detectableLift).toBeGreaterThan(0);
    expect(res.body.byWindow.map((w: { windowDays: number }) => w.windowDays)).toEqual([7, 14, 28, 42]);
    expect(res.body.summary).toMatch(/can detect \+\d+ % or more at 80 % power/);
    const after = await call(runtime, 'GET', '/experiments');
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('plans a start further ahead than the history it reads (an empty range) instead of failing with a 500', async () => {
    const res = await call(runtime, 'POST', '/experiments/plan', { body: aCreateRequest({ start: daysFromNow(200), durationDays: 14 }) });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ metric: 'x.follower_growth_rate', windowDays: 14 });
  });

  it('rejects the same bad bodies as create', async () => {
    const res = await call(runtime, 'POST', '/experiments/plan', { body: aCreateRequest({ durationDays: 3 }) });
    expect(res.status).toBe(400);
  });

  it('warns when the metric has no data and no collector', async () => {
    const res = await call(runtime, 'POST', '/experiments/plan', { body: aCreateRequest({ primaryMetric: 'newsletter.subscriber_growth_rate', start: daysFromNow(0) }) });
    expect(res.status).toBe(200);
    expect(res.body.detectableLift).toBeNull();
    expect(res.body.warnings.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(['no_collector', 'no_data']));
  });
});

describe('plans stored with experiments', () => {
  it('stores the plan at create, and warns about an overlapping experiment on the same metric', async () => {
    const first = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ start: daysFromNow(1), durationDays: 14 }) });
    const second = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'Overlapping', start: daysFromNow(3), durationDays: 14 }) });

    expect(first.status).toBe(201);
    expect(first.body.plan).toMatchObject({ windowDays: 14, metric: 'x.follower_growth_rate' });
    expect(first.body.plan.detectableLift).toBeGreaterThan(0);
    expect(second.status).toBe(201);
    const overlap = second.body.plan.warnings.find((w: { code: string }) => w.code === 'overlapping_experiment');
    expect(overlap.experimentIds).toEqual([first.body.id]);
    const shown = await call(runtime, 'GET', `/experiments/${first.body.id}`);
    expect(shown.body.plan.summary).toBe(first.body.plan.summary);
  });

  it('plans a backlog item when it is added and again when it starts', async () => {
    const added = await call(runtime, 'POST', '/backlog', { body: { name: 'Idea', hypothesis: 'Replies grow followers', primaryMetric: 'x.follower_growth_rate', durationDays: 28 } });
    expect(added.status).toBe(201);
    expect(added.body.plan.windowDays).toBe(28);

    const started = await call(runtime, 'POST', `/experiments/${added.body.id}/start`, { body: {} });

    expect(started.status).toBe(200);
    expect(started.body.plan.windowDays).toBe(28);
    expect(Date.parse(started.body.plan.computedAt)).toBeGreaterThanOrEqual(Date.parse(added.body.plan.computedAt));
  });
});

describe('plans kept current', () => {
  it('plans a planned experiment again when a PATCH changes its window, and not when it changes its name', async () => {
    const created = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'Re-planned', start: daysFromNow(20), durationDays: 7 }) });
    expect(created.body.plan.windowDays).toBe(7);

    const longer = await call(runtime, 'PATCH', `/experiments/${created.body.id}`, { body: { durationDays: 28 } });
    const renamed = await call(runtime, 'PATCH', `/experiments/${created.body.id}`, { body: { name: 'Re-planned, renamed' } });

    expect(longer.status).toBe(200);
    expect(longer.body.plan.windowDays).toBe(28);
    expect(longer.body.plan.detectableLift).toBeLessThan(created.body.plan.detectableLift);
    expect(renamed.body.plan).toEqual(longer.body.plan);
  });

  it('plans a backlog item again when the loop starts it, from the history there is by then', async () => {
    const added = await call(runtime, 'POST', '/backlog', {
      body: { name: 'Loop-started idea', hypothesis: 'Threads grow followers', primaryMetric: 'bluesky.follower_growth_rate', durationDays: 14, iceScore: { impact: 10, confidence: 10, ease: 10 } },
    });
    expect(added.body.plan.warnings.map((w: { code: string }) => w.code)).toContain('no_data');
    const bluesky = followerSnapshots({ from: daysFromNow(-28), to: new Date().toISOString(), perDay: () => 4 }).map((o) => ({ ...o, metric: 'bluesky.followers', source: 'bluesky' }));
    expect((await call(runtime, 'POST', '/observations', { body: { observations: bluesky } })).status).toBe(200);

    await runScorer(runtime);

    const started = await call(runtime, 'GET', `/experiments/${added.body.id}`);
    expect(started.body.status).toBe('running');
    expect(started.body.plan.warnings.map((w: { code: string }) => w.code)).not.toContain('no_data');
    expect(started.body.plan.expectedLevel).toBeGreaterThan(3);
    expect(Date.parse(started.body.plan.computedAt)).toBeGreaterThan(Date.parse(added.body.plan.computedAt));
  });
});

describe('a collector enabled without credentials', () => {
  it('is warned about in the plan (local runtime: nothing in env/.env), naming the variables and never a value', async () => {
    // The shared runtime: default config (X enabled), an env without X credentials.
    const res = await call(runtime, 'POST', '/experiments/plan', { body: aCreateRequest({ start: daysFromNow(1), durationDays: 14 }) });

    const warning = res.body.warnings.find((w: { code: string }) => w.code === 'no_collector');
    expect(warning.message).toBe(
      'Nothing will be collected for x.follower_growth_rate: the x collector has no credentials in the environment or .env ' +
        '(none of X_APP_KEY, X_APP_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET, X_OAUTH2_USER_TOKEN is set). ' +
        "Set them, or import the window's data as well (verdict import): without either the verdict will find none.",
    );
  });

  it('is not warned about once the credentials are set, and the plan shows none of them', async () => {
    const withCredentials = await startTestRuntime({}, { env: { X_OAUTH2_USER_TOKEN: 'fake-user-token-not-a-secret-123' } });
    try {
      const res = await call(withCredentials, 'POST', '/experiments/plan', { body: aCreateRequest({ start: daysFromNow(1), durationDays: 14 }) });

      expect(res.status).toBe(200);
      expect(res.body.warnings.map((w: { code: string }) => w.code)).not.toContain('no_collector');
      expect(res.text).not.toContain('fake-user-token');
    } finally {
      await withCredentials.close();
    }
  });

  it('is warned about where credentials are not at hand (the API functions) from the source’s last recorded run', async () => {
    // planFor as the deployed api-plans function composes it: no credentials provider, the run store.
    const deps = { ...runtime.stores, config: parseAppConfig({}) };
    const request = { primaryMetric: 'x.follower_growth_rate', start: daysFromNow(1), durationDays: 14 };
    const base = { source: 'x', observations: 0, durationMs: 5 };
    await runtime.stores.runs.recordRun({ ...base, slot: '2026-12-01T16:00:00.000Z', startedAt: '2026-12-01T16:00:02.000Z', outcome: 'not_configured', message: 'no credentials configured' });

    const before = await planFor(request, new Date(), deps);
    await runtime.stores.runs.recordRun({ ...base, slot: '2026-12-01T17:00:00.000Z', startedAt: '2026-12-01T17:00:02.000Z', outcome: 'ok', observations: 1 });
    const after = await planFor(request, new Date(), deps);

    expect(before.warnings.find((w) => w.code === 'no_collector')?.message).toBe(
      'Nothing will be collected for x.follower_growth_rate: the x collector was not configured at its last run ' +
        '(2026-12-01 16:00 UTC: no credentials configured; set them with verdict secrets set x --from-env). ' +
        "Set them, or import the window's data as well (verdict import): without either the verdict will find none.",
    );
    expect(after.warnings.map((w) => w.code)).not.toContain('no_collector');
  });
});
