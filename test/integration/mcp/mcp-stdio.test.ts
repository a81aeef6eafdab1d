/**
 * `verdict mcp` on stdio: the SDK's client starts the real CLI as a child process; its tools call the
 * local runtime's API over HTTP with the token.
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { TOOL_SPECS } from '../../../functions/mcp/tools';
import { aCreateRequest } from '../../support/factories';
import { TEST_TOKEN, call, startTestRuntime } from '../../support/local-runtime';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'verdict.js');

let runtime: LocalRuntime;
let client: Client;

function stdioClient(args: string[]): { client: Client; transport: StdioClientTransport } {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', ...args],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stderr: 'pipe',
  });
  return { client: new Client({ name: 'verdict-test-desktop', version: '1.0.0' }), transport };
}

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as { text?: string }[])[0]?.text ?? '';
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  const c = stdioClient(['--api', runtime.url, '--token', TEST_TOKEN]);
  client = c.client;
  await client.connect(c.transport);
}, 60_000);
afterAll(async () => {
  await client?.close();
  await runtime.close();
});

describe('MCP over stdio (verdict mcp)', () => {
  it('lists the same tools as the HTTP endpoint', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOL_SPECS.map((s) => s.name).sort());
  });

  it('creates an experiment through the API and reads it back', async () => {
    const created = await client.callTool({ name: 'create_experiment', arguments: aCreateRequest({ name: 'From the desktop', start: '2030-02-01', durationDays: 21 }) });
    const id = (created.structuredContent as { id: string }).id;

    const read = await client.callTool({ name: 'get_experiment', arguments: { id } });

    expect(JSON.parse(textOf(read))).toMatchObject({ id, name: 'From the desktop', durationDays: 21, status: 'planned' });
    expect((await call(runtime, 'GET', `/experiments/${id}`)).status).toBe(200);
  });

  it('returns bad input as a tool error with the API\'s code and message, storing nothing', async () => {
    const before = await call(runtime, 'GET', '/experiments?limit=200');

    const result = await client.callTool({ name: 'create_experiment', arguments: { name: '', hypothesis: 'h', primaryMetric: 'x.follower_growth_rate', start: '2030-01-01', durationDays: 14 } });

    expect(result.isError).toBe(true);
    expect(JSON.parse(textOf(result)).error).toMatchObject({ status: 400, code: 'validation_failed', details: { issues: [expect.objectContaining({ path: 'name' })] } });
    expect((await call(runtime, 'GET', '/experiments?limit=200')).body.items).toHaveLength(before.body.items.length);
  });

  it('reads the research log resource', async () => {
    const log = await client.readResource({ uri: 'verdict://research-log' });
    expect(log.contents[0]).toMatchObject({ mimeType: 'text/markdown' });
  });

  it('turns a wrong token into tool errors saying unauthorized', async () => {
    const c = stdioClient(['--api', runtime.url, '--token', 'not-the-token-not-the-token']);
    await c.client.connect(c.transport);
    try {
      const result = await c.client.callTool({ name: 'list_experiments', arguments: {} });

      expect(result.isError).toBe(true);
      expect(JSON.parse(textOf(result)).error).toEqual({ status: 401, code: 'unauthorized', message: 'Missing or invalid API token', requestId: expect.any(String) });
      const read = await c.client.readResource({ uri: 'verdict://research-log' }).catch((e: Error & { code?: number }) => e);
      expect(read).toMatchObject({ code: -32001, message: 'MCP error -32001: unauthorized: Missing or invalid API token' });
    } finally {
      await c.client.close();
    }
  }, 60_000);

  it('refuses to start without a token, saying where one comes from (exit 5)', () => {
    const run = spawnSync(process.execPath, [BIN, 'mcp', '--api', runtime.url], {
      cwd: tmpdir(), encoding: 'utf8', timeout: 30_000,
      env: { PATH: process.env.PATH ?? '', VERDICT_CLI_CONFIG: join(tmpdir(), 'verdict-no-such-config.json') },
    });

    expect(run.status).toBe(5);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`verdict mcp: no API token for ${runtime.url}: pass --token, set VERDICT_API_TOKEN or run 'verdict login'`);
  });
});
