/**
 * Issue 14.6 — the citation spend cap under concurrency. Real adapters against fake engines that charge
 * per answer, on dynalite: two concurrent runs of one slot must not forget what either spent, and two
 * engines starting together near the cap must not pass it together. "Believed" spend is what the next
 * run is told it may still spend (cap − what Verdict counts), checked with a recording source.
 */
import { collectSlot, type CollectDeps } from '../../../functions/jobs/collect';
import { ensureTable, startDynalite, type LocalDynamo } from '../../../functions/local/dynalite';
import { parseAppConfig, type AppConfig } from '../../../functions/shared/app-config';
import { createDocumentClient } from '../../../functions/shared/clients';
import { openAiCostUsd } from '../../../functions/sources/openai';
import { createPerplexitySource } from '../../../functions/sources/perplexity';
import { createAnySource } from '../../../functions/sources/all-sources';
import type { Source } from '../../../functions/sources/source';
import { ObservationStore } from '../../../functions/store/observation-store';
import { RunStore } from '../../../functions/store/run-store';
import { installAnswerEngineFake, openAiResponseBody, perplexityResponseBody } from '../../fakes/answer-engine-fakes';
import { FakeServer } from '../../fakes/fake-http-server';

const TABLE = 'verdict-spend-cap';
const PERPLEXITY_ANSWER_USD = 0.04;
let dynamo: LocalDynamo;
let runs: RunStore;
let observations: ObservationStore;
let perplexity: FakeServer;
let openai: FakeServer;

const configWith = (prompts: number): AppConfig => parseAppConfig({
  sources: { perplexity: { enabled: true }, openai: { enabled: true } },
  citations: { brand: 'Verdict', domains: ['verdict.dev'], prompts: Array.from({ length: prompts }, (_, i) => `best experiment tracker ${i}`), monthlySpendCapUsd: 5 },
});

function deps(config: AppConfig, now: Date, buildSource?: CollectDeps['buildSource']): CollectDeps {
  return {
    config, runs, observations,
    credentials: { credentialsFor: async () => ({ apiKey: 'test-key' }) },
    buildSource: buildSource ?? ((name, credentials) => createAnySource(name, credentials, { config, now: () => now, endpoints: { perplexity: perplexity.url, openai: openai.url } })),
    log: { info: () => {}, warn: () => {} },
    now: () => now,
  };
}

/** What the next citation run of the month is told it may still spend. */
async function budgetOfTheNextRun(config: AppConfig, slot: string): Promise<number | undefined> {
  let budget: number | undefined;
  // A run that stopped at the cap paused its source; this one only reads what is left.
  await runs.putSourceState({ source: 'openai', updatedAt: slot });
  const recording: Source = { name: 'openai', collect: async (ctx) => { budget = ctx.spendBudgetUsd; return { observations: [], costUsd: 0, requests: 0 }; } };
  await collectSlot('openai', slot, 60_000, deps(config, new Date(Date.parse(slot) + 1000), () => recording));
  return budget;
}

const answersAt = (server: FakeServer) => server.requests.filter((r) => r.method === 'POST').length;

beforeAll(async () => {
  dynamo = await startDynalite();
  await ensureTable(dynamo.endpoint, TABLE);
  const db = createDocumentClient(dynamo.endpoint);
  runs = new RunStore(db, TABLE);
  observations = new ObservationStore(db, TABLE);
  [perplexity, openai] = await Promise.all([FakeServer.start(), FakeServer.start()]);
});
afterAll(async () => { await Promise.all([dynamo?.close(), perplexity?.close(), openai?.close()]); });
beforeEach(() => {
  installAnswerEngineFake(perplexity, perplexityResponseBody, () => ({ text: 'Verdict is great', citations: ['https://verdict.dev'], cost: PERPLEXITY_ANSWER_USD }));
  installAnswerEngineFake(openai, openAiResponseBody, () => ({ text: 'Verdict is great', citations: ['https://verdict.dev'] }));
  perplexity.resetRequests();
  openai.resetRequests();
});

it('two concurrent runs of one slot: every dollar spent at the provider is counted against the cap', async () => {
  const config = configWith(10);
  const now = new Date('2026-08-03T00:00:01Z');

  await Promise.all([1, 2].map(() => collectSlot('perplexity', '2026-08-03T00:00:00Z', 60_000, deps(config, now))));
  const spentAtProvider = answersAt(perplexity) * PERPLEXITY_ANSWER_USD;
  const budget = await budgetOfTheNextRun(config, '2026-08-04T00:00:00Z');

  expect(spentAtProvider).toBeGreaterThan(0.4); // both runs asked
  expect(budget).toBeCloseTo(5 - spentAtProvider, 6);
});

