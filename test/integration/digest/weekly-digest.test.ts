/**
 * The weekly digest job on dynalite: a seeded week is gathered through the stores, built and delivered
 * exactly once — EventBridge and SNS faked at the SDK client boundary, the webhook posted to a local
 * HTTP server with the real axios client.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import axios from 'axios';
import { sectionMarkdown } from '../../../functions/domain/digest';
import { sendWeeklyDigest, type DigestDelivery, type DigestSources } from '../../../functions/jobs/weekly-digest';
import { ensureTable, startDynalite, type LocalDynamo } from '../../../functions/local/dynalite';
import { parseAppConfig } from '../../../functions/shared/app-config';
import { createDocumentClient } from '../../../functions/shared/clients';
import { ExperimentStore } from '../../../functions/store/experiment-store';
import { ObservationStore } from '../../../functions/store/observation-store';
import { RunStore } from '../../../functions/store/run-store';
import { FakeServer } from '../../fakes/fake-http-server';
import { anExperiment, followerSnapshots } from '../../support/factories';
import { aVerdict } from '../../unit/digest/digest-fixtures';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const TABLE = 'verdict-digest-test';
/** Friday 13 November 2026, 16:00 in Berlin: the 2026-W46 digest time. */
const FRIDAY = new Date('2026-11-13T15:00:00.000Z');
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const config = parseAppConfig({
  digest: { day: 'FRI', hour: 16, timeZone: 'Europe/Berlin' },
  sources: { x: { enabled: true }, beehiiv: { enabled: true } },
  loop: { targetActive: 3 },
});

const eventBridge = new EventBridgeClient({ region: 'eu-west-1' });
const sns = new SNSClient({ region: 'eu-west-1' });
const eventBridgeMock = mockClient(eventBridge);
const snsMock = mockClient(sns);

let dynamo: LocalDynamo;
let db: ReturnType<typeof createDocumentClient>;
let sources: DigestSources;
let webhook: FakeServer;

/** The job's collaborators for the current test's table; channels overridable. */
function deps(overrides: Partial<DigestDelivery> = {}): DigestSources & DigestDelivery {
  return {
    ...sources,
    table: { db, name: table },
    eventBus: { client: eventBridge, name: 'verdict-bus' },
    topic: { client: sns, arn: 'arn:aws:sns:eu-west-1:123456789012:verdict-alarms' },
    webhookUrl: async () => `${webhook.url}/hooks/digest`,
    http: axios,
    log: quiet,
    ...overrides,
  };
}

/** Seeds 2026-W46 in a fresh table (each test claims the same week). */
async function freshWeek(name: string): Promise<DigestSources> {
  await ensureTable(dynamo.endpoint, name);
  const experiments = new ExperimentStore(db, name);
  const observations = new ObservationStore(db, name);
  const runs = new RunStore(db, name);

  const thread = await experiments.create(anExperiment({ id: 'exp_thread', name: 'Daily build-in-public thread', start: '2026-10-26T00:00:00.000Z', end: '2026-11-09T00:00:00.000Z' }));
  await experiments.recordFirstVerdict(thread, aVerdict({ experimentId: 'exp_thread', scoredAt: '2026-11-09T01:00:00.000Z' }));
  const old = await experiments.create(anExperiment({ id: 'exp_old', name: 'Last week', start: '2026-10-20T00:00:00.000Z', end: '2026-11-03T00:00:00.000Z' }));
  await experiments.recordFirstVerdict(old, aVerdict({ experimentId: 'exp_old', scoredAt: '2026-11-03T02:00:00.000Z' }));
  await experiments.create(anExperiment({ id: 'exp_replies', name: 'Reply within the hour', start: '2026-11-07T00:00:00.000Z', end: '2026-11-21T00:00:00.000Z' }));
  await observations.putMany(followerSnapshots({ from: '2026-09-20T00:00:00Z', to: '2026-11-13T12:00:00Z', perDay: (t) => (t.getTime() >= Date.parse('2026-11-07') ? 14 : 10) }));
  await experiments.create(anExperiment({ id: 'exp_b1', name: 'Pinned lead magnet', status: 'backlog', start: undefined, end: undefined, primaryMetric: 'newsletter.subscriber_growth_rate', hypothesis: 'A pinned checklist converts profile visits', iceScore: { impact: 8, confidence: 6, ease: 7 } }));
  await runs.recordRun({ source: 'x', slot: '2026-11-13T12:00:00.000Z', outcome: 'ok', observations: 2, durationMs: 800, startedAt: '2026-11-13T12:00:04.000Z' });
  await runs.recordRun({ source: 'beehiiv', slot: '2026-11-13T00:00:00.000Z', outcome: 'failed', observations: 0, durationMs: 300, startedAt: '2026-11-13T00:00:02.000Z', errorCode: 'unauthorized', message: 'beehiiv rejected the API key (401)' });
  return { experiments, observations, runs, config, log: quiet };
}

