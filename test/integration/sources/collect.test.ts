/**
 * The collection job with real adapters, local fake providers and dynalite: the citation monthly
 * spend cap, pauses from partial walks, money spent by failed or retried runs, independence of sources.
 */
import { collectSlot, type CollectDeps } from '../../../functions/jobs/collect';
import { ensureTable, startDynalite, type LocalDynamo } from '../../../functions/local/dynalite';
import { parseAppConfig, type SourceName } from '../../../functions/shared/app-config';
import { createDocumentClient } from '../../../functions/shared/clients';
import { createAnySource } from '../../../functions/sources/all-sources';
import { SourceError, type Source } from '../../../functions/sources/source';
import { ObservationStore } from '../../../functions/store/observation-store';
import { RunStore } from '../../../functions/store/run-store';
import { installAnswerEngineFake, perplexityResponseBody } from '../../fakes/answer-engine-fakes';
import { BEEHIIV_PUBLICATION_ID, beehiivErrorBody, beehiivPostsPage, beehiivRateLimitHeaders, installBeehiivFake } from '../../fakes/beehiiv-fake';
import { FakeServer } from '../../fakes/fake-http-server';
import { installKitFake } from '../../fakes/kit-fake';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const TABLE = 'verdict-sources-collect';
let dynamo: LocalDynamo;
let runs: RunStore;
let observations: ObservationStore;
let engine: FakeServer;
let newsletter: FakeServer;
let kitFake: FakeServer;

const config = parseAppConfig({
  sources: { perplexity: { enabled: true }, openai: { enabled: true }, beehiiv: { enabled: true, publicationId: BEEHIIV_PUBLICATION_ID } },
  citations: { brand: 'Verdict', domains: ['verdict.dev'], prompts: ['best experiment tracker'], monthlySpendCapUsd: 5 },
});

function deps(now: Date, overrides: Partial<CollectDeps> = {}): CollectDeps {
  return {
    config, runs, observations,
    credentials: { credentialsFor: async () => ({ apiKey: 'test-key' }) },
    buildSource: (name, credentials) => createAnySource(name, credentials, {
      config, now: () => now,
      endpoints: { perplexity: engine.url, openai: engine.url, beehiiv: newsletter.url, kit: kitFake.url },
    }),
    log: { info: () => {}, warn: () => {} },
    now: () => now,
    ...overrides,
  };
}

async function recordSpend(source: SourceName, slot: string, costUsd: number) {
  await runs.recordRun({ source, slot, outcome: 'ok', observations: 1, costUsd, durationMs: 1, startedAt: slot });
}

beforeAll(async () => {
  dynamo = await startDynalite();
  await ensureTable(dynamo.endpoint, TABLE);
  const db = createDocumentClient(dynamo.endpoint);
  runs = new RunStore(db, TABLE);
  observations = new ObservationStore(db, TABLE);
  [engine, newsletter, kitFake] = await Promise.all([FakeServer.start(), FakeServer.start(), FakeServer.start()]);
});
afterAll(async () => {
  await Promise.all([dynamo.close(), engine.close(), newsletter.close(), kitFake.close()]);
});

describe('citation monthly spend cap', () => {
  it('sums this month’s run costs across citation engines (Query only), ignoring last month', async () => {
    await recordSpend('perplexity', '2026-01-31T00:00:00.000Z', 9);
    await recordSpend('perplexity', '2026-02-01T00:00:00.000Z', 1.25);
    await recordSpend('openai', '2026-02-03T00:00:00.000Z', 0.5);

    expect(await runs.monthToDateCostUsd(['perplexity', 'openai'], new Date('2026-02-10T00:00:00Z'))).toBe(1.75);
  });

  it('records usage_capped until the 1st of next month without calling the engine once the cap is reached', async () => {
    await recordSpend('perplexity', '2026-03-01T00:00:00.000Z', 3);
    await recordSpend('openai', '2026-03-02T00:00:00.000Z', 2);
    installAnswerEngineFake(engine, perplexityResponseBody, () => ({ text: 'Verdict', citations: ['https://verdict.dev'] }));

    const run = await collectSlot('perplexity', '2026-03-03T00:00:00Z', 60_000, deps(new Date('2026-03-03T00:00:01Z')));

    expect(run).toMatchObject({ outcome: 'usage_capped', errorCode: 'usage_capped', resetAt: '2026-04-01T00:00:00.000Z', observations: 0 });
    expect(engine.requestsTo('POST', '/v1/responses')).toHaveLength(0);
    expect(await runs.getSourceState('perplexity')).toMatchObject({ pausedUntil: '2026-04-01T00:00:00.000Z', pauseReason: 'usage_capped' });
  });

  it('does not call the engine when less than one answer\'s reservation is left of the cap', async () => {
    await recordSpend('openai', '2026-05-01T00:00:00.000Z', 4.995);
    installAnswerEngineFake(engine, perplexityResponseBody, () => ({ text: 'Verdict', citations: ['https://verdict.dev'], cost: 0.004 }));
    engine.resetRequests();
    const cfg = parseAppConfig({ ...config, citations: { ...config.citations, repetitions: 5 } });

    const run = await collectSlot('perplexity', '2026-05-02T00:00:00Z', 60_000, deps(new Date('2026-05-02T00:00:01Z'), {
      config: cfg,
      buildSource: (name, credentials) => createAnySource(name, credentials, { config: cfg, endpoints: { perplexity: engine.url }, now: () => new Date('2026-05-02T00:00:01Z') }),
    }));

    // $0.005 left is less than the $0.05 reserved per question (ANSWER_RESERVATION_USD): asking could pass the cap.
    expect(run).toMatchObject({ outcome: 'usage_capped', errorCode: 'usage_capped', resetAt: '2026-06-01T00:00:00.000Z' });
    expect(engine.requests).toHaveLength(0);
  });
});

