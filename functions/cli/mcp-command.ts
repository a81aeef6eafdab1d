/**
 * `verdict mcp`: the Verdict MCP server on stdio, for desktop MCP clients that start a local process.
 * Its tools call a running Verdict API (the local runtime or a deployment) over HTTP with the token;
 * stdout carries only JSON-RPC, so every message for humans goes to stderr.
 */
import { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ROUTES } from '../api/routes';
import { handleMcpMessage, type JsonRpcMessage } from '../mcp/protocol';
import { createVerdictMcpServer } from '../mcp/server';
import { verdictTools } from '../mcp/tools';
import { CONNECTION_HELP } from './command';
import { resolveConnection } from './connection';
import { EXIT } from './exit-codes';
import type { CliIo } from './io';
import { errorMessage } from '../shared/errors';
import { httpApiCall } from './api-client';

export const MCP_HELP = `Usage: verdict mcp [--api URL] [--token TOKEN]

Serves Verdict's MCP tools (the experiment loop), the research log resource and the run_the_loop
prompt on stdio, for MCP clients that start a command. The tools call the Verdict API with the token.
Everything on stdout is JSON-RPC already; --json is accepted like on every other command.

${CONNECTION_HELP}

Example (Claude Desktop, claude_desktop_config.json):
  { "mcpServers": { "verdict": { "command": "node", "args": ["/path/to/verdict/bin/verdict.js", "mcp"],
      "env": { "VERDICT_API_URL": "https://abc123.execute-api.eu-west-1.amazonaws.com", "VERDICT_API_TOKEN": "…" } } } }

Over HTTP instead, point the client at <API URL>/mcp with the header Authorization: Bearer <token>.`;

export async function mcpCommand(argv: string[], io: CliIo): Promise<number> {
  let values: { api?: string; token?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { api: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    io.stderr.write(`verdict: ${errorMessage(err)}\nRun 'verdict mcp --help' for usage and an example.\n`);
    return EXIT.usage;
  }
  if (values.help) { io.stdout.write(`${MCP_HELP}\n`); return EXIT.ok; }
  const connection = resolveConnection(values, io.env);
  if (!connection.token) {
    io.stderr.write(`verdict mcp: no API token for ${connection.api}: pass --token, set VERDICT_API_TOKEN or run 'verdict login'\n`);
    return EXIT.unauthorized;
  }
  if (!(io.stdin instanceof Readable) || !(io.stdout instanceof Writable)) {
    io.stderr.write('verdict mcp needs real stdin and stdout streams\n');
    return EXIT.failed;
  }

  const tools = verdictTools(ROUTES);
  const server = createVerdictMcpServer({
    tools: () => tools,
    api: httpApiCall({ baseUrl: connection.api, token: connection.token }),
    log: { error: (message, extra) => io.stderr.write(`${message} ${JSON.stringify(extra ?? {})}\n`) },
  });
  // The SDK's stdio transport frames the messages (one JSON-RPC message per line, malformed lines dropped);
  // functions/mcp/protocol.ts answers them, as it does behind POST /mcp.
  const transport = new StdioServerTransport(io.stdin, io.stdout);
  const log = (message: string) => io.stderr.write(`verdict mcp: ${message}\n`);
  transport.onmessage = (message) => {
    handleMcpMessage(server, message as JsonRpcMessage)
      .then((response) => (response ? transport.send(response as JSONRPCMessage) : undefined))
      .catch((err: unknown) => log(`could not answer: ${errorMessage(err)}`));
  };
  transport.onerror = (err) => log(errorMessage(err));
  const stdin = io.stdin;
  const closed = new Promise<void>((done) => {
    stdin.once('end', done);
    stdin.once('close', done);
  });
  await transport.start();
  io.stderr.write(`verdict mcp: serving on stdio; tools call ${connection.api}\n`);
  await closed;
  await transport.close();
  return 0;
}
