/**
 * Perplexity Agent API (`POST /v1/responses`, web_search tool) for citation checks: each configured
 * prompt → an answer whose citations and text are matched against the brand (citation-matching.ts).
 * The answer's sources are its message's URL annotations, or — when it has none — its search results
 * in rank order. Cost is Perplexity's own `usage.cost.total_cost` (estimated when absent).
 */
import * as z from '../domain/zod-mini';
import { createHttpClient } from './http-client';
import { MessageItemSchema, readMessages, tolerantItems } from './answer-engine-schemas';
import { runCitationChecks, type AnswerEngineSourceOptions, ANSWER_MAX_RESPONSE_BYTES } from './citation-run';
import { SourceError, type Credentials, type Source } from './source';

export const PERPLEXITY_BASE_URL = 'https://api.perplexity.ai';
/** ≈ one web search ($0.0025) plus ~1.5k tokens in and ~600 out at sonar prices; used only when usage.cost is absent. */
export const PERPLEXITY_FALLBACK_COST_USD = 0.005;
const ANSWER_TIMEOUT_MS = 60_000;

const ResponseSchema = z.object({
  output: z.array(z.pipe(z.transform(tolerantItems(['message', 'search_results'] as const)), z.discriminatedUnion('type', [
      MessageItemSchema,
      z.looseObject({ type: z.literal('search_results'), results: z.array(z.looseObject({ url: z.string() })) }),
      z.object({ type: z.literal('other') }),
    ]))),
  usage: z.optional(z.looseObject({ cost: z.optional(z.looseObject({ total_cost: z.number().check(z.nonnegative()) })) })),
});

export type PerplexitySourceOptions = AnswerEngineSourceOptions;

export function createPerplexitySource(credentials: Credentials, options: PerplexitySourceOptions, now: () => Date = () => new Date()): Source {
  return {
    name: 'perplexity',
    async collect(ctx) {
      if (!credentials.apiKey) throw new SourceError('unauthorized', 'Perplexity credentials need apiKey');
      const http = createHttpClient({
        provider: 'Perplexity', baseUrl: options.baseUrl ?? PERPLEXITY_BASE_URL, deadline: ctx.deadline,
        headers: { authorization: `Bearer ${credentials.apiKey}` },
        timeoutMs: options.timeoutMs ?? ANSWER_TIMEOUT_MS, retries: options.retries, backoffMs: options.backoffMs, maxResponseBytes: ANSWER_MAX_RESPONSE_BYTES,
        now: () => now().getTime(),
      });
      return runCitationChecks(ctx, {
        engine: 'perplexity',
        citations: options.citations,
        concurrency: options.concurrency,
        requests: () => http.requests,
        unanswered: () => http.unansweredPosts,
        now,
        async ask(prompt) {
          const body = await http.postJson('/v1/responses', { model: options.model, input: prompt, tools: [{ type: 'web_search' }] }, ResponseSchema, { what: 'responses' });
          const { text, citedUrls, messages } = readMessages(body.output);
          if (messages === 0) throw new SourceError('schema_mismatch', 'Perplexity responses response: output: no message item', { field: 'output' });
          const searchUrls = body.output.flatMap((i) => (i.type === 'search_results' ? (i as { results: { url: string }[] }).results.map((r) => r.url) : []));
          return { text, sources: citedUrls.length > 0 ? citedUrls : searchUrls, costUsd: body.usage?.cost?.total_cost ?? PERPLEXITY_FALLBACK_COST_USD };
        },
      });
    },
  };
}