describe('pauses and money across runs', () => {
  it('stores a partial walk and pauses the source until the provider’s reset', async () => {
    const slotSeconds = Date.parse('2026-06-01T00:00:00Z') / 1000;
    installBeehiivFake(newsletter);
    newsletter.route('GET', '/v2/publications/:id/posts', [
      { body: beehiivPostsPage([{ id: 'post_9', publishDate: slotSeconds - 86_400 }], 1, 2) },
      { status: 429, body: beehiivErrorBody(429, 'Too Many Requests', 'slow down'), headers: beehiivRateLimitHeaders(slotSeconds + 120) },
    ]);

    const run = await collectSlot('beehiiv', '2026-06-01T00:00:00Z', 60_000, deps(new Date('2026-06-01T00:00:01Z')));

    expect(run).toMatchObject({ outcome: 'partial', observations: 2, resetAt: '2026-06-01T00:02:00.000Z' });
    expect(await runs.getSourceState('beehiiv')).toMatchObject({ pausedUntil: '2026-06-01T00:02:00.000Z', pauseReason: 'rate_limited' });
    expect(await observations.query('newsletter.send', '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z')).toHaveLength(1);
  });

  it('records what a failed run had already spent, and carries it when the slot is retried', async () => {
    const failing: Source = { name: 'openai', collect: async () => { throw new SourceError('upstream_error', 'OpenAI answered 500', { costUsd: 0.02 }); } };
    const budgets: (number | undefined)[] = [];
    const succeeding: Source = { name: 'openai', collect: async (ctx) => { budgets.push(ctx.spendBudgetUsd); return { observations: [], costUsd: 0.01, requests: 1 }; } };

    const failed = await collectSlot('openai', '2026-07-01T00:00:00Z', 60_000, deps(new Date('2026-07-01T00:00:01Z'), { buildSource: () => failing }));
    const retried = await collectSlot('openai', '2026-07-01T00:00:00Z', 60_000, deps(new Date('2026-07-01T00:20:00Z'), { buildSource: () => succeeding }));

    expect(failed).toMatchObject({ outcome: 'failed', errorCode: 'upstream_error', costUsd: 0.02 });
    expect(retried).toMatchObject({ outcome: 'ok', costUsd: 0.03 });
    expect(budgets).toEqual([4.98]);
    expect(await runs.monthToDateCostUsd(['perplexity', 'openai'], new Date('2026-07-02T00:00:00Z'))).toBe(0.03);
  });

  it('one source failing does not stop another', async () => {
    installBeehiivFake(newsletter);
    newsletter.route('GET', '/v2/publications/:id', { status: 401, body: beehiivErrorBody(401, 'Unauthorized', 'Invalid API key') });
    installKitFake(kitFake);

    const [beehiiv, kit] = await Promise.all([
      collectSlot('beehiiv', '2026-08-01T00:00:00Z', 60_000, deps(new Date('2026-08-01T00:00:01Z'))),
      collectSlot('kit', '2026-08-01T00:00:00Z', 60_000, deps(new Date('2026-08-01T00:00:01Z'))),
    ]);

    expect(beehiiv).toMatchObject({ outcome: 'failed', errorCode: 'unauthorized', observations: 0 });
    expect(kit).toMatchObject({ outcome: 'ok' });
    expect(await observations.query('newsletter.subscribers', '2026-08-01T00:00:00Z', '2026-08-02T00:00:00Z')).toEqual([
      expect.objectContaining({ source: 'kit' }),
    ]);
  });
});
