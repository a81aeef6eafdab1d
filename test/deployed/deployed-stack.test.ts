/**
 * The strongest test we have: the code AWS runs, run the way AWS runs it. The app is synthesized once
 * with real bundles; every function of the template runs from its cdk.out asset in a Node process of
 * its own with exactly the template's environment, against dynalite (the template's table) and moto
 * (secrets, topic, bus), reached through one endpoint that records every AWS call; HTTP requests pass
 * the template's routes and token authorizer (see deployed-stack.ts). A broken environment, a missing
 * grant or a bundling mistake fails here. The last tests check each recorded call against the
 * function's role policy in the template, and that every grant was used or says why not.
 */
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SubscribeCommand } from '@aws-sdk/client-sns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDocumentClient } from '../../functions/shared/clients';
import { ExperimentStore } from '../../functions/store/experiment-store';
import { ObservationStore } from '../../functions/store/observation-store';
import { BEEHIIV_PUBLICATION_ID, installBeehiivFake } from '../fakes/beehiiv-fake';
import { installBlueskyFake } from '../fakes/bluesky-fake';
import { FakeServer } from '../fakes/fake-http-server';
import { aCreateRequest, anExperiment, followerSnapshots } from '../support/factories';
import { DeployedStack } from './deployed-stack';
import { grantsOf, grantUsed, isAllowed, statementsOf } from './iam';

const DAY = 86_400_000;
const TOKEN = 'harness-token-0123456789abcdefghijklmnopqrstu';
const ROTATED = 'rotated-token-0123456789abcdefghijklmnopqrstu';
const BEEHIIV_KEY = 'bh-harness-key-0123456789';

/** Two collectors reached through the egress proxy (one public, one with a key in the secret); the loop idle. */
const VERDICT = {
  sources: {
    x: { enabled: false },
    bluesky: { enabled: true, handle: 'verdict.bsky.social', everyMinutes: 360 },
    beehiiv: { enabled: true, publicationId: BEEHIIV_PUBLICATION_ID },
  },
  loop: { targetActive: 0 },
};

/**
 * Grants no test exercises, each with why it is still needed. Anything granted, unused and not here
 * fails the least-privilege check.
 */
const GRANTED_WITHOUT_USE: Record<string, string> = {
  'logs:CreateLogStream': 'Used by the Lambda service on the function\'s behalf to write its log group, not by the function\'s code.',
  'logs:PutLogEvents': 'Used by the Lambda service on the function\'s behalf to write its log group, not by the function\'s code.',
  'sqs:SendMessage': 'The async-invoke on-failure destination: the Lambda service sends the failed invocation record, not the code.',
  'scorer dynamodb:BatchGetItem': 'backfillResearchLog reads the verdicts of experiments concluded before log rows existed (a table from an earlier version); a fresh table has none.',
};
const reasonFor = (fn: string, action: string) => GRANTED_WITHOUT_USE[`${fn} ${action}`] ?? GRANTED_WITHOUT_USE[action];

let stack: DeployedStack;
let bluesky: FakeServer;
let beehiiv: FakeServer;
/** The chat webhook the digest posts to (its URL is in the source-credentials secret). */
let chat: FakeServer;
const WEBHOOK_URL = 'https://hooks.slack.com/services/T000/B000/harness';
let subscriber: http.Server;
const notifications: { Type?: string; Subject?: string; Message?: string }[] = [];
let token = TOKEN;

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const failureOf = (name: string, inv: { ok: boolean; error?: unknown }) => (inv.ok ? '' : `${name} failed: ${JSON.stringify(inv.error)}\n${stack.environmentOf(name).output.slice(-3000)}`);

