/**
 * OpenAI Responses API with the web_search tool for citation checks. The answer's sources are the
 * message's url_citation annotations, or — when it has none — the searches' consulted sources
 * (`include: ["web_search_call.action.sources"]`). OpenAI returns no price, so each answer's cost is
 * estimated: $0.01 per web search call plus tokens at the model's list price (UNSURE — see
 * OPENAI_PRICES_PER_MTOK). A 429 `insufficient_quota` is a billing cap, not a rate window.
 */
import * as z from '../domain/zod-mini';
import { createHttpClient, type ErrorResponse } from './http-client';
import { MessageItemSchema, readMessages, tolerantItems } from './answer-engine-schemas';
import { runCitationChecks, type AnswerEngineSourceOptions, ANSWER_MAX_RESPONSE_BYTES } from './citation-run';
import { SourceError, type Credentials, type Source } from './source';

export const OPENAI_BASE_URL = 'https://api.openai.com';
export const OPENAI_WEB_SEARCH_USD = 0.01;
/** US dollars per million tokens [input, output]; matched by longest model-name prefix. */
export const OPENAI_PRICES_PER_MTOK: Record<string, [number, number]> = {
  'gpt-5': [1.25, 10],
  'gpt-5-mini': [0.25, 2],
  'gpt-5-nano': [0.05, 0.4],
  'gpt-4.1': [2, 8],
  'gpt-4.1-mini': [0.4, 1.6],
  'gpt-4.1-nano': [0.1, 0.4],
  'gpt-4o': [2.5, 10],
  'gpt-4o-mini': [0.15, 0.6],
};
/** For models not in the table: priced like the dearest common model, so the cap errs on the safe side. */
const UNKNOWN_MODEL_PRICE: [number, number] = [2.5, 10];
const ANSWER_TIMEOUT_MS = 60_000;

const ResponseSchema = z.object({
  output: z.array(z.pipe(z.transform(tolerantItems(['message', 'web_search_call'] as const)), z.discriminatedUnion('type', [
      MessageItemSchema,
      z.looseObject({
        type: z.literal('web_search_call'),
        action: z.optional(z.looseObject({ sources: z.optional(z.array(z.looseObject({ url: z.optional(z.string()) }))) })),
      }),
      z.object({ type: z.literal('other') }),
    ]))),
  usage: z.optional(z.looseObject({ input_tokens: z.number().check(z.int(), z.nonnegative()), output_tokens: z.number().check(z.int(), z.nonnegative()) })),
});

/** Estimated US dollars for one answer. */
export function openAiCostUsd(model: string, usage: { input_tokens: number; output_tokens: number } | undefined, searches: number): number {
  const key = Object.keys(OPENAI_PRICES_PER_MTOK).filter((k) => model === k || model.startsWith(`${k}-`)).sort((a, b) => b.length - a.length)[0];
  const [inPrice, outPrice] = key ? OPENAI_PRICES_PER_MTOK[key] : UNKNOWN_MODEL_PRICE;
  const tokens = usage ? (usage.input_tokens * inPrice + usage.output_tokens * outPrice) / 1e6 : 0;
  return searches * OPENAI_WEB_SEARCH_USD + tokens;
}

/** OpenAI's out-of-credits 429: waiting minutes does not help; check again tomorrow. */
export function classifyOpenAiError(response: ErrorResponse, now: Date): SourceError | undefined {
  const error = (response.body as { error?: { code?: unknown; type?: unknown } } | undefined)?.error;
  if (response.status === 429 && (error?.code === 'insufficient_quota' || error?.type === 'insufficient_quota')) {
    const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    return new SourceError('usage_capped', 'OpenAI credits or quota exhausted (insufficient_quota)', { resetAt: tomorrow.toISOString(), status: 429 });
  }
  return undefined;
}

export type OpenAiSourceOptions = AnswerEngineSourceOptions;

export function createOpenAiSource(credentials: Credentials, options: OpenAiSourceOptions, now: () => Date = () => new Date()): Source {
  return {
    name: 'openai',
    async collect(ctx) {
      if (!credentials.apiKey) throw new SourceError('unauthorized', 'OpenAI credentials need apiKey');
      const http = createHttpClient({
        provider: 'OpenAI', baseUrl: options.baseUrl ?? OPENAI_BASE_URL, deadline: ctx.deadline,
        headers: { authorization: `Bearer ${credentials.apiKey}` },
        timeoutMs: options.timeoutMs ?? ANSWER_TIMEOUT_MS, retries: options.retries, backoffMs: options.backoffMs, maxResponseBytes: ANSWER_MAX_RESPONSE_BYTES,
        classifyError: classifyOpenAiError,
        now: () => now().getTime(),
      });
      return runCitationChecks(ctx, {
        engine: 'openai',
        citations: options.citations,
        concurrency: options.concurrency,
        requests: () => http.requests,
        unanswered: () => http.unansweredPosts,
        now,
        async ask(prompt) {
          const body = await http.postJson('/v1/responses', {
            model: options.model, input: prompt, tools: [{ type: 'web_search' }], include: ['web_search_call.action.sources'],
          }, ResponseSchema, { what: 'responses' });
          const { text, citedUrls, messages } = readMessages(body.output);
          if (messages === 0) throw new SourceError('schema_mismatch', 'OpenAI responses response: output: no message item', { field: 'output' });
          const searches = body.output.filter((i) => i.type === 'web_search_call') as { action?: { sources?: { url?: string }[] } }[];
          const consulted = searches.flatMap((s) => s.action?.sources ?? []).flatMap((s) => (s.url ? [s.url] : []));
          return { text, sources: citedUrls.length > 0 ? citedUrls : consulted, costUsd: openAiCostUsd(options.model, body.usage, searches.length) };
        },
      });
    },
  };
}
