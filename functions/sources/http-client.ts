/**
 * The one HTTP client factory for source adapters (axios): a timeout on every request, retries with
 * jittered exponential backoff for 5xx and network errors, 429 → SourceError('rate_limited') with the
 * provider's reset time, zod validation of every body. Nothing here sleeps past the caller's deadline,
 * and no error message carries a header, a credential or a raw body.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type * as z from '../domain/zod-mini';
import { SourceError } from './source';
import { zodIssues } from '../shared/errors';
import { secretRedactor } from '../shared/redaction';

export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_BACKOFF_MS = 300;
/** When a 429 carries no reset header, assume the provider's window is a minute. */
const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000;
/** A Retry-After this short is waited out once (if the deadline allows) instead of pausing the source. */
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 2_000;
/** Largest response body read from a provider unless the source sets its own cap; reading stops there. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Never start a request with less time than this left before the deadline. */
const MIN_REQUEST_MS = 250;

export type QueryValue = string | number | boolean | undefined | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

export interface HttpClientOptions {
  /** Provider name for messages ("beehiiv"). */
  provider: string;
  /** Base URL every path is appended to, e.g. https://api.beehiiv.com. */
  baseUrl: string;
  headers?: Record<string, string>;
  /** HTTP Basic credentials (Mailchimp). */
  auth?: { username: string; password: string };
  /** Per-request timeout in ms (clamped to the time left before `deadline`). */
  timeoutMs?: number;
  /** Retries after the first attempt for 5xx, network errors and (GET only) timeouts. */
  retries?: number;
  /** Base of the exponential backoff, in ms. */
  backoffMs?: number;
  /** Epoch ms (wall clock, Date.now) after which no request is started and no backoff slept. */
  deadline?: number;
  /** Fallback pause when a 429 names no reset time, in ms. */
  rateLimitWindowMs?: number;
  /** Longest Retry-After waited out in-process (once), in ms; longer ones become rate_limited. */
  maxRateLimitWaitMs?: number;
  /**
   * Provider-specific reading of an error response before the generic mapping, e.g. OpenAI's
   * `insufficient_quota` 429 (a billing cap, not a rate window). Return undefined to fall through.
   */
  classifyError?: (response: ErrorResponse, now: Date) => SourceError | undefined;
  /** The clock reset times are computed against (epoch ms); deadlines always use the wall clock. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Largest response body read, in bytes (default DEFAULT_MAX_RESPONSE_BYTES): a longer one is a malformed_response. */
  maxResponseBytes?: number;
  /** Injected axios instance (tests); by default a fresh one. */
  axiosInstance?: AxiosInstance;
}

export interface ErrorResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

export interface RequestOptions {
  query?: Query;
  /** Overrides the client's timeout for this request (AI engines answer slowly). */
  timeoutMs?: number;
  /** What the response is, for messages ("publication stats"). Defaults to the path. */
  what?: string;
}

export interface HttpClient {
  getJson<S extends z.ZodMiniType>(path: string, schema: S, options?: RequestOptions): Promise<z.output<S>>;
  /** POSTs JSON. Timeouts are not retried: the provider may have done (and billed) the work. */
  postJson<S extends z.ZodMiniType>(path: string, body: unknown, schema: S, options?: RequestOptions): Promise<z.output<S>>;
  /** Upstream requests made so far (attempts, including retries). */
  readonly requests: number;
  /**
   * POSTs sent that got no answer (timed out, or the connection broke after it was made): the provider
   * may have done, and billed, each of them.
   */
  readonly unansweredPosts: number;
}