beforeAll(async () => {
  [bluesky, beehiiv, chat] = await Promise.all([FakeServer.start(), FakeServer.start(), FakeServer.start()]);
  chat.route('POST', '/services/T000/B000/harness', { body: 'ok', headers: { 'content-type': 'text/plain' } });
  installBlueskyFake(bluesky);
  installBeehiivFake(beehiiv);
  subscriber = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => { try { notifications.push(JSON.parse(body)); } catch { /* not JSON */ } res.end(); });
  });
  await new Promise<void>((resolve) => subscriber.listen(0, '127.0.0.1', () => resolve()));
  stack = await DeployedStack.start({
    verdict: VERDICT,
    egress: { 'public.api.bsky.app': bluesky.url, 'api.beehiiv.com': beehiiv.url, 'hooks.slack.com': chat.url },
    secrets: { apiToken: TOKEN, sourceCredentials: { beehiiv: { apiKey: BEEHIIV_KEY }, digest: { webhookUrl: WEBHOOK_URL } } },
  });
});

afterAll(async () => {
  if (stack) process.stdout.write(report(stack));
  await stack?.close();
  await Promise.all([bluesky?.close(), beehiiv?.close(), chat?.close()]);
  subscriber?.closeAllConnections();
  await new Promise<void>((resolve) => (subscriber ? subscriber.close(() => resolve()) : resolve()));
});

describe('the token authorizer bundle', () => {
  const authorizerEvent = (headers: Record<string, string>) => ({
    version: '2.0', type: 'REQUEST', routeArn: 'arn:aws:execute-api:us-east-1:123456789012:harness/$default/GET/experiments',
    identitySource: headers.authorization ? [headers.authorization] : [], routeKey: 'GET /experiments', rawPath: '/experiments', rawQueryString: '', headers,
    requestContext: { http: { method: 'GET', path: '/experiments', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'harness' }, requestId: 'r', routeKey: 'GET /experiments', stage: '$default' },
  });

  it('allows the current token and denies a wrong or missing one, without throwing', async () => {
    const right = await stack.invoke('authorizer', authorizerEvent(bearer(TOKEN)));
    const wrong = await stack.invoke('authorizer', authorizerEvent(bearer('not-the-token-0123456789abcdefghijklmnop')));
    const missing = await stack.invoke('authorizer', authorizerEvent({}));

    expect(failureOf('authorizer', right)).toBe('');
    expect([right.result, wrong.result, missing.result]).toEqual([{ isAuthorized: true }, { isAuthorized: false }, { isAuthorized: false }]);
    expect([wrong.ok, missing.ok]).toEqual([true, true]);
  });

  it('guards the protected routes as the stack wires it: no token 401, wrong token 403, right token 200', async () => {
    const statuses = [
      (await stack.http('GET', '/experiments')).statusCode,
      (await stack.http('GET', '/experiments', { headers: bearer('not-the-token-0123456789abcdefghijklmnop') })).statusCode,
      (await stack.http('GET', '/experiments', { headers: bearer(TOKEN) })).statusCode,
    ];

    expect(statuses).toEqual([401, 403, 200]);
  });

  it('accepts a rotated token at once on the warm authorizer and denies the rotated-out one', async () => {
    await stack.admin.secrets.send(new PutSecretValueCommand({ SecretId: stack.apiTokenSecretArn, SecretString: ROTATED }));

    const fresh = await stack.invoke('authorizer', authorizerEvent(bearer(ROTATED)));
    const old = await stack.invoke('authorizer', authorizerEvent(bearer(TOKEN)));

    expect([fresh.result, old.result]).toEqual([{ isAuthorized: true }, { isAuthorized: false }]);
    expect(stack.environmentOf('authorizer').coldStarts).toBe(1);
    token = ROTATED;
  });
});

