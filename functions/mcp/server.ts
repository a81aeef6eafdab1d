/**
 * The Verdict MCP server: the API's loop as tools, the research log as a markdown resource, and a
 * prompt that runs the loop. Transport-agnostic (functions/mcp/protocol.ts answers its messages):
 * `POST /mcp` answers each HTTP request with it (stateless Streamable HTTP), `verdict mcp` serves it on stdio.
 *
 * A tool call goes to its API route, which validates: an agent sees exactly the REST API's error codes
 * and messages (no second validation with messages of its own).
 */
import { errorResponse } from '../api/error-response';
import { AppError, errorMessage } from '../shared/errors';
import type { ApiCall, ApiReply } from './api-reply';
import { JSONRPC_ERROR, McpProtocolError, type CallToolResult, type McpServerDefinition } from './protocol';
import { RESEARCH_LOG_URI, type VerdictTool } from './tool-call';

export { RESEARCH_LOG_URI };

/** The example agent instructions (README and the `run_the_loop` prompt). */
export const RUN_THE_LOOP_PROMPT = `You run Verdict's marketing experiment loop. Never stop on your own.

1. Read the research log (resource ${RESEARCH_LOG_URI} or the research_log tool): what was kept, what was discarded, and why.
2. Call rank_backlog and health. If collection is broken, say so and fix nothing else until it works.
3. While the backlog holds fewer than 5 ideas, propose a new hypothesis that builds on the log:
   one change, one primary metric from list_metrics, a window of 14 days unless the log says the metric is noisy,
   and an honest ICE score (impact, confidence, ease, 1–10 each). Use metric_series to check the metric moves at all.
   Queue it with add_to_backlog. Never repeat a discarded idea without a new reason.
4. For running experiments (list_experiments status=running, then get_experiment), read the interim readout.
   Do not act on it: it is not a verdict. Abandon only if the experiment can no longer run as designed, with a reason.
5. For each new verdict (get_verdict), write one sentence of learning and use it in the next proposal.
6. Wait for the next scorer run (health shows it), then start again at 1.`;

export interface VerdictMcpServerOptions {
  /** The tools, verdictTools(routes): asked for on the first tools/list or tools/call (their JSON Schemas take tens of ms to build). */
  tools: () => readonly VerdictTool[];
  /** How tools reach the API (in-process router or HTTP). */
  api: ApiCall;
  /** For the error envelope of failures that never reached a route. */
  requestId?: string;
  log?: { error(message: string, extra?: Record<string, unknown>): void };
}

const INSTRUCTIONS = 'Verdict runs marketing experiments with a fixed window and one primary metric, and records a keep/discard verdict when the window ends. Read the research log before proposing; queue ideas with add_to_backlog.';

export function createVerdictMcpServer(options: VerdictMcpServerOptions): McpServerDefinition {
  const { tools } = options;
  const log = options.log ?? { error: () => {} };
  return {
    serverInfo: { name: 'verdict', title: 'Verdict', version: '0.1.0' },
    instructions: INSTRUCTIONS,
    listTools: () => tools().map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, ...(t.outputSchema && { outputSchema: t.outputSchema }), annotations: t.annotations })),
    async callTool(name, args) {
      const tool = tools().find((t) => t.name === name)!;
      let reply: ApiReply;
      try {
        reply = await tool.call(args, options.api);
      } catch (err) {
        reply = failureReply(err, options.requestId ?? 'mcp', tool.name, log);
      }
      return toToolResult(reply, tool.outputSchema !== undefined);
    },
    resources: [{
      uri: RESEARCH_LOG_URI,
      name: 'research-log',
      title: 'Research log',
      description: 'Every concluded experiment, newest first, as a markdown table: metric, window, effect with its 95 % interval, decision, reason. Read it before proposing the next hypothesis.',
      mimeType: 'text/markdown',
    }],
    async readResource(uri) {
      const reply = await options.api({ method: 'GET', path: '/log', query: { format: 'md' } });
      if (reply.status !== 200 || typeof reply.body !== 'string') {
        const e = apiError(reply);
        throw new McpProtocolError(e.status === 401 ? UNAUTHORIZED_CODE : e.status < 500 ? JSONRPC_ERROR.invalidRequest : JSONRPC_ERROR.internalError, `${e.code}: ${e.message}`, e);
      }
      return { contents: [{ uri, mimeType: 'text/markdown', text: reply.body }] };
    },
    prompts: [{ name: 'run_the_loop', title: 'Run the experiment loop', description: 'Instructions for an agent that keeps Verdict’s loop full: read the log, propose, queue, never stop.' }],
    getPrompt: () => ({ messages: [{ role: 'user', content: { type: 'text', text: RUN_THE_LOOP_PROMPT } }] }),
  };
}

/**
 * JSON-RPC error code for a request the API refused for its token (JSON-RPC has none; -32001 is in the
 * range left to servers). Over HTTP a bad token never gets here: the 401 is answered before MCP runs.
 */
export const UNAUTHORIZED_CODE = -32001;

/** A 2xx reply becomes the tool's result; anything else a tool error carrying the REST envelope's error. */
export function toToolResult(reply: ApiReply, structured: boolean): CallToolResult {
  if (reply.status >= 200 && reply.status < 300) {
    const isObject = reply.body !== null && typeof reply.body === 'object' && !Array.isArray(reply.body);
    return {
      content: [{ type: 'text', text: typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body, null, 2) }],
      ...(structured && isObject && { structuredContent: reply.body as Record<string, unknown> }),
    };
  }
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: apiError(reply) }, null, 2) }] };
}

/** A call that never got an API answer: a typed error maps like the API maps it; anything else means the API is unreachable. */
function failureReply(err: unknown, requestId: string, tool: string, log: { error(message: string, extra?: Record<string, unknown>): void }): ApiReply {
  if (err instanceof AppError) {
    const envelope = errorResponse(err, requestId, log);
    return { status: envelope.status, body: envelope.body, contentType: 'application/json' };
  }
  log.error('MCP tool could not reach the API', { tool, error: errorMessage(err) });
  return { status: 502, contentType: 'application/json', body: { error: { code: 'api_unreachable', message: `Could not reach the Verdict API: ${errorMessage(err)}`, requestId } } };
}

export interface ToolError { status: number; code: string; message: string; details?: unknown; requestId?: string }

/** The `{ error: { code, message, details } }` envelope of a failed reply (API Gateway's own 401 has only a message). */
function apiError(reply: ApiReply): ToolError {
  const body = reply.body as { error?: { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown }; message?: unknown } | string | undefined;
  if (body && typeof body === 'object' && body.error && typeof body.error.code === 'string') {
    const { code, message, details, requestId } = body.error;
    return { status: reply.status, code, message: String(message), ...(details !== undefined && { details }), ...(typeof requestId === 'string' && { requestId }) };
  }
  if (reply.status === 401 || reply.status === 403) return { status: 401, code: 'unauthorized', message: 'Missing or invalid API token' };
  const message = body && typeof body === 'object' && typeof body.message === 'string' ? body.message : typeof body === 'string' && body ? body.slice(0, 500) : `HTTP ${reply.status}`;
  return { status: reply.status, code: `http_${reply.status}`, message };
}