it('two engines starting together from $4.50 of a $5 cap end at or below $5', async () => {
  const config = configWith(20);
  await runs.recordRun({ source: 'perplexity', slot: '2026-09-01T00:00:00.000Z', outcome: 'ok', observations: 1, costUsd: 4.5, durationMs: 1, startedAt: '2026-09-01T00:00:00.000Z' });
  const now = new Date('2026-09-02T00:00:01Z');
  const openAiAnswerUsd = openAiCostUsd(config.sources.openai.model, { input_tokens: 1000, output_tokens: 500 }, 1);

  await Promise.all((['perplexity', 'openai'] as const).map((source) => collectSlot(source, '2026-09-02T00:00:00Z', 60_000, deps(config, now))));
  const spentAtProviders = answersAt(perplexity) * PERPLEXITY_ANSWER_USD + answersAt(openai) * openAiAnswerUsd;
  const budget = await budgetOfTheNextRun(config, '2026-09-03T00:00:00Z');

  expect(answersAt(perplexity) + answersAt(openai)).toBeGreaterThan(5); // they did spend what was left
  expect(4.5 + spentAtProviders).toBeLessThanOrEqual(5 + 1e-9);
  expect(budget ?? 0).toBeCloseTo(Math.max(0, 0.5 - spentAtProviders), 6);
});

it('a question that timed out or was cut off is counted as billed: the provider may have answered it', async () => {
  const config = configWith(4);
  const now = new Date('2026-10-03T00:00:01Z');
  // The first question is answered; the second is never answered in time, which ends the run.
  perplexity.route('POST', '/v1/responses', [
    { body: perplexityResponseBody({ text: 'Verdict is great', citations: ['https://verdict.dev'], cost: PERPLEXITY_ANSWER_USD }) },
    { delayMs: 5_000 },
  ]);
  const build: CollectDeps['buildSource'] = (_name, credentials) => createPerplexitySource(credentials, { model: config.sources.perplexity.model, citations: config.citations, baseUrl: perplexity.url, timeoutMs: 300, retries: 0, concurrency: 1 }, () => now);

  const run = await collectSlot('perplexity', '2026-10-03T00:00:00Z', 60_000, deps(config, now, build));
  const budget = await budgetOfTheNextRun(config, '2026-10-04T00:00:00Z');

  expect(answersAt(perplexity)).toBe(2);
  expect(run.outcome).toBe('partial');
  // $0.04 for the answer, the $0.05 reservation for the question that may have been answered unseen.
  expect(run.costUsd).toBeCloseTo(0.09, 6);
  expect(budget).toBeCloseTo(5 - 0.09, 6);
});

it('a question the provider never received (connection refused) costs nothing', async () => {
  const config = configWith(2);
  const now = new Date('2026-11-03T00:00:01Z');
  const closed = await FakeServer.start();
  const url = closed.url;
  await closed.close();
  const build: CollectDeps['buildSource'] = (_name, credentials) => createPerplexitySource(credentials, { model: config.sources.perplexity.model, citations: config.citations, baseUrl: url, timeoutMs: 300, retries: 0, concurrency: 1 }, () => now);

  const run = await collectSlot('perplexity', '2026-11-03T00:00:00Z', 60_000, deps(config, now, build));
  const budget = await budgetOfTheNextRun(config, '2026-11-04T00:00:00Z');

  expect(run.outcome).toBe('failed');
  expect(run.costUsd ?? 0).toBe(0);
  expect(budget).toBeCloseTo(5, 6);
});

it('a question cut off and retried counts as billed before the next one is asked, so the run stops at the cap', async () => {
  const config = configWith(4);
  // $4.91 of the $5 cap spent: room for this answer ($0.04) and the cut-off question's $0.05, no more.
  await runs.recordRun({ source: 'openai', slot: '2026-12-01T00:00:00.000Z', outcome: 'ok', observations: 1, costUsd: 4.91, startedAt: '2026-12-01T00:00:00.000Z', durationMs: 1 });
  const now = new Date('2026-12-02T00:00:01Z');
  const answer = { body: perplexityResponseBody({ text: 'Verdict is great', citations: ['https://verdict.dev'], cost: PERPLEXITY_ANSWER_USD }) };
  // The first question's connection is cut after it was sent; the retry is answered; later ones would be too.
  perplexity.route('POST', '/v1/responses', [{ destroy: true }, answer, answer, answer, answer]);
  const build: CollectDeps['buildSource'] = (_name, credentials) => createPerplexitySource(credentials, { model: config.sources.perplexity.model, citations: config.citations, baseUrl: perplexity.url, timeoutMs: 2_000, retries: 1, concurrency: 1 }, () => now);

  const run = await collectSlot('perplexity', '2026-12-02T00:00:00Z', 60_000, deps(config, now, build));
  const budget = await budgetOfTheNextRun(config, '2026-12-03T00:00:00Z');

  expect(answersAt(perplexity)).toBe(2); // the cut-off question and its answered retry; no second question
  expect(run.costUsd).toBeCloseTo(0.09, 6);
  expect(budget ?? 0).toBeCloseTo(0, 6);
});
