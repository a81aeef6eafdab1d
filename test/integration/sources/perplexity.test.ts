/**
 * Contract tests for the Perplexity Agent API adapter (POST /v1/responses) against a fake speaking the
 * documented output items: citation matching per answer, k repetitions, cost, spend budget, 429s.
 */
import { parseAppConfig } from '../../../functions/shared/app-config';
import { createPerplexitySource, PERPLEXITY_FALLBACK_COST_USD } from '../../../functions/sources/perplexity';
import { installAnswerEngineFake, PERPLEXITY_RATE_LIMIT_BODY, perplexityResponseBody, type AnswerFixture } from '../../fakes/answer-engine-fakes';
import { aCollectContext, failureOf } from '../../fakes/collect-context';
import { FakeServer } from '../../fakes/fake-http-server';
import { describeTransportContract } from '../../fakes/transport-contract';

const API_KEY = 'pplx-secret-key-000';
const SLOT = '2026-03-05T00:00:00.000Z';
const NOW = new Date('2026-03-05T00:00:02Z');

function citationsConfig(overrides: Record<string, unknown> = {}) {
  return parseAppConfig({
    citations: {
      brand: 'Verdict', aliases: ['Verdict.dev'], domains: ['verdict.dev'], competitors: ['Acme Analytics', 'Plausible'],
      prompts: ['best experiment tracker for indie hackers', 'how to measure newsletter growth'], repetitions: 1, ...overrides,
    },
  }).citations;
}

let fake: FakeServer;
beforeAll(async () => { fake = await FakeServer.start(); });
afterAll(async () => { await fake.close(); });

const perplexity = (citations = citationsConfig(), extra: { concurrency?: number } = {}) =>
  createPerplexitySource({ apiKey: API_KEY }, { model: 'perplexity/sonar', citations, baseUrl: fake.url, backoffMs: 5, ...extra }, () => NOW);

const CITED: AnswerFixture = {
  text: 'For indie hackers, Verdict and Acme Analytics both work; see https://verdict.dev/docs for setup.',
  citations: ['https://www.g2.com/compare?utm_source=perplexity', 'https://g2.com/compare', 'https://blog.verdict.dev/post?utm_source=pplx&ref=x'],
  cost: 0.0038,
};
const NOT_CITED: AnswerFixture = { text: 'Plausible is a privacy-friendly choice; Verdictville is a town.', citations: ['https://plausible.io/'], cost: 0.0042 };

