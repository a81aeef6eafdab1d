/**
 * Contract tests for the OpenAI Responses API adapter (web_search tool) against a fake speaking the
 * documented output items: citations from url_citation annotations, estimated cost, quota vs rate 429s.
 */
import { parseAppConfig } from '../../../functions/shared/app-config';
import { createOpenAiSource, openAiCostUsd } from '../../../functions/sources/openai';
import { installAnswerEngineFake, OPENAI_QUOTA_BODY, OPENAI_RATE_LIMIT_BODY, OPENAI_UNAUTHORIZED_BODY, openAiResponseBody, type AnswerFixture } from '../../fakes/answer-engine-fakes';
import { aCollectContext, failureOf } from '../../fakes/collect-context';
import { FakeServer } from '../../fakes/fake-http-server';
import { describeTransportContract } from '../../fakes/transport-contract';

const API_KEY = 'sk-openai-secret-111';
const SLOT = '2026-03-05T00:00:00.000Z';
const NOW = new Date('2026-03-05T00:00:02Z');

const citations = (overrides: Record<string, unknown> = {}) => parseAppConfig({
  citations: { brand: 'Verdict', domains: ['verdict.co.uk'], competitors: ['Acme'], prompts: ['which tool judges marketing experiments'], ...overrides },
}).citations;

let fake: FakeServer;
beforeAll(async () => { fake = await FakeServer.start(); });
afterAll(async () => { await fake.close(); });

const openai = (c = citations(), model = 'gpt-5-mini') => createOpenAiSource({ apiKey: API_KEY }, { model, citations: c, baseUrl: fake.url, backoffMs: 5 }, () => NOW);

const ANSWER: AnswerFixture = {
  text: 'VERDICT (verdict.co.uk) keeps or discards experiments; Acmeville tools do less.',
  citations: ['https://news.example.com/a?utm_source=openai', 'https://www.verdict.co.uk/how-it-works?utm_source=openai'],
};

describe('OpenAI adapter', () => {
  it('matches url_citation annotations and the answer text, with an estimated cost', async () => {
    installAnswerEngineFake(fake, openAiResponseBody, () => ANSWER);

    const result = await openai().collect(aCollectContext({ slot: SLOT }));

    expect(result.observations).toEqual([{
      metric: 'citations.answer', engine: 'openai', prompt: 'which tool judges marketing experiments', repetition: 0,
      cited: true, position: 2, mentioned: true, competitorMentions: [], costUsd: 0.01125, at: SLOT, source: 'openai',
    }]);
    expect(result.costUsd).toBe(0.01125);
  });

  it('asks with the web_search tool and includes the consulted sources', async () => {
    installAnswerEngineFake(fake, openAiResponseBody, () => ANSWER);

    await openai().collect(aCollectContext({ slot: SLOT }));

    const [req] = fake.requestsTo('POST', '/v1/responses');
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.json).toEqual({ model: 'gpt-5-mini', input: 'which tool judges marketing experiments', tools: [{ type: 'web_search' }], include: ['web_search_call.action.sources'] });
  });

  it('falls back to the web search sources when the message cites nothing', async () => {
    installAnswerEngineFake(fake, openAiResponseBody, () => ({ text: 'No links here.', citations: [], searchResults: ['https://verdict.co.uk/'] }));

    const result = await openai().collect(aCollectContext({ slot: SLOT }));

    expect(result.observations[0]).toMatchObject({ cited: true, position: 1 });
  });

  it('prices unknown models conservatively and counts each web search call', () => {
    expect(openAiCostUsd('gpt-5-mini-2025-08-07', { input_tokens: 1_000_000, output_tokens: 0 }, 0)).toBe(0.25);
    expect(openAiCostUsd('some-new-model', { input_tokens: 0, output_tokens: 1_000_000 }, 2)).toBe(10.02);
  });

  it('reads insufficient_quota (429) as a usage cap until tomorrow, not a rate window', async () => {
    installAnswerEngineFake(fake, openAiResponseBody, () => ANSWER);
    fake.route('POST', '/v1/responses', { status: 429, body: OPENAI_QUOTA_BODY });

    const err = await failureOf(openai().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'usage_capped', extra: { resetAt: '2026-03-06T00:00:00.000Z' } });
  });

  it('reads a rate-limit 429 with x-ratelimit-reset-requests as rate_limited until then', async () => {
    installAnswerEngineFake(fake, openAiResponseBody, () => ANSWER);
    fake.route('POST', '/v1/responses', { status: 429, body: OPENAI_RATE_LIMIT_BODY, headers: { 'x-ratelimit-reset-requests': '20s', 'x-ratelimit-reset-tokens': '6m0s' } });

    const err = await failureOf(openai().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'rate_limited', extra: { resetAt: '2026-03-05T00:06:02.000Z' } });
  });

  it('reports an invalid key as unauthorized, quoting OpenAI’s message but never the key', async () => {
    installAnswerEngineFake(fake, openAiResponseBody, () => ANSWER);
    fake.route('POST', '/v1/responses', { status: 401, body: OPENAI_UNAUTHORIZED_BODY });

    const err = await failureOf(openai().collect(aCollectContext({ slot: SLOT })));

    expect(err.code).toBe('unauthorized');
    expect(err.message).toContain('Incorrect API key');
    expect(err.message).not.toContain(API_KEY);
  });

  it('names the field when usage drifts', async () => {
    installAnswerEngineFake(fake, (a) => ({ ...(openAiResponseBody(a) as object), usage: { input_tokens: 'many', output_tokens: 1 } }), () => ANSWER);

    const err = await failureOf(openai().collect(aCollectContext({ slot: SLOT })));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'usage.input_tokens' } });
  });
});

describeTransportContract('OpenAI', {
  fake: () => fake,
  install: (f) => installAnswerEngineFake(f, openAiResponseBody, () => ANSWER),
  firstRequest: ['POST', '/v1/responses', openAiResponseBody(ANSWER)],
  build: (o) => createOpenAiSource({ apiKey: API_KEY }, { model: 'gpt-5-mini', citations: citations(), baseUrl: fake.url, ...o }),
  secrets: [API_KEY],
});
