/**
 * The upstream fault matrix, at the collector job (what the Lambda runs) with dynalite: for every
 * source, 429 (and X's monthly usage cap), 500, timeout, connection reset, malformed JSON, schema drift
 * and 401. Each fault runs with half the sources faulted and the other half healthy at the same time,
 * and swapped: the faulted ones must not crash, write no observation, record the failure with its
 * code and return within their budget; the healthy ones collect as usual. The two rounds of a fault run
 * at the same time, each on a table of its own (a source a 429 paused stays paused only there), so the
 * faults that wait on timeouts and back-offs wait once. Real adapters and clients against local fakes
 * (test/fakes) — a catch-all fault server stands in for the faulted providers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectSlot } from '../../functions/jobs/collect';
import { ensureTable, startDynalite, type LocalDynamo } from '../../functions/local/dynalite';
import { parseAppConfig, SOURCE_NAMES, type SourceName } from '../../functions/shared/app-config';
import { createAnySource } from '../../functions/sources/all-sources';
import type { CollectionRun } from '../../functions/store/run-store';
import { installAnswerEngineFake, installClaudeFake, installGeminiFake, openAiResponseBody, perplexityResponseBody } from '../fakes/answer-engine-fakes';
import { BEEHIIV_PUBLICATION_ID, installBeehiivFake } from '../fakes/beehiiv-fake';
import { installBlueskyFake } from '../fakes/bluesky-fake';
import { installButtondownFake } from '../fakes/buttondown-fake';
import { FakeServer } from '../fakes/fake-http-server';
import { installKitFake } from '../fakes/kit-fake';
import { installMailchimpFake, MAILCHIMP_API_KEY, MAILCHIMP_LIST_ID } from '../fakes/mailchimp-fake';
import { aStripeAccount, installStripeFake } from '../fakes/stripe-fake';
import { installLemonSqueezyFake, installPolarFake } from '../fakes/lemonsqueezy-polar-fakes';
import { aSiteTraffic, installPlausibleFake, installUmamiFake } from '../fakes/web-analytics-fakes';
import { installXFake, X_USAGE_CAP_BODY } from '../fakes/x-fake';
import { countedStores } from '../support/dynamo-counter';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
/** One table per round of a fault: the rounds run side by side. */
const TABLES = ['verdict-source-faults-a', 'verdict-source-faults-b'];
/** The remaining time handed to the job: it keeps 3 s to record the run, and answer engines need 5 s to ask a prompt. */
const BUDGET_MS = 9_000;
const quiet = { info: () => {}, warn: () => {} };

const config = parseAppConfig({
  sources: {
    x: { enabled: true }, bluesky: { enabled: true, handle: 'verdict.bsky.social' },
    // One newsletter provider may be enabled per deployment; the job collects whichever it is given.
    beehiiv: { enabled: true, publicationId: BEEHIIV_PUBLICATION_ID }, mailchimp: { listId: MAILCHIMP_LIST_ID },
    perplexity: { enabled: true }, openai: { enabled: true },
    // One day of history: the healthy run writes one batch like every other source.
    stripe: { enabled: true, backfillDays: 1 },
    plausible: { enabled: true, sites: ['verdict.dev'], backfillDays: 1 },
    umami: { enabled: true, websites: [{ id: 'site-1', site: 'verdict.dev' }], backfillDays: 1 },
    gemini: { enabled: true }, claude: { enabled: true },
    // One revenue source per account: these two are collected by the job as the others, on accounts of their own.
    lemonsqueezy: { storeId: '1', backfillDays: 1 }, polar: { backfillDays: 1 },
  },
  citations: { brand: 'Verdict', domains: ['verdict.dev'], prompts: ['best experiment tracker'], monthlySpendCapUsd: 5 },
});

const CREDENTIALS: Record<SourceName, Record<string, string>> = {
  x: { appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'a' },
  bluesky: {},
  beehiiv: { apiKey: 'beehiiv-key' },
  kit: { apiKey: 'kit-key' },
  buttondown: { apiKey: 'buttondown-key' },
  mailchimp: { apiKey: MAILCHIMP_API_KEY },
  perplexity: { apiKey: 'pplx-key' },
  openai: { apiKey: 'sk-openai-key' },
  stripe: { apiKey: 'rk_test_stripe-key' },
  plausible: { apiKey: 'plausible-key' },
  umami: { apiKey: 'umami-key' },
  gemini: { apiKey: 'gemini-key' },
  claude: { apiKey: 'sk-ant-key' },
  lemonsqueezy: { apiKey: 'lemon-key' },
  polar: { accessToken: 'polar_oat_test' },
};