/** Transport failures before any byte reached the provider: nothing can have been done or billed. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const instance = options.axiosInstance ?? axios.create();
  const retries = options.retries ?? DEFAULT_RETRIES;
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const maxWait = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const provider = options.provider;
  // Providers sometimes quote the credential back (URL-encoded, lower-cased, cut short, as Basic base64): no message we keep may carry it.
  const redact = secretRedactor({ values: Object.values(options.headers ?? {}), ...(options.auth && { basic: options.auth }) });
  let requests = 0;
  let unansweredPosts = 0;

  async function request<S extends z.ZodMiniType>(method: 'GET' | 'POST', path: string, body: unknown, schema: S, opts: RequestOptions = {}): Promise<z.output<S>> {
    const what = opts.what ?? `${method} ${path}`;
    const url = options.baseUrl.replace(/\/+$/, '') + path + queryString(opts.query);
    let waitedForRateLimit = false;
    for (let attempt = 0; ; attempt++) {
      const left = deadline - Date.now();
      if (left < MIN_REQUEST_MS) throw new SourceError('timeout', `${provider} ${what}: no time left before the run's deadline`);
      const timeout = Math.max(1, Math.min(opts.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS, left));
      let response: AxiosResponse<string>;
      try {
        requests++;
        response = await instance.request<string>({
          method,
          url,
          data: method === 'POST' ? JSON.stringify(body) : undefined,
          headers: { accept: 'application/json', ...(method === 'POST' && { 'content-type': 'application/json' }), ...options.headers },
          auth: options.auth,
          timeout,
          responseType: 'text',
          transformResponse: [(data: unknown) => data],
          transitional: { clarifyTimeoutError: true },
          validateStatus: () => true,
          // A provider's API answers where it is asked: a redirect (a wrong base URL, http -> https) is reported
          // with its status, not followed with the credentials. (It also keeps follow-redirects out of the bundles.)
          maxRedirects: 0,
          maxContentLength: maxResponseBytes,
        });
      } catch (err) {
        const failure = toTransportError(err, provider, what, maxResponseBytes);
        if (method === 'POST' && failure.code !== 'malformed_response' && !(axios.isAxiosError(err) && NEVER_SENT.has(err.code ?? ''))) unansweredPosts++;
        const retryable = failure.code === 'network_error' || (failure.code === 'timeout' && method === 'GET');
        if (retryable && attempt < retries && (await backoff(attempt))) continue;
        throw failure;
      }

      const status = response.status;
      const headers = normaliseHeaders(response.headers as Record<string, unknown>);
      const text = typeof response.data === 'string' ? response.data : String(response.data ?? '');
      if (status >= 200 && status < 300) return parseBody(text, schema, provider, what);

      const errorResponse: ErrorResponse = { status, headers, body: tryParseJson(text) };
      const special = options.classifyError?.(errorResponse, new Date(now()));
      if (special) throw special;
      if (status === 429) {
        const resetAt = rateLimitResetAt(headers, now(), options.rateLimitWindowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS);
        const waitMs = resetAt.getTime() - now();
        if (!waitedForRateLimit && waitMs <= maxWait && Date.now() + waitMs + MIN_REQUEST_MS < deadline) {
          waitedForRateLimit = true;
          await sleep(Math.max(0, waitMs));
          continue;
        }
        throw new SourceError('rate_limited', `${provider} rate limit reached (${what})`, { resetAt: resetAt.toISOString(), status });
      }
      if (status === 401 || status === 403) {
        throw new SourceError('unauthorized', `${provider} rejected the credentials (${status}) for ${what}${redact(detailOf(errorResponse.body))}`, { status });
      }
      if (status >= 500) {
        if (attempt < retries && (await backoff(attempt))) continue;
        throw new SourceError('upstream_error', `${provider} answered ${status} for ${what} after ${attempt + 1} attempt(s)`, { status });
      }
      if (status >= 300 && status < 400) {
        throw new SourceError('bad_request', `${provider} redirected ${what} (${status}); no redirect is followed: check the source's base URL`, { status });
      }
      throw new SourceError('bad_request', `${provider} answered ${status} for ${what}${redact(detailOf(errorResponse.body))}`, { status });
    }
  }

  /** Sleeps before retry `attempt + 1`; false when the deadline leaves no room for it. */
  async function backoff(attempt: number): Promise<boolean> {
    const delay = Math.round(backoffMs * 2 ** attempt * (0.5 + Math.random() / 2));
    if (Date.now() + delay + MIN_REQUEST_MS >= deadline) return false;
    await sleep(delay);
    return true;
  }

  return {
    getJson: (path, schema, opts) => request('GET', path, undefined, schema, opts),
    postJson: (path, body, schema, opts) => request('POST', path, body, schema, opts),
    get requests() {
      return requests;
    },
    get unansweredPosts() {
      return unansweredPosts;
    },
  };
}

/** Validates a 2xx body: not JSON → malformed_response; not the documented shape → schema_mismatch naming the field. */
export function parseBody<S extends z.ZodMiniType>(text: string, schema: S, provider: string, what: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SourceError('malformed_response', `${provider} answered ${what} with a body that is not JSON`);
  }
  return parseShape(json, schema, provider, what);
}

/** Validates an already-parsed body against its documented shape. */
export function parseShape<S extends z.ZodMiniType>(json: unknown, schema: S, provider: string, what: string): z.output<S> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = zodIssues(parsed.error)[0];
    throw new SourceError('schema_mismatch', `${provider} ${what} response: ${issue.path}: ${issue.message}`, { field: issue.path });
  }
  return parsed.data;
}

