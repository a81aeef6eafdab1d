/**
 * One model of the single table: every item type the stores write, each declared once — its `type`
 * tag, its key (keys.ts builds the key strings), its index attributes and the zod schema every read is
 * parsed with. The table's own attributes (keys, index keys, TTL, `type`: TABLE_ATTRIBUTE_NAMES, from
 * table-definition.ts, which also drives the CDK Table and dynalite's CreateTableInput) are written
 * after the domain fields and stripped before parsing, and a domain value that carries one is refused,
 * so a future field named `type` or `pk` can never overwrite a key.
 *
 * (The experiment, its verdicts and its research-log row: experiment-entities.ts.)
 * Each schema is the item's full domain schema (the experiment record with its plan, the verdict, the
 * research-log row, the observation), or, for the store's own records, a full schema declared here and
 * held to its TypeScript type at compile time. A read checks every field those schemas name — an invalid
 * one is a StoredItemError naming the field — and keeps, at any depth, fields they do not name: items
 * written by a newer version (or an older one with a field since retired) still read, unchanged.
 */
import * as z from '../domain/zod-mini';
import type { CollectionRun, RunOutcome, SourceErrorCode } from '../domain/collection-run';
import { ObservationSchema, SnapshotObservationSchema, type Observation } from '../domain/observation';
import type { JobRun, SourceState } from './run-store';
import { TABLE_KEYS } from './table-definition';

/** The attributes the table owns: never domain fields. */
export const TABLE_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set([
  TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, TABLE_KEYS.timeToLiveAttribute, 'type',
  ...TABLE_KEYS.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
]);

type Key = { pk: string; sk: string };
type IndexAttributes = Partial<Record<'gsi1pk' | 'gsi1sk' | 'gsi2pk' | 'gsi2sk', string>>;

export interface Entity<T> {
  /** The item's `type` attribute. */
  readonly type: string;
  /** The item's full schema: every field it names is checked on read (table attributes stripped); others are kept. */
  readonly schema: z.ZodMiniType;
  /** The index attributes the item is written with, from its value. */
  readonly indexes?: (value: T) => IndexAttributes;
}

/** A read whose item does not match its entity: a corrupt or foreign item, reported rather than passed on. */
export class StoredItemError extends Error {
  constructor(type: string, key: string, issues: string) {
    super(`Stored ${type} item ${key} does not match its model: ${issues}`);
    this.name = 'StoredItemError';
  }
}

const text = z.string().check(z.minLength(1));
const int = z.number().check(z.int());

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// The experiment's own items (the experiment, its verdicts, its research-log row) are declared the same
// way in experiment-entities.ts, apart so that the stores that never read them (a collector's) do not
// load the verdict schemas with this module.

/** An observation (OBS#<series> / <at>#<discriminator>). */
export const observationEntity: Entity<Observation> = {
  type: 'observation',
  schema: ObservationSchema,
};

/** A snapshot series' day (DAILY#<series> / <day>#<discriminator>): its first and last snapshot, without their metric. */
export const dailyRollupEntity: Entity<{ first: Record<string, unknown>; last: Record<string, unknown> }> = {
  type: 'daily-rollup',
  schema: z.object({ first: z.omit(SnapshotObservationSchema, { metric: true }), last: z.omit(SnapshotObservationSchema, { metric: true }) }),
};

const RUN_OUTCOMES = ['ok', 'partial', 'failed', 'rate_limited', 'usage_capped', 'paused', 'not_configured'] as const satisfies readonly RunOutcome[];
const RUN_ERROR_CODES = [
  'rate_limited', 'usage_capped', 'unauthorized', 'upstream_error', 'timeout', 'network_error', 'malformed_response', 'schema_mismatch', 'bad_request',
  'store_error', 'internal_error',
] as const satisfies readonly (SourceErrorCode | 'store_error' | 'internal_error')[];

