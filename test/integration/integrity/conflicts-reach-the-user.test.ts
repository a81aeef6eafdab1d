/**
 * Issue 14.1 (last part) — the CLI and MCP pass a concurrency 409 on with its reason. The experiment is
 * caught mid-scoring (the scorer's claim is on its item, as between the claim and the conclusion), so an
 * abandon must be refused, and the user must be told why and at which version the experiment is.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { createDocumentClient } from '../../../functions/shared/clients';
import { aCreateRequest } from '../../support/factories';
import { TEST_TOKEN, call, startTestRuntime } from '../../support/local-runtime';
import { verdict } from '../cli/cli-helpers';

const DAY = 86_400_000;
let runtime: LocalRuntime;
let mcp: Client;
beforeAll(async () => {
  runtime = await startTestRuntime();
  mcp = new Client({ name: 'integrity-test', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${runtime.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } } }));
});
afterAll(async () => {
  await mcp?.close();
  await runtime?.close();
});

/** A running experiment on which the scorer holds its claim (what recordFirstVerdict sets first). */
async function anExperimentBeingScored(): Promise<string> {
  const created = await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ start: new Date(Date.now() - 2 * DAY).toISOString(), durationDays: 14 }) });
  expect(created.status).toBe(201);
  const db = createDocumentClient(runtime.dynamoEndpoint);
  try {
    await db.send(new UpdateCommand({
      TableName: runtime.tableName, Key: { pk: `EXP#${created.body.id}`, sk: 'EXPERIMENT' },
      UpdateExpression: 'SET scoringSince = :t, version = version + :one', ExpressionAttributeValues: { ':t': new Date().toISOString(), ':one': 1 },
    }));
  } finally { db.destroy(); }
  return created.body.id as string;
}

it('the CLI prints the 409 reason (being scored, at version 2) and exits with the conflict code', async () => {
  const id = await anExperimentBeingScored();

  const result = await verdict(['abandon', id, '--yes'], { runtime });

  expect(result.code).toBe(4);
  expect(result.stderr).toMatch(/being scored.*version 2/);
  expect((await call(runtime, 'GET', `/experiments/${id}`)).body.status).toBe('running');
});

it('the MCP abandon tool answers an error naming the reason and the current version', async () => {
  const id = await anExperimentBeingScored();

  const result = await mcp.callTool({ name: 'abandon_experiment', arguments: { id, reason: 'changed my mind' } });

  expect(result.isError).toBe(true);
  const text = (result.content as { text?: string }[]).map((c) => c.text ?? '').join('\n');
  expect(text).toMatch(/409/);
  expect(text).toMatch(/being scored.*version 2/);
});
