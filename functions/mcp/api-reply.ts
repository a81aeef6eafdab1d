/**
 * What an MCP tool's call to the API looks like, whichever way it is made (in-process behind the local
 * runtime's POST /mcp: mcp/api-call.ts; over HTTP behind the deployed POST /mcp and `verdict mcp`:
 * cli/api-client.ts). Types and one pure helper only, so neither needs to load the API's router.
 */

export interface ApiCallRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** Path without the query string, segments already encoded (`/experiments/exp_abc`). */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export interface ApiReply {
  status: number;
  /** Parsed JSON when the response is JSON, else the text (markdown, TSV). */
  body: unknown;
  contentType: string;
}

export type ApiCall = (request: ApiCallRequest) => Promise<ApiReply>;

/** A reply's body: parsed JSON when the content type says JSON, else the text (markdown, TSV). */
export function replyBody(text: string, contentType: string): unknown {
  if (!contentType.includes('json') || text === '') return text;
  try { return JSON.parse(text) as unknown; } catch { return text; }
}
