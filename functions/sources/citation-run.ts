/**
 * One citation-check run for one answer engine: every configured prompt asked `repetitions` times
 * (the answers' noise floor), a few at a time, each answer → a citations.answer observation.
 * The run stops asking when the deadline nears, when the month's remaining spend budget is used up,
 * or at the first failure; what was answered is kept (partial) unless the failure means the answers
 * cannot be trusted (schema drift, malformed bodies, auth, bad requests), which fails the run.
 * Money already spent is reported either way (CollectResult.costUsd or SourceError.extra.costUsd).
 */
import type { CitationAnswerObservation } from '../domain/observation';
import type { AppConfig } from '../shared/app-config';
import { createBrandMatcher } from './citation-matching';
import { startOfNextMonth } from '../shared/schedules';
import { SourceError, type CollectContext, type CollectResult } from './source';

/**
 * Largest answer body read from an AI answer engine: a real answer with its sources is tens of KB, so a
 * megabyte is generous, and matching never sees more (GEO answers are untrusted, prompt-steerable text).
 */
export const ANSWER_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface EngineAnswer {
  /** The answer's text (all output_text parts). */
  text: string;
  /** Source URLs in the order the engine ranks them. */
  sources: string[];
  /** US dollars this answer cost. */
  costUsd: number;
}

/** What an answer-engine adapter (Perplexity, OpenAI) is built with. */
export interface AnswerEngineSourceOptions {
  model: string;
  citations: AppConfig['citations'];
  baseUrl?: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  concurrency?: number;
}

export interface CitationRunOptions {
  engine: 'perplexity' | 'openai' | 'gemini' | 'claude';
  citations: AppConfig['citations'];
  ask(prompt: string): Promise<EngineAnswer>;
  /** Upstream requests so far (from the engine's HTTP client). */
  requests(): number;
  /** Questions sent that got no answer (timed out, cut off) so far: each may have been billed. */
  unanswered(): number;
  /** Questions in flight at once. */
  concurrency?: number;
  /** Do not start a question with less time than this left, in ms. */
  minAskMs?: number;
  now?: () => Date;
}

const DEFAULT_CONCURRENCY = 3;
/**
 * US dollars reserved on the month's counter before each question: above what one answer costs at the
 * engines' list prices (about $0.004–$0.02), so concurrent runs cannot pass the cap together. A dearer
 * answer is still counted in full when settled, and the run reserves that much from then on.
 */
export const ANSWER_RESERVATION_USD = 0.05;
const DEFAULT_MIN_ASK_MS = 5_000;
/** Failures after which the answers collected so far are still worth keeping. */
const KEEP_ANSWERS_ON = new Set(['rate_limited', 'usage_capped', 'upstream_error', 'timeout', 'network_error']);

