/**
 * The one interface every external source implements: collect → observations.
 * Sources never write to the store and never sleep past their deadline; failures are thrown as
 * SourceError with a code the collector records (never as data).
 */
import type { Observation } from '../domain/observation';
import type { SourceName } from '../shared/app-config';
import type { SourceErrorCode } from '../domain/collection-run';
import type { SecretEntry } from './credential-fields';

export interface CollectContext {
  /** The scheduled slot (ISO-8601) this run collects for — from the schedule event, never Date.now(). */
  slot: string;
  /** Epoch ms by which the source must have returned (the Lambda's budget minus a margin). */
  deadline: number;
  log: { info(message: string, extra?: Record<string, unknown>): void; warn(message: string, extra?: Record<string, unknown>): void };
  /**
   * US dollars the run may still spend at the provider before the monthly spend cap (citation engines);
   * undefined when the source costs nothing per request. Adapters stop asking once it is used up.
   */
  spendBudgetUsd?: number;
  /**
   * The month's shared spend counter (citation engines): reserve before each paid call, settle after
   * with what it cost. Concurrent runs share it, so together they never pass the cap nor forget spend.
   */
  spend?: SpendLedger;
  /**
   * The slot of this source's last successful run, for sources that backfill history (Stripe): absent
   * on a first run, which then reads the whole backfill window.
   */
  lastSuccessfulSlot?: string;
}

/** Budget reserved atomically (a conditional counter) before a paid call and settled after it. */
export interface SpendLedger {
  /** Reserves `usd`; false when that would take the month past the cap (then do not call). */
  reserve(usd: number): Promise<boolean>;
  /** Replaces a reservation with what the call actually cost (0 when it failed before being charged). */
  settle(reservedUsd: number, spentUsd: number): Promise<void>;
}

export interface CollectResult {
  observations: Observation[];
  /** True when a paginated walk was cut short (rate limit, deadline): the data is incomplete. */
  partial?: boolean;
  /** US dollars this run spent at the provider (AI engines), for the monthly cap. */
  costUsd?: number;
  /** Upstream requests made, for the health view and cost estimates. */
  requests?: number;
  /**
   * Set when the walk was cut short by a rate window or usage cap: the collector stores what was
   * collected (partial) and skips the source until `until` (ISO-8601).
   */
  pause?: { reason: 'rate_limited' | 'usage_capped'; until: string };
}

export interface Source {
  name: SourceName;
  collect(ctx: CollectContext): Promise<CollectResult>;
}

export type { SourceErrorCode } from '../domain/collection-run';

export class SourceError extends Error {
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    /** costUsd: what the run had already spent at the provider when it failed (counts toward the cap). */
    readonly extra: { resetAt?: string; status?: number; field?: string; costUsd?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceError';
  }
}

/** Credentials for one source, as key → value (e.g. { apiKey }), from Secrets Manager or env/.env locally. */
export type Credentials = Record<string, string>;

export interface CredentialsProvider {
  /**
   * Undefined when the source has no credentials configured ("not configured", not an error). `account`:
   * a configured account's own credentials (secret entry `x@acme`, env X_APP_KEY__ACME); absent: the default account's.
   */
  credentialsFor(entry: SecretEntry, account?: string): Promise<Credentials | undefined>;
}