describe('Perplexity adapter', () => {
  it('turns each answer into a citations.answer: cited, position after de-duplication, mentions, competitors, cost', async () => {
    installAnswerEngineFake(fake, perplexityResponseBody, (prompt) => (prompt.startsWith('best') ? CITED : NOT_CITED));

    const result = await perplexity().collect(aCollectContext({ slot: SLOT }));

    expect(result.observations).toEqual([
      {
        metric: 'citations.answer', engine: 'perplexity', prompt: 'best experiment tracker for indie hackers', repetition: 0,
        cited: true, position: 2, mentioned: true, competitorMentions: ['Acme Analytics'], costUsd: 0.0038, at: SLOT, source: 'perplexity',
      },
      {
        metric: 'citations.answer', engine: 'perplexity', prompt: 'how to measure newsletter growth', repetition: 0,
        cited: false, mentioned: false, competitorMentions: ['Plausible'], costUsd: 0.0042, at: SLOT, source: 'perplexity',
      },
    ]);
    expect(result).toMatchObject({ costUsd: 0.008, requests: 2 });
    expect(result.partial).toBeUndefined();
  });

  it('asks the Agent API with the configured model and the web_search tool, bearer-authenticated', async () => {
    installAnswerEngineFake(fake, perplexityResponseBody, () => CITED);

    await perplexity(citationsConfig({ prompts: ['best experiment tracker for indie hackers'] })).collect(aCollectContext({ slot: SLOT }));

    const [req] = fake.requestsTo('POST', '/v1/responses');
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.json).toEqual({ model: 'perplexity/sonar', input: 'best experiment tracker for indie hackers', tools: [{ type: 'web_search' }] });
  });

  it('asks each prompt k times per run (the noise floor), numbering the repetitions', async () => {
    installAnswerEngineFake(fake, perplexityResponseBody, () => CITED);

    const result = await perplexity(citationsConfig({ repetitions: 3 })).collect(aCollectContext({ slot: SLOT }));

    expect(fake.requestsTo('POST', '/v1/responses')).toHaveLength(6);
    expect(result.observations.map((o) => `${(o as { prompt: string }).prompt.slice(0, 4)}#${(o as { repetition: number }).repetition}`))
      .toEqual(['best#0', 'best#1', 'best#2', 'how #0', 'how #1', 'how #2']);
  });

  it('ranks the search results when the message carries no URL annotations', async () => {
    installAnswerEngineFake(fake, perplexityResponseBody, () => ({ text: 'An answer.', citations: [], searchResults: ['https://a.example.com/', 'https://docs.verdict.dev/start'] }));

    const result = await perplexity(citationsConfig({ prompts: ['p1 prompt'] })).collect(aCollectContext({ slot: SLOT }));

    expect(result.observations[0]).toMatchObject({ cited: true, position: 2, mentioned: false });
  });

  it('estimates the cost when usage.cost is absent', async () => {
    installAnswerEngineFake(fake, (a) => ({ ...(perplexityResponseBody(a) as object), usage: { input_tokens: 10, output_tokens: 10 } }), () => CITED);

    const result = await perplexity(citationsConfig({ prompts: ['p1 prompt'] })).collect(aCollectContext({ slot: SLOT }));

    expect(result.costUsd).toBe(PERPLEXITY_FALLBACK_COST_USD);
  });

  it('stops asking once the month’s remaining spend budget is used: partial, paused until next month', async () => {
    installAnswerEngineFake(fake, perplexityResponseBody, () => CITED);

    const result = await perplexity(citationsConfig({ repetitions: 5 }), { concurrency: 1 }).collect(aCollectContext({ slot: SLOT, spendBudgetUsd: 0.005 }));

    expect(result.observations).toHaveLength(2);
    expect(result).toMatchObject({ partial: true, costUsd: 0.0076, pause: { reason: 'usage_capped', until: '2026-04-01T00:00:00.000Z' } });
  });

  it('does not ask at all when the budget is already spent', async () => {
    installAnswerEngineFake(fake, perplexityResponseBody, () => CITED);

    const err = await failureOf(perplexity().collect(aCollectContext({ slot: SLOT, spendBudgetUsd: 0 })));

    expect(err.code).toBe('usage_capped');
    expect(fake.requestsTo('POST', '/v1/responses')).toHaveLength(0);
  });

  it('reports a 429 on the first question as rate_limited until Retry-After', async () => {
    installAnswerEngineFake(fake, perplexityResponseBody, () => CITED);
    fake.route('POST', '/v1/responses', { status: 429, body: PERPLEXITY_RATE_LIMIT_BODY, headers: { 'retry-after': '30' } });

    const err = await failureOf(perplexity().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'rate_limited', extra: { resetAt: '2026-03-05T00:00:32.000Z', costUsd: 0 } });
  });

  it('keeps the answers already paid for when a later question is rate limited', async () => {
    installAnswerEngineFake(fake, perplexityResponseBody, () => CITED);
    fake.route('POST', '/v1/responses', [{ body: perplexityResponseBody(CITED) }, { status: 429, body: PERPLEXITY_RATE_LIMIT_BODY, headers: { 'retry-after': '30' } }]);

    const result = await perplexity(citationsConfig(), { concurrency: 1 }).collect(aCollectContext({ slot: SLOT }));

    expect(result).toMatchObject({ partial: true, costUsd: 0.0038, pause: { reason: 'rate_limited', until: '2026-03-05T00:00:32.000Z' } });
    expect(result.observations).toHaveLength(1);
  });

  it('fails the run on schema drift, naming the field and reporting what was already spent', async () => {
    const drifted = perplexityResponseBody(CITED) as { output: { type: string; content?: { text?: string }[] }[] };
    delete drifted.output[1].content?.[0].text;
    installAnswerEngineFake(fake, perplexityResponseBody, () => CITED);
    fake.route('POST', '/v1/responses', [{ body: perplexityResponseBody(CITED) }, { body: drifted }]);

    const err = await failureOf(perplexity(citationsConfig(), { concurrency: 1 }).collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'output.1.content.0.text', costUsd: 0.0038 } });
  });

  it('names `output` when the response has no output at all', async () => {
    installAnswerEngineFake(fake, () => ({ id: 'resp_01', usage: { cost: { total_cost: 0.001 } } }), () => CITED);

    const err = await failureOf(perplexity().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'output' } });
  });

  it('fails clearly when no prompts are configured', async () => {
    const err = await failureOf(perplexity(citationsConfig({ prompts: [] })).collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'bad_request' });
    expect(err.message).toContain('citations.prompts');
  });
});

describeTransportContract('Perplexity', {
  fake: () => fake,
  install: (f) => installAnswerEngineFake(f, perplexityResponseBody, () => CITED),
  firstRequest: ['POST', '/v1/responses', perplexityResponseBody(CITED)],
  build: (o) => createPerplexitySource({ apiKey: API_KEY }, { model: 'perplexity/sonar', citations: citationsConfig({ prompts: ['one prompt'] }), baseUrl: fake.url, ...o }),
  secrets: [API_KEY],
});
