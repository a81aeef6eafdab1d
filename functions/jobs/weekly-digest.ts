/**
 * The weekly digest job: gathers the week through the stores, builds the digest (domain/digest.ts) and
 * delivers it once per week — an EventBridge `Weekly Digest` event, an SNS message to the topic's email
 * subscribers and an optional chat webhook (Slack/Discord).
 *
 * Exactly one digest per week, even when the trigger is re-delivered or retried: the run first claims
 * the week with a conditional put on `DIGEST#<week>` / `DIGEST`. The record remembers which channels
 * were delivered; a run that failed on some channel marks the claim failed and throws, so the retry
 * re-claims it and sends only the channels still missing. A claim left `sending` by a run that died is
 * taken over after CLAIM_LEASE_MS.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { buildDigest, type Digest, type SourceStatus } from '../domain/digest';
import { digestPeriod, isoWeekOf, type DigestSchedule } from '../domain/digest-calendar';
import type { Experiment } from '../domain/experiment';
import { BACKLOG_CONSIDERED, BACKLOG_COUNT_CAP, plannedHorizon } from '../domain/loop';
import type { InterimReadout } from '../domain/verdict';
import { enabledTargets, sourceSettings, targetName, type AppConfig } from '../shared/app-config';
import { EVENT_SOURCE } from '../shared/events';
import { DigestClaimStore, type DigestClaim } from '../store/digest-claim-store';
import type { ExperimentStore } from '../store/experiment-store';
import type { ObservationStore } from '../store/observation-store';
import type { RunStore } from '../store/run-store';
import { webhookPayload } from './digest-webhook';
import { interimFor } from './score-due';
import { errorMessage } from '../shared/errors';

/** A `sending` claim older than this belongs to a run that died (the function's timeout is far shorter). */
export const CLAIM_LEASE_MS = 15 * 60_000;
export const DIGEST_DETAIL_TYPE = 'Weekly Digest';

export type DigestChannel = 'eventbridge' | 'email' | 'webhook';

export interface DigestSources {
  experiments: ExperimentStore;
  observations: ObservationStore;
  runs: RunStore;
  config: Pick<AppConfig, 'sources' | 'loop' | 'digest'>;
  log: { warn(message: string, extra?: Record<string, unknown>): void };
}

export function digestSchedule(config: Pick<AppConfig, 'digest'>): DigestSchedule {
  return { day: config.digest.day, hour: config.digest.hour, timeZone: config.digest.timeZone };
}

/** Builds `week`'s digest from the stores as of `now` (no delivery, no claim): GET /digest and the job share it. */
export async function digestForWeek(week: string, now: Date, deps: DigestSources): Promise<Digest> {
  const schedule = digestSchedule(deps.config);
  const period = digestPeriod(week, schedule);
  const [runningNow, planned, backlog] = await Promise.all([
    deps.experiments.listAll('running'), deps.experiments.listEndingBefore('planned', plannedHorizon(now)), deps.experiments.backlogTop(BACKLOG_CONSIDERED),
  ]);
  // A past week's digest lists only what had started by the end of that week.
  const running = runningNow.filter((e) => !e.start || Date.parse(e.start) < Date.parse(period.end));
  // The verdicts scored in the period (rescores included: they move the current verdict's index entry),
  // read through the verdict index — the work is this week's verdicts, not the whole research log.
  const verdicts = await deps.experiments.verdictsScoredBetween(period.start, period.end);
  const experiments = await deps.experiments.getMany(verdicts.map((v) => v.experimentId));
  const withVerdicts = verdicts.flatMap((verdict) => {
    const experiment = experiments.get(verdict.experimentId);
    return experiment?.status === 'concluded' ? [{ experiment, verdict }] : [];
  });
  const readouts = await Promise.all(running.map(async (experiment) => ({ experiment, readout: await readoutOrNothing(experiment, now, deps) })));
  const sources = await Promise.all(enabledTargets(deps.config).map(async ({ source, account }): Promise<SourceStatus> => {
    const [last, state] = await Promise.all([deps.runs.recentRuns(source, 1, account), deps.runs.getSourceState(source, account)]);
    const run = last[0];
    return {
      source: targetName({ source, account }),
      everyMinutes: sourceSettings(deps.config, source, account)!.everyMinutes,
      ...(run && { lastRun: { outcome: run.outcome, startedAt: run.startedAt, ...(run.message && { message: run.message }), ...(run.errorCode && { errorCode: run.errorCode }) } }),
      ...(state?.pausedUntil && { pausedUntil: state.pausedUntil, ...(state.pauseReason && { pauseReason: state.pauseReason }) }),
    };
  }));
  const backlogCount = backlog.length < BACKLOG_CONSIDERED ? backlog.length : (await deps.experiments.countInStatus('backlog', BACKLOG_COUNT_CAP)).count;
  return buildDigest({ week, schedule, now, concluded: withVerdicts, running: readouts, planned, backlog, backlogCount, sources, target: deps.config.loop.targetActive });
}