describe('the API functions\' bundles, one per route group', () => {
  it('answers GET /health from api-reads', async () => {
    const res = await stack.http('GET', '/health', { headers: bearer(token) });

    expect(res.statusCode).toBe(200);
    expect(res.servedBy).toBe('api-reads');
  });

  it('creates an experiment with POST /experiments (api-plans) and lists it (api-experiments)', async () => {
    const created = await stack.http('POST', '/experiments', { headers: bearer(token), body: aCreateRequest({ name: 'Deployed harness', start: new Date(Date.now() + 2 * DAY).toISOString() }) });
    const listed = await stack.http('GET', '/experiments', { headers: bearer(token) });
    const planned = await stack.http('GET', '/experiments?status=planned', { headers: bearer(token) });

    expect([created.statusCode, created.servedBy, listed.servedBy]).toEqual([201, 'api-plans', 'api-experiments']);
    expect(JSON.stringify(listed.json)).toContain(created.json.id);
    expect(JSON.stringify(planned.json)).toContain(created.json.id);
  });

  it('starts, reads, extends and deletes experiments and imports observations, each on the function the route table names', async () => {
    const { name, hypothesis } = aCreateRequest();
    const planned = await stack.http('POST', '/backlog', { headers: bearer(token), body: { name, hypothesis, primaryMetric: 'bluesky.follower_growth_rate', durationDays: 14 } });
    const doomed = await stack.http('POST', '/experiments', { headers: { ...bearer(token), 'idempotency-key': 'harness-delete-1' }, body: aCreateRequest({ name: 'Deleted', start: new Date(Date.now() + 4 * DAY).toISOString() }) });

    const started = await stack.http('POST', `/experiments/${planned.json.id}/start`, { headers: bearer(token), body: {} });
    const read = await stack.http('GET', `/experiments/${planned.json.id}`, { headers: bearer(token) });
    const extended = await stack.http('POST', `/experiments/${planned.json.id}/extend`, { headers: bearer(token), body: { days: 7 } });
    const deleted = await stack.http('DELETE', `/experiments/${doomed.json.id}`, { headers: bearer(token) });
    const observations = { observations: [{ metric: 'newsletter.subscribers', at: new Date(Date.now() - DAY).toISOString(), value: 4100, source: 'beehiiv' }] };
    const imported = await stack.http('POST', '/observations', { headers: { ...bearer(token), 'idempotency-key': 'harness-import-1' }, body: observations });
    const replayed = await stack.http('POST', '/observations', { headers: { ...bearer(token), 'idempotency-key': 'harness-import-1' }, body: observations });

    expect([planned, doomed, started, read, extended, deleted, imported].map((r) => [r.statusCode, r.servedBy])).toEqual([
      [201, 'api-plans'], [201, 'api-plans'], [200, 'api-plans'], [200, 'api-readouts'], [200, 'api-experiments'], [204, 'api-experiments'], [200, 'api-imports'],
    ]);
    expect(imported.json).toMatchObject({ received: 1, written: 1 });
    expect([replayed.statusCode, replayed.headers['idempotent-replayed']]).toEqual([200, 'true']);
    expect(read.json.status).toBe('running');
    expect(extended.json.durationDays).toBe(21);
  });

  it('releases the Idempotency-Key of a request that failed, on every function that serves POSTs, so a corrected retry runs', async () => {
    const keyed = (key: string) => ({ ...bearer(token), 'idempotency-key': key });
    const running = (await stack.http('GET', '/experiments?status=running', { headers: bearer(token) })).json.items[0].id as string;

    const failed = [
      await stack.http('POST', '/experiments', { headers: keyed('harness-fail-plans'), body: { name: 'no window' } }),
      await stack.http('POST', `/experiments/${running}/extend`, { headers: keyed('harness-fail-experiments'), body: { days: -1 } }),
      await stack.http('POST', `/experiments/${running}/rescore`, { headers: keyed('harness-fail-readouts'), body: {} }),
      await stack.http('POST', '/observations', { headers: keyed('harness-fail-imports'), body: { observations: 'none' } }),
    ];
    const retried = await stack.http('POST', '/experiments', { headers: keyed('harness-fail-plans'), body: aCreateRequest({ name: 'Retried', start: new Date(Date.now() + 3 * DAY).toISOString() }) });

    expect(failed.map((r) => [r.servedBy, r.statusCode])).toEqual([['api-plans', 400], ['api-experiments', 400], ['api-readouts', 409], ['api-imports', 400]]);
    expect([retried.statusCode, retried.headers['idempotent-replayed']]).toEqual([201, undefined]);
  });

  it('serves the switchback calendar feed from api-experiments: a token from POST /calendar/token opens GET /calendar.ics without the API token', async () => {
    const feed = await stack.http('POST', '/calendar/token', { headers: bearer(token), body: {} });
    const calendar = await stack.http('GET', `/calendar.ics?token=${encodeURIComponent(feed.json.token)}`);
    const refused = await stack.http('GET', '/calendar.ics?token=not-the-feed-token');

    expect([feed.statusCode, feed.servedBy, calendar.statusCode, calendar.servedBy, refused.statusCode]).toEqual([201, 'api-experiments', 200, 'api-experiments', 401]);
    expect(calendar.body).toContain('BEGIN:VCALENDAR');
  });

  it('serves GET /openapi.json from the MCP function, built from every route at synth', async () => {
    const res = await stack.http('GET', '/openapi.json', { headers: bearer(token) });

    expect([res.statusCode, res.servedBy]).toEqual([200, 'mcp']);
    expect(Object.keys(res.json.paths)).toEqual(expect.arrayContaining(['/experiments', '/experiments/{id}', '/log', '/observations', '/digest', '/mcp']));
  });

  it('answers GET /log and a metric\'s series from api-reads', async () => {
    const log = await stack.http('GET', '/log', { headers: bearer(token) });
    const series = await stack.http('GET', '/metrics/newsletter.subscriber_growth_rate', { headers: bearer(token) });

    expect([log.statusCode, log.servedBy, series.statusCode, series.servedBy]).toEqual([200, 'api-reads', 200, 'api-reads']);
  });

  it('serves the dashboard page and its scripts (the app and the early theme pin) from the assets packed into the dashboard function\'s bundle', async () => {
    const res = await stack.http('GET', '/');

    expect(res.statusCode).toBe(200);
    expect(res.servedBy).toBe('dashboard');
    expect(res.body).toContain('<title>Verdict</title>');
    const scripts = [...res.body.matchAll(/src="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.map((s) => s.replace(/-[A-Z0-9]+\.js$/, ''))).toEqual(['theme-early', 'app']);
    for (const script of scripts) {
      const asset = await stack.http('GET', `/assets/${script}`);
      expect(asset).toMatchObject({ statusCode: 200, servedBy: 'dashboard', headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' } });
    }
  });
});

describe('the collector bundles', () => {
  it('store observations when the schedule fires with the template\'s input', async () => {
    const at = new Date(Math.floor(Date.now() / (6 * 3_600_000)) * 6 * 3_600_000);

    const run = await stack.invoke('collector-bluesky', stack.scheduleInput('collector-bluesky', at));

    expect(failureOf('collector-bluesky', run)).toBe('');
    expect(run.result).toMatchObject({ source: 'bluesky', outcome: 'ok' });
    const stored = await observationsIn(stack).query('bluesky.followers', new Date(at.getTime() - 1).toISOString(), new Date(at.getTime() + 1).toISOString());
    expect(stored.map((o) => ('value' in o ? o.value : undefined))).toEqual([1234]);
  });

  it('run on POST /collect: api-imports invokes each collector function, which reads its key from the secret', async () => {
    const res = await stack.http('POST', '/collect', { headers: bearer(token), body: {} });

    expect([res.statusCode, res.servedBy]).toEqual([200, 'api-imports']);
    expect((res.json.runs as { source: string; outcome: string }[]).map((r) => [r.source, r.outcome]).sort()).toEqual([['beehiiv', 'ok'], ['bluesky', 'ok']]);
    expect(beehiiv.requests.some((r) => r.headers.authorization === `Bearer ${BEEHIIV_KEY}`)).toBe(true);
    expect(stack.environmentOf('collector-beehiiv').invocations).toBe(1);
  });
});

describe('the scorer bundle', () => {
  it('writes a verdict for an ended experiment when the schedule fires', async () => {
    const end = new Date(Math.floor((Date.now() - DAY) / DAY) * DAY);
    const start = new Date(end.getTime() - 14 * DAY);
    const { experiments, observations } = storesIn(stack);
    await observations.putMany(followerSnapshots({ metric: 'bluesky.followers', from: new Date(start.getTime() - 40 * DAY).toISOString(), to: end.toISOString(), perDay: (t) => (t >= start ? 20 : 10) }));
    await experiments.create(anExperiment({ id: 'exp_deployed', name: 'Scored in the deployed harness', primaryMetric: 'bluesky.follower_growth_rate', start: start.toISOString(), end: end.toISOString() }));

    const run = await stack.invoke('scorer', stack.scheduleInput('scorer', new Date()));
    const verdict = await stack.http('GET', '/experiments/exp_deployed/verdict', { headers: bearer(token) });

    expect(failureOf('scorer', run)).toBe('');
    expect(run.result.scored).toEqual(['exp_deployed']);
    expect(verdict.statusCode).toBe(200);
    expect(['keep', 'discard', 'inconclusive']).toContain(verdict.json.decision);
  });

  it('re-scores through the API on request (api-readouts), keeping the first verdict in the history (api-experiments)', async () => {
    const rescored = await stack.http('POST', '/experiments/exp_deployed/rescore', { headers: bearer(token), body: {} });
    const history = await stack.http('GET', '/experiments/exp_deployed/verdicts', { headers: bearer(token) });

    expect([rescored.statusCode, rescored.servedBy, history.servedBy]).toEqual([200, 'api-readouts', 'api-experiments']);
    expect(JSON.stringify(history.json)).toContain('scoredAt');
  });

  it('shows the week\'s verdict in GET /digest (api-readouts)', async () => {
    const res = await stack.http('GET', '/digest', { headers: bearer(token) });

    expect([res.statusCode, res.servedBy]).toEqual([200, 'api-readouts']);
    expect(JSON.stringify(res.json)).toContain('Scored in the deployed harness');
  });
});

describe('the digest bundle', () => {
  it('publishes the week\'s digest to the SNS topic, the event bus and the chat webhook (through the egress proxy)', async () => {
    await stack.admin.sns.send(new SubscribeCommand({ TopicArn: stack.topicArn, Protocol: 'http', Endpoint: `http://127.0.0.1:${(subscriber.address() as AddressInfo).port}/digest` }));

    const run = await stack.invoke('digest', stack.scheduleInput('digest', new Date()));

    expect(failureOf('digest', run)).toBe('');
    expect(run.result).toMatchObject({ outcome: 'sent' });
    expect([...run.result.delivered].sort()).toEqual(['email', 'eventbridge', 'webhook']);
    const [posted] = chat.requestsTo('POST', '/services/T000/B000/harness');
    expect(JSON.parse(posted.body).text).toContain('Scored in the deployed harness');
    const published = notifications.filter((n) => n.Type === 'Notification');
    expect(published).toHaveLength(1);
    expect(published[0].Message).toContain('Scored in the deployed harness');
  });
});

describe('the MCP bundle', () => {
  it('answers tools/list on POST /mcp', async () => {
    const res = await stack.http('POST', '/mcp', {
      headers: { ...bearer(token), accept: 'application/json, text/event-stream' },
      body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });

    expect(res.servedBy).toBe('mcp');
    expect(res.statusCode).toBe(200);
    expect((res.json.result.tools as { name: string }[]).map((t) => t.name)).toContain('health');
  });

  it('runs tools through the API over HTTP, each served by its route\'s function: create, list, read, abandon, health', async () => {
    const before = stack.front!.requests.length;
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const res = await stack.http('POST', '/mcp', {
        headers: { ...bearer(token), accept: 'application/json, text/event-stream' },
        body: { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: args } },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json.result?.isError ?? false).toBe(false);
      return res.json.result;
    };
    const created = await call('create_experiment', aCreateRequest({ name: 'Via MCP', primaryMetric: 'newsletter.subscriber_growth_rate', start: new Date().toISOString() }));
    const id = JSON.parse(created.content[0].text).id as string;

    await call('list_experiments');
    await call('get_experiment', { id });
    await call('abandon_experiment', { id, reason: 'harness' });
    await call('health');
    await call('research_log');
    await call('get_verdict', { id: 'exp_deployed' });

    expect(JSON.parse((await call('get_experiment', { id })).content[0].text).status).toBe('abandoned');
    expect(stack.front!.requests.slice(before).filter((r) => r.path !== '/mcp').map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual(expect.arrayContaining([
      'POST /experiments', 'GET /experiments', `GET /experiments/${id}`, `POST /experiments/${id}/abandon`, 'GET /health', 'GET /log', 'GET /experiments/exp_deployed/verdict',
    ]));
  });

  it('forwards the caller\'s own token to the API and returns the route\'s own error for a bad body', async () => {
    const body = { ...aCreateRequest({ name: 'Bad via MCP', primaryMetric: 'newsletter.subscriber_growth_rate' }), durationDays: 'fourteen' };
    const before = stack.front!.requests.length;
    const viaMcp = await stack.http('POST', '/mcp', {
      headers: { ...bearer(token), accept: 'application/json, text/event-stream' },
      body: { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'create_experiment', arguments: body } },
    });
    const forwarded = stack.front!.requests.slice(before);
    const direct = await stack.http('POST', '/experiments', { headers: bearer(token), body });

    expect([viaMcp.statusCode, viaMcp.json.result.isError]).toEqual([200, true]);
    const { error } = JSON.parse(viaMcp.json.result.content[0].text) as { error: { status: number; code: string; message: string; details: unknown } };
    expect(direct.statusCode).toBe(400);
    expect(error).toMatchObject({ status: 400, code: direct.json.error.code, message: direct.json.error.message, details: direct.json.error.details });
    expect(forwarded.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([['POST', '/experiments', `Bearer ${token}`]]);
  });

  it('passes a token the authorizer refuses on to the API, which refuses it too (no tool runs without the API\'s own check)', async () => {
    const front = stack.front!;
    const before = front.requests.length;
    // The MCP function invoked directly with a wrong token, as if API Gateway had let it through: the API still refuses it.
    const out = await stack.invoke('mcp', {
      version: '2.0', routeKey: 'POST /mcp', rawPath: '/mcp', rawQueryString: '', isBase64Encoded: false,
      headers: { authorization: 'Bearer not-the-token-0123456789abcdefghijklmn', accept: 'application/json, text/event-stream', 'content-type': 'application/json' },
      requestContext: { http: { method: 'POST', path: '/mcp' }, requestId: 'direct' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'health', arguments: {} } }),
    });

    expect(out.ok).toBe(true);
    const result = JSON.parse(out.result.body).result;
    expect(result.isError).toBe(true);
    expect(JSON.parse(result.content[0].text).error).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(front.requests.slice(before).map((r) => [r.path, r.headers.authorization])).toEqual([['/health', 'Bearer not-the-token-0123456789abcdefghijklmn']]);
  });
});

describe('the MCP bundle, through the MCP SDK\'s own client', () => {
  it('initializes, lists and calls tools, reads the research log and gets the prompt over Streamable HTTP', async () => {
    const front = stack.front!;
    const client = new Client({ name: 'deployed-harness-agent', version: '1.0.0' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`${front.url}/mcp`), { requestInit: { headers: bearer(token) } }));

      const { tools } = await client.listTools();
      const created = await client.callTool({ name: 'add_to_backlog', arguments: { name: 'SDK client idea', hypothesis: 'h', primaryMetric: 'newsletter.subscriber_growth_rate', iceScore: { impact: 5, confidence: 5, ease: 5 } } });
      const bad = await client.callTool({ name: 'get_experiment', arguments: { id: 'exp_nosuchthing' } });
      const log = await client.readResource({ uri: 'verdict://research-log' });
      const prompt = await client.getPrompt({ name: 'run_the_loop' });
      const unknown = await client.callTool({ name: 'no_such_tool', arguments: {} }).catch((e: Error) => e);
      await client.ping();

      expect(client.getServerVersion()).toMatchObject({ name: 'verdict' });
      expect(client.getServerCapabilities()).toMatchObject({ tools: { listChanged: false }, resources: { listChanged: false }, prompts: { listChanged: false } });
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['create_experiment', 'add_to_backlog', 'get_experiment', 'health']));
      expect(created.isError).toBeFalsy();
      expect(created.structuredContent).toMatchObject({ status: 'backlog', name: 'SDK client idea' });
      expect(bad.isError).toBe(true);
      expect(JSON.parse((bad.content as { text: string }[])[0].text).error).toMatchObject({ status: 404, code: 'not_found' });
      expect(log.contents[0]).toMatchObject({ uri: 'verdict://research-log', mimeType: 'text/markdown' });
      expect(prompt.messages[0].content).toMatchObject({ type: 'text', text: expect.stringContaining('research log') });
      expect((unknown as Error).message).toMatch(/^MCP error -32602: Tool no_such_tool not found/);
    } finally {
      await client.close();
    }
  });
});

