/**
 * An MCP tool as data plus how its call reaches the API: the tool's description and JSON Schemas, and the
 * route it calls (method, path template, which arguments fill the path, which go to the query). No zod and
 * no route code, so the deployed MCP function can serve tools built at synth (functions/mcp/pack.ts) from
 * the same definitions the local runtime builds on the fly (functions/mcp/tools.ts).
 */
import { ValidationError } from '../shared/errors';
import type { ApiCall, ApiCallRequest, ApiReply } from './api-reply';

/** The research log as a markdown resource. */
export const RESEARCH_LOG_URI = 'verdict://research-log';

export type JsonSchema = { type?: string; properties?: Record<string, unknown>; required?: string[]; definitions?: Record<string, unknown>; [k: string]: unknown };

/** The route a tool calls, as much of it as a call needs. */
export interface ToolTarget {
  method: ApiCallRequest['method'];
  /** The route's path template (`/experiments/{id}`). */
  path: string;
  /** The path parameters, in template order. */
  params: readonly string[];
  /** The query parameters the route documents (besides GET, where every argument goes to the query). */
  query: readonly string[];
  /** Whether the route takes a JSON body (the arguments that are neither path nor query). */
  body: boolean;
}

/** A tool as tools/list shows it, with the route it calls: plain JSON (what the MCP function is bundled with). */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: JsonSchema & { type: 'object' };
  outputSchema?: JsonSchema & { type: 'object' };
  annotations: { readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean };
  target: ToolTarget;
}

export interface VerdictTool extends ToolDefinition {
  /**
   * Runs the tool's route with `args`: path parameters fill the template, the rest become the query
   * (GET) or the JSON body. Resolves to the API's reply, errors included; throws a ValidationError for
   * a missing path parameter (no route could answer it) and whatever the transport throws.
   */
  call(args: Record<string, unknown>, api: ApiCall): Promise<ApiReply>;
}

/** The tool `definition` describes, callable. */
export function callableTool(definition: ToolDefinition): VerdictTool {
  return { ...definition, call: (args, api) => api(requestFor(definition.target, args)) };
}

/** The API request a call of a tool on `target` with `args` makes. */
export function requestFor(target: ToolTarget, args: Record<string, unknown>): ApiCallRequest {
  const rest: Record<string, unknown> = { ...args };
  let resolvedPath = target.path;
  for (const name of target.params) {
    const value = rest[name];
    delete rest[name];
    if (typeof value !== 'string' || value === '') {
      throw new ValidationError(`Invalid ${name}: ${name}: ${value === undefined ? 'required' : 'must be a non-empty string'}`, [{ path: name, message: value === undefined ? 'required' : 'must be a non-empty string' }]);
    }
    resolvedPath = resolvedPath.replace(`{${name}}`, encodeURIComponent(value));
  }
  const query: Record<string, string> = {};
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (target.method === 'GET' || target.query.includes(key)) {
      if (value !== undefined && value !== null) query[key] = typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : String(value);
    } else {
      body[key] = value;
    }
  }
  return {
    method: target.method,
    path: resolvedPath,
    ...(Object.keys(query).length > 0 && { query }),
    ...(target.method !== 'GET' && target.body && { body }),
  };
}
