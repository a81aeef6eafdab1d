/**
 * Lambda entry for the weekly digest (EventBridge Scheduler, weekly in the configured time zone):
 * builds the week's digest and delivers it once — EventBridge, SNS email, optional chat webhook.
 * Throws when a channel failed, so the invocation is retried and sends only what is still missing.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import axios from 'axios';
import * as z from 'zod';
import { sendWeeklyDigest, type DigestRunResult } from '../jobs/weekly-digest';
import { appConfig } from '../shared/app-config';
import { createDocumentClient } from '../shared/clients';
import { parseOrThrow } from '../shared/errors';
import { log } from '../shared/logger';
import { runtimeEnv } from '../shared/runtime-env';
import type { CredentialsProvider } from '../sources/source';
import { defaultCredentials, defaultStores } from './wiring';

const DigestEventSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true }).optional() });

/** The digest's own environment (validated on each weekly run, failing loudly): where the email goes, the local webhook. */
const DigestEnvSchema = z.object({
  /** SNS topic with the digest's email subscribers; the alarm topic when there is no dedicated one. */
  DIGEST_TOPIC_ARN: z.string().min(1).optional(),
  ALARM_TOPIC_ARN: z.string().min(1).optional(),
});

interface Clients { eventBridge: EventBridgeClient; sns: SNSClient }
let clients: Clients | undefined;
let table: { endpoint: string | undefined; db: ReturnType<typeof createDocumentClient> } | undefined;

export async function handler(event: unknown): Promise<Omit<DigestRunResult, 'digest'>> {
  const input = parseOrThrow(DigestEventSchema, event ?? {}, 'digest event');
  const env = runtimeEnv();
  const digestEnv = parseOrThrow(DigestEnvSchema, process.env, 'environment');
  const now = new Date();
  clients ??= { eventBridge: new EventBridgeClient({}), sns: new SNSClient({}) };
  // Keyed by endpoint: the local runtime (and tests) may point the process at a new dynalite.
  if (!table || table.endpoint !== env.DYNAMODB_ENDPOINT) table = { endpoint: env.DYNAMODB_ENDPOINT, db: createDocumentClient(env.DYNAMODB_ENDPOINT) };
  const topicArn = digestEnv.DIGEST_TOPIC_ARN ?? digestEnv.ALARM_TOPIC_ARN;

  const { digest, ...result } = await sendWeeklyDigest(input.scheduledTime ? new Date(input.scheduledTime) : now, now, {
    ...defaultStores(),
    config: appConfig(),
    log,
    table: { db: table.db, name: env.TABLE_NAME },
    ...(env.EVENT_BUS_NAME && { eventBus: { client: clients.eventBridge, name: env.EVENT_BUS_NAME } }),
    ...(topicArn && { topic: { client: clients.sns, arn: topicArn } }),
    webhookUrl: () => digestWebhookUrl(defaultCredentials()),
    http: axios,
  });
  void digest;
  if (result.outcome === 'failed') throw new Error(`Weekly digest ${result.week}: ${result.failed.map((f) => `${f.channel} failed (${f.error})`).join('; ')}`);
  return result;
}

/**
 * `digest.webhookUrl` from the secret (`{ "digest": { "webhookUrl": "https://…" } }`; locally
 * VERDICT_DIGEST_WEBHOOK_URL), read and cached like source credentials. Never logged; anything but an
 * https URL means no webhook, with a warning.
 */
export async function digestWebhookUrl(credentials: CredentialsProvider): Promise<string | undefined> {
  const raw = (await credentials.credentialsFor('digest'))?.webhookUrl;
  if (raw === undefined) return undefined;
  if (z.url({ protocol: /^https?$/ }).safeParse(raw).success && (raw.startsWith('https:') || isLoopback(raw))) return raw;
  log.warn('digest.webhookUrl is not an https URL; no webhook is sent');
  return undefined;
}

/** Local test webhooks listen on plain http on this machine only. */
function isLoopback(url: string): boolean {
  return /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url);
}

/** Tests: forget cached clients. */
export function resetDigestHandler(): void {
  clients = undefined;
  table = undefined;
}
