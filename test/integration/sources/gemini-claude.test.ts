/** Contract tests for the Gemini (Google Search grounding) and Claude (web search tool) answer engines against fakes of their documented bodies. */
import { parseAppConfig } from '../../../functions/shared/app-config';
import { createClaudeSource, createGeminiSource, groundingSource } from '../../../functions/sources/gemini-claude';
import { aCollectContext, failureOf } from '../../fakes/collect-context';
import { CLAUDE_RATE_LIMIT_BODY, GEMINI_RATE_LIMIT_BODY, installClaudeFake, installGeminiFake } from '../../fakes/answer-engine-fakes';
import { FakeServer } from '../../fakes/fake-http-server';
import { describeTransportContract } from '../../fakes/transport-contract';

const SLOT = '2026-03-05T00:00:00.000Z';
const config = parseAppConfig({ citations: { brand: 'Verdict', domains: ['verdict.dev'], competitors: ['Acme'], prompts: ['best experiment tracker', 'how to test a tactic'], repetitions: 2 } });

let fake: FakeServer;
beforeAll(async () => { fake = await FakeServer.start(); });
afterAll(async () => { await fake.close(); });

const gemini = (extra: { timeoutMs?: number; retries?: number; backoffMs?: number } = {}) =>
  createGeminiSource({ apiKey: 'gemini-key-123' }, { ...config.sources.gemini, citations: config.citations, baseUrl: fake.url, backoffMs: 5, ...extra });
const claude = (extra: { timeoutMs?: number; retries?: number; backoffMs?: number } = {}) =>
  createClaudeSource({ apiKey: 'sk-ant-key-456' }, { ...config.sources.claude, citations: config.citations, baseUrl: fake.url, backoffMs: 5, ...extra });
const cited = (prompt: string) => (prompt.startsWith('best')
  ? { text: 'Verdict and Acme both work.', citations: ['https://verdict.dev/docs', 'https://acme.test/'] }
  : { text: 'Write a hypothesis first.', citations: ['https://blog.example.com/'] });

