/** MCP over Streamable HTTP at POST /mcp on the real local runtime, with the SDK's own client. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { TOOL_SPECS } from '../../../functions/mcp/tools';
import { aCreateRequest } from '../../support/factories';
import { TEST_TOKEN, call, startTestRuntime } from '../../support/local-runtime';

let runtime: LocalRuntime;
let client: Client;

async function connect(token: string | null = TEST_TOKEN): Promise<Client> {
  const c = new Client({ name: 'verdict-test-agent', version: '1.0.0' });
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  await c.connect(new StreamableHTTPClientTransport(new URL(`${runtime.url}/mcp`), { requestInit: { headers } }));
  return c;
}

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  const first = (result.content as { type: string; text?: string }[])[0];
  return first?.text ?? '';
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  client = await connect();
});
afterAll(async () => {
  await client?.close();
  await runtime.close();
});

describe('MCP over HTTP (POST /mcp)', () => {
  it('lists every loop tool, with input schemas generated from the API route schemas', async () => {
    const { tools } = await client.listTools();

    expect(tools.map((t) => t.name).sort()).toEqual(TOOL_SPECS.map((s) => s.name).sort());
    const create = tools.find((t) => t.name === 'create_experiment')!;
    expect(create.inputSchema.required).toEqual(expect.arrayContaining(['name', 'hypothesis', 'primaryMetric', 'start']));
    expect(create.inputSchema.properties).toHaveProperty('durationDays', expect.objectContaining({ type: 'integer', minimum: 7, maximum: 42 }));
    expect(create.annotations).toMatchObject({ readOnlyHint: false });
    const abandon = tools.find((t) => t.name === 'abandon_experiment')!;
    expect(abandon.inputSchema.required).toEqual(['id']);
    expect(abandon.inputSchema.properties).toHaveProperty('reason');
  });

  it('creates an experiment and reads it back, through the tools and through REST', async () => {
    const created = await client.callTool({ name: 'create_experiment', arguments: aCreateRequest({ name: 'Agent-proposed thread', start: '2030-03-01', durationDays: 14 }) });

    expect(created.isError).toBeFalsy();
    const experiment = created.structuredContent as { id: string; status: string; end: string };
    expect(experiment).toMatchObject({ status: 'planned', end: '2030-03-15T00:00:00.000Z' });
    const read = await client.callTool({ name: 'get_experiment', arguments: { id: experiment.id } });
    expect(JSON.parse(textOf(read))).toMatchObject({ id: experiment.id, name: 'Agent-proposed thread' });
    const rest = await call(runtime, 'GET', `/experiments/${experiment.id}`);
    expect(rest.body).toEqual(JSON.parse(textOf(read)));
  });

  it('answers bad tool input with a tool error carrying the REST error, and stores nothing', async () => {
    const bad = { ...aCreateRequest(), primaryMetric: 'x.vibes', durationDays: 3 };
    const before = await call(runtime, 'GET', '/experiments?limit=200');

    const result = await client.callTool({ name: 'create_experiment', arguments: bad });

    expect(result.isError).toBe(true);
    const { error } = JSON.parse(textOf(result));
    const restError = (await call(runtime, 'POST', '/experiments', { body: bad })).body.error;
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', message: restError.message, details: restError.details });
    expect(error.details.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['primaryMetric', 'durationDays']));
    const after = await call(runtime, 'GET', '/experiments?limit=200');
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('reads a day-0 interim readout as no leaning yet (leaning null), not leaning discard', async () => {
    const created = await client.callTool({ name: 'create_experiment', arguments: aCreateRequest({ name: 'Day zero through MCP', primaryMetric: 'bluesky.follower_growth_rate', start: new Date().toISOString() }) });
    const id = (created.structuredContent as { id: string }).id;

    const read = await client.callTool({ name: 'get_experiment', arguments: { id } });
    await call(runtime, 'POST', `/experiments/${id}/abandon`, { body: { reason: 'test done' } });

    expect(created.isError).toBeFalsy();
    expect(JSON.parse(textOf(read))).toMatchObject({ status: 'running', interim: { daysElapsed: 0, leaning: null, leaningReason: 'insufficient_data', summary: expect.stringMatching(/No leaning yet\.$/) } });
  });

  it('reports a missing experiment as the API does: not_found', async () => {
    const result = await client.callTool({ name: 'get_verdict', arguments: { id: 'exp_nosuchthing' } });

    expect(result.isError).toBe(true);
    expect(JSON.parse(textOf(result)).error).toMatchObject({ status: 404, code: 'not_found', message: 'No experiment exp_nosuchthing' });
  });

  it('queues an idea and shows it in the ranked backlog', async () => {
    const added = await client.callTool({
      name: 'add_to_backlog',
      arguments: { name: 'Reply to every mention within an hour', hypothesis: 'Fast replies grow followers', primaryMetric: 'x.follower_growth_rate', iceScore: { impact: 6, confidence: 5, ease: 8 } },
    });
    expect(added.isError).toBeFalsy();

    const ranked = await client.callTool({ name: 'rank_backlog', arguments: {} });

    const items = (ranked.structuredContent as { items: { experiment: { id: string }; ice: number }[] }).items;
    expect(items).toEqual(expect.arrayContaining([expect.objectContaining({ ice: 240, experiment: expect.objectContaining({ id: (added.structuredContent as { id: string }).id }) })]));
  });

  it('abandons an experiment with a reason, and refuses to abandon it twice with the API\'s 409', async () => {
    const created = await client.callTool({ name: 'create_experiment', arguments: aCreateRequest({ start: '2030-05-01' }) });
    const id = (created.structuredContent as { id: string }).id;

    const abandoned = await client.callTool({ name: 'abandon_experiment', arguments: { id, reason: 'The channel closed' } });
    const again = await client.callTool({ name: 'abandon_experiment', arguments: { id } });

    expect(abandoned.structuredContent).toMatchObject({ id, status: 'abandoned', abandonReason: 'The channel closed' });
    expect(again.isError).toBe(true);
    expect(JSON.parse(textOf(again)).error).toMatchObject({ status: 409, code: 'conflict' });
  });

  it('refuses a call without its path parameter as a validation error', async () => {
    const result = await client.callTool({ name: 'get_experiment', arguments: {} });

    expect(result.isError).toBe(true);
    expect(JSON.parse(textOf(result)).error).toMatchObject({ status: 400, code: 'validation_failed', details: { issues: [{ path: 'id', message: 'required' }] } });
  });

  it('charts a metric as a daily series, with the query validated by the route', async () => {
    const series = await client.callTool({ name: 'metric_series', arguments: { metric: 'x.follower_growth_rate', from: '2030-01-01', to: '2030-01-08' } });
    const reversed = await client.callTool({ name: 'metric_series', arguments: { metric: 'x.follower_growth_rate', from: '2030-01-08', to: '2030-01-01' } });

    expect(JSON.parse(textOf(series))).toMatchObject({ metric: 'x.follower_growth_rate', unit: 'followers/day', series: expect.any(Array) });
    expect(JSON.parse(textOf(reversed)).error).toMatchObject({ status: 400, code: 'validation_failed', message: 'Invalid query: to must be after from' });
  });

  it('serves the metric catalog and health', async () => {
    const metrics = await client.callTool({ name: 'list_metrics', arguments: {} });
    expect(JSON.parse(textOf(metrics)).items).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'x.follower_growth_rate', unit: 'followers/day' })]));

    const health = await client.callTool({ name: 'health', arguments: {} });
    expect(health.isError).toBeFalsy();
    expect(JSON.parse(textOf(health))).toHaveProperty('experiments');
  });

  it('offers the research log as a markdown resource and a tool', async () => {
    const { resources } = await client.listResources();
    expect(resources).toEqual([expect.objectContaining({ uri: 'verdict://research-log', mimeType: 'text/markdown' })]);

    const log = await client.readResource({ uri: 'verdict://research-log' });

    expect(log.contents[0]).toMatchObject({ mimeType: 'text/markdown', text: expect.stringMatching(/^\| Concluded \| Experiment/) });
    const tool = await client.callTool({ name: 'research_log', arguments: {} });
    expect(tool.structuredContent).toEqual({ items: expect.any(Array) });
    const markdownRows = (log.contents[0] as { text: string }).text.trimEnd().split('\n').length - 2;
    expect((tool.structuredContent as { items: unknown[] }).items).toHaveLength(markdownRows);
  });

  it('refuses a client without the token with 401, before any MCP handling', async () => {
    await expect(connect(null)).rejects.toMatchObject({ code: 401 });
    await expect(connect('wrong-token-wrong-token-wrong')).rejects.toMatchObject({ code: 401 });
    const raw = await call(runtime, 'POST', '/mcp', { token: null, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers: { accept: 'application/json, text/event-stream' } });
    expect(raw.status).toBe(401);
  });

  it('offers no standalone event stream: GET /mcp is 405, which clients read as "POST only"', async () => {
    const res = await call(runtime, 'GET', '/mcp', { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('method_not_allowed');
  });

  it('advertises no list_changed notifications it could never send', () => {
    expect(client.getServerCapabilities()).toMatchObject({ tools: { listChanged: false }, resources: { listChanged: false }, prompts: { listChanged: false } });
  });

  it('gives every tool an output schema and every create/backlog field a description', async () => {
    const { tools } = await client.listTools();

    expect(tools.filter((t) => !t.outputSchema).map((t) => t.name)).toEqual([]);
    for (const name of ['create_experiment', 'add_to_backlog']) {
      const props = tools.find((t) => t.name === name)!.inputSchema.properties as Record<string, { description?: string }>;
      expect(Object.entries(props).filter(([, p]) => !p.description).map(([k]) => k)).toEqual([]);
    }
  });

  it('says an unknown tool is unknown once, not "MCP error -32602: MCP error -32602: …"', async () => {
    const err = await client.callTool({ name: 'no_such_tool', arguments: {} }).catch((e: Error) => e);

    expect((err as Error).message).toMatch(/^MCP error -32602: Tool no_such_tool not found/);
    expect((err as Error).message).not.toMatch(/MCP error.*MCP error/);
  });

  it('rejects unknown arguments the way the schema says (additionalProperties: false), like the REST routes', async () => {
    for (const name of ['list_metrics', 'health']) {
      const result = await client.callTool({ name, arguments: { foo: 1 } });
      expect(result.isError).toBe(true);
      expect(JSON.parse(textOf(result)).error).toMatchObject({ status: 400, code: 'validation_failed', details: { issues: [{ path: 'foo' }] } });
    }
    for (const path of ['/metrics?foo=1', '/health?foo=1', '/experiments?foo=1', '/metrics/x.follower_growth_rate?foo=1']) {
      const res = await call(runtime, 'GET', path);
      expect([path, res.status, res.body.error.code]).toEqual([path, 400, 'validation_failed']);
    }
  });

  it('answers DELETE /mcp like GET /mcp: 405, Allow: POST', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await call(runtime, method, '/mcp');
      expect([method, res.status, res.headers.get('allow'), res.body.error.code]).toEqual([method, 405, 'POST', 'method_not_allowed']);
    }
  });

  it('looks like a bearer-token server to MCP clients: 401 with WWW-Authenticate: Bearer, and no OAuth metadata (public 404s)', async () => {
    const denied = await fetch(`${runtime.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('unauthorized');

    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await call(runtime, 'GET', path, { token: null });
      expect([path, res.status, res.body.error.code]).toEqual([path, 404, 'not_found']);
      expect(res.body.error.message).toMatch(/static bearer token/);
    }
  });
});
