/**
 * Two more answer engines for citation checks, through the shared citation run (./citation-run.ts):
 *
 * - Google Gemini with Google Search grounding: `POST /v1beta/models/{model}:generateContent` with
 *   `tools: [{ google_search: {} }]`. The answer is the first candidate's text parts (thoughts skipped);
 *   its sources are `groundingMetadata.groundingChunks[].web` in order. Their `uri` is usually a Google
 *   redirect, so when it is, the chunk's `title` (the site's domain) stands for the source.
 *   Cost per check: `costPerCheckUsd` (grounded-prompt billing, $35 / 1,000 for Gemini 2.5 — UNSURE) +
 *   tokens at the configured prices.
 * - Anthropic Claude with the web search tool: `POST /v1/messages` with `web_search_20250305`. Sources
 *   are the text blocks' `citations[].url` (the pages the answer cites), else the search results seen.
 *   Cost: `usage.server_tool_use.web_search_requests` × `costPerSearchUsd` ($10 / 1,000) + tokens.
 *
 * Request and response shapes: ../../../shared/api-contracts.md §5–6; the fakes in test/fakes/ write
 * them down. Both count toward citations.monthlySpendCapUsd like Perplexity and OpenAI.
 */
import * as z from '../domain/zod-mini';
import { createHttpClient } from './http-client';
import { tolerantItems } from './answer-engine-schemas';
import { ANSWER_MAX_RESPONSE_BYTES, runCitationChecks, type AnswerEngineSourceOptions } from './citation-run';
import { SourceError, type Credentials, type Source } from './source';

export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
const ANSWER_TIMEOUT_MS = 60_000;

export interface TokenPrices {
  /** US dollars per million input tokens. */
  inputUsdPerMTok: number;
  /** US dollars per million output tokens. */
  outputUsdPerMTok: number;
}

const tokenCost = (prices: TokenPrices, input: number, output: number) => (input * prices.inputUsdPerMTok + output * prices.outputUsdPerMTok) / 1e6;
const count = z.number().check(z.int(), z.nonnegative());

// --------------------------------------------------------------------------------------------- Gemini

const GeminiResponseSchema = z.object({
  candidates: z.array(z.looseObject({
    content: z.optional(z.looseObject({ parts: z._default(z.array(z.looseObject({ text: z.optional(z.string()), thought: z.optional(z.boolean()) })), []) })),
    groundingMetadata: z.optional(z.looseObject({
      groundingChunks: z._default(z.array(z.looseObject({ web: z.optional(z.looseObject({ uri: z.optional(z.string()), title: z.optional(z.string()) })) })), []),
    })),
  })).check(z.minLength(1)),
  usageMetadata: z.optional(z.looseObject({ promptTokenCount: z._default(count, 0), candidatesTokenCount: z._default(count, 0), toolUsePromptTokenCount: z._default(count, 0), thoughtsTokenCount: z._default(count, 0) })),
});

/** A grounding chunk → the URL it stands for (a Google redirect is replaced by the domain its title names). */
export function groundingSource(web: { uri?: string; title?: string }): string | undefined {
  const redirect = !web.uri || /^https:\/\/(vertexaisearch\.cloud\.google\.com|www\.google\.com)\//.test(web.uri);
  if (redirect && web.title && /^([a-z0-9-]+\.)+[a-z]{2,}$/i.test(web.title.trim())) return `https://${web.title.trim().toLowerCase()}/`;
  return web.uri;
}

export interface GeminiSourceOptions extends AnswerEngineSourceOptions, TokenPrices { costPerCheckUsd: number }