async function readoutOrNothing(experiment: Experiment, now: Date, deps: DigestSources): Promise<InterimReadout | undefined> {
  try {
    return await interimFor(experiment, now, deps);
  } catch (err) {
    deps.log.warn('interim readout failed', { experimentId: experiment.id, error: errorMessage(err) });
    return undefined;
  }
}

// ── Delivery ────────────────────────────────────────────────────────────────────────────────────

export interface DigestDelivery {
  /** The table holding the week claims. */
  table: { db: DynamoDBDocumentClient; name: string };
  /** EventBridge bus for the `Weekly Digest` event; absent locally. */
  eventBus?: { client: Pick<EventBridgeClient, 'send'>; name: string };
  /** SNS topic whose email subscribers get the plain-text digest; absent locally. */
  topic?: { client: Pick<SNSClient, 'send'>; arn: string };
  /** Incoming-webhook URL (read from the secret when needed; undefined = no webhook). */
  webhookUrl: () => Promise<string | undefined>;
  /** Posts the webhook's JSON (the digest function: shared/json-post.ts; the local runtime and tests may pass axios). */
  http: { post(url: string, body: unknown, config: { timeout: number; maxRedirects: 0; headers: Record<string, string> }): Promise<unknown> };
  log: { info(message: string, extra?: Record<string, unknown>): void; warn(message: string, extra?: Record<string, unknown>): void; error(message: string, extra?: Record<string, unknown>): void };
}

export interface DigestRunResult {
  week: string;
  /** sent: delivered now; already_sent: another run has it (or had it); failed: some channel failed (thrown by the handler). */
  outcome: 'sent' | 'already_sent' | 'failed';
  delivered: DigestChannel[];
  skipped: DigestChannel[];
  failed: { channel: DigestChannel; error: string }[];
  digest?: Digest;
}

/**
 * Runs the weekly digest for the week containing `scheduledTime` (in the configured time zone), built
 * as of `now`. Delivers only if this run wins the week's claim.
 */
export async function sendWeeklyDigest(scheduledTime: Date, now: Date, deps: DigestSources & DigestDelivery): Promise<DigestRunResult> {
  const week = isoWeekOf(scheduledTime, deps.config.digest.timeZone);
  const claim = await claimWeek(week, now, deps.table);
  if (!claim) {
    deps.log.info('weekly digest already sent or being sent', { week });
    return { week, outcome: 'already_sent', delivered: [], skipped: [], failed: [] };
  }
  const digest = await digestForWeek(week, now, deps);
  const channels: { channel: DigestChannel; send?: () => Promise<void> }[] = [
    { channel: 'eventbridge', send: deps.eventBus && (() => putDigestEvent(digest, deps.eventBus!)) },
    { channel: 'email', send: deps.topic && (() => publishDigestEmail(digest, deps.topic!)) },
    { channel: 'webhook', send: await webhookSender(digest, deps) },
  ];
  const result: DigestRunResult = { week, outcome: 'sent', delivered: [...claim.delivered], skipped: [], failed: [], digest };
  for (const { channel, send } of channels) {
    if (claim.delivered.includes(channel)) continue;
    if (!send) { result.skipped.push(channel); continue; }
    try {
      await send();
      result.delivered.push(channel);
    } catch (err) {
      result.failed.push({ channel, error: safeMessage(err) });
      deps.log.error('weekly digest channel failed', { week, channel, error: safeMessage(err) });
    }
  }
  if (result.failed.length > 0) result.outcome = 'failed';
  await settleClaim({ ...claim, status: result.failed.length > 0 ? 'failed' : 'sent', delivered: result.delivered, ...(result.failed.length === 0 && { sentAt: now.toISOString() }) }, deps.table, deps.log);
  deps.log.info('weekly digest', { week, outcome: result.outcome, delivered: result.delivered, skipped: result.skipped, failed: result.failed });
  return result;
}

