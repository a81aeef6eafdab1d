/**
 * One model of the single table: every item type the stores write, each declared once — its `type`
 * tag, its key (keys.ts builds the key strings), its index attributes and the zod schema every read is
 * parsed with. The table's own attributes (keys, index keys, TTL, `type`: TABLE_ATTRIBUTE_NAMES, from
 * table-definition.ts, which also drives the CDK Table and dynalite's CreateTableInput) are written
 * after the domain fields and stripped before parsing, and a domain value that carries one is refused,
 * so a future field named `type` or `pk` can never overwrite a key.
 *
 * The schemas check what the store itself stands on — the identity, time and status fields its keys and
 * indexes are built from — and keep every other field as stored: items written by earlier versions stay
 * readable, and a field added to a domain type does not need a second declaration here.
 */
import * as z from '../domain/zod-mini';
import type { CollectionRun } from '../domain/collection-run';
import { iceProduct, type Experiment } from '../domain/experiment';
import { EXPERIMENT_STATUSES, type ExperimentStatus } from '../domain/experiment-status';
import type { Observation } from '../domain/observation';
import type { ResearchLogRow } from '../domain/research-log';
import type { Verdict } from '../domain/verdict';
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
  /** Checks a stored item's fields (table attributes stripped); unknown fields are kept. */
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

/** gsi1's partition of the experiments in one status (lists by status, the scorer's due list, the backlog). */
export function statusPartition(status: ExperimentStatus): string {
  return `STATUS#${status}`;
}
/** gsi2's partition of every experiment (GET /experiments without a status), by creation. */
export const ALL_EXPERIMENTS_PARTITION = 'EXPERIMENTS';
/** gsi2's partition of the current verdicts, by scoredAt (the digest's "verdicts this week"). */
export const VERDICTS_PARTITION = 'VERDICTS';
/** gsi1's partition of the research log's rows. */
export const LOG_PARTITION = 'LOG';

/**
 * The backlog's gsi1 sort key: its start order — ICE product high to low (`R<1000 − product>`; unscored
 * last as R9999), then oldest first.
 */
export function backlogRankKey(e: Pick<Experiment, 'iceScore' | 'createdAt' | 'id'>): string {
  const ice = iceProduct(e.iceScore);
  return `R${ice === undefined ? '9999' : String(1000 - ice).padStart(4, '0')}#${e.createdAt}#${e.id}`;
}

/** An experiment (EXP#<id> / EXPERIMENT): on gsi1 by status (backlog in start order, others by end), on gsi2 by creation. */
export const experimentEntity: Entity<Experiment> = {
  type: 'experiment',
  schema: z.looseObject({ id: text, status: z.enum(EXPERIMENT_STATUSES), createdAt: text, version: z.optional(z.number().check(z.int())) }),
  indexes: (e) => ({
    gsi1pk: statusPartition(e.status),
    gsi1sk: e.status === 'backlog' ? backlogRankKey(e) : `${e.end ?? e.createdAt}#${e.id}`,
    gsi2pk: ALL_EXPERIMENTS_PARTITION,
    gsi2sk: `${e.createdAt}#${e.id}`,
  }),
};

const verdictSchema = z.looseObject({ experimentId: text, scoredAt: text });
/** The current verdict (EXP#<id> / VERDICT), on gsi2 under VERDICTS by scoredAt. */
export const currentVerdictEntity: Entity<Verdict> = {
  type: 'verdict',
  schema: verdictSchema,
  indexes: (v) => ({ gsi2pk: VERDICTS_PARTITION, gsi2sk: `${v.scoredAt}#${v.experimentId}` }),
};
/** Each verdict recorded (EXP#<id> / VERDICT#<scoredAt>): the rescore history. */
export const verdictHistoryEntity: Entity<Verdict> = { type: 'verdict', schema: verdictSchema };

/** Log order as a sort key: researchLogRows' order (concluded, then window end, then id — all descending). */
export function logSortKey(row: Pick<ResearchLogRow, 'concludedAt' | 'window' | 'id'>): string {
  return `${row.concludedAt}#${row.window.end}#${row.id}`;
}

