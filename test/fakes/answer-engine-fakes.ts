/**
 * Fake answer engines: Perplexity's Agent API and OpenAI's Responses API, both POST /v1/responses,
 * answering with the documented output items. Bodies are built per prompt so a test can make the
 * brand cited for one prompt and not another.
 */
import type { FakeResponse, FakeServer } from './fake-http-server';

export interface AnswerFixture { text: string; citations?: string[]; searchResults?: string[]; cost?: number }

export function perplexityResponseBody(a: AnswerFixture): unknown {
  const citations = a.citations ?? [];
  return {
    id: 'resp_01', object: 'response', created_at: 1772355600, model: 'perplexity/sonar', status: 'completed',
    output: [
      { type: 'search_results', queries: ['best analytics'], results: (a.searchResults ?? citations).map((url, i) => ({ id: i + 1, title: `Result ${i + 1}`, url, snippet: '…', date: '2026-02-01', last_updated: '2026-02-02', source: 'web' })) },
      {
        type: 'message', id: 'msg_01', role: 'assistant', status: 'completed',
        content: [{ type: 'output_text', text: a.text, annotations: citations.map((url, i) => ({ type: 'citation', url, title: `Source ${i + 1}`, start_index: 0, end_index: 1 })) }],
      },
    ],
    usage: { input_tokens: 1200, output_tokens: 400, total_tokens: 1600, cost: { input_tokens_cost: 0.0003, output_tokens_cost: 0.001, request_cost: 0.0025, total_cost: a.cost ?? 0.0038 } },
  };
}

export function openAiResponseBody(a: AnswerFixture & { usage?: { input_tokens: number; output_tokens: number } }): unknown {
  const citations = a.citations ?? [];
  return {
    id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b', object: 'response', created_at: 1772355600, status: 'completed', model: 'gpt-5-mini-2025-08-07',
    output: [
      { type: 'reasoning', id: 'rs_01', summary: [] },
      { type: 'web_search_call', id: 'ws_01', status: 'completed', action: { type: 'search', query: 'best analytics', sources: (a.searchResults ?? citations).map((url) => ({ type: 'url', url })) } },
      {
        type: 'message', id: 'msg_01', status: 'completed', role: 'assistant',
        content: [{ type: 'output_text', text: a.text, annotations: citations.map((url, i) => ({ type: 'url_citation', start_index: i, end_index: i + 1, url, title: `Source ${i + 1}` })) }],
      },
    ],
    usage: { input_tokens: 1000, input_tokens_details: { cached_tokens: 0 }, output_tokens: 500, output_tokens_details: { reasoning_tokens: 128 }, total_tokens: 1500, ...a.usage },
  };
}

export const OPENAI_RATE_LIMIT_BODY = { error: { message: 'Rate limit reached for gpt-5-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.', type: 'requests', param: null, code: 'rate_limit_exceeded' } };
export const OPENAI_QUOTA_BODY = { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } };
export const OPENAI_UNAUTHORIZED_BODY = { error: { message: 'Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } };
export const PERPLEXITY_RATE_LIMIT_BODY = { error: { message: 'Rate limit exceeded', type: 'rate_limit_exceeded', code: 429 } };
export const PERPLEXITY_UNAUTHORIZED_BODY = { error: { message: 'Invalid API key provided', type: 'invalid_api_key', code: 401 } };

/** Answers every POST /v1/responses with `answer(prompt)` built by `body`. */
export function installAnswerEngineFake(server: FakeServer, body: (a: AnswerFixture) => unknown, answer: (prompt: string) => AnswerFixture): FakeServer {
  server.clear();
  server.route('POST', '/v1/responses', (req): FakeResponse => {
    const prompt = String((req.json as { input?: unknown } | undefined)?.input ?? '');
    return { body: body(answer(prompt)) };
  });
  return server;
}

/**
 * Gemini `generateContent` with Google Search grounding (api-contracts.md §5): text in
 * `candidates[0].content.parts[]`, sources in `groundingMetadata.groundingChunks[].web` — `uri` a
 * vertexaisearch redirect, `title` the domain — and `usageMetadata` token counts.
 */
export function geminiResponseBody(a: AnswerFixture): unknown {
  const citations = a.citations ?? [];
  return {
    candidates: [{
      content: { role: 'model', parts: [{ text: 'Thinking about sources…', thought: true }, { text: a.text }] },
      finishReason: 'STOP',
      groundingMetadata: {
        webSearchQueries: ['best experiment tracker'],
        groundingChunks: citations.map((url, i) => ({ web: { uri: `https://vertexaisearch.cloud.google.com/grounding-api-redirect/AbC${i}`, title: new URL(url).hostname } })),
        groundingSupports: citations.map((_, i) => ({ segment: { startIndex: 0, endIndex: a.text.length, text: a.text }, groundingChunkIndices: [i], confidenceScores: [0.9] })),
        searchEntryPoint: { renderedContent: '<style>…</style>' },
      },
    }],
    usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 14, toolUsePromptTokenCount: 152, totalTokenCount: 174 },
    modelVersion: 'gemini-2.5-flash', responseId: 'xYz',
  };
}

/**
 * Anthropic Messages with the web search tool (api-contracts.md §6): `server_tool_use`, a
 * `web_search_tool_result` with the results seen, then `text` blocks whose `citations` name the pages used.
 */
export function claudeResponseBody(a: AnswerFixture & { searches?: number }): unknown {
  const citations = a.citations ?? [];
  return {
    id: 'msg_01A', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', stop_reason: 'end_turn',
    content: [
      { type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: { query: 'best experiment tracker' } },
      { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_01', content: (a.searchResults ?? citations).map((url) => ({ type: 'web_search_result', url, title: 'A page', page_age: 'May 3, 2026', encrypted_content: 'EqgfCi…' })) },
      { type: 'text', text: a.text, citations: citations.length ? citations.map((url) => ({ type: 'web_search_result_location', url, title: 'A page', cited_text: '…', encrypted_index: 'Eo8BCi…' })) : null },
    ],
    usage: { input_tokens: 6039, output_tokens: 931, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, server_tool_use: { web_search_requests: a.searches ?? 1, web_fetch_requests: 0 }, service_tier: 'standard' },
  };
}

export const GEMINI_RATE_LIMIT_BODY = { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } };
export const CLAUDE_RATE_LIMIT_BODY = { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' }, request_id: 'req_011' };

/** Answers Gemini's `POST /v1beta/models/{model}:generateContent` with `answer(prompt)`. */
export function installGeminiFake(server: FakeServer, answer: (prompt: string) => AnswerFixture): FakeServer {
  server.clear();
  server.route('POST', '/v1beta/models/:call', (req): FakeResponse => {
    if (!req.params.call.endsWith(':generateContent')) return { status: 404, body: { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } } };
    const prompt = String((req.json as { contents?: { parts?: { text?: string }[] }[] } | undefined)?.contents?.[0]?.parts?.[0]?.text ?? '');
    return { body: geminiResponseBody(answer(prompt)) };
  });
  return server;
}

/** Answers Anthropic's `POST /v1/messages` with `answer(prompt)`. */
export function installClaudeFake(server: FakeServer, answer: (prompt: string) => AnswerFixture & { searches?: number }): FakeServer {
  server.clear();
  server.route('POST', '/v1/messages', (req): FakeResponse => {
    const prompt = String((req.json as { messages?: { content?: unknown }[] } | undefined)?.messages?.[0]?.content ?? '');
    return { body: claudeResponseBody(answer(prompt)) };
  });
  return server;
}
