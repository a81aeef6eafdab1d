/**
 * Response shapes of the run records (collection runs, job runs) as zod schemas, for GET /openapi.json
 * and the MCP tools' output schemas. A compile-time check keeps them admitting what the store returns.
 */
import * as z from '../domain/zod-mini';
import type { CollectionRun, JobRun } from '../store/run-store';

const instant = z.described(z.string(), 'ISO-8601 date-time (UTC)');

export const CollectionRunSchema = z.object({
  source: z.string(),
  account: z.described(z.optional(z.string()), 'The configured account collected (sources.<name>.accounts); absent: the default account'),
  slot: z.described(instant, 'The scheduled slot'),
  outcome: z.enum(['ok', 'partial', 'failed', 'rate_limited', 'usage_capped', 'paused', 'not_configured']),
  observations: z.described(z.number().check(z.int()), 'Observations written'),
  requests: z.described(z.optional(z.number().check(z.int())), 'Upstream requests made'),
  costUsd: z.described(z.optional(z.number()), 'Provider cost of the run, in US dollars'),
  durationMs: z.number(),
  startedAt: instant,
  errorCode: z.optional(z.string()),
  message: z.described(z.optional(z.string()), 'Secret-free explanation'),
  resetAt: z.described(z.optional(instant), 'When a paused source may be tried again'),
  deliveries: z.described(z.optional(z.number().check(z.int())), 'How many times this slot was delivered'),
});

export const JobRunSchema = z.object({
  job: z.string(), slot: instant, outcome: z.enum(['ok', 'failed']), durationMs: z.number(), startedAt: instant,
  details: z.optional(z.record(z.string(), z.unknown())),
});

type Admits<S, T> = [T] extends [S] ? true : false;
export const RUN_SHAPES_ADMIT_RECORDS: [Admits<z.output<typeof CollectionRunSchema>, CollectionRun>, Admits<z.output<typeof JobRunSchema>, JobRun>] = [true, true];
