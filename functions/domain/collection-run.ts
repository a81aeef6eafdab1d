/**
 * What one collection run of a source ended with — the record the collector writes, GET /health and
 * `verdict collect` read, and the error codes a source may fail with. Plain types: the store, the
 * adapters and the API all speak them without importing each other.
 */

export type SourceErrorCode =
  /** A rate window: retry after resetAt. */
  | 'rate_limited'
  /** A monthly usage cap (X UsageCapExceeded, our own spend cap): paused until resetAt (next month). */
  | 'usage_capped'
  /** 401/403: credentials missing, wrong or lacking scope. */
  | 'unauthorized'
  /** 5xx after retries. */
  | 'upstream_error'
  | 'timeout'
  | 'network_error'
  /** The body was not JSON. */
  | 'malformed_response'
  /** The body was JSON but not the documented shape (schema drift); details name the field. */
  | 'schema_mismatch'
  /** Anything else the provider answered with a 4xx. */
  | 'bad_request';

export type RunOutcome = 'ok' | 'partial' | 'failed' | 'rate_limited' | 'usage_capped' | 'paused' | 'not_configured';

export interface CollectionRun {
  source: string;
  /** The configured account collected (sources.<name>.accounts); absent: the default account. */
  account?: string;
  /** The scheduled slot (ISO-8601). */
  slot: string;
  outcome: RunOutcome;
  observations: number;
  requests?: number;
  costUsd?: number;
  durationMs: number;
  startedAt: string;
  errorCode?: SourceErrorCode | 'store_error' | 'internal_error';
  /** Safe, secret-free message for the health view. */
  message?: string;
  /** When a paused source may be tried again. */
  resetAt?: string;
  /** How many times this slot was delivered (duplicates and late retries). */
  deliveries?: number;
}
