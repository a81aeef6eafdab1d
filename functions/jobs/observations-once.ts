/**
 * The scorer's observation reads, once per run: for every observed metric the due experiments need, the
 * union of their ranges (baseline through window) is read with one paginated Query per disjoint stretch,
 * and each experiment's observations are sliced from it in memory. With 1,000 due experiments on
 * 15-minute data the per-experiment reads were ~100× the union; now each stored item is read once.
 */
import { withAccount } from '../domain/accounts';
import type { Experiment } from '../domain/experiment';
import { parseMetricKey } from '../domain/metric-catalog';
import type { Observation, ObservedMetric } from '../domain/observation';
import { observationRange } from '../domain/scoring/score-experiment';
import type { ObservationStore } from '../store/observation-store';

type Range = { start: string; end: string };

/** Sorted, merged [start, end) ranges (ISO instants, canonical). */
export function unionOfRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.map((r) => ({ start: canonical(r.start), end: canonical(r.end) })).filter((r) => r.start < r.end).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: Range[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) { if (r.end > last.end) last.end = r.end; } else merged.push({ ...r });
  }
  return merged;
}

export interface ObservationsOnce {
  /** The observations `experiment` needs, exactly as observationsFor would read them; throws if its metric's read failed. */
  for(experiment: Experiment): Observation[];
}

/** Reads the union of `experiments`' observation ranges, metric by metric (a failed metric fails only its experiments). */
export async function loadObservationsOnce(experiments: readonly Experiment[], store: Pick<ObservationStore, 'query'>): Promise<ObservationsOnce> {
  // One entry per stored series: a metric of one account (`x.followers`, `x.followers@acme`).
  const needs = new Map<string, { metric: ObservedMetric; account?: string; ranges: Range[] }>();
  for (const e of experiments) {
    const parsed = parseMetricKey(e.primaryMetric);
    if (!parsed) continue;
    const range = observationRange(e);
    for (const metric of parsed.definition.from) {
      const series = withAccount(metric, parsed.account);
      const need = needs.get(series) ?? { metric, ...(parsed.account !== undefined && { account: parsed.account }), ranges: [] };
      need.ranges.push(range);
      needs.set(series, need);
    }
  }
  const loaded = new Map<string, { observations: Observation[] } | { error: unknown }>();
  for (const [series, need] of needs) {
    try {
      const observations: Observation[] = [];
      for (const r of unionOfRanges(need.ranges)) observations.push(...await store.query(need.metric, r.start, r.end, need.account));
      loaded.set(series, { observations });
    } catch (err) {
      loaded.set(series, { error: err });
    }
  }
  return {
    for(experiment) {
      const parsed = parseMetricKey(experiment.primaryMetric);
      if (!parsed) return [];
      const range = observationRange(experiment);
      const from = canonical(range.start);
      const to = canonical(range.end);
      const parts = parsed.definition.from.map((m) => {
        const entry = loaded.get(withAccount(m, parsed.account));
        if (!entry) return [];
        if ('error' in entry) throw entry.error;
        return sliceByTime(entry.observations, from, to);
      });
      // Same order as ObservationStore.queryMany: merged oldest first (a stable sort over the metrics in order).
      return parts.flat().sort((a, b) => a.at.localeCompare(b.at));
    },
  };
}

/** Observations with from ≤ at < to from an oldest-first array (binary search on both ends). */
function sliceByTime(sorted: readonly Observation[], from: string, to: string): Observation[] {
  const lowerBound = (t: string) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid].at < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  return sorted.slice(lowerBound(from), lowerBound(to));
}

function canonical(t: string): string {
  return new Date(t).toISOString();
}
