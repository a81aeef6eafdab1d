/**
 * The MCP server's own JSON-RPC handling (functions/mcp/protocol.ts) and its Streamable HTTP POST
 * (answerMcpPost): the cases the SDK's client never sends on its own — wrong headers, malformed JSON,
 * batches, notifications only, unknown methods, an unsupported protocol version. The happy paths run
 * through the SDK's Client in test/integration/mcp and test/deployed.
 */
import { answerMcpPost } from '../../functions/mcp/http-post';
import { handleMcpMessage, McpProtocolError, type JsonRpcMessage, type McpServerDefinition } from '../../functions/mcp/protocol';

function aServer(overrides: Partial<McpServerDefinition> = {}): McpServerDefinition {
  return {
    serverInfo: { name: 'test', version: '1' },
    listTools: () => [{ name: 'echo', description: 'echo', inputSchema: { type: 'object' } }],
    callTool: async (_name, args) => ({ content: [{ type: 'text', text: JSON.stringify(args) }] }),
    resources: [],
    readResource: async () => { throw new Error('no resources'); },
    prompts: [],
    getPrompt: () => { throw new Error('no prompts'); },
    ...overrides,
  };
}

const HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
const post = (body: unknown, headers: Record<string, string> = HEADERS, server = aServer()) =>
  answerMcpPost({ headers, rawBody: typeof body === 'string' ? body : JSON.stringify(body) }, (m) => handleMcpMessage(server, m));
const request = (method: string, params?: Record<string, unknown>, id: number | string = 1): JsonRpcMessage => ({ jsonrpc: '2.0', id, method, ...(params && { params }) });

describe('MCP JSON-RPC messages', () => {
  it('answers initialize with the requested version when it speaks it, else its newest, and only the capabilities it has', async () => {
    const known = await handleMcpMessage(aServer(), request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } }));
    const unknown = await handleMcpMessage(aServer(), request('initialize', { protocolVersion: '1999-01-01', capabilities: {}, clientInfo: { name: 'c', version: '1' } }));

    expect(known).toEqual({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-06-18', capabilities: { tools: { listChanged: false } }, serverInfo: { name: 'test', version: '1' } } });
    expect(unknown).toMatchObject({ result: { protocolVersion: '2025-11-25' } });
  });

  it('answers an unknown method with -32601 and bad params with -32602, keeping the request id', async () => {
    expect(await handleMcpMessage(aServer(), request('sampling/createMessage', {}, 'a'))).toEqual({ jsonrpc: '2.0', id: 'a', error: { code: -32601, message: 'Method not found' } });
    expect(await handleMcpMessage(aServer(), request('tools/call', { arguments: {} }))).toMatchObject({ id: 1, error: { code: -32602 } });
    expect(await handleMcpMessage(aServer(), request('tools/call', { name: 'echo', arguments: [1] }))).toMatchObject({ error: { code: -32602 } });
    expect(await handleMcpMessage(aServer(), request('resources/read', { uri: 'verdict://nothing' }))).toMatchObject({ error: { code: -32602, message: 'Resource verdict://nothing not found' } });
  });

  it('turns a thrown error into a JSON-RPC error: its own code when it has one, else -32603', async () => {
    const coded = aServer({ callTool: async () => { throw new McpProtocolError(-32001, 'unauthorized: no', { status: 401 }); } });
    const plain = aServer({ callTool: async () => { throw new Error('boom'); } });

    expect(await handleMcpMessage(coded, request('tools/call', { name: 'echo' }))).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32001, message: 'unauthorized: no', data: { status: 401 } } });
    expect(await handleMcpMessage(plain, request('tools/call', { name: 'echo' }))).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'boom' } });
  });

  it('answers no notification and no client response', async () => {
    expect(await handleMcpMessage(aServer(), { jsonrpc: '2.0', method: 'notifications/initialized' })).toBeUndefined();
    expect(await handleMcpMessage(aServer(), { jsonrpc: '2.0', id: 7, result: {} })).toBeUndefined();
  });
});

describe('MCP over a stateless Streamable HTTP POST', () => {
  it('answers one request with 200 and its JSON-RPC response', async () => {
    const res = await post(request('tools/call', { name: 'echo', arguments: { a: 1 } }));

    expect(res).toEqual({ status: 200, contentType: 'application/json', body: { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: '{"a":1}' }] } } });
  });

  it('answers a batch with an array of responses, and notifications only with 202 and no body', async () => {
    const batch = await post([request('ping', undefined, 1), { jsonrpc: '2.0', method: 'notifications/initialized' }, request('tools/list', undefined, 2)]);
    const accepted = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });

    expect(batch).toMatchObject({ status: 200, body: [{ id: 1, result: {} }, { id: 2, result: { tools: [{ name: 'echo' }] } }] });
    expect(accepted).toEqual({ status: 202 });
  });

  it('refuses what the transport refuses: 406 without both accept types, 415 for a non-JSON body type, 413 over 4 MiB', async () => {
    expect(await post(request('ping'), { ...HEADERS, accept: 'application/json' })).toMatchObject({ status: 406, body: { jsonrpc: '2.0', id: null, error: { code: -32000 } } });
    expect(await post(request('ping'), { ...HEADERS, 'content-type': 'text/plain' })).toMatchObject({ status: 415, body: { error: { code: -32000 } } });
    expect(await post(request('ping'), { ...HEADERS, 'content-type': 'application/json; charset=utf-8' })).toMatchObject({ status: 200 });
    expect(await post(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${'x'.repeat(4 * 1024 * 1024)}"}}`)).toMatchObject({ status: 413 });
  });

  it('answers malformed JSON and non-JSON-RPC values with 400 and -32700, an unsupported MCP-Protocol-Version with 400', async () => {
    expect(await post('{"jsonrpc":')).toMatchObject({ status: 400, body: { error: { code: -32700, message: 'Parse error: Invalid JSON' } } });
    expect(await post({ jsonrpc: '1.0', id: 1, method: 'ping' })).toMatchObject({ status: 400, body: { error: { code: -32700, message: 'Parse error: Invalid JSON-RPC message' } } });
    expect(await post({ jsonrpc: '2.0', id: 1, method: 'ping', params: [1] })).toMatchObject({ status: 400, body: { error: { code: -32700 } } });
    expect(await post(request('ping'), { ...HEADERS, 'mcp-protocol-version': '2020-01-01' })).toMatchObject({ status: 400, body: { error: { code: -32000, message: expect.stringMatching(/^Bad Request: Unsupported protocol version: 2020-01-01/) } } });
    expect(await post(request('ping'), { ...HEADERS, 'mcp-protocol-version': '2025-06-18' })).toMatchObject({ status: 200 });
  });

  it('refuses an initialize sent in a batch with anything else (400, -32600)', async () => {
    const init = request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } });

    expect(await post([init, request('ping', undefined, 2)])).toMatchObject({ status: 400, body: { error: { code: -32600 } } });
  });
});