describe('Gemini adapter', () => {
  it('asks each prompt k times with Google Search grounding and reads the grounding chunks as sources', async () => {
    installGeminiFake(fake, cited);

    const result = await gemini().collect(aCollectContext({ slot: SLOT }));

    expect(result.observations.map((o) => o.metric === 'citations.answer' && [o.prompt, o.repetition, o.cited, o.mentioned, o.position, o.competitorMentions])).toEqual([
      ['best experiment tracker', 0, true, true, 1, ['Acme']], ['best experiment tracker', 1, true, true, 1, ['Acme']],
      ['how to test a tactic', 0, false, false, undefined, []], ['how to test a tactic', 1, false, false, undefined, []],
    ]);
    const [req] = fake.requestsTo('POST', '/v1beta/models/:call');
    expect(req.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(req.headers['x-goog-api-key']).toBe('gemini-key-123');
    expect(req.json).toEqual({ contents: [{ role: 'user', parts: [{ text: expect.any(String) }] }], tools: [{ google_search: {} }] });
  });

  it('costs the configured price per check plus tokens, and reports it for the monthly cap', async () => {
    installGeminiFake(fake, cited);

    const result = await gemini().collect(aCollectContext({ slot: SLOT }));

    // 0.035 + (8 + 152) × 0.3/1e6 + 14 × 2.5/1e6 per answer
    expect(result.costUsd).toBeCloseTo(4 * (0.035 + (160 * 0.3 + 14 * 2.5) / 1e6), 6);
  });

  it('stands a redirect uri in for the domain its title names', () => {
    expect(groundingSource({ uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/x', title: 'verdict.dev' })).toBe('https://verdict.dev/');
    expect(groundingSource({ uri: 'https://example.com/a', title: 'Example' })).toBe('https://example.com/a');
  });

  it('records RESOURCE_EXHAUSTED (429) as rate_limited', async () => {
    installGeminiFake(fake, cited);
    fake.route('POST', '/v1beta/models/:call', { status: 429, body: GEMINI_RATE_LIMIT_BODY });

    expect((await failureOf(gemini().collect(aCollectContext({ slot: SLOT })))).code).toBe('rate_limited');
  });

  it('reports a response without candidates as schema_mismatch', async () => {
    installGeminiFake(fake, cited);
    fake.route('POST', '/v1beta/models/:call', { body: { promptFeedback: { blockReason: 'OTHER' } } });

    expect((await failureOf(gemini().collect(aCollectContext({ slot: SLOT })))).code).toBe('schema_mismatch');
  });
});

describe('Claude adapter', () => {
  it('sends the web search tool and reads the text blocks\' citations as sources', async () => {
    installClaudeFake(fake, cited);

    const result = await claude().collect(aCollectContext({ slot: SLOT }));

    expect(result.observations.filter((o) => o.metric === 'citations.answer' && o.cited)).toHaveLength(2);
    const [req] = fake.requestsTo('POST', '/v1/messages');
    expect(req.headers).toMatchObject({ 'x-api-key': 'sk-ant-key-456', 'anthropic-version': '2023-06-01' });
    expect(req.json).toMatchObject({ model: 'claude-sonnet-4-5', tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }] });
  });

  it('falls back to the search results seen when the answer cites nothing', async () => {
    installClaudeFake(fake, () => ({ text: 'Several tools exist.', citations: [], searchResults: ['https://verdict.dev/'] }));

    const result = await claude().collect(aCollectContext({ slot: SLOT }));

    expect(result.observations.every((o) => o.metric === 'citations.answer' && o.cited)).toBe(true);
  });

  it('costs searches × $0.01 plus tokens', async () => {
    installClaudeFake(fake, (p) => ({ ...cited(p), searches: 2 }));

    const result = await claude().collect(aCollectContext({ slot: SLOT }));

    expect(result.costUsd).toBeCloseTo(4 * (2 * 0.01 + (6039 * 3 + 931 * 15) / 1e6), 6);
  });

  it('records rate_limit_error (429) as rate_limited', async () => {
    installClaudeFake(fake, cited);
    fake.route('POST', '/v1/messages', { status: 429, body: CLAUDE_RATE_LIMIT_BODY, headers: { 'retry-after': '30' } });

    expect((await failureOf(claude().collect(aCollectContext({ slot: SLOT })))).code).toBe('rate_limited');
  });

  it('reports an answer without a text block as schema_mismatch', async () => {
    installClaudeFake(fake, cited);
    fake.route('POST', '/v1/messages', { body: { content: [{ type: 'server_tool_use', id: 'x', name: 'web_search', input: {} }], usage: { input_tokens: 1, output_tokens: 1 } } });

    expect((await failureOf(claude().collect(aCollectContext({ slot: SLOT })))).code).toBe('schema_mismatch');
  });
});

const oneAnswer = { text: 'Verdict.', citations: ['https://verdict.dev/'] };
describeTransportContract('Gemini', {
  fake: () => fake,
  install: (f) => installGeminiFake(f, () => oneAnswer),
  firstRequest: ['POST', '/v1beta/models/:call', { candidates: [{ content: { parts: [{ text: 'Verdict.' }] } }] }],
  build: (o) => createGeminiSource({ apiKey: 'gemini-key-123' }, { ...config.sources.gemini, citations: { ...config.citations, prompts: ['one prompt'], repetitions: 1 }, baseUrl: fake.url, concurrency: 1, ...o }),
  secrets: ['gemini-key-123'],
});
describeTransportContract('Claude', {
  fake: () => fake,
  install: (f) => installClaudeFake(f, () => oneAnswer),
  firstRequest: ['POST', '/v1/messages', { content: [{ type: 'text', text: 'Verdict.', citations: null }], usage: { input_tokens: 1, output_tokens: 1 } }],
  build: (o) => createClaudeSource({ apiKey: 'sk-ant-key-456' }, { ...config.sources.claude, citations: { ...config.citations, prompts: ['one prompt'], repetitions: 1 }, baseUrl: fake.url, concurrency: 1, ...o }),
  secrets: ['sk-ant-key-456'],
});
