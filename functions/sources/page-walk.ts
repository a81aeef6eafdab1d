/**
 * Walking a provider's pages with the "keep what was read" rule every adapter shares: a rate limit,
 * usage cap or transient failure (5xx after retries, timeout, network, deadline) part-way through a
 * walk ends it early and marks the run partial; schema drift, malformed bodies and auth errors fail
 * the whole run so nothing half-understood is stored.
 */
import { SourceError, type CollectResult } from './source';

export interface WalkOutcome<T> {
  items: T[];
  /** Why the walk ended early (an error code), undefined when it completed. */
  cutShort?: string;
  pause?: CollectResult['pause'];
}

/**
 * Runs `walk`, which pushes items page by page. `fallbackPauseMs` is used when a rate-limit error
 * carries no reset time.
 */
export async function walkPages<T>(walk: (push: (items: readonly T[]) => void) => Promise<void>, now: () => Date, fallbackPauseMs = 60_000): Promise<WalkOutcome<T>> {
  const items: T[] = [];
  try {
    await walk((page) => { items.push(...page); });
    return { items };
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    if (err.code === 'rate_limited' || err.code === 'usage_capped') {
      const until = err.extra.resetAt ?? new Date(now().getTime() + fallbackPauseMs).toISOString();
      return { items, cutShort: err.code, pause: { reason: err.code, until } };
    }
    if (err.code === 'upstream_error' || err.code === 'timeout' || err.code === 'network_error') return { items, cutShort: err.code };
    throw err;
  }
}

/** The CollectResult fields for a walk's outcome (partial + pause), logging why it was cut short. */
export function walkResultFields(source: string, outcome: WalkOutcome<unknown>, log: { warn(message: string, extra?: Record<string, unknown>): void }): Pick<CollectResult, 'partial' | 'pause'> {
  if (!outcome.cutShort) return {};
  log.warn(`${source} page walk cut short`, { source, reason: outcome.cutShort, items: outcome.items.length });
  return { partial: true, ...(outcome.pause && { pause: outcome.pause }) };
}

/** Start of the window of sends re-read each run (their stats keep changing for weeks), as epoch ms. */
export function windowStart(slot: string, days: number): number {
  return Date.parse(slot) - days * 86_400_000;
}
