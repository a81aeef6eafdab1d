/** What API routes may use: stores, config and a clock — injected so tests and the local runtime pass their own. */
import { createHash, randomBytes } from 'node:crypto';
import type { DesignDefaults } from '../domain/experiment';
import type { AppConfig, SourceName } from '../shared/app-config';
import type { EventPublisher } from '../shared/events';
import type { ExperimentStore } from '../store/experiment-store';
import type { FeedTokenStore } from '../store/feed-token-store';
import type { IdempotencyStore } from '../store/idempotency-store';
import type { ObservationStore } from '../store/observation-store';
import type { CollectionRun, RunStore } from '../store/run-store';
import type { CollectorReadiness } from '../jobs/collector-readiness';

/** Runs one source's collection (of a configured `account`, else the default) for the slot containing `scheduledTime`, within `budgetMs`. */
export type CollectNow = (source: SourceName, scheduledTime: string, budgetMs: number, account?: string) => Promise<CollectionRun>;

export interface ApiServices {
  experiments: ExperimentStore;
  observations: ObservationStore;
  runs: RunStore;
  config: AppConfig;
  now: () => Date;
  newId: () => string;
  log: {
    info(message: string, extra?: Record<string, unknown>): void;
    warn(message: string, extra?: Record<string, unknown>): void;
    error(message: string, extra?: Record<string, unknown>): void;
  };
  /** Idempotency-Key records; default: the experiments' table (see collaborators.ts). */
  idempotency?: IdempotencyStore;
  /** `Experiment Started` / `Verdict Reached` publisher; default: logged only (the API function injects EventBridge). */
  events?: EventPublisher;
  /** POST /collect; default: none (the API function invokes collector functions, the local runtime collects in process). */
  collect?: CollectNow;
  /**
   * False when nothing runs on a schedule (the local runtime started with --no-schedule): /health then
   * says so instead of promising the next slot. Default: the schedules run (EventBridge, the local scheduler).
   */
  schedulesRun?: boolean;
  /** The calendar feed's read-only token; default: the experiments' table. */
  feedTokens?: FeedTokenStore;
  /**
   * Whether an enabled source can collect, for the plan's no_collector warning (the local runtime: its
   * credentials in env/.env). Default: the source's last recorded collection run (`runs`) — the API
   * functions have no access to the sources' secret.
   */
  collectorReadiness?: CollectorReadiness;
}

/** ApiServices with every optional collaborator filled in. */
export type ResolvedApiServices = ApiServices & Required<Pick<ApiServices, 'idempotency' | 'events' | 'collect' | 'feedTokens'>>;

/** Seed and time zone for a new randomized design: a crypto-random seed, the digest's time zone. */
export function designDefaults(s: Pick<ApiServices, 'config'>): DesignDefaults {
  return { seed: (randomBytes(4).readUInt32BE(0) % 2_147_483_646) + 1, timeZone: s.config.digest.timeZone };
}

const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** Short, URL-safe experiment ids (`exp_` + 10 random base32 characters). */
export function newExperimentId(): string {
  return `exp_${[...randomBytes(10)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;
}

/**
 * The id a create with this Idempotency-Key makes (`exp_` + 16 characters of its SHA-256): every retry
 * of the request writes the same item, so the conditional create itself guarantees one experiment,
 * whatever failed after the write.
 */
export function experimentIdForIdempotencyKey(key: string): string {
  return `exp_${[...createHash('sha256').update(`idempotency-key\n${key}`).digest().subarray(0, 16)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;
}