export async function runCitationChecks(ctx: CollectContext, options: CitationRunOptions): Promise<CollectResult> {
  const { citations, engine } = options;
  if (citations.prompts.length === 0) throw new SourceError('bad_request', 'citations.prompts is empty: nothing to ask');
  if (!citations.brand && citations.aliases.length === 0 && citations.domains.length === 0) {
    throw new SourceError('bad_request', 'citations.brand (or aliases/domains) is not configured');
  }
  const now = options.now ?? (() => new Date());
  const budget = ctx.spendBudgetUsd ?? Number.POSITIVE_INFINITY;
  if (budget <= 0) throw new SourceError('usage_capped', 'monthly citation spend cap reached', { resetAt: startOfNextMonth(now()) });

  const matcher = createBrandMatcher(citations);
  const tasks = citations.prompts.flatMap((prompt) => Array.from({ length: citations.repetitions }, (_, repetition) => ({ prompt, repetition })));
  const observations: CitationAnswerObservation[] = [];
  const minAskMs = options.minAskMs ?? DEFAULT_MIN_ASK_MS;
  let spent = 0;
  let reservation = ANSWER_RESERVATION_USD;
  let next = 0;
  let failure: SourceError | undefined;
  let stopReason: 'deadline' | 'budget' | undefined;

  // A question that timed out or was cut off may still have been answered, and billed: its reservation
  // stays counted (against the cap and in the run's cost), so no dollar spent at the provider is forgotten.
  // Counted as soon as each question returns, so a run stopped part-way has already counted them.
  let counted = 0;
  let maybeSpent = 0;
  const countUnanswered = async () => {
    const owed = options.unanswered() - counted;
    if (owed <= 0) return;
    counted += owed;
    const usd = owed * reservation;
    maybeSpent += usd;
    spent += usd;
    await ctx.spend?.settle(0, usd);
  };

  const worker = async () => {
    for (;;) {
      if (failure || stopReason || next >= tasks.length) return;
      if (spent >= budget) { stopReason = 'budget'; return; }
      if (Date.now() + minAskMs >= ctx.deadline) { stopReason = 'deadline'; return; }
      const held = reservation;
      if (ctx.spend && !(await ctx.spend.reserve(held))) { stopReason = 'budget'; return; }
      if (failure || stopReason || next >= tasks.length) { await ctx.spend?.settle(held, 0); return; }
      const task = tasks[next++];
      try {
        let answer: EngineAnswer;
        try {
          answer = await options.ask(task.prompt);
        } catch (err) {
          await ctx.spend?.settle(held, 0);
          throw err;
        } finally {
          await countUnanswered();
        }
        await ctx.spend?.settle(held, answer.costUsd);
        reservation = Math.max(reservation, answer.costUsd);
        spent += answer.costUsd;
        const m = matcher.match(answer);
        observations.push({
          metric: 'citations.answer', engine, prompt: task.prompt, repetition: task.repetition,
          cited: m.cited, mentioned: m.mentioned, ...(m.position !== undefined && { position: m.position }),
          competitorMentions: m.competitorMentions, costUsd: roundUsd(answer.costUsd),
          at: ctx.slot, source: engine,
        });
      } catch (err) {
        failure ??= err instanceof SourceError ? err : new SourceError('network_error', `${engine} request failed`);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, tasks.length) }, worker));

  await countUnanswered();
  if (counted > 0) {
    ctx.log.warn(`${engine}: ${counted} question(s) got no answer and may have been billed; counted at $${maybeSpent.toFixed(2)}`, { source: engine, unanswered: counted });
  }
  const costUsd = roundUsd(spent);
  const requests = options.requests();
  if (failure) {
    if (observations.length === 0 || !KEEP_ANSWERS_ON.has(failure.code)) {
      throw new SourceError(failure.code, failure.message, { ...failure.extra, costUsd }, { cause: failure });
    }
    ctx.log.warn(`${engine} citation run cut short`, { source: engine, errorCode: failure.code, answers: observations.length, of: tasks.length });
    const pause = failure.code === 'rate_limited' || failure.code === 'usage_capped'
      ? { pause: { reason: failure.code, until: failure.extra.resetAt ?? new Date(now().getTime() + 60_000).toISOString() } }
      : {};
    return { observations: sorted(observations), partial: true, costUsd, requests, ...pause };
  }
  if (stopReason && observations.length === 0) {
    throw stopReason === 'deadline'
      ? new SourceError('timeout', `${engine}: no time left before the run's deadline to ask any prompt`, { costUsd })
      : new SourceError('usage_capped', 'monthly citation spend cap reached', { resetAt: startOfNextMonth(now()), costUsd });
  }
  if (stopReason) {
    ctx.log.warn(`${engine} citation run stopped early`, { source: engine, reason: stopReason, answers: observations.length, of: tasks.length });
    const pause = stopReason === 'budget' ? { pause: { reason: 'usage_capped' as const, until: startOfNextMonth(now()) } } : {};
    return { observations: sorted(observations), partial: true, costUsd, requests, ...pause };
  }
  return { observations: sorted(observations), costUsd, requests };
}

function sorted(observations: CitationAnswerObservation[]): CitationAnswerObservation[] {
  return [...observations].sort((a, b) => a.prompt.localeCompare(b.prompt) || (a.repetition ?? 0) - (b.repetition ?? 0));
}

/** Dollars to a tenth of a cent's hundredth (1e-6), so sums stay exact enough and items small. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

