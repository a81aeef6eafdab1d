/**
 * The one interface every external source implements: collect → observations.
 * Sources never write to the store and never sleep past their deadline; failures are thrown as
 * SourceError with a code the collector records (never as data).
 */
import type { Observation } from '../domain/observation';
import type { SourceName } from '../shared/app-config';

export interface CollectContext {
  /** The scheduled slot (ISO-8601) this run collects for — from the schedule event, never Date.now(). */
  slot: string;
  /** Epoch ms by which the source must have returned (the Lambda's budget minus a margin). */
  deadline: number;
  log: { info(message: string, extra?: Record<string, unknown>): void; warn(message: string, extra?: Record<string, unknown>): void };
}

export interface CollectResult {
  observations: Observation[];
  /** True when a paginated walk was cut short (rate limit, deadline): the data is incomplete. */
  partial?: boolean;
  /** US dollars this run spent at the provider (AI engines), for the monthly cap. */
  costUsd?: number;
  /** Upstream requests made, for the health view and cost estimates. */
  requests?: number;
}

export interface Source {
  name: SourceName;
  collect(ctx: CollectContext): Promise<CollectResult>;
}

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

export class SourceError extends Error {
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    readonly extra: { resetAt?: string; status?: number; field?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceError';
  }
}

/** Credentials for one source, as key → value (e.g. { apiKey }), from Secrets Manager or env/.env locally. */
export type Credentials = Record<string, string>;

export interface CredentialsProvider {
  /** Undefined when the source has no credentials configured ("not configured", not an error). */
  credentialsFor(source: SourceName): Promise<Credentials | undefined>;
}
