/**
 * Lambda entry for the weekly digest (EventBridge Scheduler, weekly in the configured time zone):
 * builds the week's digest and delivers it once — EventBridge, SNS email, optional chat webhook.
 * Throws when a channel failed, so the invocation is retried and sends only what is still missing.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { postJson } from '../shared/json-post';
import * as z from '../domain/zod-mini';
import { sendWeeklyDigest, type DigestDelivery, type DigestRunResult, type DigestSources } from '../jobs/weekly-digest';
import { bundledAppConfig } from '../shared/app-config';
import { createDocumentClient } from '../shared/clients';
import { SecretsManagerCredentials } from '../sources/credentials';
import { parseOrThrow } from '../shared/errors';
import { arn, functionEnv, onColdStart, readFunctionEnv, resourceName } from '../shared/function-env';
import { log } from '../shared/logger';
import type { CredentialsProvider } from '../sources/source';
import { createStores } from '../store/stores';

/** The digest's environment: the table (week claims), the webhook's secret, the bus and the email topic. */
export const HANDLER_ENV = functionEnv({
  TABLE_NAME: resourceName(),
  SOURCE_SECRET_ARN: arn(),
  EVENT_BUS_NAME: resourceName(),
  /** SNS topic whose email subscribers get the digest (the alert topic). */
  ALARM_TOPIC_ARN: arn(),
});

const DigestEventSchema = z.object({ scheduledTime: z.optional(z.iso.datetime({ offset: true })) });

export type DigestDeps = DigestSources & DigestDelivery;

export function createDigest(deps: DigestDeps) {
  return async (event: unknown): Promise<Omit<DigestRunResult, 'digest'>> => {
    const input = parseOrThrow(DigestEventSchema, event ?? {}, 'digest event');
    const now = new Date();
    const { digest, ...result } = await sendWeeklyDigest(input.scheduledTime ? new Date(input.scheduledTime) : now, now, deps);
    void digest;
    if (result.outcome === 'failed') throw new Error(`Weekly digest ${result.week}: ${result.failed.map((f) => `${f.channel} failed (${f.error})`).join('; ')}`);
    return result;
  };
}

/** Lambda entry: composed once per cold start from the validated environment. */
export const handler = onColdStart(() => {
  const env = readFunctionEnv(HANDLER_ENV);
  const db = createDocumentClient();
  const credentials = new SecretsManagerCredentials(new SecretsManagerClient({}), env.SOURCE_SECRET_ARN);
  return createDigest({
    ...createStores(db, env.TABLE_NAME),
    config: bundledAppConfig(),
    log,
    table: { db, name: env.TABLE_NAME },
    eventBus: { client: new EventBridgeClient({}), name: env.EVENT_BUS_NAME },
    topic: { client: new SNSClient({}), arn: env.ALARM_TOPIC_ARN },
    webhookUrl: () => digestWebhookUrl(credentials),
    // One JSON POST: Node's http/https through HTTPS_PROXY (shared/json-post.ts), not axios (~90 KB of this bundle).
    http: { post: (url, body, config) => postJson(url, body, { timeoutMs: config.timeout, headers: config.headers }) },
  });
});

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