const CollectionRunSchema = z.object({
  source: text,
  account: z.optional(text),
  slot: text,
  outcome: z.enum(RUN_OUTCOMES),
  observations: int,
  requests: z.optional(int),
  costUsd: z.optional(z.number()),
  durationMs: z.number(),
  startedAt: text,
  errorCode: z.optional(z.enum(RUN_ERROR_CODES)),
  message: z.optional(z.string()),
  resetAt: z.optional(text),
  deliveries: z.optional(int),
});
/** Compile-time guard: the schema is exactly CollectionRun (a new field or error code must be added here). */
export const COLLECTION_RUN_SCHEMA_MATCHES: Same<z.infer<typeof CollectionRunSchema>, CollectionRun> = true;

/** A collection run (RUN#<target> / <slot>), expiring after 90 days. */
export const collectionRunEntity: Entity<CollectionRun> = { type: 'run', schema: CollectionRunSchema };

const SourceStateSchema = z.object({
  source: text,
  account: z.optional(text),
  pausedUntil: z.optional(text),
  pauseReason: z.optional(z.enum(['rate_limited', 'usage_capped'])),
  updatedAt: text,
});
export const SOURCE_STATE_SCHEMA_MATCHES: Same<z.infer<typeof SourceStateSchema>, SourceState> = true;

/** A source's pause state (SOURCE#<target> / STATE). */
export const sourceStateEntity: Entity<SourceState> = { type: 'source_state', schema: SourceStateSchema };

const JobRunSchema = z.object({
  job: text,
  slot: text,
  outcome: z.enum(['ok', 'failed']),
  durationMs: z.number(),
  startedAt: text,
  details: z.optional(z.record(z.string(), z.unknown())),
});
export const JOB_RUN_SCHEMA_MATCHES: Same<z.infer<typeof JobRunSchema>, JobRun> = true;

/** A run of another job (JOB#<name> / <slot>): scorer, digest. */
export const jobRunEntity: Entity<JobRun> = { type: 'job_run', schema: JobRunSchema };

/** The weekly digest's claim on its week: who is sending it and which channels went out. */
export interface DigestClaim { week: string; status: 'sending' | 'sent' | 'failed'; claimedAt: string; delivered: ('eventbridge' | 'email' | 'webhook')[]; sentAt?: string }

/** The weekly digest's claim (DIGEST#<week> / DIGEST). */
const DigestClaimSchema = z.object({ week: text, status: z.enum(['sending', 'sent', 'failed']), claimedAt: text, delivered: z.array(z.enum(['eventbridge', 'email', 'webhook'])), sentAt: z.optional(text) });
export const DIGEST_CLAIM_SCHEMA_MATCHES: Same<z.infer<typeof DigestClaimSchema>, DigestClaim> = true;
export const digestClaimEntity: Entity<DigestClaim> = { type: 'digest', schema: DigestClaimSchema };

/** A POST's idempotency record (IDEMPOTENCY#<key> / REQUEST), expiring after a day (the TTL is the table's attribute). */
export interface IdempotencyRecord {
  state: 'pending' | 'completed';
  fingerprint: string;
  lockedUntil: string;
  /** The first response, as JSON (completed records). */
  response?: string;
}
const IdempotencyRecordSchema = z.object({ state: z.enum(['pending', 'completed']), fingerprint: text, lockedUntil: text, response: z.optional(z.string()) });
export const IDEMPOTENCY_RECORD_SCHEMA_MATCHES: Same<z.infer<typeof IdempotencyRecordSchema>, IdempotencyRecord> = true;
export const idempotencyEntity: Entity<IdempotencyRecord> = { type: 'idempotency', schema: IdempotencyRecordSchema };

/** The calendar feed's token (FEED#calendar / TOKEN): its SHA-256 in hex, never the token. */
export const feedTokenEntity: Entity<{ sha256: string; createdAt: string }> = {
  type: 'feed_token',
  schema: z.object({ sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)), createdAt: text }),
};

