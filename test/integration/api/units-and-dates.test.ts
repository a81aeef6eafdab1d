/** One unit for lifts (a fraction, everywhere) and dates as people and agents type them. */
import type { LocalRuntime } from '../../../functions/local/runtime';
import { aCreateRequest } from '../../support/factories';
import { call, startTestRuntime } from '../../support/local-runtime';

let runtime: LocalRuntime;
beforeAll(async () => { runtime = await startTestRuntime(); });
afterAll(async () => { await runtime.close(); });

const idea = (decision: unknown) => ({ name: 'Bar', hypothesis: 'H', primaryMetric: 'x.follower_growth_rate', decision });

describe('minimum lift', () => {
  it('refuses a percent sent as a fraction (10 → +1000 %), showing both spellings', async () => {
    const res = await call(runtime, 'POST', '/backlog', { body: idea({ minLift: 10 }) });

    expect(res.status).toBe(400);
    const issue = res.body.error.details.issues[0];
    expect(issue.path).toBe('decision.minLift');
    expect(issue.message).toContain('+1000 %');
    expect(issue.message).toContain('send 0.1');
    expect(issue.message).toContain('--min-lift 10');
  });

  it('takes a fraction up to +500 % and stores it as sent', async () => {
    const ok = await call(runtime, 'POST', '/backlog', { body: idea({ minLift: 0.1 }) });
    const most = await call(runtime, 'POST', '/backlog', { body: idea({ minLift: 5 }) });

    expect([ok.status, ok.body.decision.minLift]).toEqual([201, 0.1]);
    expect([most.status, most.body.decision.minLift]).toEqual([201, 5]);
    expect((await call(runtime, 'POST', '/backlog', { body: idea({ minLift: 5.01 }) })).status).toBe(400);
  });

  it('names the unit in the documented schema', async () => {
    const doc = (await call(runtime, 'GET', '/openapi.json')).body;
    const backlog = doc.paths['/backlog'].post.requestBody.content['application/json'].schema;
    expect(backlog.properties.decision.properties.minLift).toMatchObject({ maximum: 5, description: expect.stringContaining('FRACTION') });
  });
});

describe('dates', () => {
  it('accepts tomorrow, a plain date and a date-time with a space', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const made = await Promise.all(['tomorrow', tomorrow, `${tomorrow} 09:00`].map((start) => call(runtime, 'POST', '/experiments', { body: aCreateRequest({ start, durationDays: 14 }) })));

    expect(made.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(made.map((r) => r.body.start)).toEqual([`${tomorrow}T00:00:00.000Z`, `${tomorrow}T00:00:00.000Z`, `${tomorrow}T09:00:00.000Z`]);
  });

  it('says the format when it cannot read a date', async () => {
    const res = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ start: 'next friday', durationDays: 14 }) });

    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0]).toEqual({ path: 'start', message: expect.stringMatching(/2026-12-01.*today \/ tomorrow/) });
  });
});