/** A research-log row (EXP#<id> / LOGROW), on gsi1 under LOG in log order. */
export const logRowEntity: Entity<ResearchLogRow> = {
  type: 'logrow',
  schema: z.looseObject({ id: text, concludedAt: text, window: z.looseObject({ start: text, end: text }) }),
  indexes: (row) => ({ gsi1pk: LOG_PARTITION, gsi1sk: logSortKey(row) }),
};

/** An observation (OBS#<series> / <at>#<discriminator>). */
export const observationEntity: Entity<Observation> = {
  type: 'observation',
  schema: z.looseObject({ metric: text, at: text }),
};

/** A snapshot series' day (DAILY#<series> / <day>#<discriminator>): its first and last snapshot, without their metric. */
export const dailyRollupEntity: Entity<{ first: Record<string, unknown>; last: Record<string, unknown> }> = {
  type: 'daily-rollup',
  schema: z.looseObject({ first: z.looseObject({ at: text }), last: z.looseObject({ at: text }) }),
};

/** A collection run (RUN#<target> / <slot>), expiring after 90 days. */
export const collectionRunEntity: Entity<CollectionRun> = {
  type: 'run',
  schema: z.looseObject({ source: text, slot: text, outcome: text, startedAt: text }),
};

/** A source's pause state (SOURCE#<target> / STATE). */
export const sourceStateEntity: Entity<SourceState> = {
  type: 'source_state',
  schema: z.looseObject({ source: text, updatedAt: text }),
};

/** A run of another job (JOB#<name> / <slot>): scorer, digest. */
export const jobRunEntity: Entity<JobRun> = {
  type: 'job_run',
  schema: z.looseObject({ job: text, slot: text, outcome: z.enum(['ok', 'failed']) }),
};

/** The weekly digest's claim on its week: who is sending it and which channels went out. */
export interface DigestClaim { week: string; status: 'sending' | 'sent' | 'failed'; claimedAt: string; delivered: ('eventbridge' | 'email' | 'webhook')[]; sentAt?: string }

/** The weekly digest's claim (DIGEST#<week> / DIGEST). */
export const digestClaimEntity: Entity<DigestClaim> = {
  type: 'digest',
  schema: z.looseObject({ week: text, status: z.enum(['sending', 'sent', 'failed']), claimedAt: text, delivered: z.array(z.enum(['eventbridge', 'email', 'webhook'])) }),
};

/** A POST's idempotency record (IDEMPOTENCY#<key> / REQUEST), expiring after a day (the TTL is the table's attribute). */
export interface IdempotencyRecord {
  state: 'pending' | 'completed';
  fingerprint: string;
  lockedUntil: string;
  /** The first response, as JSON (completed records). */
  response?: string;
}
export const idempotencyEntity: Entity<IdempotencyRecord> = {
  type: 'idempotency',
  schema: z.looseObject({ state: z.enum(['pending', 'completed']), fingerprint: text, lockedUntil: text, response: z.optional(z.string()) }),
};

/** The calendar feed's token (FEED#calendar / TOKEN): its SHA-256 in hex, never the token. */
export const feedTokenEntity: Entity<{ sha256: string; createdAt: string }> = {
  type: 'feed_token',
  schema: z.looseObject({ sha256: z.string(), createdAt: text }),
};

/** The month's citation spend counter (SPEND#citations / <YYYY-MM>), in micro-dollars, moved by conditional ADDs. */
export const spendEntity: Entity<{ committedMicroUsd: number }> = {
  type: 'spend',
  schema: z.looseObject({ committedMicroUsd: z.number() }),
};

/** A data migration that ran once per table (MIGRATION / <name>): when, and how many items it wrote. */
export const migrationEntity: Entity<{ at: string; items: number }> = {
  type: 'migration',
  schema: z.looseObject({ at: text, items: z.number() }),
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
 * A stored item as its domain value: the table's attributes stripped, the rest parsed with the entity's
 * schema (StoredItemError when it does not match). Fields the schema does not name are kept as stored.
 */
export function parseItem<T>(entity: Entity<T>, item: Record<string, unknown>): T {
  const out = entity.schema.safeParse(withoutTableAttributes(item));
  if (!out.success) {
    throw new StoredItemError(entity.type, `${String(item.pk)} / ${String(item.sk)}`, out.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; '));
  }
  return out.data as T;
}
