/**
 * When an ended experiment's window counts as closed. Daily sources collect at their slot (00:00 UTC)
 * and the scorer fires hourly, so "end <= now" alone can score before the window's last snapshot is
 * collected — and a verdict is permanent. The window is closed once every enabled source behind the
 * primary metric has a run for its first slot at or after the window's end (any outcome but failed: a
 * failed slot is retried), or once WINDOW_CLOSE_GRACE_MS has passed since the end (a source that is down
 * must not hold verdicts back for ever). The verdict records which of the two closed it.
 */
import type { Experiment } from '../domain/experiment';
import { parseMetricKey } from '../domain/metric-catalog';
import type { WindowClose } from '../domain/verdict';
import { sourceSettings, type AppConfig, type SourceName } from '../shared/app-config';
import { nextSlotAfter, slotFor } from '../shared/schedules';
import { SOURCE_OUTPUTS } from '../sources/collector-entries';
import type { RunStore } from '../store/run-store';

/** How long after its end an experiment waits at most for the slot at its window's end: 6 hours. */
export const WINDOW_CLOSE_GRACE_MS = 6 * 3_600_000;


export interface WindowCloseDeps { runs: Pick<RunStore, 'getRun'>; sources: AppConfig['sources'] }

/** The window's closing collections, or `waiting` while a source's window-end slot is still to come. */
export async function windowCloseOf(e: Experiment, now: Date, deps: WindowCloseDeps): Promise<WindowClose | { waiting: WindowClose['missing'] }> {
  const parsed = parseMetricKey(e.primaryMetric);
  if (!parsed || !e.end) return { closedBy: 'collected', slots: [], missing: [] };
  const end = new Date(e.end);
  const sources = (Object.keys(SOURCE_OUTPUTS) as SourceName[]).filter((source) =>
    sourceSettings({ sources: deps.sources }, source, parsed.account)?.enabled === true
    && SOURCE_OUTPUTS[source].some((m) => parsed.definition.from.includes(m))
    && (parsed.engine === undefined || !SOURCE_OUTPUTS[source].includes('citations.answer') || parsed.engine === source));
  const slots: WindowClose['slots'] = [];
  const missing: WindowClose['missing'] = [];
  for (const source of sources) {
    // The metric's account decides whose runs close the window (x.follower_growth_rate@acme: x@acme's).
    const cadence = { everyMinutes: sourceSettings({ sources: deps.sources }, source, parsed.account)!.everyMinutes };
    const boundary = slotFor(end, cadence);
    const slot = (boundary.getTime() === end.getTime() ? boundary : nextSlotAfter(end, cadence)).toISOString();
    const run = await deps.runs.getRun(source, slot, parsed.account);
    if (run && run.outcome !== 'failed') slots.push({ source, slot, outcome: run.outcome });
    else missing.push({ source, slot });
  }
  if (missing.length === 0) return { closedBy: 'collected', slots, missing };
  if (now.getTime() - end.getTime() >= WINDOW_CLOSE_GRACE_MS) return { closedBy: 'grace_period', slots, missing };
  return { waiting: missing };
}
