/**
 * Lambda entry for the weekly digest (EventBridge Scheduler, weekly in the configured time zone):
 * builds the week's digest and delivers it once — EventBridge, SNS email, optional chat webhook.
 * Throws when a channel failed, so the invocation is retried and sends only what is still missing.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import axios from 'axios';
import * as z from 'zod';
import { sendWeeklyDigest, type DigestRunResult } from '../jobs/weekly-digest';
import { appConfig } from '../shared/app-config';
import { createDocumentClient } from '../shared/clients';
import { CREDENTIALS_CACHE_MS } from '../shared/credentials';
import { parseOrThrow } from '../shared/errors';
import { log } from '../shared/logger';
import { runtimeEnv } from '../shared/runtime-env';
import { defaultStores } from './wiring';

const DigestEventSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true }).optional() });

/** The digest's own environment (validated on each weekly run, failing loudly): where the email goes, the local webhook. */
const DigestEnvSchema = z.object({
  /** SNS topic with the digest's email subscribers; the alarm topic when there is no dedicated one. */
  DIGEST_TOPIC_ARN: z.string().min(1).optional(),
  ALARM_TOPIC_ARN: z.string().min(1).optional(),
  /** Local runtime only: the webhook URL (in AWS it is `digest.webhookUrl` in the source-credentials secret). */
  VERDICT_DIGEST_WEBHOOK_URL: z.url().optional(),
});

interface Clients { eventBridge: EventBridgeClient; sns: SNSClient; secrets: SecretsManagerClient }
let clients: Clients | undefined;
let table: { endpoint: string | undefined; db: ReturnType<typeof createDocumentClient> } | undefined;
let webhookCache: { at: number; url: string | undefined } | undefined;

export async function handler(event: unknown): Promise<Omit<DigestRunResult, 'digest'>> {
  const input = parseOrThrow(DigestEventSchema, event ?? {}, 'digest event');
  const env = runtimeEnv();
  const digestEnv = parseOrThrow(DigestEnvSchema, process.env, 'environment');
  const now = new Date();
  clients ??= { eventBridge: new EventBridgeClient({}), sns: new SNSClient({}), secrets: new SecretsManagerClient({}) };
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
    webhookUrl: () => (env.SOURCE_SECRET_ARN ? secretWebhookUrl(clients!.secrets, env.SOURCE_SECRET_ARN) : Promise.resolve(digestEnv.VERDICT_DIGEST_WEBHOOK_URL)),
    http: axios,
  });
  void digest;
  if (result.outcome === 'failed') throw new Error(`Weekly digest ${result.week}: ${result.failed.map((f) => `${f.channel} failed (${f.error})`).join('; ')}`);
  return result;
}

/**
 * `digest.webhookUrl` from the source-credentials secret (`{ "digest": { "webhookUrl": "https://…" } }`),
 * cached like source credentials. Never logged; a malformed secret or URL means no webhook, with a warning.
 */
export async function secretWebhookUrl(client: Pick<SecretsManagerClient, 'send'>, secretId: string, now: () => number = Date.now): Promise<string | undefined> {
  if (webhookCache && now() - webhookCache.at < CREDENTIALS_CACHE_MS) return webhookCache.url;
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  let url: string | undefined;
  try {
    const raw = (JSON.parse(out.SecretString ?? '{}') as { digest?: { webhookUrl?: unknown } }).digest?.webhookUrl;
    if (raw !== undefined) {
      url = z.url({ protocol: /^https$/ }).safeParse(raw).success ? (raw as string) : undefined;
      if (!url) log.warn('digest.webhookUrl in the source-credentials secret is not an https URL; no webhook is sent');
    }
  } catch {
    log.warn('the source-credentials secret is not valid JSON; no digest webhook is sent');
  }
  webhookCache = { at: now(), url };
  return url;
}

/** Tests: forget cached clients and the cached webhook URL. */
export function resetDigestHandler(): void {
  clients = undefined;
  table = undefined;
  webhookCache = undefined;
}
