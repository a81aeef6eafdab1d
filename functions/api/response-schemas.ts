/**
 * Response shapes of the run records (collection runs, job runs) as zod schemas, for GET /openapi.json
 * and the MCP tools' output schemas. A compile-time check keeps them admitting what the store returns.
 */
import * as z from 'zod';
import type { CollectionRun, JobRun } from '../store/run-store';

const instant = z.string().describe('ISO-8601 date-time (UTC)');

export const CollectionRunSchema = z.object({
  source: z.string(),
  account: z.string().optional().describe('The configured account collected (sources.<name>.accounts); absent: the default account'),
  slot: instant.describe('The scheduled slot'),
  outcome: z.enum(['ok', 'partial', 'failed', 'rate_limited', 'usage_capped', 'paused', 'not_configured']),
  observations: z.number().int().describe('Observations written'),
  requests: z.number().int().optional().describe('Upstream requests made'),
  costUsd: z.number().optional().describe('Provider cost of the run, in US dollars'),
  durationMs: z.number(),
  startedAt: instant,
  errorCode: z.string().optional(),
  message: z.string().optional().describe('Secret-free explanation'),
  resetAt: instant.optional().describe('When a paused source may be tried again'),
  deliveries: z.number().int().optional().describe('How many times this slot was delivered'),
});

export const JobRunSchema = z.object({
  job: z.string(), slot: instant, outcome: z.enum(['ok', 'failed']), durationMs: z.number(), startedAt: instant,
  details: z.record(z.string(), z.unknown()).optional(),
});

type Admits<S, T> = [T] extends [S] ? true : false;
export const RUN_SHAPES_ADMIT_RECORDS: [Admits<z.output<typeof CollectionRunSchema>, CollectionRun>, Admits<z.output<typeof JobRunSchema>, JobRun>] = [true, true];
