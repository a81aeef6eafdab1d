/**
 * The Model Context Protocol's server side as Verdict uses it (spec 2025-06-18, basic protocol and the
 * tools, resources and prompts features), without the MCP SDK: one JSON-RPC message in, its answer out.
 * Stateless: every request is answered from the fixed server definition alone, so `POST /mcp` (one Lambda
 * invocation per HTTP request) and `verdict mcp` (stdio) can share it.
 *
 * Why not the SDK's Server here: its protocol types are classic zod schemas (zod/v4, ~60 KB minified beside
 * the zod/mini the API uses, built at module load) and the SDK ~74 KB more, for a server that offers a fixed
 * list of tools, one resource and one prompt, asks its client nothing and sends no notifications. The SDK's
 * Client stays the reference: every MCP test talks to this server through it (test/integration/mcp, test/deployed).
 */

/** Protocol versions this server speaks, newest first; an unknown requested version is answered with the first. */
export const SUPPORTED_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;

/** JSON-RPC 2.0 error codes (https://www.jsonrpc.org/specification#error_object). */
export const JSONRPC_ERROR = { parseError: -32700, invalidRequest: -32600, methodNotFound: -32601, invalidParams: -32602, internalError: -32603 } as const;

export type JsonRpcId = string | number;

export interface JsonRpcRequest { jsonrpc: '2.0'; id: JsonRpcId; method: string; params?: Record<string, unknown> }
export interface JsonRpcNotification { jsonrpc: '2.0'; method: string; params?: Record<string, unknown> }
/** A client's answer to a server request; this server sends none, so any that arrives is dropped. */
export interface JsonRpcClientResponse { jsonrpc: '2.0'; id: JsonRpcId; result?: unknown; error?: unknown }
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcClientResponse;

export interface JsonRpcError { code: number; message: string; data?: unknown }
export type JsonRpcResponse =
  | { jsonrpc: '2.0'; id: JsonRpcId; result: Record<string, unknown> }
  | { jsonrpc: '2.0'; id: JsonRpcId | null; error: JsonRpcError };

export interface McpTool {
  name: string;
  description: string;
  inputSchema: { type: 'object'; [k: string]: unknown };
  outputSchema?: { type: 'object'; [k: string]: unknown };
  annotations?: Record<string, unknown>;
}

export interface CallToolResult {
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface McpResource { uri: string; name: string; title?: string; description?: string; mimeType?: string }
export interface McpPrompt { name: string; title?: string; description?: string }
export interface GetPromptResult { messages: { role: 'user' | 'assistant'; content: { type: 'text'; text: string } }[] }
export interface ReadResourceResult { contents: { uri: string; mimeType?: string; text: string }[] }

/** What a server offers: fixed lists, and the calls behind them. */
export interface McpServerDefinition {
  serverInfo: { name: string; title?: string; version: string };
  instructions?: string;
  /** The tools (read only by tools/list and tools/call: a server may build them on first use). */
  listTools(): readonly McpTool[];
  /** Runs a tool the list names; throws an McpProtocolError (or any error) for a JSON-RPC error instead of a result. */
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  resources: readonly McpResource[];
  readResource(uri: string): Promise<ReadResourceResult>;
  prompts: readonly McpPrompt[];
  getPrompt(name: string): GetPromptResult;
}

/** An error answered as a JSON-RPC error with `code`, `message` as written and optional `data`. */
export class McpProtocolError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = 'McpProtocolError';
  }
}

type Classified =
  | { kind: 'request'; message: JsonRpcRequest }
  | { kind: 'notification'; message: JsonRpcNotification }
  | { kind: 'response'; message: JsonRpcClientResponse };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * What a parsed JSON value is as a JSON-RPC 2.0 message, or undefined when it is none (the SDK's
 * JSONRPCMessageSchema accepts the same shapes: params, when present, is an object).
 */