describe('least privilege, proven by use', () => {
  it('every function ran from its bundle', () => {
    const idle = [...stack.functions.values()].filter((f) => stack.environmentOf(f.name).invocations === 0).map((f) => f.name);
    expect(idle).toEqual([]);
  });

  it('every AWS call a function made is allowed by its own role policy in the template', () => {
    const denied = stack.calls.filter((call) => !isAllowed(statementsOf(stack.resolver, stack.functions.get(call.caller)!.roleLogicalId), call));

    expect(stack.calls.length).toBeGreaterThan(0);
    expect(denied.map((c) => `${stack.functions.get(c.caller)!.name}: ${c.action} on ${c.resource}`)).toEqual([]);
  });

  it('every granted action was used by some call of that function, or carries a written reason', () => {
    const unused = [...stack.functions.values()].flatMap((f) => {
      const calls = stack.calls.filter((c) => c.caller === f.logicalId);
      return grantsOf(statementsOf(stack.resolver, f.roleLogicalId))
        .filter((g) => !grantUsed(g, calls) && reasonFor(f.name, g.action) === undefined)
        .map((g) => `${f.name}: ${g.action} on ${g.resource}`);
    });

    expect(unused).toEqual([]);
  });

  it('no function tried to reach a host without a local fake', () => {
    expect(stack.egress!.refused).toEqual([]);
  });
});

