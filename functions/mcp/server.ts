/**
 * The Verdict MCP server: the API's loop as tools, the research log as a markdown resource, and a
 * prompt that runs the loop. Transport-agnostic: `POST /mcp` connects it to a stateless Streamable HTTP
 * transport per request, `verdict mcp` to stdio.
 *
 * Tools are served with the SDK's low-level request handlers rather than `registerTool`, because
 * registerTool validates arguments itself, with its own messages; here the API route validates, so an
 * agent sees exactly the REST API's error codes and messages.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { errorResponse } from '../api/error-response';
import type { Route } from '../api/router';
import { AppError } from '../shared/errors';
import type { ApiCall, ApiReply } from './api-call';
import { RESEARCH_LOG_URI, verdictTools } from './tools';

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
  /** The API's routes (ROUTES): tools and their schemas are derived from them. */
  routes: readonly Route[];
  /** How tools reach the API (in-process router or HTTP). */
  api: ApiCall;
  /** For the error envelope of failures that never reached a route. */
  requestId?: string;
  log?: { error(message: string, extra?: Record<string, unknown>): void };
}

export function createVerdictMcpServer(options: VerdictMcpServerOptions): McpServer {
  const tools = verdictTools(options.routes);
  const log = options.log ?? { error: () => {} };
  const mcp = new McpServer(
    { name: 'verdict', title: 'Verdict', version: '0.1.0' },
    { instructions: 'Verdict runs marketing experiments with a fixed window and one primary metric, and records a keep/discard verdict when the window ends. Read the research log before proposing; queue ideas with add_to_backlog.' },
  );

  mcp.server.registerCapabilities({ tools: { listChanged: false } });
  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, ...(t.outputSchema && { outputSchema: t.outputSchema }), annotations: t.annotations })),
  }));
  mcp.server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const tool = tools.find((t) => t.name === request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
    let reply: ApiReply;
    try {
      reply = await tool.call(request.params.arguments ?? {}, options.api);
    } catch (err) {
      reply = failureReply(err, options.requestId ?? 'mcp', tool.name, log);
    }
    return toToolResult(reply, tool.outputSchema !== undefined);
  });

  mcp.registerResource('research-log', RESEARCH_LOG_URI, {
    title: 'Research log',
    description: 'Every concluded experiment, newest first, as a markdown table: metric, window, effect with its 95 % interval, decision, reason. Read it before proposing the next hypothesis.',
    mimeType: 'text/markdown',
  }, async (uri) => {
    const reply = await options.api({ method: 'GET', path: '/log', query: { format: 'md' } });
    if (reply.status !== 200 || typeof reply.body !== 'string') {
      const e = apiError(reply);
      throw new McpError(ErrorCode.InternalError, `${e.code}: ${e.message}`, e);
    }
    return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: reply.body }] };
  });

  mcp.registerPrompt('run_the_loop', {
    title: 'Run the experiment loop',
    description: 'Instructions for an agent that keeps Verdict’s loop full: read the log, propose, queue, never stop.',
  }, () => ({ messages: [{ role: 'user', content: { type: 'text', text: RUN_THE_LOOP_PROMPT } }] }));

  return mcp;
}

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
  log.error('MCP tool could not reach the API', { tool, error: (err as Error).message });
  return { status: 502, contentType: 'application/json', body: { error: { code: 'api_unreachable', message: `Could not reach the Verdict API: ${(err as Error).message}`, requestId } } };
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
