/**
 * One POST of MCP's Streamable HTTP transport, stateless with JSON responses (a Lambda cannot hold an SSE
 * stream open): shared by the local runtime's /mcp route (functions/api/routes/mcp.ts) and the deployed
 * MCP function (functions/handlers/mcp.ts).
 */
import { errorResponse } from '../api/error-response';
import type { ApiRequest, ApiResponse } from '../api/http';
import { AppError } from '../shared/errors';
import { classifyMessage, JSONRPC_ERROR, SUPPORTED_PROTOCOL_VERSIONS, type JsonRpcMessage, type JsonRpcResponse } from './protocol';

/** The largest body read (4 MiB, as the MCP SDK's HTTP transports) and the most messages in one batch. */
export const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;
const MAX_BATCH_SIZE = 100;

/**
 * One POST of the Streamable HTTP transport (MCP spec 2025-06-18, "Sending Messages to the Server"), stateless
 * and with JSON responses: the checks and answers of the SDK's WebStandardStreamableHTTPServerTransport in that
 * mode (406, 415, 413, parse errors, 202 for notifications only, one response or a batch of them), without a
 * session id or an event stream.
 */
export async function answerMcpPost(req: Pick<ApiRequest, 'headers' | 'rawBody'>, handle: (message: JsonRpcMessage) => Promise<JsonRpcResponse | undefined>): Promise<ApiResponse> {
  const accept = req.headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    return jsonRpcError(406, -32000, 'Not Acceptable: Client must accept both application/json and text/event-stream');
  }
  if (mediaType(req.headers['content-type']) !== 'application/json') {
    return jsonRpcError(415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
  }
  if (Buffer.byteLength(req.rawBody, 'utf8') > MAX_REQUEST_BODY_BYTES) {
    return jsonRpcError(413, -32000, `Payload Too Large: Request body must not exceed ${MAX_REQUEST_BODY_BYTES} bytes`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(req.rawBody) as unknown;
  } catch {
    return jsonRpcError(400, JSONRPC_ERROR.parseError, 'Parse error: Invalid JSON');
  }
  if (Array.isArray(raw) && raw.length > MAX_BATCH_SIZE) {
    return jsonRpcError(400, JSONRPC_ERROR.invalidRequest, `Invalid Request: Batch must not exceed ${MAX_BATCH_SIZE} messages`);
  }
  const batch = Array.isArray(raw);
  const classified = (batch ? raw as unknown[] : [raw]).map(classifyMessage);
  if (classified.some((m) => m === undefined)) return jsonRpcError(400, JSONRPC_ERROR.parseError, 'Parse error: Invalid JSON-RPC message');
  const messages = classified.map((m) => m!);
  const initializing = messages.some((m) => m.kind === 'request' && m.message.method === 'initialize');
  if (initializing && messages.length > 1) {
    return jsonRpcError(400, JSONRPC_ERROR.invalidRequest, 'Invalid Request: Only one initialization request is allowed');
  }
  // After initialize, a client names the negotiated version in every request; one this server does not speak is refused.
  const version = req.headers['mcp-protocol-version'];
  if (!initializing && version !== undefined && !(SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(version)) {
    return jsonRpcError(400, -32000, `Bad Request: Unsupported protocol version: ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`);
  }
  const responses = (await Promise.all(messages.map((m) => handle(m.message)))).filter((r): r is JsonRpcResponse => r !== undefined);
  // Only notifications or client responses: accepted, nothing to say.
  if (!messages.some((m) => m.kind === 'request')) return { status: 202 };
  return { status: 200, body: batch ? responses : responses[0], contentType: 'application/json' };
}

/** A media type's essence (`application/json; charset=utf-8` → `application/json`), lower case. */
function mediaType(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const essence = (header.split(';', 1)[0] ?? '').trim().toLowerCase();
  return essence === '' || essence.includes(',') ? undefined : essence;
}

function jsonRpcError(status: number, code: number, message: string): ApiResponse {
  return { status, body: { jsonrpc: '2.0', error: { code, message }, id: null }, contentType: 'application/json' };
}

/** GET and DELETE /mcp (a server-initiated stream, ending a session): 405, which MCP clients take as "no standalone stream". */
export function mcpMethodNotAllowed(method: string, requestId: string, log: { error(message: string, extra?: Record<string, unknown>): void }): ApiResponse {
  const answer = errorResponse(new AppError('method_not_allowed', `Method not allowed: ${method} /mcp; use POST (stateless server: no stream, no session)`), requestId, log);
  return { ...answer, headers: { allow: 'POST' } };
}