/**
 * When a rate-limited provider may be asked again. Reads, in order: Retry-After (seconds or HTTP
 * date), RateLimit-Reset / X-RateLimit-Reset / X-Rate-Limit-Reset (epoch seconds when large, else
 * seconds from now), OpenAI's X-RateLimit-Reset-Requests/-Tokens durations ("1s", "6m0s", "20ms");
 * falls back to `fallbackWindowMs` from now.
 */
export function rateLimitResetAt(headers: Record<string, string | undefined>, nowMs: number, fallbackWindowMs = DEFAULT_RATE_LIMIT_WINDOW_MS): Date {
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return new Date(nowMs + Math.ceil(Number(retryAfter) * 1000));
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return new Date(Math.max(date, nowMs));
  }
  for (const name of ['ratelimit-reset', 'x-ratelimit-reset', 'x-rate-limit-reset']) {
    const raw = headers[name]?.trim();
    if (raw && /^\d+(\.\d+)?$/.test(raw)) {
      const n = Number(raw);
      // Epoch seconds (beehiiv, X) vs delta seconds (the IETF draft): no delta is 30 years long.
      return n > 1e9 ? new Date(Math.max(n * 1000, nowMs)) : new Date(nowMs + Math.ceil(n * 1000));
    }
  }
  const durations = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']
    .map((name) => parseDurationMs(headers[name]))
    .filter((ms): ms is number => ms !== undefined);
  if (durations.length > 0) return new Date(nowMs + Math.max(...durations));
  return new Date(nowMs + fallbackWindowMs);
}

/** Longest duration header read; anything longer is not a duration (and is not scanned). */
const MAX_DURATION_LENGTH = 64;

/** "6m0s", "1.5s", "20ms", "1h2m" → ms; undefined when unparseable. Linear in the header's length. */
export function parseDurationMs(raw: string | undefined): number | undefined {
  const text = raw?.trim();
  if (!text || text.length > MAX_DURATION_LENGTH || !/^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(n) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
  }
  return Math.ceil(total);
}

/**
 * Runs `attempt` with retries and backoff for retryable SourceErrors (upstream_error, network_error,
 * and timeout when `retryTimeouts`), never sleeping past `deadline`. For clients that are not axios
 * (twitter-api-v2).
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: { retries?: number; backoffMs?: number; deadline?: number; retryTimeouts?: boolean; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retries = options.retries ?? DEFAULT_RETRIES;
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      const retryable = err instanceof SourceError
        && (err.code === 'upstream_error' || err.code === 'network_error' || (err.code === 'timeout' && options.retryTimeouts !== false));
      const delay = Math.round((options.backoffMs ?? DEFAULT_BACKOFF_MS) * 2 ** i * (0.5 + Math.random() / 2));
      if (!retryable || i >= retries || Date.now() + delay + MIN_REQUEST_MS >= deadline) throw err;
      await sleep(delay);
    }
  }
}

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function toTransportError(err: unknown, provider: string, what: string, maxResponseBytes: number): SourceError {
  if (axios.isAxiosError(err)) {
    // Not retried: the same request would answer the same oversized body.
    if (/maxContentLength/.test(err.message)) return new SourceError('malformed_response', `${provider} answered ${what} with more than ${maxResponseBytes} bytes; stopped reading`);
    const timedOut = err.code === 'ETIMEDOUT' || err.code === 'ECONNABORTED' || /timeout/i.test(err.message);
    if (timedOut) return new SourceError('timeout', `${provider} did not answer ${what} in time`);
    return new SourceError('network_error', `${provider} request failed (${err.code ?? 'network'}) for ${what}`);
  }
  return new SourceError('network_error', `${provider} request failed for ${what}`);
}

function normaliseHeaders(raw: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(raw ?? {})) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v === undefined || v === null ? undefined : String(v);
  return out;
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A short, provider-written explanation (never headers or the request) for 4xx messages. */
function detailOf(body: unknown): string {
  const pick = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  let detail: string | undefined;
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const nested = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : undefined;
    const firstError = Array.isArray(b.errors) ? b.errors[0] : undefined;
    detail = pick(b.detail) ?? pick(b.message) ?? pick(nested?.message) ?? pick(b.error) ?? pick(b.title)
      ?? pick(firstError) ?? (firstError && typeof firstError === 'object' ? pick((firstError as Record<string, unknown>).message) : undefined);
  }
  return detail ? `: ${detail.slice(0, 200)}` : '';
}