export function classifyMessage(value: unknown): Classified | undefined {
  if (!isObject(value) || value.jsonrpc !== '2.0') return undefined;
  const hasId = typeof value.id === 'string' || (typeof value.id === 'number' && Number.isInteger(value.id));
  if (typeof value.method === 'string') {
    if (value.params !== undefined && !isObject(value.params)) return undefined;
    if (hasId) return { kind: 'request', message: value as unknown as JsonRpcRequest };
    return value.id === undefined ? { kind: 'notification', message: value as unknown as JsonRpcNotification } : undefined;
  }
  if (hasId && ('result' in value ? isObject(value.result) : isObject(value.error))) return { kind: 'response', message: value as unknown as JsonRpcClientResponse };
  return undefined;
}

/** The capabilities of a server with fixed lists: nothing can change, so no list_changed is offered. */
export function capabilitiesOf(server: McpServerDefinition): Record<string, unknown> {
  return {
    tools: { listChanged: false },
    ...(server.resources.length > 0 && { resources: { listChanged: false } }),
    ...(server.prompts.length > 0 && { prompts: { listChanged: false } }),
  };
}

/**
 * Answers one message: a request gets its response; a notification (initialized, cancelled, …) or a
 * client response gets none (undefined). Errors a method throws become JSON-RPC errors; the process
 * never crashes on a client's input.
 */
export async function handleMcpMessage(server: McpServerDefinition, message: JsonRpcMessage): Promise<JsonRpcResponse | undefined> {
  const classified = classifyMessage(message);
  if (classified?.kind !== 'request') return undefined;
  const { id, method, params = {} } = classified.message;
  try {
    return { jsonrpc: '2.0', id, result: await answer(server, method, params) };
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown; data?: unknown };
    const code = typeof e.code === 'number' && Number.isSafeInteger(e.code) ? e.code : JSONRPC_ERROR.internalError;
    const text = typeof e.message === 'string' && e.message !== '' ? e.message : 'Internal error';
    return { jsonrpc: '2.0', id, error: { code, message: text, ...(e.data !== undefined && { data: e.data }) } };
  }
}

async function answer(server: McpServerDefinition, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  switch (method) {
    case 'initialize': {
      const requested = params.protocolVersion;
      if (typeof requested !== 'string') throw invalidParams('initialize needs params.protocolVersion (a string)');
      const protocolVersion = (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(requested) ? requested : SUPPORTED_PROTOCOL_VERSIONS[0];
      return { protocolVersion, capabilities: capabilitiesOf(server), serverInfo: server.serverInfo, ...(server.instructions && { instructions: server.instructions }) };
    }
    case 'ping':
      return {};
    case 'tools/list':
      return { tools: server.listTools() };
    case 'tools/call': {
      if (typeof params.name !== 'string') throw invalidParams('tools/call needs params.name (a string)');
      if (params.arguments !== undefined && !isObject(params.arguments)) throw invalidParams('tools/call params.arguments must be an object');
      if (!server.listTools().some((t) => t.name === params.name)) throw invalidParams(`Tool ${params.name} not found; tools/list names them`);
      return { ...(await server.callTool(params.name, params.arguments ?? {})) };
    }
    case 'resources/list':
      return { resources: server.resources };
    case 'resources/templates/list':
      return { resourceTemplates: [] };
    case 'resources/read': {
      if (typeof params.uri !== 'string') throw invalidParams('resources/read needs params.uri (a string)');
      if (!server.resources.some((r) => r.uri === params.uri)) throw invalidParams(`Resource ${params.uri} not found`);
      return { ...(await server.readResource(params.uri)) };
    }
    case 'prompts/list':
      return { prompts: server.prompts };
    case 'prompts/get': {
      if (typeof params.name !== 'string') throw invalidParams('prompts/get needs params.name (a string)');
      if (!server.prompts.some((p) => p.name === params.name)) throw invalidParams(`Prompt ${params.name} not found`);
      return { ...server.getPrompt(params.name) };
    }
    default:
      throw new McpProtocolError(JSONRPC_ERROR.methodNotFound, 'Method not found');
  }
}

function invalidParams(message: string): McpProtocolError {
  return new McpProtocolError(JSONRPC_ERROR.invalidParams, message);
}