let tableCount = 0;
let table: string;
beforeAll(async () => {
  dynamo = await startDynalite();
  db = createDocumentClient(dynamo.endpoint);
  webhook = await FakeServer.start();
});
afterAll(async () => {
  await webhook.close();
  await dynamo.close();
});
beforeEach(async () => {
  eventBridgeMock.reset();
  snsMock.reset();
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
  webhook.resetRequests();
  webhook.route('POST', '/hooks/digest', { status: 200, body: 'ok' });
  table = `${TABLE}-${++tableCount}`;
  sources = await freshWeek(table);
});

describe('sendWeeklyDigest', () => {
  it('builds the seeded week\'s digest: this week\'s verdicts, running with readouts, backlog, source problems, nudge', async () => {
    const result = await sendWeeklyDigest(FRIDAY, FRIDAY, deps());

    const digest = result.digest!;
    const md = (id: string) => sectionMarkdown(digest.sections.find((s) => s.id === id)!);
    expect(digest.week).toBe('2026-W46');
    expect(md('verdicts')).toBe([
      '## Verdicts this week',
      '',
      '- **Daily build-in-public thread** — KEEP (improved) on x.follower_growth_rate: +23.8 % (+7.6 % to +40.0 %)',
      '  Followers grew by 13.0 a day against 10.5 expected: about +24 %. Keep the daily thread.',
    ].join('\n'));
    expect(md('running')).toMatch(/^## Running experiments\n\n- \*\*Reply within the hour\*\* — 8 days left, last day Fri 20 Nov · x\.follower_growth_rate\n {2}Day 6 of 14: \+\d+\.\d % \(.+\) so far, \d+ % chance it is an improvement; leaning (KEEP|DISCARD)\. Interim only, not a verdict\.$/);
    expect(md('backlog')).toBe([
      '## Top of the backlog',
      '',
      '1. **Pinned lead magnet** — ICE 336 (8×6×7) · newsletter.subscriber_growth_rate · 14 days',
      '   A pinned checklist converts profile visits',
    ].join('\n'));
    expect(md('sources')).toBe([
      '## Source health',
      '',
      '- **beehiiv** — last run failed (unauthorized) on Fri 13 Nov 01:00',
      '  beehiiv rejected the API key (401)',
    ].join('\n'));
    expect(md('nudge')).toBe('## Keep the loop full\n\n- **1 of 3 running** — The loop starts 1 more experiment from the backlog at its next run; add ideas to fill the last slot.');
  });

  it('delivers to EventBridge, the SNS topic and the webhook — and a re-delivered trigger sends nothing more', async () => {
    const first = await sendWeeklyDigest(FRIDAY, FRIDAY, deps());
    const again = await sendWeeklyDigest(FRIDAY, new Date(FRIDAY.getTime() + 60_000), deps());

    expect(first).toMatchObject({ week: '2026-W46', outcome: 'sent', delivered: ['eventbridge', 'email', 'webhook'], failed: [] });
    expect(again).toMatchObject({ week: '2026-W46', outcome: 'already_sent', delivered: [] });

    const events = eventBridgeMock.commandCalls(PutEventsCommand);
    expect(events).toHaveLength(1);
    const entry = events[0].args[0].input.Entries![0];
    expect(entry).toMatchObject({ EventBusName: 'verdict-bus', Source: 'verdict', DetailType: 'Weekly Digest' });
    expect(JSON.parse(entry.Detail!)).toMatchObject({ week: '2026-W46', counts: { verdicts: 1, running: 1, target: 3 }, markdown: first.digest!.markdown });

    const mails = snsMock.commandCalls(PublishCommand);
    expect(mails).toHaveLength(1);
    expect(mails[0].args[0].input).toEqual({
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:verdict-alarms',
      Subject: 'Verdict weekly digest 2026-W46: 1 verdict, 1 running',
      Message: first.digest!.text,
    });

    const posts = webhook.requestsTo('POST', '/hooks/digest');
    expect(posts).toHaveLength(1);
    expect(posts[0].headers['content-type']).toMatch(/^application\/json/);
    expect((posts[0].json as { text: string }).text).toMatch(/^\*Verdict weekly digest 2026-W46: 1 verdict, 1 running\*\n\n\*Verdicts this week\*\n• \*Daily build-in-public thread\*/);
  });

  it('sends one digest when duplicate triggers race', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => sendWeeklyDigest(FRIDAY, FRIDAY, deps())));

    expect(results.filter((r) => r.outcome === 'sent')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'already_sent')).toHaveLength(4);
    expect(webhook.requestsTo('POST', '/hooks/digest')).toHaveLength(1);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('retries only the channel that failed: the webhook answered 500, the next delivery posts it once more', async () => {
    webhook.route('POST', '/hooks/digest', [{ status: 500, body: { error: 'boom' } }, { status: 200, body: 'ok' }]);

    const first = await sendWeeklyDigest(FRIDAY, FRIDAY, deps());
    const retry = await sendWeeklyDigest(FRIDAY, new Date(FRIDAY.getTime() + 120_000), deps());
    const third = await sendWeeklyDigest(FRIDAY, new Date(FRIDAY.getTime() + 240_000), deps());

    expect(first).toMatchObject({ outcome: 'failed', delivered: ['eventbridge', 'email'], failed: [{ channel: 'webhook', error: 'HTTP 500' }] });
    expect(retry).toMatchObject({ outcome: 'sent', delivered: ['eventbridge', 'email', 'webhook'], failed: [] });
    expect(third.outcome).toBe('already_sent');
    expect(webhook.requestsTo('POST', '/hooks/digest')).toHaveLength(2);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('records the week\'s claim on DIGEST#<week> with what was delivered', async () => {
    await sendWeeklyDigest(FRIDAY, FRIDAY, deps());

    const out = await db.send(new GetCommand({ TableName: table, Key: { pk: 'DIGEST#2026-W46', sk: 'DIGEST' } }));
    expect(out.Item).toMatchObject({ week: '2026-W46', status: 'sent', delivered: ['eventbridge', 'email', 'webhook'], sentAt: FRIDAY.toISOString() });
  });

  it('skips channels that are not configured (the local runtime: no bus, no topic, no webhook)', async () => {
    const result = await sendWeeklyDigest(FRIDAY, FRIDAY, deps({ eventBus: undefined, topic: undefined, webhookUrl: async () => undefined }));

    expect(result).toMatchObject({ outcome: 'sent', delivered: [], skipped: ['eventbridge', 'email', 'webhook'] });
    expect(webhook.requests).toHaveLength(0);
  });

  it('takes the week of the scheduled time, even when the trigger arrives late', async () => {
    const result = await sendWeeklyDigest(FRIDAY, new Date('2026-11-16T09:00:00.000Z'), deps());

    expect(result.week).toBe('2026-W46');
    expect(result.digest!.period).toEqual({ start: '2026-11-06T15:00:00.000Z', end: '2026-11-13T15:00:00.000Z' });
  });
});