/** The month's citation spend counter (SPEND#citations / <YYYY-MM>), in micro-dollars, moved by conditional ADDs. */
export const spendEntity: Entity<{ committedMicroUsd: number }> = {
  type: 'spend',
  schema: z.object({ committedMicroUsd: z.number() }),
};

/** A data migration that ran once per table (MIGRATION / <name>): when, and how many items it wrote. */
export const migrationEntity: Entity<{ at: string; items: number }> = {
  type: 'migration',
  schema: z.object({ at: text, items: int }),
};

/**
 * The item to write for `value`: its fields, then the key, the entity's index attributes, `extra`
 * (a TTL) and the type tag — the table's attributes last, so they always win. A value carrying one of
 * the table's attribute names is refused: it would be lost on the next read.
 */
export function itemOf<T extends object>(entity: Entity<T>, key: Key, value: T, extra: { expiresAt?: number } = {}): Record<string, unknown> {
  const clash = Object.keys(value).filter((name) => TABLE_ATTRIBUTE_NAMES.has(name));
  if (clash.length > 0) throw new Error(`A ${entity.type} carries ${clash.join(', ')}, which the table uses for itself; rename the field`);
  return { ...value, ...key, ...entity.indexes?.(value), ...extra, type: entity.type };
}

/** A stored item's domain fields: the table's own attributes removed. */
export function withoutTableAttributes(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !TABLE_ATTRIBUTE_NAMES.has(name)));
}

/**
 * A stored item as its domain value: the table's attributes stripped, every field the entity's schema
 * names checked (StoredItemError, naming each bad field, when one is invalid), and fields it does not name
 * kept as stored, at any depth. A strict part of a schema (an observation) reports an unknown field as
 * `unrecognized_keys`; such fields are set aside, the rest parsed again, and put back.
 */
export function parseItem<T>(entity: Entity<T>, item: Record<string, unknown>): T {
  const stored = withoutTableAttributes(item);
  let known: unknown = stored;
  // Each round sets aside the unknown fields zod reached; a nested strict part can only show once its parent parses.
  for (let round = 0; ; round++) {
    const out = entity.schema.safeParse(known);
    if (out.success) return keepUnknownFields(stored, out.data) as T;
    const unknownKeys = out.error.issues.filter((i) => i.code === 'unrecognized_keys');
    const invalid = round < 8 ? out.error.issues.filter((i) => i.code !== 'unrecognized_keys') : out.error.issues;
    if (invalid.length > 0 || unknownKeys.length === 0) {
      throw new StoredItemError(entity.type, `${String(item.pk)} / ${String(item.sk)}`, invalid.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; '));
    }
    for (const issue of unknownKeys) known = withoutKeysAt(known, issue.path, issue.keys);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `value` with `names` removed from the object at `path` (copied along the path, never changed in place). */
function withoutKeysAt(value: unknown, path: readonly PropertyKey[], names: readonly string[]): unknown {
  if (path.length === 0) return isRecord(value) ? Object.fromEntries(Object.entries(value).filter(([k]) => !names.includes(k))) : value;
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === 'number') return value.map((v, i) => (i === head ? withoutKeysAt(v, rest, names) : v));
  if (isRecord(value) && typeof head === 'string' && head in value) return { ...value, [head]: withoutKeysAt(value[head], rest, names) };
  return value;
}

/** The parsed value (its checked, canonical fields) with the stored fields the schema left out put back. */
function keepUnknownFields(stored: unknown, parsed: unknown): unknown {
  if (isRecord(stored) && isRecord(parsed)) {
    const out: Record<string, unknown> = { ...stored };
    for (const [k, v] of Object.entries(parsed)) out[k] = keepUnknownFields(stored[k], v);
    return out;
  }
  if (Array.isArray(stored) && Array.isArray(parsed) && stored.length === parsed.length) return parsed.map((v, i) => keepUnknownFields(stored[i], v));
  return parsed;
}