const INSTALL_HAPPY: Record<SourceName, (server: FakeServer) => void> = {
  x: (s) => installXFake(s),
  bluesky: (s) => installBlueskyFake(s),
  beehiiv: (s) => installBeehiivFake(s),
  kit: (s) => installKitFake(s),
  buttondown: (s) => installButtondownFake(s),
  mailchimp: (s) => installMailchimpFake(s),
  perplexity: (s) => installAnswerEngineFake(s, perplexityResponseBody, () => ({ text: 'Verdict is a good choice.', citations: ['https://verdict.dev/'], cost: 0.005 })),
  openai: (s) => installAnswerEngineFake(s, openAiResponseBody, () => ({ text: 'Verdict is a good choice.', citations: ['https://verdict.dev/'] })),
  stripe: (s) => installStripeFake(s, aStripeAccount(Date.UTC(2026, 5, 1) / 1000)),
  plausible: (s) => installPlausibleFake(s, aSiteTraffic()),
  umami: (s) => installUmamiFake(s, aSiteTraffic(), { 'site-1': 'verdict.dev' }),
  gemini: (s) => installGeminiFake(s, () => ({ text: 'Verdict is a good choice.', citations: ['https://verdict.dev/'] })),
  claude: (s) => installClaudeFake(s, () => ({ text: 'Verdict is a good choice.', citations: ['https://verdict.dev/'] })),
  lemonsqueezy: (s) => installLemonSqueezyFake(s, { orders: [{ id: '1', createdAt: '2026-05-31T10:00:00.000000Z', total: 999 }], activeSubscriptions: 3 }),
  polar: (s) => installPolarFake(s, { '2026-05-31': { revenue: 1200, netRevenue: 1100, mrr: 50_000, activeSubscriptions: 4 } }),
};

