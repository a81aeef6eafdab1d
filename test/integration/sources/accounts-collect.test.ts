/**
 * Issue 18 — several accounts per source, collected: two X accounts configured (the default and
 * sources.x.accounts.acme), each with its own credentials from .env-style variables (X_APP_KEY and
 * X_APP_KEY__ACME), collected by the real twitter-api-v2 client against the local fake X API into their
 * own series, runs and pauses; the collector event (and its metric's Source), the schedules, the health view and POST /collect name
 * the account. Nothing here reaches the internet.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { collectSlot, type CollectDeps } from '../../../functions/jobs/collect';
import { createCollector } from '../../../functions/jobs/collector-invocation';
import { configForTarget, parseAppConfig } from '../../../functions/shared/app-config';
import { EnvCredentials } from '../../../functions/sources/credentials';
import { scheduledJobs } from '../../../functions/shared/scheduled-jobs';
import { createAnySource } from '../../../functions/sources/all-sources';
import type { FakeResponse, RecordedRequest } from '../../fakes/fake-http-server';
import { useFakeServer } from '../../fakes/fake-http-server';
import { installXFake, X_RATE_LIMIT_BODY, xMeBody, xRateLimitHeaders } from '../../fakes/x-fake';
import { httpEvent, startCountedApi, TABLE, type CountedApi } from '../../reliability/api-harness';

const fake = useFakeServer((s) => installXFake(s));
let api: CountedApi;

const CONFIG = { sources: { x: { everyMinutes: 360, accounts: { acme: { timelineMaxPosts: 5 } } } } };
const ENV = {
  X_APP_KEY: 'dev-key', X_APP_SECRET: 'dev-secret', X_ACCESS_TOKEN: 'dev-token', X_ACCESS_SECRET: 'dev-access',
  X_APP_KEY__ACME: 'acme-key', X_APP_SECRET__ACME: 'acme-secret', X_ACCESS_TOKEN__ACME: 'acme-token', X_ACCESS_SECRET__ACME: 'acme-access',
};
const SLOT = '2026-11-20T06:00:00.000Z';
const config = parseAppConfig(CONFIG);

/** The fake answers /2/users/me by the OAuth consumer key: each account's own user. */
const consumerKey = (req: RecordedRequest) => /oauth_consumer_key="([^"]+)"/.exec(String(req.headers.authorization))?.[1];
function meByAccount(acme: FakeResponse = { body: { data: { ...(xMeBody({ followers_count: 1200 }) as any).data, username: 'acmehq', id: '99' } } }) {
  fake.server.route('GET', '/2/users/me', (req): FakeResponse => (consumerKey(req) === 'acme-key' ? acme : { body: xMeBody({ followers_count: 583423 }) }));
}

function deps(now = new Date('2026-11-20T06:00:05Z')): CollectDeps {
  return {
    config, ...api.stores,
    credentials: new EnvCredentials(ENV),
    buildSource: (name, credentials, account) => createAnySource(name, credentials, { config: configForTarget(config, { source: name, account }), endpoints: { x: fake.server.url }, now: () => now }),
    log: { info: () => {}, warn: () => {} },
    now: () => now,
  };
}
const partition = async (pk: string) => (await api.stores.db.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }))).Items ?? [];

beforeAll(async () => { api = await startCountedApi(CONFIG); });
afterAll(async () => { await api?.close(); });

it('collects each account with its own credentials into its own series and runs', async () => {
  meByAccount();

  const byDefault = await collectSlot('x', SLOT, 30_000, deps());
  const byAcme = await collectSlot('x', SLOT, 30_000, deps(), 'acme');

  expect(byDefault).toMatchObject({ source: 'x', outcome: 'ok' });
  expect(byDefault).not.toHaveProperty('account');
  expect(byAcme).toMatchObject({ source: 'x', account: 'acme', outcome: 'ok' });
  const [defaultFollowers] = await partition('OBS#x.followers');
  const [acmeFollowers] = await partition('OBS#x.followers@acme');
  expect(defaultFollowers).toMatchObject({ value: 583423, account: 'dev' });
  expect(defaultFollowers).not.toHaveProperty('accountName');
  expect(acmeFollowers).toMatchObject({ value: 1200, account: 'acmehq', accountName: 'acme' });
  expect((await partition('OBS#x.post@acme')).every((i) => i.accountName === 'acme')).toBe(true);
  expect(await api.stores.runs.getRun('x', SLOT, 'acme')).toMatchObject({ outcome: 'ok', account: 'acme' });
  // The acme account's timeline setting (5 posts) reached its adapter; the default kept its own (20).
  const timelines = fake.server.requests.filter((r) => r.path.endsWith('/tweets'));
  expect(timelines.map((r) => r.query.get('max_results')).sort()).toEqual(['20', '5']);
});