export function createGeminiSource(credentials: Credentials, options: GeminiSourceOptions, now: () => Date = () => new Date()): Source {
  return {
    name: 'gemini',
    async collect(ctx) {
      if (!credentials.apiKey) throw new SourceError('unauthorized', 'Gemini credentials need apiKey');
      const http = createHttpClient({
        provider: 'Gemini', baseUrl: options.baseUrl ?? GEMINI_BASE_URL, deadline: ctx.deadline,
        headers: { 'x-goog-api-key': credentials.apiKey },
        timeoutMs: options.timeoutMs ?? ANSWER_TIMEOUT_MS, retries: options.retries, backoffMs: options.backoffMs, maxResponseBytes: ANSWER_MAX_RESPONSE_BYTES,
        now: () => now().getTime(),
      });
      return runCitationChecks(ctx, {
        engine: 'gemini', citations: options.citations, concurrency: options.concurrency, requests: () => http.requests, unanswered: () => http.unansweredPosts, now,
        async ask(prompt) {
          const body = await http.postJson(`/v1beta/models/${encodeURIComponent(options.model)}:generateContent`, {
            contents: [{ role: 'user', parts: [{ text: prompt }] }], tools: [{ google_search: {} }],
          }, GeminiResponseSchema, { what: 'generateContent' });
          const [first] = body.candidates;
          const text = (first.content?.parts ?? []).filter((p) => !p.thought && p.text).map((p) => p.text).join('');
          const sources = (first.groundingMetadata?.groundingChunks ?? []).flatMap((c) => (c.web ? [groundingSource(c.web)] : [])).filter((u): u is string => Boolean(u));
          const u = body.usageMetadata;
          const tokens = u ? tokenCost(options, u.promptTokenCount + u.toolUsePromptTokenCount, u.candidatesTokenCount + u.thoughtsTokenCount) : 0;
          return { text, sources, costUsd: options.costPerCheckUsd + tokens };
        },
      });
    },
  };
}

// --------------------------------------------------------------------------------------------- Claude

const ClaudeResponseSchema = z.object({
  content: z.array(z.pipe(z.transform(tolerantItems(['text', 'web_search_tool_result'] as const)), z.discriminatedUnion('type', [
      z.looseObject({ type: z.literal('text'), text: z.string(), citations: z.optional(z.nullable(z.array(z.looseObject({ url: z.optional(z.string()) })))) }),
      z.looseObject({
        type: z.literal('web_search_tool_result'),
        content: z.union([z.array(z.looseObject({ url: z.optional(z.string()) })), z.looseObject({ type: z.string(), error_code: z.optional(z.string()) })]),
      }),
      z.object({ type: z.literal('other') }),
    ]))),
  usage: z.looseObject({
    input_tokens: count, output_tokens: count,
    server_tool_use: z.optional(z.looseObject({ web_search_requests: z._default(count, 0) })),
  }),
});

export interface ClaudeSourceOptions extends AnswerEngineSourceOptions, TokenPrices { costPerSearchUsd: number; maxSearches?: number }

export function createClaudeSource(credentials: Credentials, options: ClaudeSourceOptions, now: () => Date = () => new Date()): Source {
  return {
    name: 'claude',
    async collect(ctx) {
      if (!credentials.apiKey) throw new SourceError('unauthorized', 'Claude credentials need apiKey');
      const http = createHttpClient({
        provider: 'Anthropic', baseUrl: options.baseUrl ?? ANTHROPIC_BASE_URL, deadline: ctx.deadline,
        headers: { 'x-api-key': credentials.apiKey, 'anthropic-version': '2023-06-01' },
        timeoutMs: options.timeoutMs ?? ANSWER_TIMEOUT_MS, retries: options.retries, backoffMs: options.backoffMs, maxResponseBytes: ANSWER_MAX_RESPONSE_BYTES,
        now: () => now().getTime(),
      });
      return runCitationChecks(ctx, {
        engine: 'claude', citations: options.citations, concurrency: options.concurrency, requests: () => http.requests, unanswered: () => http.unansweredPosts, now,
        async ask(prompt) {
          const body = await http.postJson('/v1/messages', {
            model: options.model, max_tokens: 1024, messages: [{ role: 'user', content: prompt }],
            tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: options.maxSearches ?? 3 }],
          }, ClaudeResponseSchema, { what: 'messages' });
          const texts = body.content.filter((b) => b.type === 'text') as { text: string; citations?: { url?: string }[] | null }[];
          if (texts.length === 0) throw new SourceError('schema_mismatch', 'Anthropic messages response: content: no text block', { field: 'content' });
          const cited = texts.flatMap((t) => t.citations ?? []).flatMap((c) => (c.url ? [c.url] : []));
          const seen = (body.content.filter((b) => b.type === 'web_search_tool_result') as { content: { url?: string }[] | object }[])
            .flatMap((r) => (Array.isArray(r.content) ? r.content : [])).flatMap((r) => (r.url ? [r.url] : []));
          const searches = body.usage.server_tool_use?.web_search_requests ?? 0;
          return {
            text: texts.map((t) => t.text).join(''),
            sources: [...new Set(cited.length > 0 ? cited : seen)],
            costUsd: searches * options.costPerSearchUsd + tokenCost(options, body.usage.input_tokens, body.usage.output_tokens),
          };
        },
      });
    },
  };
}