function storesIn(s: DeployedStack) {
  const db = createDocumentClient(s.admin.dynamoEndpoint);
  return { experiments: new ExperimentStore(db, s.tableName), observations: new ObservationStore(db, s.tableName) };
}
const observationsIn = (s: DeployedStack) => storesIn(s).observations;

/** What ran and what it called, for the test output. */
function report(s: DeployedStack): string {
  const lines = ['', 'Deployed-stack harness: functions run from cdk.out, AWS calls recorded, checked against each role policy'];
  for (const f of s.functions.values()) {
    const env = s.environmentOf(f.name);
    const statements = statementsOf(s.resolver, f.roleLogicalId);
    const calls = new Map<string, { n: number; allowed: boolean }>();
    for (const c of s.calls.filter((x) => x.caller === f.logicalId)) {
      const key = `${c.action} ${c.resource.replace(/^arn:aws:[^:]+:[^:]*:\d*:/, '')}`;
      const entry = calls.get(key) ?? { n: 0, allowed: isAllowed(statements, c) };
      entry.n++;
      calls.set(key, entry);
    }
    lines.push(`  ${f.name} (${f.logicalId}): ${env.invocations} invocation(s), ${env.coldStarts} cold start(s); env ${Object.keys(f.templateEnvironment).sort().join(', ')}`);
    for (const [key, { n, allowed }] of calls) lines.push(`      ${allowed ? 'allowed' : 'DENIED '}  ${n}× ${key}`);
    const unused = grantsOf(statements).filter((g) => !grantUsed(g, s.calls.filter((x) => x.caller === f.logicalId))).map((g) => g.action);
    if (unused.length > 0) lines.push(`      granted, not called: ${[...new Set(unused)].join(', ')}`);
  }
  lines.push(`  egress through the proxy: ${[...new Set(s.egress?.requests.map((r) => r.host))].join(', ') || 'none'}; refused: ${s.egress?.refused.join(', ') || 'none'}`, '');
  return `${lines.join('\n')}\n`;
}
