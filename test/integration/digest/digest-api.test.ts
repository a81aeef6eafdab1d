/**
 * The digest on the local runtime: GET /digest (JSON, markdown, text), `verdict digest` in the terminal,
 * and the scheduled job posting the webhook once per week.
 */
import { digestCommand } from '../../../functions/cli/digest-command';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { weeklyJobs } from '../../../functions/shared/scheduled-jobs';
import { parseAppConfig } from '../../../functions/shared/app-config';
import { logger } from '../../../functions/shared/logger';
import { FakeServer } from '../../fakes/fake-http-server';
import { anExperiment } from '../../support/factories';
import { TEST_TOKEN, call, startTestRuntime } from '../../support/local-runtime';
import { aVerdict } from '../../unit/digest/digest-fixtures';

const CONFIG = { digest: { day: 'FRI', hour: 16, timeZone: 'Europe/Berlin' }, loop: { targetActive: 2 } };

let runtime: LocalRuntime;
let webhook: FakeServer;

beforeAll(async () => {
  logger.setLogLevel('SILENT');
  webhook = await FakeServer.start();
  webhook.route('POST', '/hooks/weekly', { status: 200, body: 'ok' });
  runtime = await startTestRuntime(CONFIG, { env: { VERDICT_DIGEST_WEBHOOK_URL: `${webhook.url}/hooks/weekly` } });
  const { experiments } = runtime.stores;
  const thread = await experiments.create(anExperiment({ id: 'exp_thread', name: 'Daily build-in-public thread', start: '2026-10-26T00:00:00.000Z', end: '2026-11-09T00:00:00.000Z' }));
  await experiments.recordFirstVerdict(thread, aVerdict({ experimentId: 'exp_thread', scoredAt: '2026-11-09T01:00:00.000Z' }));
});
afterAll(async () => {
  await runtime.close();
  await webhook.close();
});

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdin: process.stdin, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env: { VERDICT_API_URL: runtime.url, VERDICT_API_TOKEN: TEST_TOKEN } },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('GET /digest', () => {
  it('returns the week\'s digest as JSON with its markdown and text', async () => {
    const res = await call(runtime, 'GET', '/digest?week=2026-W46');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      week: '2026-W46', timeZone: 'Europe/Berlin',
      period: { start: '2026-11-06T15:00:00.000Z', end: '2026-11-13T15:00:00.000Z' },
      counts: { verdicts: 1, keeps: 1, running: 0, target: 2 },
    });
    expect(res.body.sections.map((s: { id: string }) => s.id)).toEqual(['verdicts', 'running', 'backlog', 'sources', 'nudge']);
    expect(res.body.markdown).toContain('- **Daily build-in-public thread** — KEEP (improved) on x.follower_growth_rate');
  });

  it('returns the same markdown and text alone with ?format=md and ?format=text', async () => {
    const json = (await call(runtime, 'GET', '/digest?week=2026-W46')).body;
    const md = await call(runtime, 'GET', '/digest?week=2026-W46&format=md');
    const text = await call(runtime, 'GET', '/digest?week=2026-W46&format=text');

    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(md.text).toBe(json.markdown);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text.text).toBe(json.text);
  });

  it('defaults to the digest in progress: from the last digest time up to now', async () => {
    const res = await call(runtime, 'GET', '/digest');

    expect(res.status).toBe(200);
    expect(res.body.week).toMatch(/^\d{4}-W\d{2}$/);
    expect(res.body.period.end).toBe(res.body.generatedAt);
    expect(Date.parse(res.body.generatedAt) - Date.parse(res.body.period.start)).toBeLessThanOrEqual(7 * 86_400_000);
  });

  it.each([
    ['a malformed week', '2026-46', 'must be an ISO week like 2026-W46'],
    ['a week that does not exist', '2025-W53', 'must be an ISO week like 2026-W46'],
    ['a future week', '2099-W01', 'is in the future'],
  ])('rejects %s with 400 naming the week', async (_case, week, message) => {
    const res = await call(runtime, 'GET', `/digest?week=${week}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: { issues: [{ path: 'week', message }] } });
  });

  it('needs the token', async () => {
    expect((await call(runtime, 'GET', '/digest', { token: null })).status).toBe(401);
  });
});

describe('verdict digest', () => {
  it('prints the digest as plain text, the same text the email carries', async () => {
    const term = captureIo();

    const code = await digestCommand(['--week', '2026-W46'], term.io);

    expect(code).toBe(0);
    expect(term.out()).toBe((await call(runtime, 'GET', '/digest?week=2026-W46&format=text')).text);
    expect(term.out()).toMatch(/^Verdict weekly digest - 2026-W46\n/);
  });

  it('prints markdown with --markdown, and names the bad field (exit 2) on a bad week', async () => {
    const md = captureIo();
    const bad = captureIo();

    expect(await digestCommand(['--week', '2026-W46', '--markdown'], md.io)).toBe(0);
    expect(await digestCommand(['--week', 'next'], bad.io)).toBe(2);

    expect(md.out()).toMatch(/^# Verdict weekly digest — 2026-W46\n/);
    const json = captureIo();
    expect(await digestCommand(['--week', '2026-W46', '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({ week: '2026-W46', counts: { verdicts: 1 } });
    expect(bad.err()).toContain('• week: must be an ISO week like 2026-W46');
  });
});

describe('the scheduled digest job on the local runtime', () => {
  it('posts the webhook once per week, however often the trigger fires', async () => {
    const [job] = weeklyJobs(parseAppConfig(CONFIG));

    await runtime.runJob(job, '2026-11-20T15:00:00.000Z');
    await runtime.runJob(job, '2026-11-20T15:00:00.000Z');
    await runtime.runJob(job, '2026-11-20T15:05:00.000Z');

    const posts = webhook.requestsTo('POST', '/hooks/weekly');
    expect(posts).toHaveLength(1);
    expect((posts[0].json as { text: string }).text).toMatch(/^\*Verdict weekly digest 2026-W47: /);
  });
});

describe('a past week', () => {
  it('lists as running only the experiments that had started by the end of that week', async () => {
    await runtime.stores.experiments.create(anExperiment({ id: 'exp_later', name: 'Started after W46', status: 'running', start: '2026-11-20T00:00:00.000Z', end: '2026-12-04T00:00:00.000Z' }));

    const w46 = (await call(runtime, 'GET', '/digest?week=2026-W46')).body;
    const w48 = (await call(runtime, 'GET', '/digest?week=2026-W48')).body;

    expect(w46.counts.running).toBe(0);
    expect(w46.markdown).not.toContain('Started after W46');
    expect(w48.markdown).toContain('Started after W46');
  });
});