/**
 * Claims `week`: a conditional put that succeeds when no claim exists, or when the existing one failed
 * or was abandoned (`sending` past the lease) and has not changed since it was read. Undefined = not ours.
 */
async function claimWeek(week: string, now: Date, table: DigestDelivery['table']): Promise<DigestClaim | undefined> {
  const claims = new DigestClaimStore(table.db, table.name);
  const existing = await claims.get(week);
  if (existing) {
    const abandoned = existing.status === 'sending' && now.getTime() - Date.parse(existing.claimedAt) > CLAIM_LEASE_MS;
    if (existing.status === 'sent' || (existing.status === 'sending' && !abandoned)) return undefined;
  }
  const claim: DigestClaim = { week, status: 'sending', claimedAt: now.toISOString(), delivered: existing?.delivered ?? [] };
  return (await claims.claim(claim, existing)) ? claim : undefined;
}

/** Records the outcome on our claim (only if it is still ours). */
async function settleClaim(claim: DigestClaim, table: DigestDelivery['table'], log: DigestDelivery['log']): Promise<void> {
  if (!(await new DigestClaimStore(table.db, table.name).settle(claim))) {
    log.warn('weekly digest claim was taken over before this run finished', { week: claim.week });
  }
}

async function putDigestEvent(digest: Digest, bus: NonNullable<DigestDelivery['eventBus']>): Promise<void> {
  const detail = {
    week: digest.week, timeZone: digest.timeZone, period: digest.period, generatedAt: digest.generatedAt,
    counts: digest.counts, subject: digest.subject, sections: digest.sections, markdown: digest.markdown,
  };
  // Required here, not imported: the API and MCP functions import this module for GET /digest, which sends nothing,
  // and a top-level import would load the EventBridge and SNS clients at their cold start.
  const { PutEventsCommand } = require('@aws-sdk/client-eventbridge') as typeof import('@aws-sdk/client-eventbridge');
  const out = await bus.client.send(new PutEventsCommand({
    Entries: [{ EventBusName: bus.name, Source: EVENT_SOURCE, DetailType: DIGEST_DETAIL_TYPE, Detail: JSON.stringify(detail) }],
  }));
  if ((out.FailedEntryCount ?? 0) > 0) {
    const entry = out.Entries?.[0];
    throw new Error(`EventBridge rejected the event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim());
  }
}

async function publishDigestEmail(digest: Digest, topic: NonNullable<DigestDelivery['topic']>): Promise<void> {
  const { PublishCommand } = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
  await topic.client.send(new PublishCommand({ TopicArn: topic.arn, Subject: digest.subject, Message: digest.text }));
}

async function webhookSender(digest: Digest, deps: DigestDelivery): Promise<(() => Promise<void>) | undefined> {
  const url = await deps.webhookUrl();
  if (!url) return undefined;
  return async () => {
    // No retries here: a chat webhook is not idempotent, and the claim record makes the job's own retry send it at most once more.
    await deps.http.post(url, webhookPayload(url, digest), { timeout: 10_000, maxRedirects: 0, headers: { 'content-type': 'application/json' } });
  };
}

/** Error text for logs and results; never the webhook URL, which is a secret (axios puts it in config, not message). */
function safeMessage(err: unknown): string {
  const e = err as { message?: string; status?: number; response?: { status?: number } };
  const status = e.response?.status ?? e.status;
  return status ? `HTTP ${status}` : (e.message ?? String(err)).replace(/https?:\/\/\S+/g, '<url>');
}