it('pauses only the account that hit its rate limit', async () => {
  const reset = Math.floor(Date.parse('2026-11-20T12:10:00Z') / 1000);
  meByAccount({ status: 429, body: X_RATE_LIMIT_BODY, headers: xRateLimitHeaders(reset) });
  const slot = '2026-11-20T12:00:00.000Z';
  const now = new Date('2026-11-20T12:00:05Z');

  const acme = await collectSlot('x', slot, 30_000, deps(now), 'acme');
  const byDefault = await collectSlot('x', slot, 30_000, deps(now));

  expect(acme.outcome).toBe('rate_limited');
  expect(byDefault.outcome).toBe('ok');
  expect((await api.stores.runs.getSourceState('x', 'acme'))?.pausedUntil).toBe('2026-11-20T12:10:00.000Z');
  expect(await api.stores.runs.getSourceState('x')).toBeUndefined();
});

it('reports an account missing from the config as not configured, reading nothing', async () => {
  const before = fake.server.requests.length;

  const run = await collectSlot('x', SLOT, 30_000, deps(), 'beta');

  expect(run).toMatchObject({ outcome: 'not_configured', account: 'beta' });
  expect(fake.server.requests.length).toBe(before);
});

it('takes the account from the collector event and names it in the metric line', async () => {
  meByAccount();
  const dimensions: Record<string, string>[] = [];
  const metrics = { addDimension: (name: string, value: string) => { dimensions.push({ [name]: value }); }, addMetric: () => {}, publishStoredMetrics: () => {} };
  const collector = createCollector({ ...deps(new Date('2026-11-20T18:00:05Z')), defaultSource: 'x', metrics: metrics as never });

  const run = await collector({ scheduledTime: '2026-11-20T18:00:00Z', account: 'acme' });

  expect(run).toMatchObject({ account: 'acme', outcome: 'ok' });
  expect(dimensions).toEqual([{ Source: 'x@acme' }]);
  await expect(collector({ scheduledTime: '2026-11-20T18:00:00Z', account: 'Not An Account' })).rejects.toThrow(/account/);
});

it('schedules each enabled account as its own job', () => {
  const jobs = scheduledJobs(parseAppConfig({ sources: { x: { enabled: false, accounts: { acme: {}, beta: { everyMinutes: 720 }, old: { enabled: false } } }, beehiiv: { enabled: true, accounts: { brand2: {} } } } }));

  expect(jobs.filter((j) => j.kind === 'collector').map((j) => ({ id: j.id, account: (j as any).account, every: j.cadence.everyMinutes }))).toEqual([
    { id: 'collect-x@acme', account: 'acme', every: 360 },
    { id: 'collect-x@beta', account: 'beta', every: 720 },
    { id: 'collect-beehiiv', account: undefined, every: 1440 },
    { id: 'collect-beehiiv@brand2', account: 'brand2', every: 1440 },
  ]);
});

it('shows each account in GET /health and collects one account through POST /collect', async () => {
  const health = await api.send(httpEvent('GET', '/health'));
  const one = await api.send(httpEvent('POST', '/collect', { body: JSON.stringify({ source: 'x', account: 'acme' }), headers: { 'content-type': 'application/json' } }));
  const unknown = await api.send(httpEvent('POST', '/collect', { body: JSON.stringify({ source: 'x', account: 'beta' }), headers: { 'content-type': 'application/json' } }));

  const sources = JSON.parse(health.body ?? '{}').sources as { source: string; lastRun: { account?: string } | null }[];
  expect(sources.map((s) => s.source)).toEqual(['x', 'x@acme']);
  expect(sources[1].lastRun?.account).toBe('acme');
  expect(one.statusCode).toBe(200);
  expect(api.collectCalls.at(-1)).toBe('x');
  expect(unknown.statusCode).toBe(400);
  expect(unknown.body).toMatch(/Account beta of x is not configured/);
});

it('lists each metric\'s configured accounts in GET /metrics (the catalog verdict metrics prints)', async () => {
  const res = await api.send(httpEvent('GET', '/metrics'));

  const items = JSON.parse(res.body ?? '{}').items as { key: string; accounts: string[] }[];
  expect(items.find((m) => m.key === 'x.follower_growth_rate')?.accounts).toEqual(['acme']);
  expect(items.find((m) => m.key === 'x.engagement_rate')?.accounts).toEqual(['acme']);
  expect(items.find((m) => m.key === 'newsletter.open_rate')?.accounts).toEqual([]);
});

it('plans metric@account against that account\'s collector: no no_collector warning for an enabled account, one for an unknown one', async () => {
  const start = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const plan = async (primaryMetric: string) => {
    const res = await api.send(httpEvent('POST', '/experiments/plan', { body: JSON.stringify({ name: 'Threads', hypothesis: 'Threads grow the account', primaryMetric, start, durationDays: 14 }), headers: { 'content-type': 'application/json' } }));
    return JSON.parse(res.body ?? '{}') as { warnings: { code: string; message: string }[] };
  };

  const acme = await plan('x.follower_growth_rate@acme');
  const beta = await plan('x.follower_growth_rate@beta');

  expect(acme.warnings.map((w) => w.code)).not.toContain('no_collector');
  expect(beta.warnings.find((w) => w.code === 'no_collector')?.message).toContain('(x@beta)');
});