interface Fault {
  name: string;
  /** How the fault server answers every request. */
  answer: (res: http.ServerResponse, req: http.IncomingMessage) => void;
  outcome: CollectionRun['outcome'];
  errorCode: NonNullable<CollectionRun['errorCode']>;
  /** Sources the fault applies to (default: all). */
  only?: SourceName[];
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (res: http.ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};
const resetIn15Minutes = () => String(Math.floor(Date.now() / 1000) + 900);

const FAULTS: Fault[] = [
  {
    name: '429 rate window',
    answer: (res) => json(429, { error: { message: 'Too Many Requests', type: 'rate_limit_exceeded' } }, { 'retry-after': '900', 'x-rate-limit-limit': '75', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': resetIn15Minutes() })(res),
    outcome: 'rate_limited', errorCode: 'rate_limited',
  },
  { name: "X's 429 monthly usage cap", answer: json(429, X_USAGE_CAP_BODY), outcome: 'usage_capped', errorCode: 'usage_capped', only: ['x'] },
  { name: '500', answer: json(500, { error: 'Internal Server Error' }), outcome: 'failed', errorCode: 'upstream_error' },
  { name: 'timeout (never answers)', answer: () => { /* hold the request open */ }, outcome: 'failed', errorCode: 'timeout' },
  { name: 'connection reset', answer: (_res, req) => req.socket.destroy(), outcome: 'failed', errorCode: 'network_error' },
  { name: 'malformed JSON', answer: json(200, '{"data": {"id": "1", "public_metrics": {'), outcome: 'failed', errorCode: 'malformed_response' },
  { name: 'schema drift', answer: json(200, { data: { renamed_metrics: { follower_total: 1 } }, results: 'moved', output: 'moved' }), outcome: 'failed', errorCode: 'schema_mismatch' },
  { name: '401', answer: json(401, { error: { message: 'Unauthorized' }, errors: ['The access token is invalid'], title: 'Unauthorized', status: 401 }), outcome: 'failed', errorCode: 'unauthorized' },
];

let dynamo: LocalDynamo;
const happy = {} as Record<SourceName, FakeServer>;
let faultServer: http.Server;
let faultUrl: string;
let currentFault: Fault;

beforeAll(async () => {
  dynamo = await startDynalite();
  for (const table of TABLES) await ensureTable(dynamo.endpoint, table);
  for (const name of SOURCE_NAMES) {
    happy[name] = await FakeServer.start();
    INSTALL_HAPPY[name](happy[name]);
  }
  faultServer = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => currentFault.answer(res, req));
  });
  await new Promise<void>((r) => faultServer.listen(0, '127.0.0.1', () => r()));
  faultUrl = `http://127.0.0.1:${(faultServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  faultServer.closeAllConnections();
  await new Promise((r) => faultServer.close(r));
  for (const name of SOURCE_NAMES) await happy[name].close();
  await dynamo.close();
});

interface SourceOutcome { source: SourceName; faulted: boolean; run?: CollectionRun; error?: Error; observationWrites: number }

/** Collects every source at once for `slot` into `table`, the `faulted` ones against the fault server. */
async function collectAll(faulted: readonly SourceName[], slot: string, table: string): Promise<SourceOutcome[]> {
  const now = new Date(Date.parse(slot) + 5_000);
  return Promise.all(SOURCE_NAMES.map(async (source): Promise<SourceOutcome> => {
    const stores = countedStores(dynamo.endpoint, table);
    // Earlier faults (429s) pause a source; each round starts unpaused.
    await stores.runs.putSourceState({ source, updatedAt: now.toISOString() });
    stores.counter.reset();
    try {
      const run = await collectSlot(source, slot, BUDGET_MS, {
        config, runs: stores.runs, observations: stores.observations, log: quiet, now: () => now,
        credentials: { credentialsFor: async () => CREDENTIALS[source] },
        buildSource: (name, credentials) => createAnySource(name, credentials, {
          config, now: () => now, endpoints: { [name]: faulted.includes(name) ? faultUrl : happy[name].url },
        }),
      });
      return { source, faulted: faulted.includes(source), run, observationWrites: stores.counter.counts.BatchWriteItemCommand ?? 0 };
    } catch (error) {
      return { source, faulted: faulted.includes(source), error: error as Error, observationWrites: stores.counter.counts.BatchWriteItemCommand ?? 0 };
    } finally {
      stores.db.destroy();
    }
  }));
}

let round = 0;
/** A fresh daily slot per round, so no round finds an earlier round's run. */
const nextSlot = () => new Date(Date.UTC(2026, 5, 1) + round++ * 86_400_000).toISOString();

describe.each(FAULTS)('upstream fault: $name', (fault) => {
  const targets = fault.only ?? [...SOURCE_NAMES];
  const halves = fault.only ? [targets] : [targets.filter((_, i) => i % 2 === 0), targets.filter((_, i) => i % 2 === 1)];

  it(`faulted ${halves.map((h) => `(${h.join(', ')})`).join(' and, beside them on a second table, ')}: failure recorded, no row, within budget; the others unaffected`, async () => {
    currentFault = fault;

    const rounds = await Promise.all(halves.map(async (faulted, i) => ({ table: TABLES[i], outcomes: await collectAll(faulted, nextSlot(), TABLES[i]) })));

    for (const { table, outcomes } of rounds) {
      const summary = outcomes.map((o) => ({
        source: o.source, faulted: o.faulted, crashed: o.error?.message ?? null,
        outcome: o.run?.outcome, errorCode: o.run?.errorCode ?? null, observationWrites: o.observationWrites,
      }));
      expect(summary).toEqual(outcomes.map((o) => (o.faulted
        ? { source: o.source, faulted: true, crashed: null, outcome: fault.outcome, errorCode: fault.errorCode, observationWrites: 0 }
        : { source: o.source, faulted: false, crashed: null, outcome: 'ok', errorCode: null, observationWrites: 1 })));
      for (const o of outcomes.filter((x) => x.faulted)) {
        const recorded = await countedStores(dynamo.endpoint, table).runs.getRun(o.source, o.run!.slot);
        expect(recorded).toMatchObject({ outcome: fault.outcome, errorCode: fault.errorCode, observations: 0 });
      }
    }
  });
});
